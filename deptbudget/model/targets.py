"""Parsing of indicator target values as written: "≥95%", "约 350 家", "100 场次", "有所提升"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

QUALITATIVE = "定性"

_DIRECTIONS = {
    "≥": "≥",
    ">=": "≥",
    "大于等于": "≥",
    "不少于": "≥",
    "不低于": "≥",
    "≤": "≤",
    "<=": "≤",
    "小于等于": "≤",
    "不高于": "≤",
    "不超过": "≤",
    ">": ">",
    "大于": ">",
    "<": "<",
    "小于": "<",
    "=": "=",
    "约": "约",
    "每人": "≥",
}
_DIRECTION_RE = "|".join(sorted((re.escape(k) for k in _DIRECTIONS), key=len, reverse=True))
_TARGET_RE = re.compile(
    rf"^\s*(?P<dir>{_DIRECTION_RE})?\s*(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>[^\d\s，,。；;]*?)\s*(?P<tail>左右)?\s*$"
)


@dataclass(frozen=True)
class Target:
    direction: str  # ≥ ≤ > < = 约 or 定性
    value: Decimal | None
    unit: str | None

    @property
    def is_quantitative(self) -> bool:
        return self.direction != QUALITATIVE


def parse_target(text: str) -> Target:
    """Parse a target as written. A plain number means "=" (至少 in practice is written ≥);
    anything that is not a number with an optional direction and unit is qualitative."""
    match = _TARGET_RE.match(text.replace("％", "%"))
    if not match:
        return Target(QUALITATIVE, None, None)
    direction = _DIRECTIONS[match["dir"]] if match["dir"] else ("约" if match["tail"] else "=")
    unit = match["unit"] or None
    return Target(direction, Decimal(match["num"]), unit)
