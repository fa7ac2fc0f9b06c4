"""转移性支出 (230) and 转移性收入 (110) are kept one to one in the official catalog: the 项 of 23001–23011 carry the
numbers of the 项 of 11001–11011 and their names with 收入 turned into 支出. The shipped data keeps them together
in every year, so an income 项 added, renamed or dated without its counterpart (or the reverse) fails here."""

from __future__ import annotations

import pytest

from deptbudget.catalog import available_years, load_catalog


def _as_expenditure(name: str) -> str:
    return name[:-2] + "支出" if name.endswith("收入") else name


@pytest.mark.parametrize("year", available_years())
def test_every_transfer_income_item_has_its_expenditure_counterpart(year: int) -> None:
    catalog = load_catalog(year, exact=True)
    income = {e.code[3:]: _as_expenditure(e.name) for e in catalog.entries("income")
              if e.code.startswith("1100") and e.level == 3}
    spending = {e.code[3:]: e.name for e in catalog.entries("exp_func") if e.code.startswith("2300") and e.level == 3}
    assert spending == income
    assert income or year < 2018  # the 项 are shipped from 2018 on (the first notices that name them)


def test_a_dated_transfer_item_is_dated_on_both_sides() -> None:
    for year in available_years():
        catalog = load_catalog(year, exact=True)
        income = {code[3:] for kind, code in catalog.anticipated_codes()
                  if kind == "income" and code.startswith("1100")}
        spending = {code[3:] for kind, code in catalog.anticipated_codes()
                    if kind == "exp_func" and code.startswith("2300")}
        assert income == spending, year
