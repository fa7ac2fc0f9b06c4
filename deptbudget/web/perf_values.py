"""The values of a 绩效 report (issue 7), independent of HTTP and of storage: the entry form's
fields ↔ the stored dict (the performance module's ``Actuals`` in its JSON-ready form, keyed
canonically: project code → indicator name, or ``二级/名称`` where a name repeats), an uploaded file's
``Actuals`` → the stored dict, the values checked and evaluated (``check_actuals``, ``monitor``,
``self_evaluate``), the changes between two versions for the audit log, and problems as shown.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from deptbudget.performance import (
    DEPARTMENT,
    Actuals,
    IndicatorTree,
    MidyearMonitoring,
    SelfEvaluation,
    Stage,
    actuals_from_dict,
    check_actuals,
    monitor,
    self_evaluate,
)
from deptbudget.performance.actuals import IndicatorEntry, interpret, resolve
from deptbudget.sources.errors import Problem
from deptbudget.web.perf_targets import Targets, indicator_key

ENTITY_FIELDS = {
    Stage.SELFEVAL: ("spent", "budget", "summary", "explanation"),
    Stage.MIDYEAR: ("spent", "reason", "action"),
}
DEPARTMENT_FIELDS = ("spent", "basic_spent", "summary", "explanation")
INDICATOR_FIELDS = {Stage.SELFEVAL: ("actual", "explanation"), Stage.MIDYEAR: ("to_date", "expected", "reason",
                                                                               "action")}
VALUE_FIELDS = {Stage.SELFEVAL: ("actual",), Stage.MIDYEAR: ("to_date", "expected")}
MONEY_FIELDS = ("spent", "budget", "basic_spent")
MAX_FORM_FIELDS = 20000  # the 绩效 forms: one field per value of every indicator


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        return f"{value:f}"
    text = str(value).strip()
    return text or None


def _entity_fields(code: str, stage: Stage) -> tuple[str, ...]:
    return DEPARTMENT_FIELDS if code == DEPARTMENT else ENTITY_FIELDS[stage]


def entities(t: Targets, stage: Stage) -> list[tuple[str, str, IndicatorTree]]:
    """(code, name, tree) of what is reported at this stage: every project, and 部门整体 at year end."""
    out = [(p.pro_code, p.pro_name, t.trees[p.pro_code]) for p in t.budget.projects if p.pro_code in t.trees]
    if stage is Stage.SELFEVAL and t.department is not None:
        out.append((DEPARTMENT, t.budget.unit.name, t.department))
    return out


def data_from_form(t: Targets, stage: Stage, form: dict[str, str]) -> dict[str, Any]:
    """The posted entry form → the stored dict (blank fields and entities left out)."""
    data: dict[str, Any] = {"fiscal_year": t.budget.fiscal_year, "stage": stage.value}
    if stage is Stage.MIDYEAR and form.get("report_date", "").strip():
        data["report_date"] = form["report_date"].strip()
    prefixes = t.prefixes()
    projects: dict[str, Any] = {}
    for code, _name, tree in entities(t, stage):
        prefix = prefixes[code]
        body: dict[str, Any] = {}
        for name in _entity_fields(code, stage):
            value = _text(form.get(f"{prefix}.{name}"))
            if value is not None:
                body[name] = value
        indicators: dict[str, Any] = {}
        for ind in tree.indicators:
            values = {name: _text(form.get(f"{prefix}.i{ind.index}.{name}")) for name in INDICATOR_FIELDS[stage]}
            values = {k: v for k, v in values.items() if v is not None}
            if values:
                indicators[indicator_key(tree, ind)] = values
        _put(data, projects, code, body, indicators)
    data["projects"] = projects
    return data


def _put(data: dict[str, Any], projects: dict[str, Any], code: str, body: dict[str, Any],
         indicators: dict[str, Any]) -> None:
    """An entity's values into the stored dict: 部门整体 as ``department``, a project in ``projects``;
    nothing when it has none."""
    if indicators:
        body["indicators"] = indicators
    if body:
        if code == DEPARTMENT:
            data["department"] = body
        else:
            projects[code] = body


def form_values(t: Targets, stage: Stage, data: dict[str, Any]) -> dict[str, str]:
    """The stored dict → form field values (the inverse of ``data_from_form``)."""
    values: dict[str, str] = {}
    if data.get("report_date"):
        values["report_date"] = str(data["report_date"])
    prefixes = t.prefixes()
    for code, _name, tree in entities(t, stage):
        body = data.get("department") if code == DEPARTMENT else (data.get("projects") or {}).get(code)
        if not isinstance(body, dict):
            continue
        prefix = prefixes[code]
        for name in _entity_fields(code, stage):
            if body.get(name) not in (None, ""):
                values[f"{prefix}.{name}"] = str(body[name])
        stored = body.get("indicators") or {}
        for ind in tree.indicators:
            item = stored.get(indicator_key(tree, ind))
            if isinstance(item, dict):
                for name in INDICATOR_FIELDS[stage]:
                    if item.get(name) not in (None, ""):
                        values[f"{prefix}.i{ind.index}.{name}"] = str(item[name])
    return values


def parse_data(data: dict[str, Any], source: str = "填报内容") -> Actuals:
    """``actuals_from_dict``; ``SourceError`` for amounts or dates that do not parse."""
    return actuals_from_dict(data, source)


def field_of(t: Targets, place: str) -> str:
    """A problem's place in the stored dict (``projects.P1.spent``) → the form field it concerns."""
    prefixes = t.prefixes()
    parts = place.split(".")
    if parts[0] == "department" and len(parts) >= 2:
        return f"d.{parts[1]}"
    if parts[0] == "projects" and len(parts) >= 3 and parts[1] in prefixes:
        return f"{prefixes[parts[1]]}.{parts[2]}"
    return parts[0]


