"""Values as typed into an entry workbook cell or a web form field → budget source values.

Shared by the XLSX entry workbook reader and the web forms, so that both fill a budget source
document the same way. A value that cannot be read is kept as text, for ``build_budget`` to
report with its place.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from deptbudget.sources.schema import FUND_BY_LABEL


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _code(value: Any) -> str | None:
    text = cell_text(value)
    return text.split(" ", 1)[0].strip() or None if text else None


def _cents(amount: Decimal) -> Decimal:
    """Amounts with at most two decimals are written with exactly two (元.角分); others are kept
    as they are, for the loader to report."""
    cents = amount.quantize(Decimal("0.01")) if amount.adjusted() < 20 else amount
    return cents if cents == amount else amount


def read_value(kind: str, value: Any) -> Any:
    """A cell → the document value. Values that cannot be read are kept as text, so the loader
    reports them with the cell's place."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if kind in ("func", "func_any", "eco", "gov_eco"):
        return _code(value)
    if kind == "fund":
        text = cell_text(value)
        source = FUND_BY_LABEL.get(text)
        return source.value if source else text
    if kind == "amount":
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, float):
            return _cents(Decimal(repr(value)))
        if isinstance(value, (int, Decimal)):
            return _cents(Decimal(value))
        text = cell_text(value)
        try:
            amount = Decimal(text.replace(",", "").replace("，", ""))
        except ArithmeticError:
            return text
        return _cents(amount) if amount.is_finite() else text
    if kind == "int":
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, int):
            return value
        text = cell_text(value)
        return int(text) if text.isdigit() else text
    if kind == "bool":
        text = cell_text(value).lower()
        if text in ("是", "true", "1", "y", "yes", "√"):
            return True
        if text in ("否", "false", "0", "n", "no", ""):
            return False
        return text
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = cell_text(value)
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    if kind == "lines":
        return [line.strip() for line in cell_text(value).splitlines() if line.strip()]
    return cell_text(value)
