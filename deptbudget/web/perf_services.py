"""Performance management in the web system (issue 7), independent of HTTP.

A budget that the finance bureau has approved (or published) carries its performance cycle: the
mid-year monitoring (绩效运行监控) and the year-end self-evaluation (绩效自评). Each is a row of
``performance_reports``: the entered values as the performance module's ``Actuals`` in its
JSON-ready dict form (``actuals_to_dict`` shape, keyed canonically: project code → indicator name, or
``二级/名称`` where a name repeats), and the submission status of ``deptbudget.performance.workflow``
(未填报 → 填报中 → 已提交 → 已退回 / 已审核).

Every computation is the performance module's: ``build_tree``, ``check_actuals``, ``monitor``,
``self_evaluate``, its workflow transitions … This module only stores, checks permissions, writes the
audit log and turns forms and uploads into values (the finance bureau's view is ``perf_dashboard``).
Saving follows the budgets' rules: every form carries the version it was made from; a stale one gets
``ConflictError`` and nothing is written.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from threading import Lock
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from deptbudget.model.budget import Budget as SourceBudget
from deptbudget.performance import (
    DEPARTMENT,
    Actuals,
    IndicatorTree,
    MidyearMonitoring,
    Rules,
    SelfEvaluation,
    Stage,
    actuals_from_dict,
    build_tree,
    check_actuals,
    load_rules,
    monitor,
    self_evaluate,
)
from deptbudget.performance import workflow as perf_wf
from deptbudget.performance.actuals import IndicatorEntry, interpret, resolve
from deptbudget.performance.rules import locality_of_template
from deptbudget.performance.tree import EvalIndicator, TreeError, normalize_name
from deptbudget.sources.errors import Problem, SourceError
from deptbudget.store.documents import parse_document
from deptbudget.store.models import (
    ROLE_ADMIN,
    ROLE_FINANCE,
    ROLE_PREPARER,
    Budget,
    PerformanceReport,
    User,
    utcnow,
)
from deptbudget.web import services
from deptbudget.web import workflow as wf

STAGES = {"midyear": Stage.MIDYEAR, "selfeval": Stage.SELFEVAL}
OPEN_STATES = (wf.APPROVED, wf.PUBLISHED)  # the cycle runs on a budget the finance bureau approved
Status = perf_wf.Status
EDITABLE = (Status.NOT_STARTED, Status.DRAFT, Status.RETURNED)
ENTITY_FIELDS = {
    Stage.SELFEVAL: ("spent", "budget", "summary", "explanation"),
    Stage.MIDYEAR: ("spent", "reason", "action"),
}
DEPARTMENT_FIELDS = ("spent", "basic_spent", "summary", "explanation")
INDICATOR_FIELDS = {Stage.SELFEVAL: ("actual", "explanation"), Stage.MIDYEAR: ("to_date", "expected", "reason",
                                                                               "action")}
VALUE_FIELDS = {Stage.SELFEVAL: ("actual",), Stage.MIDYEAR: ("to_date", "expected")}
MONEY_FIELDS = ("spent", "budget", "basic_spent")


def stage_of(key: str) -> Stage:
    try:
        return STAGES[key]
    except KeyError:
        raise services.ServiceError("没有这个绩效阶段（midyear 或 selfeval）。") from None


# --- permissions --------------------------------------------------------------------------------


def is_open(budget: Budget) -> bool:
    return budget.state in OPEN_STATES


def can_enter(user: User | None, budget: Budget, report: PerformanceReport | None) -> bool:
    """The unit's preparer, on an approved budget, while the report is not submitted or accepted."""
    return (user is not None and user.role == ROLE_PREPARER and wf.can_view(user, budget) and is_open(budget)
            and status_of(report) in EDITABLE)


def can_decide(user: User | None, budget: Budget, report: PerformanceReport | None) -> bool:
    """财政局 (绩效科) accepts or sends back a submitted report."""
    return (user is not None and user.role == ROLE_FINANCE and wf.can_view(user, budget)
            and status_of(report) is Status.SUBMITTED)


def can_see_dashboard(user: User | None) -> bool:
    return user is not None and user.role in (ROLE_FINANCE, ROLE_ADMIN)


def can_pick(user: User | None) -> bool:
    return user is not None and user.role == ROLE_FINANCE


# --- the budget's targets -----------------------------------------------------------------------


@dataclass
class Targets:
    """A budget's source, its rules and the scoring tree of each project and of 部门整体."""

    budget: SourceBudget
    rules: Rules
    trees: dict[str, IndicatorTree]
    department: IndicatorTree | None
    problems: list[str] = field(default_factory=list)  # targets that cannot be made into a tree

    @property
    def ok(self) -> bool:
        return not self.problems

    def prefixes(self) -> dict[str, str]:
        """Form field prefix of each entity: ``p0``, ``p1`` … for projects, ``d`` for 部门整体."""
        out = {p.pro_code: f"p{k}" for k, p in enumerate(self.budget.projects)}
        out[DEPARTMENT] = "d"
        return out

    def tree(self, code: str) -> IndicatorTree | None:
        return self.department if code == DEPARTMENT else self.trees.get(code)


