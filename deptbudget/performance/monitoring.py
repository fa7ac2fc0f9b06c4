"""Mid-year monitoring (绩效运行监控) and the deadlines of the cycle.

At a reporting date a unit reports, per project, the spending to date and each indicator's
value to date with the expected year-end value. Two kinds of deviation are flagged:

- **execution behind schedule**: 预算执行率 below the time-proportional schedule (the share of the
  project period elapsed at the reporting date, days inclusive) by more than the rules'
  tolerance (10 percentage points by default);
- **indicator at risk**: the expected year-end value would not meet the target (the same test as
  scoring: ≥ / ≤ / = / 约 with its band, 定性 below 达成). When no expected value is given it is
  projected: a 数量指标 grows with time (value to date ÷ time progress), anything else stays as
  it is.

Each deviation needs a reason (偏差原因) and a corrective action (改进措施).

Deadlines (default: monitoring 08-31 of the year, self-evaluation 03-31 of the next year) come
from the rules; ``late_units`` lists the units that are late at a given date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from deptbudget.model.budget import Budget, Project
from deptbudget.model.money import round_half_up
from deptbudget.performance.actuals_model import Actuals, EntityEntry, IndicatorEntry, Stage
from deptbudget.performance.interpret import MISSING, Reading, indicator_entries, interpret
from deptbudget.performance.rules import Rules
from deptbudget.performance.scoring import HUNDRED, ONE, ZERO, completion
from deptbudget.performance.tree import EvalIndicator, IndicatorTree, project_tree
from deptbudget.sources.errors import Problem

COUNT_LEVEL2 = ("数量指标", "数量")


def time_progress(start: date, end: date, as_of: date) -> Decimal:
    """Share of the period [start, end] elapsed at the end of ``as_of`` (days inclusive), 0 … 1."""
    if end < start:
        raise ValueError(f"期间结束早于开始 (end before start): {start} – {end}")
    if as_of < start:
        return ZERO
    if as_of >= end:
        return ONE
    return Decimal((as_of - start).days + 1) / Decimal((end - start).days + 1)


def period_of(project: Project, fiscal_year: int) -> tuple[date, date]:
    """The project's execution period within the fiscal year (the whole year by default)."""
    start = project.start or date(fiscal_year, 1, 1)
    end = project.end or date(fiscal_year, 12, 31)
    return max(start, date(fiscal_year, 1, 1)), min(end, date(fiscal_year, 12, 31))


@dataclass
class IndicatorMonitoring:
    indicator: EvalIndicator
    to_date: Reading
    expected: Reading  # year-end value as entered
    projected: Reading  # expected, or projected from the value to date
    basis: str  # 填报 / 按时间进度推算 / 按当前值
    at_risk: bool  # the year-end value would not meet the target
    reason: str = ""
    action: str = ""
    entry: IndicatorEntry | None = None

    @property
    def missing(self) -> bool:
        return self.to_date.missing and self.expected.missing

    @property
    def needs_actions(self) -> bool:
        return self.at_risk and not (self.reason.strip() and self.action.strip())


