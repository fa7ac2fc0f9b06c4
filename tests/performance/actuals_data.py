"""The same actuals of the small budget (``small_budget.py``) as YAML text, per stage, and the
comparison of two ``Actuals`` by what they hold (not where it was written)."""

from __future__ import annotations

from typing import Any

from deptbudget.performance.actuals_model import Actuals, EntityEntry, Stage

SELFEVAL_YAML = """\
fiscal_year: 2020
stage: selfeval
report_date: 2021-03-20
department:
  basic_spent: "1,100,000.00"
  summary: 全年完成科普工作。
  indicators:
    科普活动场次: 31
    公众科学素质: {actual: 基本达成, explanation: 活动覆盖面不足}
projects:
  P1:
    spent: "1,800,000.50"
    budget: "1,899,950.00"
    summary: 举办科普活动 12 场。
    explanation: 部分活动改为线上
    indicators:
      举办活动: 12
      参与者满意度: {actual: "88%", explanation: 场地偏小}
  P2:
    spent: "250.00"
"""

MIDYEAR_YAML = """\
fiscal_year: 2020
stage: midyear
report_date: 2020-06-30
department:
  spent: "600,000.00"
  indicators:
    科普活动场次: {to_date: 14, expected: 30}
    公众科学素质: 部分达成
projects:
  P1:
    spent: "500,000.00"
    reason: 活动集中在下半年
    action: 加快执行
    indicators:
      举办活动: {to_date: 4, expected: 11}
      参与者满意度: {to_date: "85%", expected: "92%", reason: 场地偏小, action: 更换场地}
  P2:
    spent: "0.00"
"""

ENTITY_FIELDS = {Stage.SELFEVAL: ("spent", "budget", "basic_spent", "summary", "explanation"),
                 Stage.MIDYEAR: ("spent", "budget", "reason", "action")}
INDICATOR_FIELDS = {Stage.SELFEVAL: ("actual", "explanation"),
                    Stage.MIDYEAR: ("to_date", "expected", "reason", "action")}


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _entity(entry: EntityEntry | None, stage: Stage) -> tuple[Any, ...] | None:
    if entry is None:
        return None
    indicators = tuple((item.name, *(_text(getattr(item, f)) for f in INDICATOR_FIELDS[stage]))
                       for item in entry.indicators)
    return (entry.code, *(getattr(entry, f) for f in ENTITY_FIELDS[stage]), indicators)


def held(actuals: Actuals) -> tuple[Any, ...]:
    """What ``actuals`` holds for its stage: values compared as text (YAML gives 12, a workbook
    cell "12"), places and lines left out."""
    stage = actuals.stage
    return (stage, actuals.fiscal_year, actuals.report_date, tuple(_entity(e, stage) for e in actuals.projects),
            _entity(actuals.department, stage))
