"""The display ledger: every line item's amount in 万元 as displayed, and sums with provenance.

By the template's rounding method (``deptbudget.compute.rounding``):

- ``correct``: every figure — a line item or any sum of them — is its exact 元 amount rounded
  half-up on its own; printed parts may then differ from their printed total by a few cents (尾差).
- ``largest_remainder``: line items are rounded once, down the functional classification tree
  (total → 类 → 款 → 项 → items) by largest remainder; every figure in every table is then a sum of
  displayed line items, so all tables foot and agree with each other by construction.

Each line item is known by its source reference (``LineItem.ref.path``, e.g. ``basic[3]`` or
``projects[2].lines[0]``), unique within a budget: a displayed amount's provenance is the list of
these paths, and each resolves to the file, line and field it was read from.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from deptbudget.compute.rounding import RoundingMethod, allocate, naive_steps, steps_to_wan
from deptbudget.model.budget import LineItem
from deptbudget.model.money import wan, yuan_to_wan


@dataclass(frozen=True)
class Amount:
    """A displayed amount in 万元 with its exact value and the source lines it sums."""

    display: Decimal
    exact: Decimal
    sources: tuple[str, ...] = ()

    @property
    def naive(self) -> Decimal:
        return wan(self.exact * 10000)

    @property
    def rounding(self) -> Decimal:
        return self.display - self.naive


ZERO_AMOUNT = Amount(Decimal("0.00"), Decimal(0))


def _allocate_tree(total_steps: int, groups: Sequence[tuple[str, list[LineItem]]], depth: int,
                   out: dict[str, int]) -> None:
    """Allocate steps to groups of lines, then recurse into finer functional levels."""
    exact = [(key, sum((line.amount for line in lines), Decimal(0))) for key, lines in groups]
    shares = allocate(total_steps, exact)
    for key, lines in groups:
        steps = shares[key]
        if depth >= len(_LEVELS):
            items = [(index, line.amount) for index, line in enumerate(lines)]
            for index, item_steps in allocate(steps, items).items():
                out[lines[index].ref.path] = item_steps
            continue
        _allocate_tree(steps, _group(lines, _LEVELS[depth]), depth + 1, out)


_LEVELS: tuple[Callable[[LineItem], str], ...] = (
    lambda line: line.exp_func_code[:3],
    lambda line: line.exp_func_code[:5],
    lambda line: line.exp_func_code,
)


def _group(lines: Iterable[LineItem], key: Callable[[LineItem], str]) -> list[tuple[str, list[LineItem]]]:
    groups: dict[str, list[LineItem]] = defaultdict(list)
    for line in lines:
        groups[key(line)].append(line)
    return sorted(groups.items())


class LedgerError(ValueError):
    """Line items that cannot be told apart: two share a source reference."""


def _unique_refs(lines: Sequence[LineItem]) -> None:
    seen: set[str] = set()
    for line in lines:
        if line.ref.path in seen:
            raise LedgerError(f"两个明细的来源位置相同 (two line items share the source reference) {line.ref.path}")
        seen.add(line.ref.path)


class Ledger:
    """The displayed amount of each line item, keyed by its source reference."""

    def __init__(self, lines: Sequence[LineItem], method: RoundingMethod = RoundingMethod.CORRECT) -> None:
        self.lines = list(lines)
        self.method = method
        _unique_refs(self.lines)
        total = sum((line.amount for line in self.lines), Decimal(0))
        self._steps: dict[str, int] = {}
        if method is RoundingMethod.CORRECT:
            self._steps = {line.ref.path: naive_steps(line.amount) for line in self.lines}
        elif self.lines:
            _allocate_tree(naive_steps(total), _group(self.lines, _LEVELS[0]), 1, self._steps)

    def display(self, line: LineItem) -> Decimal:
        return steps_to_wan(self._steps[line.ref.path])

    def sum(self, lines: Iterable[LineItem]) -> Amount:
        steps = 0
        exact = Decimal(0)
        sources: list[str] = []
        for line in lines:
            steps += self._steps[line.ref.path]
            exact += line.amount
            sources.append(line.ref.path)
        if self.method is RoundingMethod.CORRECT:
            steps = naive_steps(exact)
        return Amount(steps_to_wan(steps), yuan_to_wan(exact), tuple(sources))


def round_parts(total: tuple[str, Decimal], parts: Sequence[tuple[str, Decimal]], source: str = "",
                method: RoundingMethod = RoundingMethod.CORRECT) -> dict[str, Amount]:
    """Round a small stand-alone group (e.g. 三公经费): each figure on its own (``correct``), or its parts
    so that they foot to its total (``largest_remainder``).

    ``total`` and ``parts`` are (key, 元). Returns displayed amounts for the total and parts.
    """
    total_key, total_yuan = total
    steps = naive_steps(total_yuan)
    if method is RoundingMethod.CORRECT:
        shares = {key: naive_steps(yuan) for key, yuan in parts}
    else:
        shares = allocate(steps, parts)
    prefix = f"{source}." if source else ""
    out = {total_key: Amount(steps_to_wan(steps), yuan_to_wan(total_yuan), (f"{prefix}{total_key}",))}
    for key, yuan in parts:
        out[key] = Amount(steps_to_wan(shares[key]), yuan_to_wan(yuan), (f"{prefix}{key}",))
    return out


def single(amount_yuan: Decimal, source: str) -> Amount:
    """One stand-alone figure, rounded half-up."""
    return Amount(wan(amount_yuan), yuan_to_wan(amount_yuan), (source,))