@dataclass
class ProjectMonitoring:
    code: str
    name: str
    report_date: date
    budget: Decimal  # 全年预算数 (元)
    spent: Decimal | None  # 截至报告日执行数 (元)
    schedule: Decimal  # time progress, fraction
    tolerance: Decimal  # percentage points
    indicators: list[IndicatorMonitoring]
    reason: str = ""
    action: str = ""
    entry: EntityEntry | None = None
    tree: IndicatorTree | None = None

    @property
    def rate(self) -> Decimal | None:
        if self.spent is None:
            return None
        if self.budget <= 0:
            return ONE
        return self.spent / self.budget

    @property
    def rate_percent(self) -> Decimal | None:
        return None if self.rate is None else round_half_up(self.rate * HUNDRED)

    @property
    def schedule_percent(self) -> Decimal:
        return round_half_up(self.schedule * HUNDRED)

    @property
    def execution_behind(self) -> bool:
        """预算执行率 below the time schedule by more than the tolerance (no spending reported
        counts as 0)."""
        rate = self.rate if self.rate is not None else ZERO
        return rate * HUNDRED < self.schedule * HUNDRED - self.tolerance

    @property
    def at_risk(self) -> list[IndicatorMonitoring]:
        return [i for i in self.indicators if i.at_risk]

    @property
    def flagged(self) -> bool:
        return self.execution_behind or bool(self.at_risk)

    @property
    def flags(self) -> list[str]:
        out = []
        if self.spent is None:
            out.append("未填报执行数")
        if self.execution_behind:
            out.append(f"执行进度滞后（{_pct(self.rate)} < 时间进度 {self.schedule_percent}%）")
        for item in self.at_risk:
            out.append(f"「{item.indicator.name}」预计难以完成")
        return out

    def problems(self, file: str) -> list[Problem]:
        """Deviations reported without a reason and a corrective action."""
        out = []
        if self.execution_behind and not (self.reason.strip() and self.action.strip()):
            place = self.entry.place if self.entry else f"projects.{self.code}"
            out.append(Problem(file, place, f"{self.name}：预算执行率 {_pct(self.rate)} 低于时间进度 "
                                            f"{self.schedule_percent}%，须填写偏差原因 (reason) 和改进措施 (action)",
                               self.entry.line if self.entry else None))
        for item in self.indicators:
            if item.needs_actions:
                place = item.entry.place if item.entry else f"projects.{self.code}.indicators.{item.indicator.name}"
                out.append(Problem(file, place, f"{self.name}：指标「{item.indicator.name}」预计难以完成（目标 "
                                                f"{item.indicator.target_text}），须填写偏差原因和改进措施",
                                   item.entry.line if item.entry else None))
        return out


def _pct(rate: Decimal | None) -> str:
    return "—" if rate is None else f"{round_half_up(rate * HUNDRED)}%"


def project_indicator(indicator: EvalIndicator, item: IndicatorEntry | None, progress: Decimal,
                      rules: Rules) -> IndicatorMonitoring:
    to_date = interpret(indicator, item.to_date, rules) if item else MISSING
    expected = interpret(indicator, item.expected, rules) if item else MISSING
    if not expected.missing:
        projected, basis = expected, "填报"
    elif to_date.missing:
        projected, basis = MISSING, "未填报"
    elif (to_date.value is not None and indicator.level2.strip() in COUNT_LEVEL2
          and indicator.direction in ("≥", ">", "=", "约") and progress > 0):
        projected, basis = Reading(value=to_date.value / progress, text=""), "按时间进度推算"
    else:
        projected, basis = to_date, "按当前值"
    at_risk = False
    if not projected.missing:
        _, met = completion(indicator, projected, rules)
        at_risk = not met
    return IndicatorMonitoring(indicator, to_date, expected, projected, basis, at_risk,
                               item.reason if item else "", item.action if item else "", item)


def monitor_project(project: Project, entry: EntityEntry | None, report_date: date, fiscal_year: int,
                    rules: Rules, tree: IndicatorTree | None = None) -> ProjectMonitoring:
    tree = tree or project_tree(project, rules)
    start, end = period_of(project, fiscal_year)
    progress = time_progress(start, end, report_date)
    by_index = indicator_entries(tree, entry)
    items = [project_indicator(ind, by_index.get(ind.index), progress, rules) for ind in tree.indicators]
    budget = entry.budget if entry and entry.budget is not None else project.amount
    return ProjectMonitoring(project.pro_code, project.pro_name, report_date, budget,
                             entry.spent if entry else None, progress, rules.execution_tolerance, items,
                             entry.reason if entry else "", entry.action if entry else "", entry, tree)


@dataclass
class MidyearMonitoring:
    fiscal_year: int
    unit_name: str
    report_date: date
    projects: list[ProjectMonitoring]
    source: str = ""

    @property
    def flagged(self) -> list[ProjectMonitoring]:
        return [p for p in self.projects if p.flagged]

    def problems(self) -> list[Problem]:
        return [problem for p in self.projects for problem in p.problems(self.source)]