_TARGETS: OrderedDict[tuple[str, str], Targets] = OrderedDict()
_TARGETS_LOCK = Lock()


def targets(budget: Budget) -> Targets:
    """Parsed and cached by the source's content. ``ServiceError`` when the source does not load."""
    key = (budget.source_format, hashlib.sha256(budget.source.encode("utf-8")).hexdigest())
    with _TARGETS_LOCK:
        if key in _TARGETS:
            _TARGETS.move_to_end(key)
            return _TARGETS[key]
    try:
        source = parse_document(budget.source, budget.source_format, f"{budget.unit.name}-{budget.fiscal_year}")
    except SourceError:
        raise services.Refused("预算源数据有错误，无法读取绩效目标。") from None
    rules = load_rules(locality_of_template(source.template))
    trees: dict[str, IndicatorTree] = {}
    problems: list[str] = []
    for project in source.projects:
        try:
            trees[project.pro_code] = build_tree(project.indicators, rules)
        except TreeError as exc:
            problems += [f"{project.pro_name}：{p}" for p in exc.problems]
    department = None
    if source.department_targets.indicators:
        try:
            department = build_tree(source.department_targets.indicators, rules)
        except TreeError as exc:
            problems += [f"部门整体：{p}" for p in exc.problems]
    result = Targets(source, rules, trees, department, problems)
    with _TARGETS_LOCK:
        _TARGETS[key] = result
        while len(_TARGETS) > 64:
            _TARGETS.popitem(last=False)
    return result


def indicator_key(tree: IndicatorTree, indicator: EvalIndicator) -> str:
    """The name an indicator's values are stored under: its name, or ``二级/名称`` when repeated."""
    wanted = normalize_name(indicator.name)
    repeated = sum(1 for i in tree.indicators if normalize_name(i.name) == wanted) > 1
    return f"{indicator.level2}/{indicator.name}" if repeated else indicator.name


# --- stored reports -----------------------------------------------------------------------------


def report_of(db: Session, budget: Budget, stage: Stage) -> PerformanceReport | None:
    return db.scalar(select(PerformanceReport).where(PerformanceReport.budget_id == budget.id,
                                                     PerformanceReport.stage == stage.value))


def status_of(report: PerformanceReport | None) -> Status:
    return Status(report.status) if report is not None else Status.NOT_STARTED


def data_of(report: PerformanceReport | None) -> dict[str, Any]:
    if report is None or not report.actuals_json:
        return {}
    data: dict[str, Any] = json.loads(report.actuals_json)
    return data


def submission_of(report: PerformanceReport | None, budget: Budget, stage: Stage) -> perf_wf.Submission:
    return perf_wf.Submission(budget.unit.name, budget.fiscal_year, stage, status_of(report),
                              report.submitted_on if report is not None else None, agency_code=budget.unit.code)


# --- values: forms, uploads, checking -----------------------------------------------------------


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
        if indicators:
            body["indicators"] = indicators
        if body:
            if code == DEPARTMENT:
                data["department"] = body
            else:
                projects[code] = body
    data["projects"] = projects
    return data


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
        if indicators:
            body["indicators"] = indicators
        if body:
            if code == DEPARTMENT:
                data["department"] = body
            else:
                data["projects"][code] = body
    return data, problems


def _has_values(entry: Any, code: str, stage: Stage) -> bool:
    if any(_text(getattr(entry, name, None)) is not None for name in _entity_fields(code, stage)):
        return True
    return any(_text(getattr(item, name)) is not None for item in entry.indicators for name in INDICATOR_FIELDS[stage])


# --- saving and the workflow --------------------------------------------------------------------


def _expect(report: PerformanceReport | None, expected: int | None) -> None:
    current = report.version if report is not None else 0
    if expected is not None and expected != current:
        who = report.updated_by if report is not None else "他人"
        when = f"{report.updated_at:%Y-%m-%d %H:%M:%S}" if report is not None else ""
        raise services.ConflictError(
            f"保存冲突：您打开之后，{who or '他人'} 已于 {when} 修改了这份绩效填报（您看到的是第 {expected} 版，"
            f"现在是第 {current} 版）。您的修改没有保存，也没有丢失：请对照最新内容后重新提交。")


def _report(db: Session, budget: Budget, stage: Stage, report: PerformanceReport | None,
            user: User) -> PerformanceReport:
    if report is not None:
        return report
    report = PerformanceReport(budget_id=budget.id, stage=stage.value, actuals_json="{}",
                               status=Status.NOT_STARTED.value, updated_at=utcnow(), updated_by=user.username)
    db.add(report)  # two first saves at once: the second fails on the unique key (the caller reports a conflict)
    return report


