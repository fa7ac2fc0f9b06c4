"""Final accounts in the model: the kind of a disclosure, the phase of an amount column, 执行率 computed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from deptbudget.model.disclosure import Cell, CellKind, Disclosure, Row
from deptbudget.model.final_accounts import (
    DocumentKind,
    Phase,
    PhaseAmounts,
    is_final_accounts,
    phase_amounts,
    phase_key,
    split_phase,
)


@pytest.mark.parametrize("phase", list(Phase))
def test_a_column_key_says_its_phase_and_measure(phase: Phase) -> None:
    key = phase_key("reception", phase)
    assert split_phase(key) == (phase, "reception")


def test_actual_figures_keep_the_budget_keys() -> None:
    """决算数 columns are keyed as a budget's, so the budget rules read them unchanged."""
    assert phase_key("total", Phase.ACTUAL) == "total"
    assert (phase_key("total", Phase.INITIAL), phase_key("total", Phase.ADJUSTED)) == ("initial_total",
                                                                                     "adjusted_total")


def _amount(text: str) -> Cell:
    return Cell(text, Decimal(text.replace(",", "")), CellKind.AMOUNT)


def test_phase_amounts_of_a_row_and_the_execution_rate() -> None:
    row = Row("2024", {"adjusted_total": _amount("76.43"), "total": _amount("46.21"), "initial_total": Cell("")})
    found = phase_amounts(row, "total")
    assert (found.initial, found.adjusted, found.actual) == (None, Decimal("76.43"), Decimal("46.21"))
    assert found.difference == Decimal("-30.22")
    assert found.execution_rate == Decimal("60.46")  # as the 国家信访局 text says: 完成预算的 60.46%


def test_the_initial_budget_counts_where_no_adjusted_one_is_printed() -> None:
    amounts = PhaseAmounts(initial=Decimal("15068.55"), actual=Decimal("13733.80"))
    assert amounts.budget == Decimal("15068.55") and amounts.execution_rate == Decimal("91.14")


@pytest.mark.parametrize("amounts", [PhaseAmounts(actual=Decimal(1)), PhaseAmounts(adjusted=Decimal(0),
                                                                                   actual=Decimal(1)),
                                     PhaseAmounts(adjusted=Decimal(1))])
def test_no_rate_without_both_figures_or_with_a_zero_budget(amounts: PhaseAmounts) -> None:
    assert amounts.execution_rate is None


def test_the_kind_of_a_disclosure() -> None:
    budget = Disclosure("mof-9", 2024, "某局", "2024年某局部门预算")
    assert budget.kind == DocumentKind.BUDGET and not is_final_accounts(budget)
    final = Disclosure("mof-final-9", 2024, "某局", "某局2024年度部门决算", kind=DocumentKind.FINAL_ACCOUNTS.value)
    assert is_final_accounts(final)