def monitor(budget: Budget, actuals: Actuals, rules: Rules, report_date: date | None = None) -> MidyearMonitoring:
    """Mid-year monitoring of every project of ``budget`` at ``report_date`` (default the file's
    report_date, else the monitoring deadline)."""
    when = report_date or actuals.report_date or rules.midyear_deadline_for(budget.fiscal_year)
    entries = {e.code: e for e in actuals.projects}
    projects = [monitor_project(p, entries.get(p.pro_code), when, budget.fiscal_year, rules) for p in budget.projects]
    return MidyearMonitoring(budget.fiscal_year, budget.unit.name, when, projects, actuals.source)


# --- deadlines -------------------------------------------------------------------------------


def deadline(stage: Stage, fiscal_year: int, rules: Rules) -> date:
    """Last day to report: monitoring 08-31 of the year, self-evaluation 03-31 of the next year."""
    if stage is Stage.MIDYEAR:
        return rules.midyear_deadline_for(fiscal_year)
    return rules.selfeval_deadline_for(fiscal_year)


@dataclass(frozen=True)
class UnitProgress:
    """What a unit has submitted for a fiscal year (dates of submission, None when not yet)."""

    unit: str
    fiscal_year: int
    midyear_submitted: date | None = None
    selfeval_submitted: date | None = None
    agency_code: str | None = None

    def submitted(self, stage: Stage) -> date | None:
        return self.midyear_submitted if stage is Stage.MIDYEAR else self.selfeval_submitted


@dataclass(frozen=True)
class LateUnit:
    unit: str
    agency_code: str | None
    stage: Stage
    deadline: date
    submitted_on: date | None  # None: still not submitted
    days_late: int

    def __str__(self) -> str:
        state = f"{self.submitted_on} 提交" if self.submitted_on else "尚未提交"
        return f"{self.unit}：{self.stage.label}截止 {self.deadline}，{state}，逾期 {self.days_late} 天"


def late_units(units: Iterable[UnitProgress], today: date, rules: Rules,
               stages: Iterable[Stage] = (Stage.MIDYEAR, Stage.SELFEVAL)) -> list[LateUnit]:
    """Units late at ``today``: not submitted although the deadline has passed, or submitted after
    it. The deadline day itself is on time. A submission dated after ``today`` is not counted."""
    out: list[LateUnit] = []
    wanted = list(stages)
    for unit in units:
        for stage in wanted:
            due = deadline(stage, unit.fiscal_year, rules)
            submitted = unit.submitted(stage)
            if submitted is not None and submitted > today:
                submitted = None
            if submitted is None and today > due:
                out.append(LateUnit(unit.unit, unit.agency_code, stage, due, None, (today - due).days))
            elif submitted is not None and submitted > due:
                out.append(LateUnit(unit.unit, unit.agency_code, stage, due, submitted, (submitted - due).days))
    return sorted(out, key=lambda u: (-u.days_late, u.unit))


@dataclass
class Deviation:
    """One flagged deviation, flat, for dashboards."""

    code: str
    name: str
    kind: str  # execution / indicator / missing
    message: str
    explained: bool
    extra: dict[str, str] = field(default_factory=dict)


def deviations(monitoring: MidyearMonitoring) -> list[Deviation]:
    out = []
    for p in monitoring.projects:
        if p.spent is None:
            out.append(Deviation(p.code, p.name, "missing", "未填报执行数", False))
        if p.execution_behind:
            out.append(Deviation(p.code, p.name, "execution",
                                 f"预算执行率 {_pct(p.rate)}，时间进度 {p.schedule_percent}%",
                                 bool(p.reason.strip() and p.action.strip())))
        for item in p.at_risk:
            out.append(Deviation(p.code, p.name, "indicator", f"「{item.indicator.name}」预计难以完成",
                                 not item.needs_actions))
    return out
