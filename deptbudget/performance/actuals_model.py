"""The values entered for performance management, as data: year-end actuals (绩效自评) and mid-year
values (绩效运行监控), per project and for the department as a whole.

Values are kept as written; what a value means (a number, a grade) depends on the indicator it
belongs to and is decided by ``deptbudget.performance.interpret``. The readers are
``actuals_yaml`` and ``actuals_xlsx``, the stored (JSON) form is ``actuals_store``.

``IndicatorEntry``, ``EntityEntry`` and ``Actuals`` are frozen; their lists are tuples (a list given
to the constructor is turned into one). ``load_actuals(path, source=…)`` names the file as a user
knows it (the web upload's file name) when reading.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from deptbudget.performance.labels import LabelledEnum

DEPARTMENT = "部门整体"  # the code that stands for the department as a whole in XLSX files
# 全年执行数 by source (其中：当年财政拨款 / 上年结转 / 其他资金), each optional, 元
SPENT_BY_SOURCE = ("spent_fiscal", "spent_carryover", "spent_other")
MONEY_KEYS = ("spent", "budget", "basic_spent", *SPENT_BY_SOURCE)


class Stage(LabelledEnum):
    MIDYEAR = "midyear", "绩效运行监控"
    SELFEVAL = "selfeval", "绩效自评"


@dataclass(frozen=True)
class IndicatorEntry:
    """One indicator's entered values. ``name`` is as written (``二级/名称`` when a name is used
    twice); ``level2`` may narrow the lookup."""

    name: str
    actual: Any = None  # 实际完成值 (year end)
    explanation: str = ""  # 偏差原因分析及改进措施
    to_date: Any = None  # 截至报告日完成值 (mid-year)
    expected: Any = None  # 全年预计完成值 (mid-year)
    reason: str = ""  # 偏差原因 (mid-year)
    action: str = ""  # 改进措施 (mid-year)
    level2: str | None = None
    place: str = ""
    line: int | None = None


@dataclass(frozen=True)
class EntityEntry:
    """A project's (or the department's) entered values. Amounts in 元."""

    code: str  # pro_code, or DEPARTMENT
    spent: Decimal | None = None  # 全年执行数 / 截至报告日执行数
    budget: Decimal | None = None  # 全年预算数 (adjusted); default the approved amount
    basic_spent: Decimal | None = None  # department only: 基本支出执行数 (spent = basic + projects)
    spent_fiscal: Decimal | None = None  # 全年执行数 其中：当年财政拨款
    spent_carryover: Decimal | None = None  # 上年结转资金
    spent_other: Decimal | None = None  # 其他资金
    summary: str = ""  # 实际完成情况
    explanation: str = ""  # 预算执行偏差说明
    reason: str = ""  # mid-year: 执行偏差原因
    action: str = ""  # mid-year: 改进措施
    indicators: tuple[IndicatorEntry, ...] = ()
    place: str = ""
    line: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "indicators", tuple(self.indicators))

    @property
    def spent_by_source(self) -> tuple[Decimal | None, Decimal | None, Decimal | None] | None:
        """(当年财政拨款, 上年结转, 其他资金) of 全年执行数 when any is given (the others then 0)."""
        parts = (self.spent_fiscal, self.spent_carryover, self.spent_other)
        if all(part is None for part in parts):
            return None
        return tuple(part if part is not None else Decimal(0) for part in parts)  # type: ignore[return-value]


@dataclass(frozen=True)
class Actuals:
    """A whole actuals file."""

    stage: Stage = Stage.SELFEVAL
    fiscal_year: int | None = None
    report_date: date | None = None
    projects: tuple[EntityEntry, ...] = field(default_factory=tuple)
    department: EntityEntry | None = None
    source: str = "<actuals>"

    def __post_init__(self) -> None:
        object.__setattr__(self, "projects", tuple(self.projects))

    def project(self, code: str) -> EntityEntry | None:
        return next((p for p in self.projects if p.code == code), None)
