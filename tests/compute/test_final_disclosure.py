"""The worked 决算 example computed: its tables foot, its phases and rates are computed from the sources."""

from __future__ import annotations

from copy import deepcopy
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from deptbudget.compute.final_disclosure import compute_final_disclosure
from deptbudget.model.disclosure import Disclosure
from deptbudget.model.final_accounts import is_final_accounts
from deptbudget.model.final_actuals import FinalAccounts, FinalFund
from deptbudget.model.money import wan
from deptbudget.rules.registry import run_rules
from deptbudget.sources.final_source import load_final

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "luohu-2020-final.yaml"


@pytest.fixture(scope="module")
def accounts() -> FinalAccounts:
    return load_final(EXAMPLE)


@pytest.fixture(scope="module")
def disclosure(accounts: FinalAccounts) -> Disclosure:
    return compute_final_disclosure(accounts)


def test_the_nine_tables_foot_and_the_text_agrees(disclosure: Disclosure) -> None:
    assert is_final_accounts(disclosure) and len(disclosure.tables) == 9
    assert run_rules(disclosure) == []


def test_a_table_that_stops_footing_is_found(disclosure: Disclosure) -> None:
    broken = deepcopy(disclosure)
    cell = broken.table("T3").row("2060499").cells["total"]  # type: ignore[union-attr]
    cell.value = (cell.value or Decimal(0)) + 1
    found = {f.rule for f in run_rules(broken)}
    assert "SUM-FUNC-LEVEL" in found or "SUM-ROW-COLUMNS" in found


def test_spending_tables_are_the_actuals(disclosure: Disclosure, accounts: FinalAccounts) -> None:
    spent = sum((x.actual for x in accounts.lines), Decimal(0))
    assert disclosure.table("T3").row("total").cells["total"].value == wan(spent)  # type: ignore[union-attr]
    for code in {x.func for x in accounts.lines}:
        own = sum((x.actual for x in accounts.lines if x.func == code), Decimal(0))
        assert disclosure.table("T5").row(code).cells["total"].value == wan(own)  # type: ignore[union-attr]


def test_income_by_function_adds_the_balance_change(disclosure: Disclosure, accounts: FinalAccounts) -> None:
    (balance,) = accounts.balances
    row = disclosure.table("T2").row(balance.func)
    spent = sum((x.actual for x in accounts.lines if x.func == balance.func), Decimal(0))
    assert row is not None and row.cells["fiscal"].value == wan(spent + balance.end - balance.start)
    footers = {r.key: r for r in disclosure.table("T1").rows}
    assert footers["income=carryover;exp=year_end_balance"].cells["income_amount"].value == wan(balance.start)
    assert footers["income=carryover;exp=year_end_balance"].cells["exp_amount"].value == wan(balance.end)


def test_three_public_prints_the_budget_and_the_actual(disclosure: Disclosure, accounts: FinalAccounts) -> None:
    (row,) = disclosure.table("T7").rows
    tp = accounts.three_public
    assert row.cells["adjusted_reception"].value == wan(tp.adjusted.reception) == wan(accounts.budget.three_public
                                                                                      .reception)
    assert row.cells["reception"].value == wan(tp.actual.reception)


def test_the_narrative_states_rates_and_reasons(disclosure: Disclosure, accounts: FinalAccounts) -> None:
    text = "\n".join(p for part in disclosure.parts for s in part.sections for p in s.paragraphs)
    assert "虚构示例" in text
    for code, reason in accounts.reasons.items():
        assert reason in text, code
    industry = [x for x in accounts.lines if x.func == "2060499" and x.fund is FinalFund.GENERAL_BUDGET]
    adjusted = sum((x.adjusted for x in industry), Decimal(0))
    actual = sum((x.actual for x in industry), Decimal(0))
    rate = (wan(actual) / wan(adjusted) * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert f"全年预算为{wan(adjusted):,.2f}万元，支出决算为{wan(actual):,.2f}万元，完成全年预算的{rate}%" in text