@dataclass
class Checked:
    """The stored values checked and evaluated."""

    actuals: Actuals  # usable values only (a value that does not read as an actual is left out)
    field_errors: dict[str, str]  # form field → message
    problems: list[Problem]  # check_actuals on every value, then the stage's own problems
    evaluation: SelfEvaluation | None = None
    monitoring: MidyearMonitoring | None = None

    @property
    def blocking(self) -> list[Problem]:
        return self.problems


def _usable(t: Targets, stage: Stage, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """A copy without the values that do not read as actuals of their indicator, and why."""
    clean = copy.deepcopy(data)
    errors: dict[str, str] = {}
    prefixes = t.prefixes()
    bodies = [(code, body) for code, body in (clean.get("projects") or {}).items()]
    if clean.get("department") is not None:
        bodies.append((DEPARTMENT, clean["department"]))
    for code, body in bodies:
        tree = t.tree(code)
        if tree is None or not isinstance(body, dict):
            continue
        for key, item in list((body.get("indicators") or {}).items()):
            try:
                indicator = resolve(tree, IndicatorEntry(name=key, level2=None))
            except LookupError:
                body["indicators"].pop(key)
                continue
            for name in VALUE_FIELDS[stage]:
                if item.get(name) in (None, ""):
                    continue
                try:
                    interpret(indicator, item[name], t.rules)
                except ValueError as exc:
                    errors[f"{prefixes[code]}.i{indicator.index}.{name}"] = str(exc)
                    item.pop(name)
    return clean, errors


def check(t: Targets, stage: Stage, data: dict[str, Any]) -> Checked:
    """Check the values against the budget (``check_actuals``), then monitor or score them."""
    data = {"fiscal_year": t.budget.fiscal_year, "stage": stage.value, "projects": {}, **data}
    full = parse_data(data)
    problems = check_actuals(t.budget, full, t.trees, t.rules, t.department)
    clean, errors = _usable(t, stage, data)
    actuals = parse_data(clean)
    result = Checked(actuals, errors, problems)
    if stage is Stage.SELFEVAL:
        result.evaluation = self_evaluate(t.budget, actuals, t.rules)
        result.problems = problems + result.evaluation.explanation_problems()
    else:
        result.monitoring = monitor(t.budget, actuals, t.rules)
        result.problems = problems + result.monitoring.problems()
    return result


def canonical(t: Targets, stage: Stage, actuals: Actuals) -> tuple[dict[str, Any], list[Problem]]:
    """An uploaded file's values keyed as the forms key them. Problems: a wrong stage or year, an
    unknown project or indicator, a value given twice — the upload is refused for any of these."""
    file = actuals.source
    problems: list[Problem] = []
    if actuals.stage is not stage:
        problems.append(Problem(file, "stage",
                                f"文件是{actuals.stage.label}，而本页是{stage.label}：请下载本页的模板。"))
    if actuals.fiscal_year is not None and actuals.fiscal_year != t.budget.fiscal_year:
        problems.append(Problem(file, "fiscal_year", f"文件的年度是 {actuals.fiscal_year}，而本预算是 "
                                                     f"{t.budget.fiscal_year} 年。"))
    data: dict[str, Any] = {"fiscal_year": t.budget.fiscal_year, "stage": stage.value, "projects": {}}
    if actuals.report_date is not None:
        data["report_date"] = actuals.report_date.isoformat()
    entries = [(e.code, e) for e in actuals.projects]
    if actuals.department is not None and stage is Stage.SELFEVAL:
        entries.append((DEPARTMENT, actuals.department))
    seen: set[str] = set()
    for code, entry in entries:
        if not _has_values(entry, code, stage):
            continue  # a template's untouched row
        tree = t.tree(code)
        if tree is None:
            problems.append(Problem(file, entry.place, f"预算中没有项目编码 {code}。"))
            continue
        if code in seen:
            problems.append(Problem(file, entry.place, f"项目编码 {code} 重复。"))
            continue
        seen.add(code)
        body: dict[str, Any] = {}
        for name in _entity_fields(code, stage):
            value = _text(getattr(entry, name, None))
            if value is not None:
                body[name] = value
        indicators: dict[str, Any] = {}
        for item in entry.indicators:
            values = {name: _text(getattr(item, name)) for name in INDICATOR_FIELDS[stage]}
            values = {k: v for k, v in values.items() if v is not None}
            if not values:
                continue
            try:
                indicator = resolve(tree, item)
            except LookupError as exc:
                problems.append(Problem(file, item.place, str(exc)))
                continue
            key = indicator_key(tree, indicator)
            if key in indicators:
                problems.append(Problem(file, item.place, f"指标「{indicator.name}」重复填报。"))
                continue
            indicators[key] = values
        _put(data, data["projects"], code, body, indicators)
    return data, problems


def _has_values(entry: Any, code: str, stage: Stage) -> bool:
    if any(_text(getattr(entry, name, None)) is not None for name in _entity_fields(code, stage)):
        return True
    return any(_text(getattr(item, name)) is not None for item in entry.indicators for name in INDICATOR_FIELDS[stage])



LABELS = {"spent": "执行数", "budget": "全年预算数", "basic_spent": "基本支出执行数", "summary": "实际完成情况",
          "reason": "偏差原因", "action": "改进措施", "actual": "实际完成值", "to_date": "截至报告日完成值",
          "expected": "全年预计完成值", "report_date": "监控截止日"}


def _leaves(data: dict[str, Any]) -> dict[str, str]:
    """Each value of a stored dict by a readable path: ``P1 执行数``, ``P1「举办活动」实际完成值``."""
    out: dict[str, str] = {}
    if data.get("report_date"):
        out["监控截止日"] = str(data["report_date"])
    bodies = [(code, body) for code, body in (data.get("projects") or {}).items()]
    if data.get("department") is not None:
        bodies.append((DEPARTMENT, data["department"]))
    for code, body in bodies:
        for key, value in body.items():
            if key == "indicators":
                for name, item in (value or {}).items():
                    for field_name, field_value in item.items():
                        label = "偏差原因分析及改进措施" if field_name == "explanation" else LABELS.get(field_name,
                                                                                                     field_name)
                        out[f"{code}「{name}」{label}"] = str(field_value)
            else:
                label = "预算执行偏差说明" if key == "explanation" else LABELS.get(key, key)
                out[f"{code} {label}"] = str(value)
    return out


def changes_of(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(what, old, new) of every value that changed, for the audit log."""
    before, after = _leaves(old), _leaves(new)
    paths = list(before) + [p for p in after if p not in before]
    return [(p, before.get(p, ""), after.get(p, "")) for p in paths if before.get(p, "") != after.get(p, "")]


def place_label(t: Targets, place: str) -> str:
    """A problem's place (``projects.P1.indicators.举办活动``) as a reader names it."""
    parts = place.split(".", 2)
    if parts[0] == "projects" and len(parts) > 1:
        name = next((p.pro_name for p in t.budget.projects if p.pro_code == parts[1]), "")
        return f"{parts[1]} {name}".strip()
    if parts[0] == "department":
        return DEPARTMENT
    return place


def problem_text(t: Targets, problem: Problem) -> str:
    """A problem as shown: its message, led by the project it concerns unless the message names it."""
    where = place_label(t, problem.place)
    name = where.split(" ", 1)[-1]
    return problem.message if problem.message.startswith(name) else f"{where}：{problem.message}"

