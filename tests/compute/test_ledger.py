"""The display ledger knows each line item by its source reference, not by the object."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from deptbudget.compute.ledger import Ledger, LedgerError
from deptbudget.compute.rounding import RoundingMethod
from deptbudget.model.budget import ExpenditureKind, FundSource, LineItem, SourceRef


def _line(path: str, amount: str) -> LineItem:
    return LineItem(ExpenditureKind.BASIC, "2060101", "30101", FundSource.GENERAL_FUNDS, Decimal(amount),
                    ref=SourceRef(path))


def test_equal_lines_at_different_places_are_two_lines() -> None:
    lines = [_line("basic[0]", "33333.33"), _line("basic[1]", "33333.33"), _line("basic[2]", "33333.34")]
    ledger = Ledger(lines, RoundingMethod.LARGEST_REMAINDER)
    assert ledger.sum(lines).display == Decimal("10.00")
    assert sorted(ledger.display(line) for line in lines) == [Decimal("3.33"), Decimal("3.33"), Decimal("3.34")]
    assert ledger.sum(lines[:1]).sources == ("basic[0]",)


def test_a_copy_of_a_line_is_found_by_its_reference() -> None:
    line = _line("basic[0]", "12345.00")
    ledger = Ledger([line])
    assert ledger.display(replace(line)) == ledger.display(line) == Decimal("1.23")


def test_two_lines_with_one_reference_are_refused() -> None:
    with pytest.raises(LedgerError, match=r"basic\[0\]"):
        Ledger([_line("basic[0]", "1.00"), _line("basic[0]", "2.00")])


def test_every_line_item_provenance_of_a_disclosure_names_its_source_line() -> None:
    from pathlib import Path

    from deptbudget.compute.disclosure import compute_disclosure
    from deptbudget.sources.yaml_source import load_budget

    small = Path(__file__).parents[1] / "fixtures" / "small.yaml"
    budget = load_budget(small)
    paths = {source for table in compute_disclosure(budget).tables for row in table.rows
             for cell in row.cells.values() for source in cell.sources}
    item_paths = {path for path in paths if path.startswith(("basic[", "projects["))}
    assert {line.ref.path for line in budget.lines} <= item_paths
    for path in item_paths:
        ref = budget.source_ref(path)
        assert ref is not None and ref.file == str(small) and ref.line is not None, path
        assert small.read_text(encoding="utf-8").splitlines()[ref.line - 1].strip() != ""
