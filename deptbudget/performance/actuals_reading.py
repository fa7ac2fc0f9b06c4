"""What the actuals readers share: a collector of located problems that also reads amounts (元)
and texts, so that one file's every problem is reported at once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from deptbudget.model.money import MoneyError, parse_source_amount
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
            return parse_source_amount(value)
        except MoneyError as exc:
            self.add(place, str(exc), line)
            return None

    def text(self, value: Any, place: str, line: int | None) -> str:
        if value is None:
            return ""
        if isinstance(value, dict | list):
            self.add(place, "应为文字 (text expected)", line)
            return ""
        return str(value).strip()
