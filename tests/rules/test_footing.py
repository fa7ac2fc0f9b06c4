"""Footing of classification trees as some localities print them."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from deptbudget.model.disclosure import Cell, CellKind, Disclosure, Row
from tests.rules.conftest import check, of


def _split_allowances(example: Disclosure, second: Decimal) -> None:
    """The example's 表4 with 30102 津贴补贴 printed as its sub-items 3010201 and 3010202 only (西安 表8, p.39):
    300.00 under the first, ``second`` under the other."""
    table = example.table("T4")
    assert table is not None
    index = next(i for i, row in enumerate(table.rows) if row.key == "30102")
    allowances = table.rows[index]
    assert allowances.amount("total") == Decimal("394.36")

    def part(key: str, name: str, share: Decimal) -> Row:
        cells = {k: Cell(text=f"{share:.2f}", value=share, kind=CellKind.AMOUNT)
                 if c.kind is CellKind.AMOUNT and c.value == Decimal("394.36") else c
                 for k, c in allowances.cells.items()}
        cells["name"] = Cell(text=name)
        return replace(allowances, key=key, cells=cells)

    parts = [part("3010201", "津贴补贴", Decimal("300.00")), part("3010202", "改革性补贴", second)]
    table.rows[index:index + 1] = parts


def test_a_class_sums_the_sub_items_of_an_unprinted_item(example: Disclosure) -> None:
    _split_allowances(example, Decimal("94.36"))
    assert of(check(example), "SUM-ECO-LEVEL") == []


def test_sub_items_that_do_not_add_up_are_found(example: Disclosure) -> None:
    _split_allowances(example, Decimal("90.00"))
    assert {(f.table, f.row) for f in of(check(example), "SUM-ECO-LEVEL")} == {("表4", "301")}
