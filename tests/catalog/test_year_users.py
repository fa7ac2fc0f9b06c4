"""The catalog's users take the catalog of the budget's own year: entry forms, the XLSX entry workbook,
the checker. Shown on a code renamed between two shipped years: the year before offers the old name."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from deptbudget.catalog import Change, available_years, changes_between
from deptbudget.rules.registry import Checker
from deptbudget.sources.xlsx_layout import CODES_SHEET
from deptbudget.sources.xlsx_write import write_entry_template
from deptbudget.web.forms import code_lists

# the drop-down list of each kind (the 款 of the 经济分类, any 功能分类 level)
LISTS = {"exp_func": "func_any", "dep_bgt_eco": "eco", "gov_bgt_eco": "gov_eco"}


@pytest.fixture(scope="module", params=sorted(LISTS))
def renamed(request: pytest.FixtureRequest) -> Change:
    """An entry of each kind a list offers, renamed in one of the shipped years (a 款 for the 经济分类)."""
    years = available_years()
    return next(c for c in changes_between(years[0], years[-1])
                if c.kind == request.param and c.action == "renamed" and (c.kind == "exp_func" or len(c.code) == 5))


def test_entry_forms_offer_the_codes_of_the_budgets_year(renamed: Change) -> None:
    listed = LISTS[renamed.kind]
    before, after = code_lists(renamed.year - 1)[listed], code_lists(renamed.year)[listed]
    assert f"{renamed.code} {renamed.old_name}" in before and f"{renamed.code} {renamed.name}" not in before
    assert f"{renamed.code} {renamed.name}" in after and f"{renamed.code} {renamed.old_name}" not in after


def test_entry_workbook_offers_the_codes_of_the_budgets_year(renamed: Change, tmp_path: Path) -> None:
    offered = {}
    for year in (renamed.year - 1, renamed.year):
        path = write_entry_template("某某局", year, tmp_path / f"{year}.xlsx")
        sheet = load_workbook(path)[CODES_SHEET]
        column = next(col for col in sheet.iter_cols(values_only=True) if col[0] == LISTS[renamed.kind])
        offered[year] = set(column[1:])
    assert f"{renamed.code} {renamed.old_name}" in offered[renamed.year - 1]
    assert f"{renamed.code} {renamed.name}" in offered[renamed.year]
    assert f"{renamed.code} {renamed.old_name}" not in offered[renamed.year]


def test_the_checker_judges_each_year_by_its_own_catalog() -> None:
    checker = Checker()
    for year in available_years():
        catalog = checker.catalog(year)
        assert catalog is not None and (catalog.fiscal_year, catalog.note) == (year, None)
    assert checker.catalog(available_years()[0] - 1) is None  # before the data: no catalog to judge by
