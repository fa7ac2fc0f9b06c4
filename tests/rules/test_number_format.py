"""FMT-DECIMALS on a form table: its amount fields count for the decimals the table is printed with, so a
form printing 万元 to the yuan (北京's 部门整体支出绩效目标表: 30,775.648545) throughout is no misprint."""

from __future__ import annotations

from decimal import Decimal

from deptbudget.model.disclosure import Disclosure
from tests.rules.conftest import check, of


def test_a_form_printed_to_six_places_throughout_is_no_misprint(example: Disclosure) -> None:
    form = next(t for t in example.tables if t.id == "T14")
    amounts = [r.cells["value"] for r in form.rows if "value" in r.cells and r.cells["value"].value is not None]
    assert len(amounts) >= 4
    for cell in amounts:
        cell.text = f"{cell.value + Decimal('0.000001'):,.6f}"
        cell.value = Decimal(cell.text.replace(",", ""))
    assert not [f for f in of(check(example), "FMT-DECIMALS") if f.table == "表14"]
    amounts[0].text = f"{amounts[0].value:,.3f}"  # one printed otherwise still is
    assert [f.actual for f in of(check(example), "FMT-DECIMALS") if f.table == "表14"] == [amounts[0].text]


def test_a_row_whose_words_say_it_is_a_change_may_be_negative(example: Disclosure) -> None:
    """深圳's 三公 table read without a template: the 年度 column says 增减变化金额 on the row of changes."""
    from deptbudget.model.disclosure import Cell

    table = next(t for t in example.tables if t.id == "T1")
    row = next(r for r in table.rows if any(c.value for c in r.cells.values()))
    key, cell = next((k, c) for k, c in row.cells.items() if c.value)
    cell.value, cell.text = Decimal("-5.21"), "-5.21"
    assert [f.actual for f in of(check(example), "FMT-NEGATIVE")] == ["-5.21"]
    row.cells["year"] = Cell(text="增减变化金额")
    assert of(check(example), "FMT-NEGATIVE") == []


def test_a_table_typeset_in_the_narrative_prints_its_figures_as_the_text_does(example: Disclosure) -> None:
    """广州's 重点项目 table inside 七、重点项目预算绩效目标情况: 预算数 52,500 next to 4,778.21."""
    table = next(t for t in example.tables if t.id == "T1")
    cell = next(c for r in table.rows for c in r.cells.values() if c.value and c.value == int(c.value))
    cell.text = f"{cell.value:,.0f}"
    assert [f.actual for f in of(check(example), "FMT-DECIMALS") if f.table == "表1"] == [cell.text]
    table.in_text = True
    assert not [f for f in of(check(example), "FMT-DECIMALS") if f.table == "表1"]


def test_a_table_no_template_describes_titled_as_targets_is_a_form(example: Disclosure) -> None:
    """西安's 部门整体支出绩效目标表 read without a template (a locality we have no template of): 350 and
    3354.42 in one column are a form as filled in, not misprinted amounts."""
    table = next(t for t in example.tables if t.id == "T1")
    cells = [c for r in table.rows for c in r.cells.values() if c.value and c.value == int(c.value)]
    cell = cells[0]
    cell.text = f"{cell.value:,.0f}"
    table.id, table.title = "X15", "部门整体支出绩效目标表"
    assert not [f for f in of(check(example), "FMT-DECIMALS") if f.table == "表1"]
    table.title = "部门收支总表"  # any other table without a template: the figures are amounts, as printed
    assert [f.actual for f in of(check(example), "FMT-DECIMALS") if f.table == "表1"] == [cell.text]


def test_figures_of_neighbouring_columns_run_together_are_no_misprint(example: Disclosure) -> None:
    """国家信访局's 支出决算表 read with no template: five figures of one row glued into one cell
    (9,846.82180.032,228.57497.53980.85) are the reader's problem, not the document's; a figure with a
    misplaced separator or a stray character still is."""
    table = next(t for t in example.tables if t.id == "T1")
    cell = next(c for r in table.rows for c in r.cells.values() if c.value)
    cell.text, cell.value, cell.parse_error = "9,846.82180.032,228.57497.53980.85", None, "不是金额 (not an amount)"
    found = of(check(example), "FMT-PARSE") + of(check(example), "FMT-SEPARATOR")
    assert not [f for f in found if f.table == "表1"]
    cell.text = "9,846.8l"  # a stray letter
    assert [f.actual for f in of(check(example), "FMT-PARSE") if f.table == "表1"] == ["9,846.8l"]
    cell.text, cell.parse_error = "98,46.82", None
    assert [f.actual for f in of(check(example), "FMT-SEPARATOR") if f.table == "表1"] == ["98,46.82"]
