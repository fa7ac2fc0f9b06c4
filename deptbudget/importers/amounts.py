"""Printed amounts → exact ``Decimal``, keeping what is wrong with them.

A blank amount is 0 (the published tables print zeros blank). A dash (``-``, ``—``) is 0 too. A plus
sign before a change (``+406.39``) is part of how it is printed: the value is the figure.
A figure that is malformed but readable — a misplaced thousands separator (``1,7144.13``),
full-width digits, spaces inside, a unit written in the cell — gets its best-effort value *and*
a ``parse_error`` saying what is wrong, so the rules can report it. Text that is no number at
all has no value and a ``parse_error``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from deptbudget.model.disclosure import Cell, CellKind

ZERO = Decimal(0)
_DASHES = {"-", "—", "–", "－", "/", "——", "---"}
_WELL_FORMED = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_DIGITS_AND_SEPARATORS = re.compile(r"^-?[\d,]+(?:\.\d+)?$")
_UNIT_SUFFIX = re.compile(r"(万元|元|千元|亿元)$")
_NUMBER_LIKE = re.compile(r"^[-−－(（+＋]?\s*[\d０-９][\d０-９,，.．\s]*[)）]?\s*(?:万元|元)?$")


@dataclass(frozen=True)
class ParsedAmount:
    value: Decimal | None
    error: str | None = None


def looks_like_amount(text: str) -> bool:
    """Whether printed text is meant as a number (well-formed or not)."""
    text = text.strip()
    return bool(text) and bool(_NUMBER_LIKE.match(text))


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def parse_printed_amount(printed: str) -> ParsedAmount:
    """The value of a printed amount, with the reason it is malformed when it is."""
    text = printed.strip()
    if not text or text in _DASHES:
        return ParsedAmount(ZERO)
    problems: list[str] = []
    folded = unicodedata.normalize("NFKC", text)
    if folded != text:
        problems.append("含全角字符 (full-width characters)")
    folded = folded.replace("−", "-")
    if folded.startswith("+") and folded[1:2].isdigit():
        folded = folded[1:]  # an increase printed with its sign (变化 +406.39): the figure itself
    negative = folded.startswith("(") and folded.endswith(")")
    if negative:
        folded = "-" + folded[1:-1].strip()
        problems.append("括号表示负数 (negative in parentheses)")
    unit = _UNIT_SUFFIX.search(folded)
    if unit:
        folded = folded[: unit.start()].strip()
        problems.append(f"金额中带单位“{unit.group(1)}” (unit written in the cell)")
    if re.search(r"[\d,.]\s+[\d,.]", folded):
        folded = re.sub(r"\s+", "", folded)
        problems.append("数字中有空格 (space inside the number)")
    if _WELL_FORMED.match(folded):
        value = _decimal(folded.replace(",", ""))
    elif _DIGITS_AND_SEPARATORS.match(folded):
        value = _decimal(folded.replace(",", ""))
        problems.append(f"千分位分隔符位置错误 (misplaced thousands separator): {text!r}")
    else:
        return ParsedAmount(None, f"不是金额 (not an amount): {text!r}")
    if value is None:
        return ParsedAmount(None, f"不是金额 (not an amount): {text!r}")
    return ParsedAmount(value, "；".join(problems) or None)


def amount_cell(printed: str) -> Cell:
    """An amount cell as printed: the text kept exactly, the value parsed."""
    parsed = parse_printed_amount(printed)
    return Cell(text=printed.strip(), value=parsed.value, kind=CellKind.AMOUNT, parse_error=parsed.error)
