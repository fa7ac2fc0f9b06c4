"""Rounding 元 to 万元: correct (each figure on its own) by default; largest remainder (parts foot) on request."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deptbudget.compute.ledger import Ledger, round_parts
from deptbudget.compute.rounding import RoundingMethod, allocate, naive_steps
from deptbudget.model.budget import ExpenditureKind, FundSource, LineItem, SourceRef

cents = st.integers(min_value=0, max_value=10**12).map(lambda c: Decimal(c) / 100)


def test_naive_steps_rounds_half_up() -> None:
    assert naive_steps(Decimal("150")) == 2  # 0.015 万元 → 0.02
    assert naive_steps(Decimal("149.99")) == 1
    assert naive_steps(Decimal("0")) == 0


def test_allocate_gives_the_cent_to_the_largest_remainder() -> None:
    # 43.7960 + 37.9380 + 18.9690 万元 = 100.7030 → 100.70; naive parts would add to 100.71.
    parts = [("a", Decimal("437960")), ("b", Decimal("379380")), ("c", Decimal("189690"))]
    shares = allocate(naive_steps(sum(v for _, v in parts)), parts)
    assert shares == {"a": 4379, "b": 3794, "c": 1897}


@given(st.lists(cents, min_size=1, max_size=30))
def test_allocate_foots_and_stays_within_one_step(amounts: list[Decimal]) -> None:
    parts = list(enumerate(amounts))
    total = naive_steps(sum(amounts, Decimal(0)))
    shares = allocate(total, parts)
    assert sum(shares.values()) == total
    for key, amount in parts:
        assert abs(Decimal(shares[key]) - amount / 100) < 1


def _line(func: str, amount: str, index: int) -> LineItem:
    return LineItem(ExpenditureKind.BASIC, func, "30101", FundSource.GENERAL_FUNDS, Decimal(amount),
                    ref=SourceRef(f"basic[{index}]"))


@given(st.lists(st.tuples(st.sampled_from(["2060101", "2060102", "2080501", "2101101"]), cents),
                min_size=1, max_size=25))
def test_ledger_foots_at_every_level(items: list[tuple[str, Decimal]]) -> None:
    lines = [_line(func, str(amount), i) for i, (func, amount) in enumerate(items)]
    ledger = Ledger(lines, RoundingMethod.LARGEST_REMAINDER)
    total = ledger.sum(lines)
    assert total.display == total.naive  # the grand total is never adjusted
    for cut in (3, 5, 7):
        groups: dict[str, list[LineItem]] = {}
        for line in lines:
            groups.setdefault(line.exp_func_code[:cut], []).append(line)
        assert sum(ledger.sum(g).display for g in groups.values()) == total.display
        for group in groups.values():
            amount = ledger.sum(group)
            assert abs(amount.display - amount.exact) < Decimal("0.01")
    assert sorted(total.sources) == sorted(f"basic[{i}]" for i in range(len(lines)))


@given(st.lists(st.tuples(st.sampled_from(["2060101", "2060102", "2080501", "2101101"]), cents),
                min_size=1, max_size=25))
def test_correct_rounding_rounds_every_sum_on_its_own(items: list[tuple[str, Decimal]]) -> None:
    lines = [_line(func, str(amount), i) for i, (func, amount) in enumerate(items)]
    ledger = Ledger(lines)
    for cut in (3, 5, 7):
        groups: dict[str, list[LineItem]] = {}
        for line in lines:
            groups.setdefault(line.exp_func_code[:cut], []).append(line)
        for group in groups.values():
            amount = ledger.sum(group)
            assert amount.display == amount.naive and amount.rounding == 0
            assert isinstance(amount.display, Decimal)
    for line in lines:
        assert ledger.display(line) == Decimal(naive_steps(line.amount)) / 100


def test_correct_rounding_leaves_the_tail_difference() -> None:
    # 0.01 + 49.99 元 = 50 元 → 0.01 万元; each part alone rounds to 0.00 万元.
    lines = [_line("2060101", "49.99", 0), _line("2060102", "0.01", 1)]
    ledger = Ledger(lines)
    assert ledger.sum(lines).display == Decimal("0.01")
    assert ledger.sum(lines[:1]).display + ledger.sum(lines[1:]).display == Decimal("0.00")


def test_correct_round_parts_rounds_each_figure() -> None:
    out = round_parts(("total", Decimal("100")), [("a", Decimal("50")), ("b", Decimal("50"))])
    assert (out["total"].display, out["a"].display, out["b"].display) == (Decimal("0.01"), Decimal("0.01"),
                                                                          Decimal("0.01"))


def test_round_parts_foots() -> None:
    out = round_parts(("total", Decimal("126500")), [("reception", Decimal("95000")), ("vehicles", Decimal("31500"))],
                      "three_public", RoundingMethod.LARGEST_REMAINDER)
    assert out["total"].display == Decimal("12.65")
    assert out["reception"].display + out["vehicles"].display == out["total"].display
    assert out["reception"].sources == ("three_public.reception",)


def test_the_template_names_the_rounding_method() -> None:
    from deptbudget.template import TemplateError, load_template
    from deptbudget.template.parse import display_rounding

    assert load_template("shenzhen-15").rounding.method == "correct"
    assert display_rounding("t", None).method == "correct"
    assert display_rounding("t", {"method": "largest_remainder"}).method == "largest_remainder"
    with pytest.raises(TemplateError, match="rounding.method"):
        display_rounding("t", {"method": "banker"})
