"""What the actuals readers share: a collector of located problems that also reads amounts (元)
and texts, so that one file's every problem is reported at once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from deptbudget.model.money import MoneyError, parse_amount
from deptbudget.sources.errors import Problem


class Collector:
    """The problems found in one file (``file``), and the readers of single values that add to them."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(self, place: str, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(self.file, place, message, line))

    def money(self, value: Any, place: str, line: int | None) -> Decimal | None:
        """An amount in 元 (≥ 0, at most two decimals), or ``None`` when blank or wrong."""
        if value is None or value == "":
            return None
        if isinstance(value, float):
            value = Decimal(repr(value))
        try:
            amount = parse_amount(value)
        except MoneyError as exc:
            self.add(place, str(exc), line)
            return None
        if amount < 0:
            self.add(place, f"金额不能为负 (negative amount): {value}", line)
            return None
        if amount != amount.quantize(Decimal("0.01")):
            self.add(place, f"金额最多两位小数 (at most 2 decimals, 分): {value}", line)
            return None
        return amount

    def text(self, value: Any, place: str, line: int | None) -> str:
        if value is None:
            return ""
        if isinstance(value, dict | list):
            self.add(place, "应为文字 (text expected)", line)
            return ""
        return str(value).strip()
