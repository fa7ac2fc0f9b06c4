"""benchmarks/corpus.py: what counts as a printed amount, the multiset recall, and one real document."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from benchmarks import corpus
from deptbudget.importers import recall
from deptbudget.model.disclosure import Cell, CellKind, Column, Disclosure, Figure, Row, Table

REAL_DOCS = Path(__file__).resolve().parents[2].parent / "shared" / "real-docs"

D = Decimal


@pytest.mark.parametrize(("text", "amounts"), [
    ("合计 1,234.56 万元", [D("1234.56")]),
    ("1234.56\t4,048,577   13,600", [D("1234.56"), D("4048577"), D("13600")]),
    ("1,234.50 1,063,371.776545 80.0000", [D("1234.5"), D("1063371.776545"), D("80")]),
    ("-5.00 与 －7.25", [D("5"), D("7.25")]),
    ("增长 12.34%，下降 1.50 ％", []),
    ("0.00 0 0.00万元", []),
    ("2026年 208 05 02 第 3 页 人数 45", []),
    ("2026.01.15 1.2345678 12,34.56 1,2345.00 3.5", []),
])
def test_amounts_in_text(text: str, amounts: list[Decimal]) -> None:
    assert recall.amounts_in_text(text) == amounts


def test_cell_amount_drops_blanks_zero_and_sign() -> None:
    assert recall.cell_amount(None) is None
    assert recall.cell_amount(D("0.00")) is None
    assert recall.cell_amount(D("-3.50")) == D("3.5")
    assert recall.cell_amount(D("243.445664")) == D("243.445664")


def test_matched_counts_each_printing_once() -> None:
    found = Counter({D(1): 2, D(3): 5})
    assert recall.matched([D(1), D(1), D(1), D(2)], found) == (2, 4)
    assert recall.matched([], found) == (0, 0)


def _disclosure() -> Disclosure:
    def cell(value: str) -> Cell:
        return Cell(value, D(value.replace(",", "")), CellKind.AMOUNT)

    table = Table("T1", "1", "收支总表", [Column("amount", "合计")], rows=[
        Row("201", {"name": Cell("一般公共服务支出"), "amount": cell("1,234.56")}),
        Row("205", {"name": Cell("教育支出"), "amount": cell("4,048,577")}),
        Row("206", {"name": Cell("科学技术支出"), "amount": cell("0.00")}),
    ])
    figures = {"income.total": Figure("income.total", D("1234.56"), "1,234.56", "万元"),
               "income.change_pct": Figure("income.change_pct", D("1.77"), "1.77%", "%")}
    return Disclosure("mof-9", 2026, "某局", "某局2026年部门预算", tables=[table], figures=figures)


def test_recall_of_a_hand_made_document() -> None:
    text = "收入总计 1,234.56 万元，增长 1.77%。\n合计 1,234.56 1,234.56 4,048,577 0.00 99.00"
    found = recall.disclosure_amounts(_disclosure())
    assert found == Counter({D("1234.56"): 2, D("4048577"): 1})
    # printed: 1,234.56 three times, 4,048,577 once, 99.00 once = 5; found: 1,234.56 twice + 4,048,577 = 3
    assert recall.matched(recall.amounts_in_text(text), found) == (3, 5)
    # as sets: 1,234.56, 4,048,577 and 99.00 printed, the first two found
    assert recall.matched_distinct(recall.amounts_in_text(text), found) == (2, 3)


def test_tables_read_needs_rows_or_the_empty_note() -> None:
    disclosure = _disclosure()
    disclosure.tables += [Table("T2", "2", "收入总表", [], empty=True),
                          Table("T3", "3", "支出总表", [], empty=True, empty_note="本表无数据"),
                          Table("X5", "5", "单位预算表", [], rows=[Row("1", {})])]
    assert recall.tables_read(disclosure, {"T1", "T2", "T3", "T4"}) == 2


def test_html_text_skips_scripts() -> None:
    assert recall.html_text("<p>合计<b>1,234.56</b></p><script>var x = 9.99;</script>").split() == \
        ["合计", "1,234.56"]


def test_xlsx_numbers_as_their_format_prints_them(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["合计", 1234.5, 7.0, 2.5])
    sheet["B1"].number_format = "#,##0.00"
    sheet["C1"].number_format = "0.00"
    book.save(tmp_path / "t.xlsx")
    assert recall.amounts_in_text(recall.document_text(tmp_path / "t.xlsx")) == [D("1234.5"), D("7")]


def test_documents_named_by_manifest_or_file_name(tmp_path: Path) -> None:
    folder = tmp_path / "001_上海"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(b"%PDF-1.4")
    (folder / "2024年某局部门决算.txt").write_text("x", encoding="utf-8")
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    manifest = "file\tlocality\tentity\tyear\tkind\n001_上海/a.pdf\tShanghai\t某中心\t2026\t预算\n"
    (tmp_path / "MANIFEST.tsv").write_text(manifest, encoding="utf-8")
    docs = {d.name: d for d in corpus.documents(tmp_path)}
    assert sorted(docs) == ["001_上海/2024年某局部门决算.txt", "001_上海/a.pdf"]
    assert (docs["001_上海/a.pdf"].locality, docs["001_上海/a.pdf"].entity) == ("Shanghai", "某中心")
    unlisted = docs["001_上海/2024年某局部门决算.txt"]
    assert (unlisted.locality, unlisted.year, unlisted.kind) == ("上海", "2024", "决算")


def test_an_unreadable_document_is_a_row_with_its_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"not a pdf at all")
    row = corpus.measure(corpus.Document(path, "broken.pdf", "", "", "", ""))
    assert row.error and "\n" not in row.error and not row.error.startswith(str(path))
    assert row.template == "" and row.recall is None
    lines = corpus.table_lines([row])
    assert lines == [["broken.pdf", "", *["—"] * 7, f"{row.seconds:.2f}", f"无法读取：{row.error}"]]


@pytest.mark.skipif(not REAL_DOCS.is_dir(), reason="the real-document corpus is not on this machine")
def test_main_on_the_smallest_real_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    smallest = min(REAL_DOCS.rglob("*.pdf"), key=lambda p: p.stat().st_size)
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / smallest.name).symlink_to(smallest)
    assert corpus.main([str(folder), "--json", str(tmp_path / "rows.json")]) == 0
    rows = json.loads((tmp_path / "rows.json").read_text(encoding="utf-8"))["rows"]
    assert len(rows) == 1
    row = rows[0]
    assert row["template"] and row["error"] is None
    assert row["pages"] > 0 and row["tables_expected"] > 0 and row["printed_amounts"] > 0
    assert 0 <= row["recall"] <= 1
    assert smallest.name in capsys.readouterr().out


def test_rejoin_wrapped_puts_an_amount_split_over_two_lines_together() -> None:
    # pdftotext -layout puts the fraction's "." under the whole number's last digit
    text = ("合 计          14,770\n"
            "                   .62    合 计      2,672\n"
            "(一)一般公共预算资金  .82                        .73\n"
            "       154,023\n"
            "年初预算数14,770\n"
            ".62万元，2026 年 208 项\n"
            "  45\n"
            ".50 减少 3.5")
    assert recall.amounts_in_text(recall.rejoin_wrapped(text)) == [
        D("14770.62"), D("2672.73"), D("154023.82"), D("14770.62")]  # not 45.50: ".50 减少" is no wrapped figure


def test_rejoin_wrapped_follows_a_number_wrapped_after_its_commas() -> None:
    text = ("合 计   1\n"
            "       54,\n"
            "         304\n"
            "           .22    市级支出  109,\n"
            "                           703\n"
            "                             .00")
    assert recall.amounts_in_text(recall.rejoin_wrapped(text)) == [D("154304.22"), D("109703.00")]


def test_rejoin_wrapped_leaves_other_lines_alone() -> None:
    text = "合计 1,234.56 万元\n  2026 年 在别处 .50\n208 05 02\n  45.00   .5"
    assert recall.rejoin_wrapped(text) == text


def test_an_amount_printed_in_a_text_cell_is_found_in_it() -> None:
    table = Table("T14", "14", "部门整体支出绩效目标表",
                  [Column("name", "指标", CellKind.TEXT), Column("target", "指标值", CellKind.TEXT)],
                  rows=[Row("i1", {"name": Cell("采购服务成本"), "target": Cell("≤116.00万元")}),
                        Row("i2", {"name": Cell("合计"),
                                   "target": Cell("15,500.00 15,500.00", parse_error="两个金额")})])
    found = recall.disclosure_amounts(Disclosure("mof-9", 2026, "某局", "某局2026年部门预算", tables=[table]))
    assert found == Counter({D("116.00"): 1})  # the malformed cell counts nothing
