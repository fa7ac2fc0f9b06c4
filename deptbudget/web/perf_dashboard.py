"""The finance bureau's view of the performance cycle (issue 7), independent of HTTP: every unit's
绩效运行监控 and 绩效自评 status and scores for a year, the late units at a given day, the projects
proposed and picked for 重点绩效评价; and the indicator library offered on the targets form.

The rows are the performance module's (``overview_rows``, ``late_units``, ``suggest_key_evaluation``),
computed from the reports stored by ``perf_services``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from deptbudget.performance import DEPARTMENT, Stage
from deptbudget.performance import workflow as perf_wf
from deptbudget.performance.rules import locality_of_template
from deptbudget.sources.errors import SourceError
from deptbudget.store.models import Budget, KeyEvaluation, PerformanceReport, User, utcnow
from deptbudget.web import services
from deptbudget.web.perf_services import OPEN_STATES, Status, can_pick, data_of, status_of, submission_of
from deptbudget.web.perf_targets import targets
from deptbudget.web.perf_values import check

# --- the finance bureau's view ------------------------------------------------------------------


@dataclass
class UnitLine:
    """One budget of the year on the dashboard."""

    budget: Budget
    midyear: PerformanceReport | None
    selfeval: PerformanceReport | None
    department_score: Decimal | None = None
    department_grade: str | None = None
    average: Decimal | None = None
    late: list[Stage] = field(default_factory=list)
    error: str = ""

    def status(self, stage: Stage) -> Status:
        return status_of(self.midyear if stage is Stage.MIDYEAR else self.selfeval)

    @property
    def stages(self) -> list[tuple[Stage, PerformanceReport | None, Status]]:
        return [(Stage.MIDYEAR, self.midyear, status_of(self.midyear)),
                (Stage.SELFEVAL, self.selfeval, status_of(self.selfeval))]


@dataclass
class Dashboard:
    year: int | None
    years: list[int]
    today: date
    units: list[UnitLine]
    rows: list[tuple[Budget, perf_wf.OverviewRow]]
    late: list[Any]  # LateUnit
    suggested: set[tuple[int, str]]  # (budget id, project code)


def open_budgets(db: Session, year: int | None = None) -> list[Budget]:
    query = select(Budget).where(Budget.state.in_(OPEN_STATES))
    if year is not None:
        query = query.where(Budget.fiscal_year == year)
    return sorted(db.scalars(query), key=lambda b: (b.fiscal_year, b.unit.code))


def dashboard(db: Session, year: int | None, today: date) -> Dashboard:
    from deptbudget.performance import UnitProgress, late_units
    from deptbudget.performance.workflow import average_score, overview_rows, suggest_key_evaluation

    budgets = open_budgets(db)
    years = sorted({b.fiscal_year for b in budgets}, reverse=True)
    if year is None and years:
        year = years[0]
    chosen = [b for b in budgets if b.fiscal_year == year]
    reports = {(r.budget_id, r.stage): r for r in db.scalars(
        select(PerformanceReport).where(PerformanceReport.budget_id.in_([b.id for b in chosen])))} if chosen else {}
    picked: dict[int, set[str]] = {}
    for pick in db.scalars(select(KeyEvaluation).where(KeyEvaluation.fiscal_year == (year or 0))):
        picked.setdefault(pick.budget_id, set()).add(pick.project_code)
    units: list[UnitLine] = []
    rows: list[tuple[Budget, perf_wf.OverviewRow]] = []
    late: list[Any] = []
    suggested: set[tuple[int, str]] = set()
    for budget in chosen:
        mid, self_ = reports.get((budget.id, "midyear")), reports.get((budget.id, "selfeval"))
        line = UnitLine(budget, mid, self_)
        units.append(line)
        try:
            t = targets(budget)
        except services.ServiceError as exc:
            line.error = exc.message
            continue
        subs = [submission_of(mid, budget, Stage.MIDYEAR), submission_of(self_, budget, Stage.SELFEVAL)]
        progress = UnitProgress(budget.unit.name, budget.fiscal_year, subs[0].submitted_on, subs[1].submitted_on,
                                budget.unit.code)
        unit_late = late_units([progress], today, t.rules)
        late += unit_late
        line.late = [u.stage for u in unit_late]
        if not t.ok:
            line.error = "；".join(t.problems)
            continue
        try:
            monitoring = check(t, Stage.MIDYEAR, data_of(mid)).monitoring if mid is not None else None
            evaluation = check(t, Stage.SELFEVAL, data_of(self_)).evaluation if self_ is not None else None
        except SourceError as exc:
            line.error = "；".join(p.message for p in exc.problems)
            continue
        unit_rows = overview_rows(t.budget, t.rules, today, subs, monitoring, evaluation, picked.get(budget.id, ()))
        for row in unit_rows:
            row.unit = budget.unit.name
        if evaluation is not None and evaluation.department is not None:
            line.department_score, line.department_grade = evaluation.department.total, evaluation.department.grade
        line.average = average_score([r for r in unit_rows if r.code != DEPARTMENT])
        suggested |= {(budget.id, r.code) for r in suggest_key_evaluation(unit_rows, t.rules)}
        rows += [(budget, row) for row in unit_rows]
    late.sort(key=lambda u: (-u.days_late, u.unit))
    return Dashboard(year, years, today, units, rows, late, suggested)


def pick_key_evaluations(db: Session, user: User, year: int, shown: list[tuple[int, str]],
                         picked: set[tuple[int, str]]) -> tuple[int, int]:
    """Store the picks among the rows shown (a row shown and not ticked is unpicked). Returns
    (added, removed)."""
    if not can_pick(user):
        raise services.Forbidden("只有财政局可以选定重点绩效评价项目。")
    budgets = {b.id: b for b in open_budgets(db, year)}
    stored = {(k.budget_id, k.project_code): k for k in db.scalars(
        select(KeyEvaluation).where(KeyEvaluation.fiscal_year == year))}
    added = removed = 0
    for budget_id, code in shown:
        budget = budgets.get(budget_id)
        if budget is None:
            raise services.Refused("所选项目不属于该年度已批复的预算。")
        t = targets(budget)
        names = {p.pro_code: p.pro_name for p in t.budget.projects}
        names[DEPARTMENT] = f"{budget.unit.name}（部门整体）"
        if code not in names:
            raise services.Refused(f"预算中没有项目 {code}。")
        key = (budget_id, code)
        if key in picked and key not in stored:
            db.add(KeyEvaluation(budget_id=budget_id, fiscal_year=year, project_code=code,
                                 project_name=names[code][:300], picked_by=user.username, picked_at=utcnow()))
            services.audit(db, budget, user, "key-eval", f"重点绩效评价 {code} {names[code]}", "", "已选定")
            added += 1
        elif key not in picked and key in stored:
            db.delete(stored[key])
            services.audit(db, budget, user, "key-eval", f"重点绩效评价 {code} {names[code]}", "已选定", "已取消")
            removed += 1
    try:
        db.flush()
    except IntegrityError:
        raise services.ConflictError("他人刚刚修改了重点绩效评价的选定，请刷新后重试。") from None
    return added, removed


# --- the indicator library ----------------------------------------------------------------------


def library_for(doc: dict[str, Any] | None) -> Any:
    """The locality's indicator library (``IndicatorLibrary``), extended with every indicator the
    budget already uses, so that a unit's own indicators can be picked again; None when none exists."""
    from deptbudget.model.budget import Indicator
    from deptbudget.performance import load_library
    from deptbudget.performance.library import LibraryError

    template = str((doc or {}).get("template") or "")
    try:
        library = load_library(locality_of_template(template))
    except LibraryError:
        return None
    own: list[Indicator] = []
    records = []
    for project in (doc or {}).get("projects") or []:
        if isinstance(project, dict):
            records += project.get("indicators") or []
    records += ((doc or {}).get("department_targets") or {}).get("indicators") or []
    for record in records:
        if isinstance(record, dict) and record.get("name") and record.get("level1") and record.get("level2"):
            own.append(Indicator(level1=str(record["level1"]), level2=str(record["level2"]), name=str(record["name"]),
                                 target=str(record.get("target") or "")))
    return library.extended(own)
