"""Budget → Disclosure on the example: complete, footing, consistent, traceable."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from deptbudget.compute.disclosure import compute_disclosure
from deptbudget.model.budget import Budget
from deptbudget.model.disclosure import CellKind, Disclosure, RowKind, Table
from deptbudget.sources.yaml_source import load_budget
from deptbudget.template import load_template
from deptbudget.template.spec import Rounding

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "luohu-2020.yaml"


@pytest.fixture(scope="module")
def budget() -> Budget:
    return load_budget(EXAMPLE)


@pytest.fixture(scope="module")
def disclosure(budget: Budget) -> Disclosure:
    return compute_disclosure(budget)


def _table(d: Disclosure, table_id: str) -> Table:
    table = d.table(table_id)
    assert table is not None, table_id
    return table


def test_all_fifteen_tables_and_eight_parts(disclosure: Disclosure) -> None:
    assert [t.id for t in disclosure.tables if t.id != "T15"] == [f"T{i}" for i in range(1, 15)]
    assert len(disclosure.tables_by_id("T15")) == 19
    assert [p.number for p in disclosure.parts] == list(range(1, 9))
    assert len(disclosure.contents) == 15 and disclosure.contents[4] == "5. 项目支出预算表"
    t5 = _table(disclosure, "T5")
    assert len(t5.rows) == 1 + 19 and t5.rows[0].cells["total"].text == "16,425.30"


def _children_sum(table: Table, parent: str, column: str) -> Decimal:
    return sum((r.cells[column].value or Decimal(0) for r in table.rows if r.parent == parent), Decimal(0))


@pytest.fixture(scope="module")
def footed(budget: Budget) -> Disclosure:
    """The example built with the template's other rounding method: parts shifted by a cent to foot."""
    template = load_template(budget.template)
    return compute_disclosure(budget, replace(template, rounding=Rounding(method="largest_remainder")))


@pytest.mark.parametrize("table_id, columns", [("T7", ("total", "basic", "project")),
                                                ("T4", ("total", "fiscal", "general_budget", "general_funds"))])
def test_footing_by_largest_remainder_foots_at_every_level(footed: Disclosure, table_id: str,
                                                          columns: tuple[str, ...]) -> None:
    table = _table(footed, table_id)
    total = table.rows[0]
    for column in columns:
        top = sum((r.cells[column].value or Decimal(0) for r in table.rows if r.level == 1), Decimal(0))
        assert top == total.cells[column].value
        for row in table.rows[1:]:
            if any(r.parent == row.key for r in table.rows):
                assert _children_sum(table, row.key, column) == row.cells[column].value, (row.key, column)
    assert not table.notes
    for row in _table(footed, "T7").rows:
        assert row.cells["total"].value == row.cells["basic"].value + row.cells["project"].value, row.key


def test_every_figure_is_correctly_rounded_by_default(disclosure: Disclosure) -> None:
    for table, row, key, cell in disclosure.iter_cells():
        if cell.kind is CellKind.AMOUNT and cell.exact is not None and table.id != "T15":
            assert cell.value == cell.exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), (table.id, row.key, key)
            assert cell.rounding == 0
    t7 = _table(disclosure, "T7")
    assert t7.row("2080501").cells["total"].text == "43.80"  # type: ignore[union-attr]
    assert t7.row("2101101").cells["total"].text == "16.04"  # type: ignore[union-attr]
    assert t7.row("2060101").cells["total"].text == "511.71"  # type: ignore[union-attr]


def test_a_tail_note_under_exactly_the_tables_whose_parts_and_total_differ(disclosure: Disclosure) -> None:
    template = load_template(disclosure.template)
    noted = {t.id for t in disclosure.tables if t.notes}
    assert noted == {"T1", "T4", "T6", "T7"}
    assert all(t.notes == [template.rounding.tail_note] for t in disclosure.tables if t.notes)
    t7 = _table(disclosure, "T7")
    top = sum((r.cells["total"].value or Decimal(0) for r in t7.rows if r.level == 1), Decimal(0))
    assert top == Decimal("17144.12") and t7.rows[0].cells["total"].value == Decimal("17144.13")


