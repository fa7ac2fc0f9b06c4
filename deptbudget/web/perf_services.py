"""Performance management in the web system (issue 7), independent of HTTP.

A budget that the finance bureau has approved (or published) carries its performance cycle: the
mid-year monitoring (绩效运行监控) and the year-end self-evaluation (绩效自评). Each is a row of
``performance_reports``: the entered values as the performance module's ``Actuals`` in its
JSON-ready dict form (``actuals_to_dict`` shape, keyed canonically: project code → indicator name, or
``二级/名称`` where a name repeats), and the submission status of ``deptbudget.performance.workflow``
(未填报 → 填报中 → 已提交 → 已退回 / 已审核).

Every computation is the performance module's: ``build_tree``, ``check_actuals``, ``monitor``,
``self_evaluate``, its workflow transitions … This module only stores, checks permissions and writes the
audit log; the values are in ``perf_values``, the targets in ``perf_targets``, the files in ``perf_files``,
the finance bureau's view in ``perf_dashboard``.
Saving follows the budgets' rules: every form carries the version it was made from; a stale one gets
``ConflictError`` and nothing is written.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from deptbudget.performance import Stage
from deptbudget.performance import workflow as perf_wf
from deptbudget.store.models import ROLE_ADMIN, ROLE_FINANCE, ROLE_PREPARER, Budget, PerformanceReport, User, utcnow
from deptbudget.web import services, times
from deptbudget.web import workflow as wf
from deptbudget.web.perf_targets import targets
from deptbudget.web.perf_values import Checked, changes_of, check

OPEN_STATES = (wf.APPROVED, wf.PUBLISHED)  # the cycle runs on a budget the finance bureau approved
Status = perf_wf.Status
EDITABLE = (Status.NOT_STARTED, Status.DRAFT, Status.RETURNED)
DASHBOARD_ROLES = (ROLE_FINANCE, ROLE_ADMIN)  # the finance bureau's 绩效 dashboard
PICK_ROLES = (ROLE_FINANCE,)  # who picks the projects for 重点绩效评价


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
    return user is not None and user.role in DASHBOARD_ROLES


def can_pick(user: User | None) -> bool:
    return user is not None and user.role in PICK_ROLES



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


# --- saving and the workflow --------------------------------------------------------------------


def _expect(report: PerformanceReport | None, expected: int | None) -> None:
    current = report.version if report is not None else 0

    def conflict() -> str:
        who = report.updated_by if report is not None else "他人"
        when = f"{times.stamp(report.updated_at)}" if report is not None else ""
        return (f"保存冲突：您打开之后，{who or '他人'} 已于 {when} 修改了这份绩效填报（您看到的是第 {expected} 版，"
                f"现在是第 {current} 版）。您的修改没有保存，也没有丢失：请对照最新内容后重新提交。")

    services.expect_version(current, expected, conflict)


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

