"""The one check of a typed-in amount (元): parse, not negative, at most two decimals, below 10^15."""

from __future__ import annotations

from decimal import Decimal

import pytest

from deptbudget.model.money import MoneyError, parse_source_amount, yuan_to_wan


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1,234.50", Decimal("1234.50")),
        (0, Decimal(0)),
        (Decimal("0.01"), Decimal("0.01")),
        ("12.300", Decimal("12.3")),
    ],
)
def test_source_amount_accepts_exact_amounts(value: object, expected: Decimal) -> None:
    assert parse_source_amount(value) == expected


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("-5.00", "负数"),
        (Decimal("-0.01"), "负数"),
        ("12.345", "两位小数"),
        (Decimal("0.001"), "两位小数"),
        ("1000000000000000", "过大"),
        (1.5, "浮点数"),
        ("abc", "不是金额"),
        (True, "不是金额"),
    ],
)
def test_source_amount_refuses(value: object, words: str) -> None:
    with pytest.raises(MoneyError, match=words):
        parse_source_amount(value)


def test_yuan_to_wan_is_exact() -> None:
    assert yuan_to_wan(Decimal("171441300.49")) == Decimal("17144.130049")
