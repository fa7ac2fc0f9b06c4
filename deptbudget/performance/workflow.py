"""Persistence-agnostic state of the performance cycle, and the finance bureau's overview.

A ``Submission`` is one unit's report for one stage (绩效运行监控 or 绩效自评) of one year: draft →
submitted → returned (back to draft-like editing) / accepted. Transitions are pure functions that
return a new Submission with the event appended to its history; the caller (web system, CLI)
stores it wherever it likes and decides who may call which transition (roles, audit log).

``overview_rows`` flattens every unit's projects with their status, execution and score for the
finance bureau; ``filter_rows`` filters them; ``suggest_key_evaluation`` proposes projects for 重点
绩效评价 (large amounts, low grades, per the rules).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal

from deptbudget.model.budget import Budget
from deptbudget.model.money import round_half_up
from deptbudget.performance.actuals_model import Stage
from deptbudget.performance.labels import LabelledEnum
from deptbudget.performance.monitoring import MidyearMonitoring, deadline
from deptbudget.performance.rules import Rules
from deptbudget.performance.scoring import SelfEvaluation


class Status(LabelledEnum):
    NOT_STARTED = "not_started", "未填报"
    DRAFT = "draft", "填报中"
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "已退回"
    ACCEPTED = "accepted", "已审核"


class WorkflowError(ValueError):
    """A transition that is not allowed from the current status."""


@dataclass(frozen=True)
class Event:
    action: str  # save / submit / return / accept
    by: str
    at: datetime
    note: str = ""


@dataclass(frozen=True)
class Submission:
    unit: str
    fiscal_year: int
    stage: Stage
    status: Status = Status.NOT_STARTED
    submitted_on: date | None = None
    history: tuple[Event, ...] = ()
    agency_code: str | None = None


_ALLOWED = {
    "save": {Status.NOT_STARTED, Status.DRAFT, Status.RETURNED},
    "submit": {Status.NOT_STARTED, Status.DRAFT, Status.RETURNED},
    "return": {Status.SUBMITTED},
    "accept": {Status.SUBMITTED},
}
_TARGET = {"save": Status.DRAFT, "submit": Status.SUBMITTED, "return": Status.RETURNED, "accept": Status.ACCEPTED}


def transition(sub: Submission, action: str, by: str, at: datetime, note: str = "") -> Submission:
    if action not in _ALLOWED:
        raise WorkflowError(f"未知操作 (unknown action): {action}")
    if sub.status not in _ALLOWED[action]:
        raise WorkflowError(f"状态为「{sub.status.label}」时不能{_ACTION_LABEL[action]} "
                            f"(cannot {action} a {sub.status.value} submission)")
    if action == "return" and not note.strip():
        raise WorkflowError("退回须注明原因 (a return needs a note)")
    submitted_on = at.date() if action == "submit" else sub.submitted_on
    return replace(sub, status=_TARGET[action], submitted_on=submitted_on,
                   history=sub.history + (Event(action, by, at, note),))


_ACTION_LABEL = {"save": "保存", "submit": "提交", "return": "退回", "accept": "审核通过"}


def save(sub: Submission, by: str, at: datetime) -> Submission:
    return transition(sub, "save", by, at)


def submit(sub: Submission, by: str, at: datetime) -> Submission:
    return transition(sub, "submit", by, at)


def send_back(sub: Submission, by: str, at: datetime, note: str) -> Submission:
    return transition(sub, "return", by, at, note)


def accept(sub: Submission, by: str, at: datetime, note: str = "") -> Submission:
    return transition(sub, "accept", by, at, note)


def is_late(sub: Submission, today: date, rules: Rules) -> bool:
    due = deadline(sub.stage, sub.fiscal_year, rules)
    if sub.submitted_on is not None and sub.submitted_on <= today:
        return sub.submitted_on > due
    return today > due


# --- the finance bureau's overview -----------------------------------------------------------


@dataclass
class OverviewRow:
    unit: str
    fiscal_year: int
    code: str  # pro_code, or 部门整体
    name: str
    amount: Decimal  # 年初预算数 (元)
    midyear_status: Status = Status.NOT_STARTED
    selfeval_status: Status = Status.NOT_STARTED
    midyear_rate: Decimal | None = None  # % at the monitoring date
    midyear_flags: list[str] = field(default_factory=list)
    execution_rate: Decimal | None = None  # % at year end
    score: Decimal | None = None
    grade: str | None = None
    late: list[Stage] = field(default_factory=list)
    key_evaluation: bool = False  # picked for 重点绩效评价
    agency_code: str | None = None


def overview_rows(budget: Budget, rules: Rules, today: date,
                  submissions: Iterable[Submission] = (),
                  monitoring: MidyearMonitoring | None = None,
                  evaluation: SelfEvaluation | None = None,
                  picked: Iterable[str] = ()) -> list[OverviewRow]:
    """One row per project (and one for the department as a whole when evaluated) of one unit."""
    subs = {s.stage: s for s in submissions if s.fiscal_year == budget.fiscal_year}
    mid = subs.get(Stage.MIDYEAR) or Submission(budget.unit.name, budget.fiscal_year, Stage.MIDYEAR)
    self_ = subs.get(Stage.SELFEVAL) or Submission(budget.unit.name, budget.fiscal_year, Stage.SELFEVAL)
    late = [s.stage for s in (mid, self_) if is_late(s, today, rules)]
    picked_set = set(picked)
    mon = {p.code: p for p in monitoring.projects} if monitoring else {}
    ev = {e.code: e for e in evaluation.evaluations} if evaluation else {}
    rows = []
    entities = [(p.pro_code, p.pro_name, p.amount) for p in budget.projects]
    if evaluation and evaluation.department:
        entities.append((evaluation.department.code, evaluation.department.name, evaluation.department.approved))
    for code, name, amount in entities:
        row = OverviewRow(budget.unit.name, budget.fiscal_year, code, name, amount, mid.status, self_.status,
                          late=list(late), key_evaluation=code in picked_set, agency_code=budget.unit.agency_code)
        if code in mon:
            row.midyear_rate = mon[code].rate_percent
            row.midyear_flags = mon[code].flags
        if code in ev:
            row.execution_rate = ev[code].execution.percent
            row.score = ev[code].total
            row.grade = ev[code].grade
        rows.append(row)
    return rows


def filter_rows(rows: Sequence[OverviewRow], *, unit: str | None = None, grade: str | Iterable[str] | None = None,
                status: Status | None = None, stage: Stage = Stage.SELFEVAL, late: bool | None = None,
                min_score: Decimal | None = None, max_score: Decimal | None = None,
                flagged: bool | None = None, key_evaluation: bool | None = None,
                text: str = "") -> list[OverviewRow]:
    grades = {grade} if isinstance(grade, str) else (set(grade) if grade is not None else None)
    out = []
    for row in rows:
        row_status = row.midyear_status if stage is Stage.MIDYEAR else row.selfeval_status
        if unit is not None and row.unit != unit:
            continue
        if grades is not None and row.grade not in grades:
            continue
        if status is not None and row_status is not status:
            continue
        if late is not None and (stage in row.late) != late:
            continue
        if min_score is not None and (row.score is None or row.score < min_score):
            continue
        if max_score is not None and (row.score is None or row.score > max_score):
            continue
        if flagged is not None and bool(row.midyear_flags) != flagged:
            continue
        if key_evaluation is not None and row.key_evaluation != key_evaluation:
            continue
        if text and text not in row.name and text not in row.code and text not in row.unit:
            continue
        out.append(row)
    return out


def suggest_key_evaluation(rows: Sequence[OverviewRow], rules: Rules) -> list[OverviewRow]:
    """Projects the rules propose for 重点绩效评价: amount ≥ the threshold, or a low grade."""
    out = []
    for row in rows:
        if row.code == "部门整体":
            continue
        big = rules.key_min_amount is not None and row.amount >= rules.key_min_amount
        low = row.grade is not None and row.grade in rules.key_grades
        if big or low:
            out.append(row)
    return out


def average_score(rows: Sequence[OverviewRow]) -> Decimal | None:
    scores = [r.score for r in rows if r.score is not None]
    return round_half_up(sum(scores, Decimal(0)) / len(scores)) if scores else None
