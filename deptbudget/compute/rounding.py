"""Rounding 元 to 万元, as the template says (``rounding.method``).

``correct`` (the default, official practice): every figure is its exact value rounded half-up to
0.01 万元 on its own; where a table's printed parts then differ from its printed total, the table
carries a 尾差 note (``deptbudget.compute.tail_notes``).

``largest_remainder``: a total is rounded half-up; its parts are given the floor or the ceiling of
their exact value (largest remainder first) so that they add up to the rounded total. This is
applied down a hierarchy (total → 类 → 款 → 项 → line items), so every displayed figure is
within 0.01 万元 of its exact value and every displayed table foots.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import StrEnum

# One display step is 0.01 万元 = 100 元.
STEP_YUAN = Decimal(100)


class RoundingMethod(StrEnum):
    CORRECT = "correct"  # each figure correctly rounded on its own; 尾差 noted under the table
    LARGEST_REMAINDER = "largest_remainder"  # parts adjusted by a cent so that every table foots


def naive_steps(amount_yuan: Decimal) -> int:
    """Half-up rounding of a 元 amount to whole 0.01 万元 steps."""
    return int((amount_yuan / STEP_YUAN).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def allocate(total_steps: int, parts: Sequence[tuple[Hashable, Decimal]]) -> dict[Hashable, int]:
    """Split ``total_steps`` among parts (key, exact 元) by largest remainder.

    Each part gets floor(exact) or floor(exact) + 1 steps; ties go to the earlier part.
    ``total_steps`` must lie between Σ floor and Σ floor + len(parts) (true when it is the floor
    or the ceiling of Σ exact).
    """
    floors: dict[Hashable, int] = {}
    remainders: list[tuple[Decimal, int, Hashable]] = []
    for index, (key, exact) in enumerate(parts):
        steps = exact / STEP_YUAN
        floor = int(steps.to_integral_value(rounding=ROUND_FLOOR))
        floors[key] = floor
        remainders.append((steps - floor, -index, key))
    missing = total_steps - sum(floors.values())
    if not 0 <= missing <= len(parts):
        raise ValueError(f"cannot allocate {total_steps} steps over parts with floors {sum(floors.values())}")
    remainders.sort(reverse=True)
    for _, _, key in remainders[:missing]:
        floors[key] += 1
    return floors


def steps_to_wan(steps: int) -> Decimal:
    return (Decimal(steps) / 100).quantize(Decimal("0.01"))
