"""Reading an actuals file written in YAML (format: ``docs/performance.md``)::

    fiscal_year: 2020
    stage: selfeval                  # or midyear
    report_date: 2021-03-20          # 填报日 / 监控截止日 (midyear: the date the values are as of)
    department:
      spent: "160,000,000.00"        # 全年执行数 (元); or basic_spent: the 基本支出 part only
      summary: 实际完成情况 …
      indicators:
        高企培育企业数: 362
        辖区新型研发机构数量: 达成
    projects:
      LHKCJ2020-07:
        spent: "2,250,000.00"        # 元
        spent_fiscal: "2,250,000.00" # optional: 全年执行数 by source — spent_fiscal (当年财政拨款),
                                     # spent_carryover (上年结转), spent_other (其他资金); they add up to spent
        budget: "2,300,000.00"       # optional 全年预算数 (元); default the approved amount
        summary: 实际完成情况 …
        explanation: 预算执行偏差说明 …
        indicators:
          全年科普画廊科普挂图设计制作: 4
          科普读本错误率: {actual: "1.5%", explanation: 偏差原因分析及改进措施 …}
      # mid-year: spent to date, and per indicator {to_date, expected, reason, action}

Every problem names the file, the place, the line and what is wrong; all of them are raised at once
as a ``SourceError``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from deptbudget.performance.actuals_model import (
    DEPARTMENT,
    MONEY_KEYS,
    Actuals,
    EntityEntry,
    IndicatorEntry,
    Stage,
)
from deptbudget.performance.actuals_reading import Collector
from deptbudget.sources.errors import Problem, SourceError

TOP_KEYS = {"fiscal_year", "stage", "report_date", "unit", "projects", "department"}
ENTITY_KEYS = {*MONEY_KEYS, "summary", "explanation", "reason", "action", "indicators", "name"}
INDICATOR_KEYS = {"actual", "explanation", "to_date", "expected", "reason", "action", "level2"}
ENTITY_TEXTS = ("summary", "explanation", "reason", "action")
INDICATOR_TEXTS = ("explanation", "reason", "action")


def _line(mapping: Any, key: str) -> int | None:
    lines = getattr(mapping, "key_lines", None)
    return lines.get(key) if lines else getattr(mapping, "line", None)


def parse_actuals_yaml(text: str, filename: str) -> Actuals:
    """Read an actuals file written in YAML; ``SourceError`` with every problem found."""
    from deptbudget.sources.yaml_source import read_yaml

    data = read_yaml(text, filename)
    c = Collector(filename)
    if not isinstance(data, dict):
        raise SourceError([Problem(filename, "文件", "应为映射：fiscal_year / stage / projects … (mapping expected)")])
    for key in sorted(set(data) - TOP_KEYS):
        c.add(key, f"未知的键 {key} (unknown key)", _line(data, key))
    stage = _stage(c, data)
    fiscal_year = _fiscal_year(c, data)
    report_date = _report_date(c, data)
    projects = data.get("projects")
    if projects is None:
        projects = {}
    if not isinstance(projects, dict):
        c.add("projects", "projects 应为 项目编码 → 填报内容 的映射 (mapping by project code)", _line(data, "projects"))
        projects = {}
    entries = [_entity(c, str(code), body, f"projects.{code}", _line(projects, code))
               for code, body in projects.items()]
    department = None
    if data.get("department") is not None:
        department = _entity(c, DEPARTMENT, data["department"], "department", _line(data, "department"))
    if c.problems:
        raise SourceError(c.problems)
    return Actuals(stage=stage, fiscal_year=fiscal_year, report_date=report_date,
                   projects=tuple(e for e in entries if e is not None), department=department, source=filename)


def _stage(c: Collector, data: dict[str, Any]) -> Stage:
    stage = data.get("stage", "selfeval")
    try:
        return Stage(str(stage))
    except ValueError:
        c.add("stage", f"stage 应为 selfeval 或 midyear，不是 {stage!r}", _line(data, "stage"))
        return Stage.SELFEVAL


def _fiscal_year(c: Collector, data: dict[str, Any]) -> int | None:
    year = data.get("fiscal_year")
    if year is None:
        return None
    if isinstance(year, int) and not isinstance(year, bool):
        return year
    c.add("fiscal_year", f"年度应为整数 (integer year): {year!r}", _line(data, "fiscal_year"))
    return None


def _report_date(c: Collector, data: dict[str, Any]) -> date | None:
    report = data.get("report_date")
    if report is None:
        return None
    if isinstance(report, datetime):
        return report.date()
    if isinstance(report, date):
        return report
    try:
        return date.fromisoformat(str(report))
    except ValueError:
        c.add("report_date", f"日期应为 YYYY-MM-DD: {report!r}", _line(data, "report_date"))
        return None


def _entity(c: Collector, code: str, body: Any, place: str, line: int | None) -> EntityEntry | None:
    if not isinstance(body, dict):
        c.add(place, "应为映射：spent / indicators … (mapping expected)", line)
        return None
    for key in sorted(set(body) - ENTITY_KEYS):
        c.add(f"{place}.{key}", f"未知的键 {key} (unknown key)", _line(body, key))
    amounts = {key: c.money(body.get(key), f"{place}.{key}", _line(body, key)) for key in MONEY_KEYS}
    split = [amounts[key] for key in MONEY_KEYS[3:] if amounts[key] is not None]
    if split and amounts["spent"] is not None and sum(split) != amounts["spent"]:
        c.add(f"{place}.spent", f"按资金来源的执行数合计 {sum(split):,.2f} 元，与 spent {amounts['spent']:,.2f} 元不符 "
              "(spent by source does not add up to spent)", _line(body, "spent"))
    texts = {key: c.text(body.get(key), f"{place}.{key}", _line(body, key)) for key in ENTITY_TEXTS}
    indicators = body.get("indicators") or {}
    items: list[IndicatorEntry] = []
    if isinstance(indicators, dict):
        for name, value in indicators.items():
            item = _indicator(c, str(name), value, f"{place}.indicators.{name}", _line(indicators, name))
            if item is not None:
                items.append(item)
    else:
        c.add(f"{place}.indicators", "indicators 应为 指标名称 → 实际值 的映射 (mapping by indicator name)",
              _line(body, "indicators"))
    return EntityEntry(code=code, **amounts, **texts, indicators=tuple(items), place=place, line=line)


def _indicator(c: Collector, name: str, value: Any, where: str, at: int | None) -> IndicatorEntry | None:
    if isinstance(value, list):
        c.add(where, "实际值应为数值、等级或映射 (value, grade or mapping expected)", at)
        return None
    if not isinstance(value, dict):  # a plain value: the actual (year end) or the value to date (mid-year)
        return IndicatorEntry(name=name, actual=value, to_date=value, place=where, line=at)
    for key in sorted(set(value) - INDICATOR_KEYS):
        c.add(f"{where}.{key}", f"未知的键 {key} (unknown key)", _line(value, key))
    texts = {key: c.text(value.get(key), f"{where}.{key}", _line(value, key)) for key in INDICATOR_TEXTS}
    level2 = c.text(value.get("level2"), f"{where}.level2", _line(value, "level2")) or None
    return IndicatorEntry(name=name, actual=value.get("actual"), to_date=value.get("to_date"),
                          expected=value.get("expected"), **texts, level2=level2, place=where, line=at)
