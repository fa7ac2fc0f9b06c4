"""deptbudget.audit.warehouse and ``deptbudget report``: DuckDB roll-ups of audit results, HTML + XLSX with every
finding linked to its document and page."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from deptbudget.audit.inputs import AuditDocument
from deptbudget.audit.results import ResultStore
from deptbudget.audit.warehouse import Warehouse, WarehouseError
from deptbudget.audit.worker import document_row
from deptbudget.cli import main

DOCUMENTS = [  # path, locality, year, grade, score, errors
    ("/docs/a.pdf", "罗湖区", "2020", "优", "95.0", 0),
    ("/docs/b.pdf", "罗湖区", "2021", "差", "40.5", 3),
    ("/docs/c.pdf", "福田区", "2020", "良", "80.0", 1),
    ("/docs/d.pdf", "福田区", "2020", None, None, None),  # unreadable
]
FINDINGS = [("/docs/b.pdf", "SUM-TOTAL", "error", 3), ("/docs/b.pdf", "SUM-TOTAL", "error", 4),
            ("/docs/b.pdf", "CAT-NAME", "error", None), ("/docs/c.pdf", "SUM-TOTAL", "error", 2),
            ("/docs/c.pdf", "TEXT-PUNCT-WIDTH", "note", 1)]


def _results(folder: Path, finish: bool = True) -> Path:
    store = ResultStore(folder)
    rows = []
    for path, locality, year, grade, score, errors in DOCUMENTS:
        row = document_row(AuditDocument(path, locality, Path(path).stem, year, "预算"))
        row.update(grade=grade, score=score, errors=errors, template="shenzhen-15" if grade else None,
                   error=None if grade else "无法读取", pages=10 if grade else None)
        rows.append(row)
    findings = [{"path": p, "rule": r, "severity": s, "table": "表1", "row": "合计", "column": "金额",
                 "expected": "1.00", "actual": "2.00", "message": f"{r} 不符", "page": page}
                for p, r, s, page in FINDINGS]
    store.write_batch(rows[:2], [f for f in findings if f["path"] in ("/docs/a.pdf", "/docs/b.pdf")])
    store.write_batch(rows[2:], [f for f in findings if f["path"] not in ("/docs/a.pdf", "/docs/b.pdf")])
    if finish:
        store.finish()
    return folder


@pytest.mark.parametrize("finish", [True, False])  # a finished run, or the parts of one still going
def test_roll_ups(tmp_path: Path, finish: bool) -> None:
    warehouse = Warehouse(_results(tmp_path / "results", finish))
    grades = {row[0]: row[1] for row in warehouse.by_grade().rows}
    assert grades == {"优": 1, "良": 1, "差": 1, "无法读取": 1}
    by_rule = {(row[0], row[1]): (row[2], row[3]) for row in warehouse.by_rule().rows}
    expected = Counter((r, s) for _, r, s, _ in FINDINGS)
    assert {k: v[0] for k, v in by_rule.items()} == dict(expected)
    assert by_rule[("SUM-TOTAL", "error")][1] == 2  # documents affected
    localities = {row[0]: row[1:4] for row in warehouse.by_locality().rows}
    assert localities == {"罗湖区": (2, 2, 3), "福田区": (2, 1, 2)}
    assert [row[0] for row in warehouse.worst().rows] == ["/docs/b.pdf", "/docs/c.pdf", "/docs/a.pdf"]
    assert [row[0] for row in warehouse.unreadable().rows] == ["/docs/d.pdf"]
    # errors first, then by document and page
    assert [(row[0], row[2]) for row in warehouse.findings().rows] == [
        ("/docs/b.pdf", 3), ("/docs/b.pdf", 4), ("/docs/b.pdf", None), ("/docs/c.pdf", 2), ("/docs/c.pdf", 1)]


def test_report_html_and_xlsx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = _results(tmp_path / "results")
    assert main(["report", str(results), "-o", str(tmp_path / "report")]) == 0
    assert "已写出审核汇总" in capsys.readouterr().out
    html = (tmp_path / "report" / "audit-report.html").read_text(encoding="utf-8")
    for _, _, _, page in FINDINGS:
        if page:
            assert "#page=" + str(page) in html
    assert 'href="file:///docs/b.pdf#page=3">第3页</a>' in html
    assert "按等级" in html and "福田区" in html and "无法读取" in html
    book = openpyxl.load_workbook(tmp_path / "report" / "audit-report.xlsx")
    assert {"概况", "按等级", "按规则", "按地区", "按年度", "按部门", "问题清单"} <= set(book.sheetnames)
    sheet = book["问题清单"]
    assert sheet.max_row - 1 == len(FINDINGS)
    assert [c.value for c in sheet[1]][:3] == ["文件", "部门", "页"]
    assert all(sheet.cell(r, 1).hyperlink is not None for r in range(2, sheet.max_row + 1))
    assert not [p for p in (tmp_path / "report").iterdir() if p.name.startswith(".")]


def test_not_audit_results(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(tmp_path), "-o", str(tmp_path / "report")]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path}：不是审核结果目录" in err and "Traceback" not in err
    assert main(["report", str(tmp_path / "nowhere"), "-o", str(tmp_path / "report")]) == 2
    with pytest.raises(WarehouseError, match="目录不存在"):
        Warehouse(tmp_path / "nowhere")


@pytest.mark.parametrize("finish", [True, False])
def test_a_finding_on_the_report_file_of_a_pair_links_to_that_file(tmp_path: Path, finish: bool) -> None:
    """A disclosure read from two files is one document (the 说明's path); a finding on a table of its 报表 names
    the 报表 as its file: the report lists and links it there, at its page."""
    store = ResultStore(tmp_path / "results")
    row = document_row(AuditDocument("/docs/e.pdf", "罗湖区", "某局", "2020", "预算"))
    row.update(template="beijing-13", grade="良", score="85.0", errors=1, pages=30, paired_with="/docs/e-tables.pdf")
    on_table = {"path": "/docs/e.pdf", "file": "/docs/e-tables.pdf", "rule": "SUM-TOTAL", "severity": "error",
                "table": "表3", "row": "合计", "page": 7, "message": "合计不符"}
    on_text = on_table | {"file": "/docs/e.pdf", "table": "第一部分", "row": "第1段（第4页）", "page": 4}
    store.write_batch([row], [on_table, on_text])
    if finish:
        store.finish()
    warehouse = Warehouse(tmp_path / "results")
    assert sorted((r[0], r[2]) for r in warehouse.findings().rows) == [("/docs/e-tables.pdf", 7), ("/docs/e.pdf", 4)]
    assert warehouse.query("SELECT count(DISTINCT path) FROM findings") == [(1,)]  # one document
    assert main(["report", str(tmp_path / "results"), "-o", str(tmp_path / "report")]) == 0
    html = (tmp_path / "report" / "audit-report.html").read_text(encoding="utf-8")
    assert 'href="file:///docs/e-tables.pdf#page=7">第7页</a>' in html
    assert 'href="file:///docs/e.pdf#page=4">第4页</a>' in html
    sheet = openpyxl.load_workbook(tmp_path / "report" / "audit-report.xlsx")["问题清单"]
    assert {sheet.cell(r, 1).value for r in (2, 3)} == {"/docs/e-tables.pdf", "/docs/e.pdf"}
    assert all(sheet.cell(r, 1).hyperlink is not None for r in (2, 3))


def test_results_written_before_findings_named_their_file(tmp_path: Path) -> None:
    """A findings.parquet without the file column (an earlier version's): each finding is on its document."""
    import pyarrow.parquet as pq

    results = _results(tmp_path / "results")
    findings = results / "findings.parquet"
    pq.write_table(pq.read_table(findings).drop_columns(["file"]), findings)
    rows = Warehouse(results).findings().rows
    assert len(rows) == len(FINDINGS) and {r[0] for r in rows} == {"/docs/b.pdf", "/docs/c.pdf"}
