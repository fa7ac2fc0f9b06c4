"""Exact money: amounts are ``Decimal`` in 元 with two decimals (分); display is 万元.

Nothing here ever touches a float.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

YUAN_PER_WAN = Decimal(10000)
CENT = Decimal("0.01")
ZERO = Decimal(0)
# No budget line comes near 10^15 元 (a thousand 万亿); larger "amounts" are typing errors, and
# they would overflow Decimal's 28 digits once quantized to 分 or summed.
MAX_AMOUNT = Decimal(10) ** 15


class MoneyError(ValueError):
    """A value that is not an exact amount of money."""


def parse_amount(value: object) -> Decimal:
    """Parse an amount given as int, Decimal or string ("1,234.50") into a Decimal.

    Floats are refused: they cannot hold money exactly.
    """
    if isinstance(value, bool):
        raise MoneyError(f"不是金额 (not an amount): {value!r}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        text = value.strip().replace(",", "").replace("，", "")
        if not text:
            raise MoneyError("金额为空 (empty amount)")
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise MoneyError(f"不是金额 (not an amount): {value!r}") from None
    elif isinstance(value, float):
        raise MoneyError(f"金额不能是浮点数 (float not allowed for money): {value!r}")
    else:
        raise MoneyError(f"不是金额 (not an amount): {value!r}")
    if not result.is_finite():
        raise MoneyError(f"不是金额 (not an amount): {value!r}")
    if abs(result) >= MAX_AMOUNT:
        raise MoneyError(f"金额过大 (amount too large, ≥ 10^15 元): {value}")
    return result


def parse_source_amount(value: object) -> Decimal:
    """A budget source's amount in 元: :func:`parse_amount`, then not negative and exact to the 分
    (at most two decimals). Every reader of amounts typed by a person checks these the same way."""
    amount = parse_amount(value)
    if amount < 0:
        raise MoneyError(f"金额不能为负数 (negative amount): {value}")
    if amount != amount.quantize(CENT):
        raise MoneyError(f"金额最多两位小数（元，精确到分）(more than 2 decimals): {value}")
    return amount


def yuan_to_wan(amount: Decimal) -> Decimal:
    """Exact conversion 元 → 万元 (no rounding)."""
    return amount / YUAN_PER_WAN


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def wan(amount_yuan: Decimal) -> Decimal:
    """元 → 万元 rounded half-up to two decimals (naive, per-figure rounding)."""
    return round_half_up(yuan_to_wan(amount_yuan))


def format_amount(value: Decimal | None, places: int = 2, blank_zero: bool = False) -> str:
    """Format with thousands separators: Decimal('17144.13') → '17,144.13'."""
    if value is None:
        return ""
    if blank_zero and value == 0:
        return ""
    return f"{round_half_up(value, places):,.{places}f}"


def format_percent(value: Decimal, places: int = 2) -> str:
    return f"{round_half_up(value, places):.{places}f}%"


_HAN = re.compile(r"[\u3400-\u9fff]")
_UNIT_HAN = set("万千亿元")
_COMPARISON = re.compile(r"^\s*(?:[≤≥<>＜＞≦≧]|[<>]=)")  # a target such as ≥95%, not an amount


def meant_as_number(text: str) -> bool:
    """Whether printed text is meant as a figure, however badly printed (``1,7144.13``, ``12.3.4``,
    ``17,144.l3``, ``4OO.00``): it has a letter or digit and no Chinese word besides a unit
    (万 千 亿 元). Labels, header words, notes, 是/否, lone symbols and targets (``≥``, ``≤3``) are
    not — text like that in an amount column is a layout the reader did not follow, not a misprinted
    amount."""
    folded = unicodedata.normalize("NFKC", text)
    if _COMPARISON.match(folded) or any(ch not in _UNIT_HAN for ch in _HAN.findall(folded)):
        return False
    return any(ch.isascii() and ch.isalnum() for ch in folded)
