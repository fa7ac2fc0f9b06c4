"""Budget vs final accounts of the worked example: the comparison foots and every figure traces to the sources."""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from deptbudget.compute.comparison import Comparison, ComparisonError, compare
from deptbudget.compute.disclosure import compute_disclosure
from deptbudget.compute.final_disclosure import compute_final_disclosure
from deptbudget.model.budget import Budget
from deptbudget.model.disclosure import Disclosure
from deptbudget.model.final_actuals import FinalAccounts
from deptbudget.model.money import wan
from deptbudget.sources.final_source import load_final
from deptbudget.sources.yaml_source import load_budget

ROOT = Path(__file__).resolve().parents[2]
PHASES = ("initial", "adjusted", "actual")


@pytest.fixture(scope="module")
def sides() -> tuple[Budget, Disclosure, FinalAccounts, Disclosure]:
    budget = load_budget(ROOT / "examples" / "luohu-2020.yaml")
    accounts = load_final(ROOT / "examples" / "luohu-2020-final.yaml")
    return budget, compute_disclosure(budget), accounts, compute_final_disclosure(accounts)


@pytest.fixture(scope="module")
def comparison(sides: tuple[Budget, Disclosure, FinalAccounts, Disclosure]) -> Comparison:
    _, budget, accounts, final = sides
    return compare(budget, final, accounts)


def _value(row: object, phase: str) -> Decimal:
    figure = getattr(row, phase)
    return Decimal(0) if figure is None else figure.value


def test_the_function_table_foots(comparison: Comparison) -> None:
    *items, total = comparison.functions
    assert total.is_total and {row.key for row in items} == {x.func for x in load_final(
        ROOT / "examples" / "luohu-2020-final.yaml").lines}
    for phase in PHASES:
        assert _value(total, phase) == sum((_value(row, phase) for row in items), Decimal(0)), phase
    assert total.difference == sum((row.difference or Decimal(0) for row in items), Decimal(0))


def test_the_three_public_table_foots(comparison: Comparison) -> None:
    rows = {row.key: row for row in comparison.three_public}
    for phase in PHASES:
        assert _value(rows["total"], phase) == sum((_value(rows[k], phase) for k in ("overseas", "vehicles",
                                                                                      "reception")), Decimal(0))
        assert _value(rows["vehicles"], phase) == _value(rows["vehicle_purchase"], phase) + _value(
            rows["vehicle_operation"], phase)


def test_every_function_figure_traces_to_the_sources(sides: tuple[Budget, Disclosure, FinalAccounts, Disclosure],
                                                     comparison: Comparison) -> None:
    budget, _, accounts, _ = sides
    for row in comparison.functions[:-1]:
        planned = [x for x in budget.lines if x.exp_func_code == row.key]
        done = [x for x in accounts.lines if x.func == row.key]
        assert row.initial is not None and row.adjusted is not None and row.actual is not None
        assert row.initial.value == wan(sum((x.amount for x in planned), Decimal(0)))
        assert set(row.initial.sources) == {x.ref.path for x in planned}
        assert row.adjusted.value == wan(sum((x.adjusted for x in done), Decimal(0)))
        assert row.actual.value == wan(sum((x.actual for x in done), Decimal(0)))
        assert set(row.actual.sources) == {x.ref.path for x in done}
        assert row.reason == accounts.reasons.get(row.key, "")
        rate = None
        if row.adjusted.value:
            rate = (row.actual.value / row.adjusted.value * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert row.execution_rate == rate and row.difference == row.actual.value - row.adjusted.value


def test_three_public_traces_to_the_sources(sides: tuple[Budget, Disclosure, FinalAccounts, Disclosure],
                                            comparison: Comparison) -> None:
    budget, _, accounts, _ = sides
    for row in comparison.three_public:
        assert _value(row, "initial") == wan(getattr(budget.three_public, row.key))
        assert _value(row, "adjusted") == wan(getattr(accounts.three_public.adjusted, row.key))
        assert _value(row, "actual") == wan(getattr(accounts.three_public.actual, row.key))


def test_documents_alone_give_the_stated_reasons(sides: tuple[Budget, Disclosure, FinalAccounts, Disclosure],
                                                 comparison: Comparison) -> None:
    """Without the 决算 source, 全年预算数 per 项 is unknown and the reasons are read from the narrative."""
    _, budget, accounts, final = sides
    from_documents = compare(budget, final)
    for with_source, alone in zip(comparison.functions[:-1], from_documents.functions[:-1], strict=True):
        assert alone.adjusted is None and alone.actual == with_source.actual and alone.initial == with_source.initial
        assert alone.reason == with_source.reason
    assert any(row.reason for row in from_documents.functions)


def test_a_document_without_spending_by_function_is_refused(
        sides: tuple[Budget, Disclosure, FinalAccounts, Disclosure]) -> None:
    _, budget, _, final = sides
    bare = Disclosure(template=final.template, fiscal_year=2020, unit_name="x", title="空决算", kind=final.kind)
    with pytest.raises(ComparisonError):
        compare(budget, bare)


def test_a_budget_other_than_the_one_closed_is_noted(sides: tuple[Budget, Disclosure, FinalAccounts, Disclosure]
                                                     ) -> None:
    budget, _, accounts, final = sides
    other = compute_disclosure(replace(budget, lines=tuple(
        replace(x, amount=x.amount + 10000) if x.exp_func_code == "2060101" else x for x in budget.lines)))
    assert not any("所关闭的预算" in n for n in compare(compute_disclosure(budget), final, accounts).notes)
    notes = compare(other, final, accounts).notes
    assert any("所关闭的预算" in n and "2060101" in n and "2060499" not in n for n in notes)
