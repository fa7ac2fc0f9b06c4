"""Table numbers as published: ``表.1``, ``表. 2``, ``表 1``, ``表1``, ``1.``, ``一、``, ``表一``,
``公开01表``, ``公开表一``, ``附表1``, ``预算01表``, ``预算表12`` — alone on a line or before the title."""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
           "九": 9}


def chinese_number(text: str) -> int | None:
    """``十五`` → 15, ``二十一`` → 21, ``7`` → 7; None when it is not a number."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return int("".join(str(_DIGITS[ch]) for ch in text)) if len(text) > 1 else _DIGITS[text]
    tens, _, ones = text.partition("十")
    value = (_DIGITS[tens] if tens else 1) * 10
    return value + (_DIGITS[ones] if ones else 0)


_NUM = r"\d{1,2}|[一二三四五六七八九十]{1,3}"
_PATTERNS = [
    re.compile(rf"^附?表\s*[.．、\-]?\s*(?P<n>{_NUM})(?:\s*[-－]\s*\d+)?\s*[.．、:：]?\s*"),
    re.compile(rf"^(?:(?:部门|单位)?(?:预算|决算)?)公开\s*(?:表\s*)?(?P<n>{_NUM})\s*表?\s*[.．、:：]?\s*"),
    re.compile(r"^预算\s*(?:表\s*(?P<n>\d{1,2})(?![\d.．])|(?P<m>\d{1,2})\s*表)\s*"),
    re.compile(r"^(?P<n>\d{1,2})\s*[.．、]\s*(?:(?!\d)|(?=20\d\d\s*年))"),  # not 4.20, but 4．2026年…
    re.compile(r"^(?P<n>[一二三四五六七八九十]{1,3})\s*、\s*"),
    re.compile(rf"^[（(](?P<n>{_NUM})[)）]\s*"),
]


@dataclass(frozen=True)
class Numbered:
    number: str  # as an Arabic numeral: "1", "15"
    rest: str  # what follows the number (the title, or "" when the number is alone)
    marker: str  # the number as printed: "表.1", "公开表一"


def split_number(text: str) -> Numbered | None:
    """The table number at the start of ``text`` and what follows it."""
    stripped = text.strip()
    for pattern in _PATTERNS:
        match = pattern.match(stripped)
        if match:
            value = chinese_number(match.group("n") or match.group("m"))
            if value is None:
                continue
            return Numbered(str(value), stripped[match.end():].strip(), stripped[: match.end()].strip())
    return None
