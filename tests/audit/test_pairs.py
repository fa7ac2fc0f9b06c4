"""A disclosure published as two files (北京: the 情况说明 and, as 附件2, the 报表) is audited as one document: one
row naming both files, its review and lines those of the two read together; two files of different entities are
not paired; a restart audits neither file again."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pyarrow.parquet as pq
import pytest

from deptbudget.audit.engines import InProcess
from deptbudget.audit.inputs import collect
from deptbudget.audit.pairs import NARRATIVE, TABLES, Half
from deptbudget.audit.runner import run_audit
from deptbudget.audit.worker import finding_rows, table_files
from deptbudget.importers import import_document
from deptbudget.importers.combine import combine_disclosures
from deptbudget.rules.registry import Finding
from tests.audit.conftest import REAL_DOCS

BEIJING = REAL_DOCS / "002_北京"
AUDIT_NARRATIVE = "2026年北京市审计局部门预算.pdf"  # 说明 only (MANIFEST.tsv)
AUDIT_TABLES = "审计局_附件2：北京市审计局2026年度部门预算报表.pdf"  # 报表 only, of the same bureau
WEATHER_TABLES = "气象局_附件2：北京市气象局2026年度部门预算报表.pdf"  # 报表 only, of another bureau


def _folder(root: Path, names: list[str]) -> Path:
    """The files copied under 002_北京/ with their lines of the real corpus's MANIFEST.tsv."""
    folder = root / "docs"
    (folder / "002_北京").mkdir(parents=True)
    for name in names:
        if not (BEIJING / name).is_file():
            pytest.fail(f"the real document {BEIJING / name} is missing: tests read ../shared/real-docs")
        shutil.copy(BEIJING / name, folder / "002_北京" / name)
    manifest = (REAL_DOCS / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    kept = [manifest[0], *(line for line in manifest[1:] if line.split("\t")[0].split("/")[-1] in names)]
    (folder / "MANIFEST.tsv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    return folder


def _rows(path: Path) -> dict[str, dict[str, object]]:
    return {Path(str(r["path"])).name: r for r in pq.read_table(path).to_pylist()}


def test_the_two_halves_of_one_disclosure_are_one_document(tmp_path: Path) -> None:
    folder = _folder(tmp_path, [AUDIT_TABLES, AUDIT_NARRATIVE])
    summary = run_audit(collect([str(folder)]), tmp_path / "out", InProcess())
    documents = _rows(summary.documents_file)
    assert list(documents) == [AUDIT_NARRATIVE]  # the 说明 names the document, whatever the order listed
    row = documents[AUDIT_NARRATIVE]
    assert Path(str(row["paired_with"])).name == AUDIT_TABLES
    assert row["template"] and row["tables"] == row["tables_expected"] and row["error"] is None
    alone = run_audit(collect([str(folder / "002_北京" / AUDIT_NARRATIVE)]), tmp_path / "alone", InProcess())
    narrative = _rows(alone.documents_file)[AUDIT_NARRATIVE]
    assert narrative["paired_with"] is None and not narrative["tables"]  # read alone: no table
    assert row["printed_amounts"] > narrative["printed_amounts"] and row["recall"] > 0.9  # both files' amounts
    assert summary.audited == 2 and summary.unreadable == 0
    lines = pq.read_table(summary.lines_file).to_pylist()  # the tables' lines, under the one document
    assert lines and {r["path"] for r in lines} == {row["path"]}
    again = run_audit(collect([str(folder)]), tmp_path / "out", InProcess())
    assert (again.already, again.audited) == (2, 0)  # both files done: neither audited again


def test_files_of_two_entities_are_not_paired(tmp_path: Path) -> None:
    folder = _folder(tmp_path, [AUDIT_NARRATIVE, WEATHER_TABLES])
    summary = run_audit(collect([str(folder)]), tmp_path / "out", InProcess())
    documents = _rows(summary.documents_file)
    assert sorted(documents) == sorted([AUDIT_NARRATIVE, WEATHER_TABLES])
    assert all(r["paired_with"] is None for r in documents.values())


@pytest.mark.parametrize(("other", "pairs"), [
    (Half(TABLES, "北京", "2026", ("北京市审计局",), False), True),
    (Half(TABLES, "北京", "2025", ("北京市审计局",), True), False),  # another year
    (Half(TABLES, "上海", "2026", ("北京市审计局",), True), False),  # another locality
    (Half(NARRATIVE, "北京", "2026", ("北京市审计局",), True), False),  # two 说明
    (Half(TABLES, "北京", "2026", ("北京市",), True), False),  # a bare place name pairs nothing
    (Half(TABLES, "北京", "2026", ("北京市气象局",), True), False),  # another bureau (a name of the same length)
    (Half(TABLES, "北京", "2026", ("附件2：北京市审计局2026年度部门预算报表",), False), True),  # its title
])
def test_what_pairs(other: Half, pairs: bool) -> None:
    narrative = Half(NARRATIVE, "北京", "2026", ("北京市审计局", "北京市审计局2026年部门预算"), True)
    assert narrative.pairs_with(other) is pairs and other.pairs_with(narrative) is pairs


def test_a_finding_on_a_table_of_the_report_names_the_report_file(tmp_path: Path) -> None:
    """Read together, a finding on one of the 报表's tables is on the 报表 file (at that table's page there); a
    finding on the narrative, on the 说明; each under the document's path (the 说明's)."""
    folder = _folder(tmp_path, [AUDIT_NARRATIVE, AUDIT_TABLES]) / "002_北京"
    narrative, tables = str(folder / AUDIT_NARRATIVE), str(folder / AUDIT_TABLES)
    pieces = [import_document(Path(narrative))[0], import_document(Path(tables))[0]]
    disclosure = combine_disclosures(pieces)
    read = next(t for t in pieces[1].tables if t.rows and t.page)
    assert not any(t.rows for t in pieces[0].tables)  # the 说明 reads no table: every table is the 报表's
    findings = [Finding("合计不符", table=f"表{read.number}", row=read.rows[0].key, rule="SUM-TOTAL"),
                Finding("文字与表不符", table="第一部分", row="第1段（第4页）", rule="TEXT-SUM-PARTS"),
                Finding("缺少公开内容", rule="COMPLETE")]
    review = SimpleNamespace(disclosure=disclosure, findings=findings)
    on_table, on_text, whole = finding_rows(narrative, review, table_files(disclosure, pieces, (narrative, tables)))
    assert (on_table["path"], on_table["file"]) == (narrative, tables)
    assert on_table["page"] == (read.rows[0].page or read.page)
    assert (on_text["file"], on_text["page"]) == (narrative, 4)
    assert whole["file"] == narrative
    alone = finding_rows(tables, SimpleNamespace(disclosure=pieces[1], findings=findings[:1]))
    assert alone[0]["file"] == tables  # a document of one file: its own


def test_undeclared_halves_wait_in_bounded_number() -> None:
    """A folder of tables-only files that do not say they are halves (a locality publishing XLSX 报表 alone, or the
    province benchmark's synthetic workbooks) kept every one in memory until the end of the run (the main process
    grew to 700 MiB over 160 such documents): at most ``hold`` of them wait, the oldest leaving first; a half that
    says it is one waits to the end; the partner of a waiting half is found and taken out."""
    from deptbudget.audit.pairs import Waiting

    waiting = Waiting(hold=2)
    tables = [Half(TABLES, "某市", "2026", (f"某市第{n}局",), False) for n in range(5)]
    left = [gone for n, half in enumerate(tables) for gone in waiting.add((half, f"doc{n}", f"rows{n}"))]
    assert [rows for _, _, rows in left] == ["rows0", "rows1", "rows2"] and len(waiting) == 2
    declared = Half(TABLES, "北京", "2026", ("北京市审计局",), True)
    assert waiting.add((declared, "报表", "rows-报表")) == [] and len(waiting) == 3
    more = [gone for n in range(5, 9) for gone in waiting.add((Half(TABLES, "某市", "2026", (f"某市第{n}局",), False),
                                                            f"doc{n}", f"rows{n}"))]
    assert "rows-报表" not in [rows for _, _, rows in more] and len(waiting) == 3  # declared: waits to the end
    narrative = Half(NARRATIVE, "北京", "2026", ("北京市审计局",), True)
    assert waiting.take_partner(narrative) == (declared, "报表", "rows-报表") and len(waiting) == 2
    assert waiting.take_partner(narrative) is None


def test_a_tables_file_known_by_what_it_is_made_of_is_a_half_that_does_not_say_so() -> None:
    """北京 统计局's 报表 (no title, every table, a file name that says nothing): read with no template it is a
    报表 half (``published_elsewhere``: inferred), but not one that says so — it waits in bounded number."""
    from benchmarks.unknown_locality import withheld
    from deptbudget.audit.pairs import half_of
    from deptbudget.importers.titles import title_index

    path = BEIJING / "退役军人事务局_2026年部门预算.pdf"
    with withheld(set(title_index().by_template)):
        disclosure, _ = import_document(path)
    row = {"path": str(path), "locality": "北京", "year": "2026", "entity": "北京市退役军人事务局"}
    half = half_of(disclosure, row)
    assert half is not None and (half.side, half.declared) == (TABLES, False)
