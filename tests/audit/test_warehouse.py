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
