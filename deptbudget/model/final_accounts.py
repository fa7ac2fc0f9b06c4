"""Final accounts (部门决算) in the model: the kind of a disclosure and the phases of its amounts.

A final-accounts disclosure is a ``Disclosure`` of kind ``部门决算`` (``DocumentKind.FINAL_ACCOUNTS``), with the
same parts, tables, rows and cells as a budget's. What a 决算 adds is the *phase* of an amount column: the
budget at the start of the year (年初预算数), the budget as adjusted during the year (全年预算数, also printed
调整预算数) and the actual figure (决算数). The phase is part of the column key, so that a table, its JSON and
every rule written for budgets stay as they are:

- a 决算数 column has the plain key a budget column of the same meaning has (``total``, ``basic``,
  ``general_budget`` …): the budget rules (sums of rows and columns, trees, cross-table equalities) read the
  actual figures of a 决算 as they read a budget's;
- a 年初预算数 column is keyed ``initial_<key>``, a 全年预算数 column ``adjusted_<key>``.

``phase_amounts(row, key)`` gathers the three figures of one measure of a row, with the 执行率 and the
difference computed, never typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from deptbudget.model.disclosure import Disclosure, Row, Table


class DocumentKind(StrEnum):
    """What a disclosure is. The values are the words ``Disclosure.kind`` holds (and its JSON writes)."""

    BUDGET = "部门预算"
    FINAL_ACCOUNTS = "部门决算"


class Phase(StrEnum):
    """The phase of an amount of a final-accounts table, named as the Ministry of Finance's tables print it."""

    INITIAL = "年初预算数"
    ADJUSTED = "全年预算数"  # also printed 调整预算数 / 调整后预算数
    ACTUAL = "决算数"

    @property
    def prefix(self) -> str:
        """The prefix of the column keys of this phase (none for 决算数)."""
        return _PREFIXES[self]


_PREFIXES = {Phase.INITIAL: "initial_", Phase.ADJUSTED: "adjusted_", Phase.ACTUAL: ""}


def phase_key(key: str, phase: Phase) -> str:
    """The column key of measure ``key`` in ``phase``: ``phase_key("total", Phase.INITIAL)`` → ``initial_total``."""
    return f"{phase.prefix}{key}"


def split_phase(column_key: str) -> tuple[Phase, str]:
    """A column key → its phase and the measure it is of: ``adjusted_basic`` → (全年预算数, ``basic``)."""
    for phase in (Phase.INITIAL, Phase.ADJUSTED):
        if column_key.startswith(phase.prefix):
            return phase, column_key[len(phase.prefix):]
    return Phase.ACTUAL, column_key


def is_final_accounts(disclosure: Disclosure) -> bool:
    """Whether a disclosure is final accounts (its kind says 决算)."""
    return "决算" in disclosure.kind


def table_phases(table: Table) -> set[Phase]:
    """The phases a table prints amounts of (a 三公 决算表 prints 全年预算数 and 决算数)."""
    return {split_phase(column.key)[0] for column in table.columns if column.kind == "amount"}


_PERCENT = Decimal("0.01")


@dataclass(frozen=True)
class PhaseAmounts:
    """One measure of one row in each phase; ``None`` where the table prints no such figure."""

    initial: Decimal | None = None
    adjusted: Decimal | None = None
    actual: Decimal | None = None

    @property
    def budget(self) -> Decimal | None:
        """The budget the actual figure is judged against: the adjusted budget, else the initial one."""
        return self.adjusted if self.adjusted is not None else self.initial

    @property
    def difference(self) -> Decimal | None:
        """决算数 − budget (positive: spent more than budgeted)."""
        if self.actual is None or self.budget is None:
            return None
        return self.actual - self.budget

    @property
    def execution_rate(self) -> Decimal | None:
        """执行率: 决算数 ÷ budget × 100, in percent to two places (half up); None without a non-zero budget."""
        if self.actual is None or not self.budget:
            return None
        return (self.actual / self.budget * 100).quantize(_PERCENT, rounding=ROUND_HALF_UP)


def phase_amounts(row: Row, key: str) -> PhaseAmounts:
    """The figures of measure ``key`` (``total``, ``reception`` …) in each phase, as the row prints them."""
    return PhaseAmounts(row.amount(phase_key(key, Phase.INITIAL)), row.amount(phase_key(key, Phase.ADJUSTED)),
                        row.amount(phase_key(key, Phase.ACTUAL)))