def _touch(report: PerformanceReport, user: User) -> None:
    report.updated_at = utcnow()
    report.updated_by = user.username


def _status_change(db: Session, budget: Budget, report: PerformanceReport, user: User, stage: Stage,
                   new: perf_wf.Submission, action: str, comment: str) -> None:
    old = status_of(report)
    report.status, report.submitted_on = new.status.value, new.submitted_on
    _touch(report, user)
    services.audit(db, budget, user, action, f"{stage.label} 状态", old.label, new.status.label, comment)
    db.flush()


def _when(today: date) -> datetime:
    return datetime.combine(today, utcnow().time())


def save(db: Session, budget: Budget, user: User, stage: Stage, data: dict[str, Any], expected: int | None,
         action: str = "perf-save", comment: str = "") -> int:
    """Store the values (a draft); every changed value audited. Returns the number of changes."""
    report = report_of(db, budget, stage)
    if not can_enter(user, budget, report):
        raise services.Forbidden(entry_refusal(user, budget, report))
    _expect(report, expected)
    changes = changes_of(data_of(report), data)
    if not changes and report is not None:
        return 0
    sub = submission_of(report, budget, stage)
    try:
        new = perf_wf.save(sub, user.username, utcnow())
    except perf_wf.WorkflowError as exc:
        raise services.Refused(str(exc)) from None
    with db.no_autoflush:  # a new report is inserted once, at version 1
        report = _report(db, budget, stage, report, user)
        report.actuals_json = json.dumps(data, ensure_ascii=False, sort_keys=True)
        if new.status is not sub.status:
            services.audit(db, budget, user, action, f"{stage.label} 状态", sub.status.label, new.status.label,
                           comment)
        report.status = new.status.value
        _touch(report, user)
        for path, before, after in changes[: services.MAX_AUDIT_CHANGES]:
            services.audit(db, budget, user, action, f"{stage.label} {path}", before, after, comment)
        if len(changes) > services.MAX_AUDIT_CHANGES:
            services.audit(db, budget, user, action, f"{stage.label} …", "",
                           f"另有 {len(changes) - services.MAX_AUDIT_CHANGES} 处修改", comment)
    db.flush()
    return len(changes)


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


def entry_refusal(user: User | None, budget: Budget, report: PerformanceReport | None) -> str:
    if user is None or user.role != ROLE_PREPARER:
        return "只有本单位的填报人可以填报绩效。"
    if not is_open(budget):
        return "预算经财政局审核通过后才能填报绩效运行监控和绩效自评。"
    return f"这一阶段的绩效填报状态为「{status_of(report).label}」，不能修改。"


def submit(db: Session, budget: Budget, user: User, stage: Stage, expected: int | None, today: date) -> Checked:
    """Submit to the finance bureau: refused while ``check_actuals`` finds a problem, a missed target
    lacks its explanation (year end) or a deviation its reason and action (mid-year)."""
    report = report_of(db, budget, stage)
    if not can_enter(user, budget, report):
        raise services.Forbidden(entry_refusal(user, budget, report))
    _expect(report, expected)
    t = targets(budget)
    if not t.ok:
        raise services.Refused("绩效目标有问题，不能提交：" + "；".join(t.problems))
    checked = check(t, stage, data_of(report))
    if checked.problems:
        raise services.Refused(f"有 {len(checked.problems)} 处问题，不能提交：请先改正或补充说明。",
                               problems=checked.problems)
    try:
        new = perf_wf.submit(submission_of(report, budget, stage), user.username, _when(today))
    except perf_wf.WorkflowError as exc:
        raise services.Refused(str(exc)) from None
    with db.no_autoflush:
        report = _report(db, budget, stage, report, user)
        report.submitted_by, report.comment = user.username, ""
        _status_change(db, budget, report, user, stage, new, "perf-submit", "")
    return checked


def decide(db: Session, budget: Budget, user: User, stage: Stage, expected: int | None, accept: bool,
           comment: str) -> None:
    """财政局: accept (审核通过) or send back (退回, comment required)."""
    report = report_of(db, budget, stage)
    if user.role != ROLE_FINANCE:
        raise services.Forbidden("只有财政局（绩效科）可以审核绩效填报。")
    _expect(report, expected)
    sub = submission_of(report, budget, stage)
    comment = comment.strip()
    try:
        if accept:
            new = perf_wf.accept(sub, user.username, utcnow(), comment)
        else:
            new = perf_wf.send_back(sub, user.username, utcnow(), comment)
    except perf_wf.WorkflowError as exc:
        message = "退回时必须填写退回意见。" if not accept and not comment and sub.status is Status.SUBMITTED \
            else str(exc)
        raise services.Refused(message) from None
    assert report is not None
    report.decided_by, report.decided_at, report.comment = user.username, utcnow(), comment
    _status_change(db, budget, report, user, stage, new, "perf-accept" if accept else "perf-return", comment)
