"""``rows.three_public_rows``: the 三公 table's rows by year, with last year's figures printed beside
this year's or not."""

from __future__ import annotations

from decimal import Decimal

from deptbudget.catalog import load_catalog
from deptbudget.importers.cells import RowContext
from deptbudget.importers.report import TableReport
from deptbudget.importers.rows import three_public_rows
from deptbudget.importers.source import Location, SourceLine
from deptbudget.model.disclosure import Column

_KEYS = ["total", "overseas", "vehicles", "reception"]
COLUMNS = [Column(f"last_{k}", k) for k in _KEYS] + [Column(k, k) for k in _KEYS]


def _rows(*cells: str) -> dict[str, dict[str, Decimal | None]]:
    ctx = RowContext(COLUMNS, load_catalog(2020), "", TableReport("T7", "8", "“三公”经费支出表", Location()),
                     fiscal_year=2026)
    rows = three_public_rows([SourceLine(list(cells), Location(line=1))], ctx)
    return {row.key: {k: c.value for k, c in row.cells.items()} for row in rows}


def test_last_year_printed_beside_this_year() -> None:
    rows = _rows("12.00", "5.00", "6.00", "1.00", "10.00", "4.00", "5.00", "1.00")
    assert rows["2025"]["total"] == Decimal("12.00")
    assert rows["2026"]["total"] == Decimal("10.00") and rows["2026"]["vehicles"] == Decimal("5.00")


def test_no_row_for_last_year_when_its_columns_are_empty() -> None:
    rows = _rows("", "", "", "", "10.00", "4.00", "5.00", "1.00")
    assert list(rows) == ["2026"] and rows["2026"]["total"] == Decimal("10.00")


def test_this_year_printed_alone() -> None:
    rows = _rows("13.85", "", "13.55", "0.30")
    assert list(rows) == ["2026"]
    assert rows["2026"]["total"] == Decimal("13.85") and rows["2026"]["reception"] == Decimal("0.30")
