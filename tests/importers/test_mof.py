"""Documents in the Ministry of Finance layout (9 tables, 元, year-prefixed titles, other numbering
styles), as XLSX, DOCX and PDF made like other systems make them, import by the mof-9 template."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from deptbudget.importers import import_document
from deptbudget.importers.titles import choose_template
from deptbudget.model.disclosure import CellKind, Disclosure
from tests.importers import mof_documents as mof

# printed column → column key, per table (None: a column the template does not have)
COLUMN_KEYS: dict[int, list[str | None]] = {
    1: ["income_item", "income_amount", "exp_item", "exp_amount"],
    2: ["code", "name", "total", "carryover", "general_budget", "gov_fund", "state_capital", "special_account",
        "operating", "business", "superior_subsidy", "affiliated", "other"],
    3: ["code", "name", "total", "basic", "project"],
    4: ["income_item", "income_amount", "exp_item", "exp_amount", None, None, None],
    5: ["code", "name", "total", "basic", "project"],
    6: ["code", "name", "total", "personnel", "operating"],
    7: ["total", "overseas", "vehicles", "vehicle_purchase", "vehicle_operation", "reception"],
    8: ["code", "name", "total", "basic", "project"],
    9: ["code", "name", "total", "basic", "project"],
    10: ["c0", "c1"],
}
EXPECTED_IDS = ["T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "X10"]

Writer = Callable[[Path], Path]
WRITERS: dict[str, Writer] = {
    "xlsx": lambda p: mof.write_xlsx(p.with_suffix(".xlsx")),
    "xlsx-one-sheet": lambda p: mof.write_xlsx(p.with_suffix(".xlsx"), numbering="公开01表", one_sheet=True),
    "docx": lambda p: mof.write_docx(p.with_suffix(".docx"), numbering="一、"),
    "pdf": lambda p: mof.write_pdf(p.with_suffix(".pdf"), numbering="公开表一"),
    "pdf-unruled": lambda p: mof.write_pdf(p.with_suffix(".pdf"), numbering="表1", ruled=False),
}


@pytest.fixture(scope="module", params=list(WRITERS))
def imported(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Disclosure:
    path = WRITERS[request.param](tmp_path_factory.mktemp("mof") / "budget")
    return import_document(path)[0]


def test_document_recognised(imported: Disclosure) -> None:
    assert imported.template == "mof-9"
    assert (imported.fiscal_year, imported.unit_name, imported.title) == (mof.YEAR, mof.UNIT, mof.TITLE)
    assert [t.id for t in imported.tables] == EXPECTED_IDS
    assert {t.unit for t in imported.tables} == {"元"}


@pytest.mark.parametrize("printed", mof.TABLES, ids=lambda t: f"table{t.number}")
def test_every_printed_cell(imported: Disclosure, printed: mof.PrintedTable) -> None:
    table = imported.tables[printed.number - 1]
    assert table.title == printed.title
    assert len(table.rows) == len(printed.rows)
    for row, cells in zip(table.rows, printed.rows, strict=True):
        for key, text in zip(COLUMN_KEYS[printed.number], cells, strict=True):
            if key is None or not text:
                continue
            cell = row.cells[key]
            assert cell.text == text, (table.id, row.key, key)
            if cell.kind is CellKind.AMOUNT:
                assert cell.value == Decimal(text.replace(",", "")), (table.id, row.key, key)


def test_rows_keyed_by_the_conventions(imported: Disclosure) -> None:
    t1 = imported.table("T1")
    assert t1 is not None
    assert [r.key for r in t1.rows[:5]] == ["income=general_budget;exp=205", "income=gov_fund;exp=208",
                                            "income=state_capital;exp=210", "income=special_account;exp=221",
                                            "income=operating;exp="]
    assert t1.rows[-1].key == "income=this_year_and_carryover;exp=total"
    assert [r.key for r in imported.table("T2").rows[:4]] == ["total", "205", "20502", "2050201"]  # type: ignore[union-attr]
    assert imported.table("T6").row("30302").parent == "303"  # type: ignore[union-attr]
    three = imported.table("T7").row(str(mof.YEAR))  # type: ignore[union-attr]
    assert three is not None and three.cells["reception"].value == Decimal("10000.00")
    assert three.cells["year"].text == ""


def test_empty_and_unknown_tables(imported: Disclosure) -> None:
    for table_id in ("T8", "T9"):
        table = imported.table(table_id)
        assert table is not None and table.empty and "为空表" in table.empty_note
        assert not table.empty_note.startswith("注")
    generic = imported.table("X10")
    assert generic is not None and generic.title == f"{mof.YEAR}年机关运行经费预算表"
    assert generic.rows[0].cells["c1"].value == Decimal("80000.00")


@pytest.mark.parametrize("numbering", list(mof.NUMBERING))
def test_numbering_styles(numbering: str, tmp_path: Path) -> None:
    disclosure, _ = import_document(mof.write_xlsx(tmp_path / "budget.xlsx", numbering=numbering))
    assert disclosure.template == "mof-9"
    assert [t.number for t in disclosure.tables] == [str(n) for n in range(1, 11)]


def test_final_accounts_are_read_not_refused(tmp_path: Path) -> None:
    """A title that says 决算 makes a final-accounts disclosure; budget tables are no 决算 template's, so they are
    read generically (issue 14: no longer "这是部门决算，不是部门预算")."""
    path = mof.write_xlsx(tmp_path / "final.xlsx", title=f"{mof.YEAR - 1}年{mof.UNIT}部门决算")
    disclosure, _ = import_document(path)
    assert disclosure.kind == "部门决算" and disclosure.template == "unknown"


@pytest.mark.parametrize(("titles", "template"), [
    (["部门收支总表", "部门收入总表", "部门支出总表", "财政拨款收支总表"], "mof-9"),
    (["2025年部门收支总体情况表", "2025年部门收入预算表", "2025年部门支出预算表", "一般公共预算“三公”经费支出表"],
     "mof-9"),
    (["单位收支总表", "单位收入总表", "单位支出总表", "一般公共预算基本支出情况表"], "mof-9"),
    (["收支预算总表", "收入预算表", "支出预算表", "基本支出预算表", "项目支出绩效目标表"], "shenzhen-15"),
])
def test_template_detection(titles: list[str], template: str) -> None:
    assert choose_template(titles, mof.UNIT).name == template
