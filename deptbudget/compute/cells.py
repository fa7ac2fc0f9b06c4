"""Cells of computed tables: amounts with provenance, text and codes."""

from __future__ import annotations

from decimal import Decimal

from deptbudget.compute.ledger import Amount
from deptbudget.model.disclosure import Cell, CellKind
from deptbudget.model.money import format_amount


def amount_cell(amount: Amount, blank_zero: bool = True) -> Cell:
    """An amount cell: displayed 万元 value, exact value, rounding adjustment and sources.

    A zero is shown blank in data cells (as the published tables do); its value stays 0.
    """
    text = format_amount(amount.display, blank_zero=blank_zero)
    return Cell(text=text, value=amount.display, kind=CellKind.AMOUNT, exact=amount.exact,
                rounding=amount.rounding, sources=amount.sources)


def text_cell(text: str, *sources: str) -> Cell:
    return Cell(text=text, kind=CellKind.TEXT, sources=tuple(s for s in sources if s))


def code_cell(code: str) -> Cell:
    return Cell(text=code, kind=CellKind.CODE)


def plain_amount_cell(value: Decimal, *sources: str) -> Cell:
    """An amount that is not rounded from 元 (already in the display unit)."""
    return Cell(text=format_amount(value), value=value, kind=CellKind.AMOUNT, exact=value,
                sources=tuple(sources))
