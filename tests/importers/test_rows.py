"""Rows per unit (``importers.rows.unit_rows``): the department's row is its total where it heads the
table, but its own unit (本级) where a 合计 above it sums it with other units."""

from __future__ import annotations

from deptbudget.catalog import load_catalog
from deptbudget.importers.cells import RowContext
from deptbudget.importers.report import TableReport
from deptbudget.importers.rows import unit_rows
from deptbudget.importers.source import Location, SourceLine
from deptbudget.model.disclosure import CellKind, Column, RowKind

COLUMNS = [Column("unit", "单位名称", CellKind.TEXT), Column("total", "合计", CellKind.AMOUNT),
           Column("general_budget", "一般公共预算拨款收入", CellKind.AMOUNT)]


def _rows(*lines: tuple[str, ...]) -> list[tuple[str, RowKind]]:
    ctx = RowContext(COLUMNS, load_catalog(2020), "某某局", TableReport("T2", "2", "收入预算总表", Location()))
    rows = unit_rows([SourceLine(list(cells), Location(line=n)) for n, cells in enumerate(lines)], ctx)
    return [(r.key, r.kind) for r in rows]


def test_the_department_under_a_total_of_its_units_is_one_of_them() -> None:
    assert _rows(("合计", "100.00", "100.00"), ("某某中心", "60.00", "60.00"), ("某某局", "40.00", "40.00")) == [
        ("total", RowKind.TOTAL), ("unit:某某中心", RowKind.DATA), ("unit:某某局", RowKind.DATA)]


def test_the_department_heading_its_units_is_its_total() -> None:
    assert _rows(("某某局", "100.00", "100.00"), ("某某局本级", "60.00", "60.00"), ("某某中心", "40.00", "40.00"))[0] \
        == ("unit", RowKind.TOTAL)
    assert _rows(("合计", "100.00", "100.00"), ("某某局", "100.00", "100.00"))[1] == ("unit", RowKind.TOTAL)