def test_figures_agree_across_tables(disclosure: Disclosure) -> None:
    def amount(table_id: str, row: str, column: str) -> Decimal | None:
        found = _table(disclosure, table_id).row(row)
        assert found is not None, (table_id, row)
        return found.cells[column].value

    total = amount("T7", "total", "total")
    assert total == Decimal("17144.13")
    assert amount("T2", "unit", "total") == amount("T3", "unit", "total") == total
    assert amount("T1", "income=all;exp=total", "income_amount") == amount("T1", "income=all;exp=total",
                                                                           "exp_amount") == total
    assert amount("T14", "total", "value") == total
    assert amount("T3", "unit", "basic") == amount("T4", "total", "total") == amount("T7", "total", "basic")
    t13_total = sum((r.cells["total"].value for r in _table(disclosure, "T13").rows), Decimal(0))
    assert t13_total == amount("T3", "unit", "project") == amount("T5", "total", "total")
    for t15 in disclosure.tables_by_id("T15"):
        t13_row = _table(disclosure, "T13").row(t15.instance or "")
        assert t13_row is not None and t13_row.cells["total"].value == t15.row("total").cells["value"].value


def test_every_amount_is_traceable_to_the_source(budget: Budget, disclosure: Disclosure) -> None:
    paths = {line.ref.path for line in budget.lines} | {f"income.{s.value}" for s in budget.income}
    paths |= {p.ref.path for p in budget.projects} | {i.ref.path for i in budget.procurement}
    for table, row, key, cell in disclosure.iter_cells():
        if cell.kind is CellKind.AMOUNT and cell.value:
            assert cell.sources, (table.id, row.key, key)
            for source in cell.sources:
                root = re.sub(r"\.(amount|annual_amount)$", "", source)
                assert root in paths or root.startswith(("three_public", "last_year", "procurement")), source
    # A cell's exact value is the sum of the source lines it names.
    by_path = {line.ref.path: line.amount for line in budget.lines}
    cell = _table(disclosure, "T7").row("20805").cells["total"]  # type: ignore[union-attr]
    assert cell.exact == sum(by_path[s] for s in cell.sources) / 10000


def test_rounding_adjustments_are_recorded(footed: Disclosure) -> None:
    cell = _table(footed, "T7").row("2080501").cells["total"]  # type: ignore[union-attr]
    assert cell.text == "43.79" and cell.rounding == Decimal("-0.01")
    assert round(cell.exact, 2) == Decimal("43.80")


def test_narrative_figures_are_computed_not_typed(budget: Budget, disclosure: Disclosure) -> None:
    part2 = disclosure.part(2).text  # type: ignore[union-attr]
    assert "收入17,144.13万元，比2019年增加298.27万元，增长1.77%" in part2
    assert "人员支出619.37万元" in part2 and "项目支出16,425.30万元" in part2
    assert budget.last_year is not None
    changed = replace(budget, last_year=replace(budget.last_year, income_total=Decimal("180000000")))
    text = compute_disclosure(changed).part(2).text  # type: ignore[union-attr]
    assert "比2019年减少855.87万元，下降4.75%" in text
    part7 = disclosure.part(7).text  # type: ignore[union-attr]
    assert "55.67万元，比2019年增加2.67万元，增长5.04%" in part7


def test_narrative_groups_add_up_to_project_spending(disclosure: Disclosure) -> None:
    groups = [f for k, f in disclosure.figures.items() if k.startswith("group.")]
    assert len(groups) == 9
    assert sum(f.value for f in groups) == disclosure.figures["expenditure.project"].value
    part3 = disclosure.part(3).text  # type: ignore[union-attr]
    for figure in groups:
        assert f"{figure.key[6:]}{figure.text}万元" in part3


def test_t15_forms_carry_targets_and_skeleton(disclosure: Disclosure) -> None:
    first = disclosure.tables_by_id("T15")[0]
    assert first.row("pro_name").cells["value"].text == "产业转型升级资金"  # type: ignore[union-attr]
    level2 = [r.cells["level2"].text for r in first.rows if r.kind is RowKind.DATA]
    assert level2[0] == "测算明细" and "工作时效" in level2 and "服务对象满意度指标" in level2
    assert any(r.cells["target"].text == "约 350 家" for r in first.rows if "target" in r.cells)
