"""The reviewer's checklist (公开情况检查表, issue 8) on a submitted budget, independent of HTTP.

The checklist is filled by ``deptbudget.review`` — the engine ``deptbudget review`` uses — from the
disclosure computed from the budget's source. Reviewers then act on it, item by item, and every act
is a row of ``checklist_marks`` (only ever added, and audited):

- **confirm** the item's verdict;
- **override** the verdict (是 / 否 / 未提供) with a reason — an overridden item scores its full points
  (是), 0 (否) as a failed structural check does, or is left out of the score (未提供);
- **add a finding** (error / warning / note, place, text) — it counts like a rule's finding.

Marks belong to a review round: the n-th submission of the budget (counted in the audit log). The
reviewers of later steps of the same round see and build on the earlier steps' marks; a budget sent
back and submitted again starts a fresh checklist. When a step approves or returns the budget, the
final checklist is stored (``checklist_records``: items as JSON and the review package's XLSX and
HTML), never to change.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from threading import Lock

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deptbudget.review import Review, Reviewer
from deptbudget.review.engine import ItemResult, decide, total_score
from deptbudget.review.structure import Dates
from deptbudget.rules.registry import Finding, Severity
from deptbudget.store.models import (
    ROLE_ADMIN,
    ROLE_DEPT,
    ROLE_FINANCE,
    AuditEntry,
    Budget,
    ChecklistMark,
    ChecklistRecord,
    PublishedVersion,
    User,
    utcnow,
)
from deptbudget.web import services, times
from deptbudget.web import workflow as wf
from deptbudget.web.cache import LRUCache

REVIEWER_FINDING = "审核人补充"
REVIEWER_OVERRIDE = "审核人改判"
VERDICTS = ("pass", "fail", "unknown")
KINDS = ("confirm", "override", "finding")
REVIEWER_ROLES = (ROLE_DEPT, ROLE_FINANCE, ROLE_ADMIN)


# --- permissions --------------------------------------------------------------------------------


def can_see(user: User | None, budget: Budget) -> bool:
    """The live checklist: reviewers (and administrators) of a budget that has been submitted."""
    return (user is not None and user.role in REVIEWER_ROLES and wf.can_view(user, budget)
            and budget.state != wf.DRAFT)


def can_mark(user: User | None, budget: Budget, workflow: wf.Workflow) -> bool:
    """Confirm, override and add: the reviewer whose step it is."""
    return wf.can_decide(user, budget, workflow)


# --- the engine's checklist ---------------------------------------------------------------------

REVIEW_CACHE: LRUCache[tuple[str, ...], Review | None] = LRUCache(16)
_RUN_LOCK = Lock()  # one review at a time: the reviewer's rule context is shared
_REVIEWER: Reviewer | None = None


def _reviewer() -> Reviewer:
    global _REVIEWER
    if _REVIEWER is None:
        _REVIEWER = Reviewer()
    return _REVIEWER


def source_hash(budget: Budget) -> str:
    return hashlib.sha256(budget.source.encode("utf-8")).hexdigest()


def review_dates(db: Session, budget: Budget, workflow: wf.Workflow) -> Dates:
    """批复日期 (the last step's approval) and 公开日期 (the newest published version), when known."""
    approved_label = workflow.steps[-1].approved
    approved = db.scalar(select(func.max(AuditEntry.at)).where(
        AuditEntry.budget_id == budget.id, AuditEntry.action == "approve", AuditEntry.new == approved_label))
    published = db.scalar(select(func.max(PublishedVersion.published_at)).where(
        PublishedVersion.budget_id == budget.id)) if budget.state == wf.PUBLISHED else None
    return Dates(times.local_date(approved) if approved else None,  # the day in the locality
                 times.local_date(published) if published else None)


def engine_review(budget: Budget, dates: Dates) -> Review | None:
    """The checklist as ``deptbudget review`` fills it; None when the disclosure cannot be computed.
    Cached by the source's content and the dates."""
    key = (budget.source_format, source_hash(budget), str(dates.approved), str(dates.published))
    return REVIEW_CACHE.get_or_make(key, lambda: _review(budget, dates, key[1]))


def _review(budget: Budget, dates: Dates, digest: str) -> Review | None:
    check = services.check_budget(budget)
    if check.disclosure is None:
        return None
    label = f"{budget.unit.name} {budget.fiscal_year} 年部门预算（工作稿 SHA-256 {digest[:12]}…）"
    with _RUN_LOCK:
        return _reviewer().review(check.disclosure, dates, label)


# --- marks --------------------------------------------------------------------------------------


def current_round(db: Session, budget: Budget) -> int:
    """The review round: how many times the budget has been submitted."""
    return int(db.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.budget_id == budget.id, AuditEntry.action == "submit")) or 0)


def marks_of(db: Session, budget: Budget, round_: int) -> list[ChecklistMark]:
    return list(db.scalars(select(ChecklistMark).where(ChecklistMark.budget_id == budget.id,
                                                       ChecklistMark.round == round_).order_by(ChecklistMark.id)))


@dataclass
class ItemView:
    """One checklist item as a reviewer sees it."""

    result: ItemResult  # the final one (marks applied)
    engine_status: str
    override: ChecklistMark | None = None
    added: list[ChecklistMark] = field(default_factory=list)
    confirmations: list[ChecklistMark] = field(default_factory=list)  # since the item last changed
    last_mark: int = 0

    @property
    def item_id(self) -> str:
        return self.result.item.id


@dataclass
class Checklist:
    review: Review  # the final checklist (marks applied): what the writers export
    engine: Review  # as the rules filled it
    items: list[ItemView]
    marks: list[ChecklistMark]
    round: int

    def item(self, item_id: str) -> ItemView | None:
        return next((v for v in self.items if v.item_id == item_id), None)


def _verdict(review: Review, status: str) -> str:
    return review.verdict(status) if status in review.checklist.verdicts else status


def _step_name(workflow: wf.Workflow, key: str) -> str:
    return next((s.name for s in workflow.steps if s.key == key), key)


def apply_marks(engine: Review, marks: list[ChecklistMark], workflow: wf.Workflow) -> tuple[Review, list[ItemView]]:
    """The engine's checklist with the reviewers' marks: added findings decide with the rules' findings;
    an override decides the item; confirmations are listed in the notes."""
    by_item: dict[str, list[ChecklistMark]] = {}
    for mark in marks:
        by_item.setdefault(mark.item_id, []).append(mark)
    results: list[ItemResult] = []
    views: list[ItemView] = []
    added_all: list[Finding] = []
    for engine_result in engine.items:
        item = engine_result.item
        item_marks = by_item.get(item.id, [])
        added = [m for m in item_marks if m.kind == "finding"]
        extra = [Finding(message=m.text, table=m.place or None, severity=Severity(m.severity), rule=REVIEWER_FINDING)
                 for m in added]
        added_all += extra
        result = decide(item, engine_result.outcomes, engine_result.findings + extra, engine.checklist)
        override = next((m for m in reversed(item_marks) if m.kind == "override"), None)
        if override is not None:
            note = Finding(message=f"审核人将结论由“{_verdict(engine, result.status)}”改为"
                                   f"“{_verdict(engine, override.verdict)}”：{override.text}"
                                   f"（{override.username}，{times.stamp(override.at)}）",
                           table=_step_name(workflow, override.step), severity=Severity.NOTE, rule=REVIEWER_OVERRIDE)
            score = {"pass": item.points, "fail": Decimal(0)}.get(override.verdict)
            result = ItemResult(item, override.verdict, result.outcomes, result.findings + [note], score)
        changed = max((m.id for m in item_marks if m.kind != "confirm"), default=0)
        confirmations = [m for m in item_marks if m.kind == "confirm" and m.id > changed]
        results.append(result)
        views.append(ItemView(result, engine_result.status, override, added, confirmations,
                              max((m.id for m in item_marks), default=0)))
    notes = list(engine.notes)
    for step in workflow.steps:
        confirmed = sum(1 for v in views if any(m.step == step.key for m in v.confirmations))
        overridden = sum(1 for v in views if v.override is not None and v.override.step == step.key)
        added = sum(1 for m in marks if m.kind == "finding" and m.step == step.key)
        if confirmed or overridden or added:
            people = "、".join(dict.fromkeys(m.username for m in marks if m.step == step.key))
            notes.append(f"{step.name}（{people}）：确认 {confirmed} 项，改判 {overridden} 项，补充问题 {added} 个")
    score = total_score(results)
    final = replace(engine, items=results, findings=engine.findings + added_all, score=score,
                    grade=engine.checklist.scoring.grade(score), notes=notes)
    return final, views


def checklist(db: Session, budget: Budget, workflow: wf.Workflow) -> Checklist | None:
    """The live checklist of the current round; None when the disclosure cannot be computed."""
    engine = engine_review(budget, review_dates(db, budget, workflow))
    if engine is None:
        return None
    round_ = current_round(db, budget)
    marks = marks_of(db, budget, round_)
    final, views = apply_marks(engine, marks, workflow)
    return Checklist(final, engine, views, marks, round_)


def _expect(budget: Budget, expected_version: int | None) -> None:
    services.expect_version(budget.version, expected_version, lambda: (
        f"操作冲突：您打开页面之后，{budget.updated_by or '他人'} 已于 {times.stamp(budget.updated_at)} "
        "改变了这份预算（如审核、退回）。您的操作没有保存：请刷新页面后重试。"))


def add_mark(db: Session, budget: Budget, user: User, workflow: wf.Workflow, item_id: str, kind: str,
             expected_version: int | None, seen: int | None, verdict: str = "", severity: str = "", place: str = "",
             text: str = "") -> ChecklistMark:
    """Confirm, override or add a finding on one item. ``seen`` is the item's newest mark on the page
    the reviewer acted from: when someone marked the item since, nothing is written (conflict)."""
    if not can_mark(user, budget, workflow):
        raise services.Forbidden("当前不是您的审核步骤，不能修改检查表。")
    _expect(budget, expected_version)
    live = checklist(db, budget, workflow)
    if live is None:
        raise services.Refused("预算无法生成公开文件，检查表不可用。")
    view = live.item(item_id)
    if view is None:
        raise services.Refused("检查表中没有这一项。")
    if kind not in KINDS:
        raise services.Refused("未知的检查表操作。")
    if seen is not None and seen != view.last_mark:
        newest = next(m for m in reversed(live.marks) if m.id == view.last_mark)
        raise services.ConflictError(
            f"检查表冲突：您打开页面之后，{newest.username} 已于 {times.stamp(newest.at)} 修改了“"
            f"{view.result.item.content}”这一项。您的操作没有保存：请看过最新内容后重试。")
    text, place = text.strip(), place.strip()
    if kind == "override":
        if verdict not in VERDICTS:
            raise services.Refused("请选择改判后的结论。")
        if not text:
            raise services.Refused("改判时必须填写理由。")
    if kind == "finding":
        if severity not in ("error", "warning", "note"):
            raise services.Refused("请选择问题的严重程度。")
        if not text:
            raise services.Refused("请填写问题说明。")
    step = workflow.current_step(budget)
    assert step is not None
    mark = ChecklistMark(budget_id=budget.id, round=live.round, step=step.key, item_id=item_id, kind=kind,
                         verdict=verdict if kind == "override" else (view.result.status if kind == "confirm" else ""),
                         severity=severity if kind == "finding" else "", place=place[:200] if kind == "finding" else "",
                         text=text, username=user.username, role=user.role, at=utcnow())
    db.add(mark)
    what = f"检查表 {view.result.item.content}"[:300]
    review = live.review
    if kind == "confirm":
        services.audit(db, budget, user, "checklist", what, "", f"确认：{_verdict(review, view.result.status)}")
    elif kind == "override":
        services.audit(db, budget, user, "checklist", what, _verdict(review, view.result.status),
                       _verdict(review, verdict), f"改判理由：{text}")
    else:
        where = f"{place}：" if place else ""
        services.audit(db, budget, user, "checklist", what, "", f"补充问题【{Severity(severity).label}】{where}{text}")
    db.flush()
    return mark


def confirm_all(db: Session, budget: Budget, user: User, workflow: wf.Workflow,
                expected_version: int | None) -> int:
    """Confirm every item not yet confirmed at this step since it last changed (one audit entry)."""
    if not can_mark(user, budget, workflow):
        raise services.Forbidden("当前不是您的审核步骤，不能修改检查表。")
    _expect(budget, expected_version)
    live = checklist(db, budget, workflow)
    if live is None:
        raise services.Refused("预算无法生成公开文件，检查表不可用。")
    step = workflow.current_step(budget)
    assert step is not None
    todo = [v for v in live.items if not any(m.step == step.key for m in v.confirmations)]
    for view in todo:
        db.add(ChecklistMark(budget_id=budget.id, round=live.round, step=step.key, item_id=view.item_id,
                             kind="confirm", verdict=view.result.status, username=user.username, role=user.role,
                             at=utcnow()))
    if todo:
        services.audit(db, budget, user, "checklist", "检查表 全部确认", "", f"确认 {len(todo)} 项")
        db.flush()
    return len(todo)


# --- stored checklists --------------------------------------------------------------------------


def items_json(final: Review, views: list[ItemView]) -> str:
    out = []
    for view in views:
        result = view.result
        out.append({
            "id": result.item.id, "group": result.item.group, "content": result.item.content,
            "points": str(result.item.points), "engine": view.engine_status, "status": result.status,
            "verdict": _verdict(final, result.status),
            "score": None if result.score is None else str(result.score),
            "override": None if view.override is None else {
                "verdict": view.override.verdict, "reason": view.override.text, "by": view.override.username,
                "at": view.override.at.isoformat(timespec="seconds")},
            "confirmed": [{"step": m.step, "by": m.username, "at": m.at.isoformat(timespec="seconds")}
                          for m in view.confirmations],
            "findings": [f.to_dict() for f in result.findings],
        })
    return json.dumps(out, ensure_ascii=False)


def export(review: Review, fmt: str) -> bytes:
    """The checklist written by the review package's writers (``xlsx`` or ``html``)."""
    from deptbudget.review.html_report import render_review_html
    from deptbudget.review.xlsx_report import write_review_xlsx

    if fmt == "html":
        return render_review_html(review).encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="deptbudget-checklist-") as tmp:
        path = Path(tmp) / "checklist.xlsx"
        write_review_xlsx(review, path)
        return path.read_bytes()


def store_record(db: Session, budget: Budget, user: User, workflow: wf.Workflow, step: wf.Step,
                 decision: str) -> ChecklistRecord | None:
    """Store the final checklist with a review decision (``approve`` or ``return``), in the
    decision's transaction. Call it before the state changes (the marks are the current round's)."""
    live = checklist(db, budget, workflow)
    if live is None:
        services.audit(db, budget, user, "checklist", "检查表", "", "未保存：预算无法生成公开文件")
        return None
    record = ChecklistRecord(
        budget_id=budget.id, round=live.round, step=step.key, step_name=step.name, decision=decision, at=utcnow(),
        username=user.username, checklist=live.review.checklist.name, score=str(live.review.score),
        grade=f"{live.review.grade.grade}（{live.review.grade.letter}）", source_sha256=source_hash(budget),
        items_json=items_json(live.review, live.items), xlsx=export(live.review, "xlsx"),
        html=export(live.review, "html").decode("utf-8"))
    db.add(record)
    db.flush()
    services.audit(db, budget, user, "checklist", "检查表", "", f"已保存：得分 {record.score}，等级 {record.grade}",
                   f"{step.name}{'审核通过' if decision == 'approve' else '退回'}")
    return record


def records_of(db: Session, budget: Budget) -> list[ChecklistRecord]:
    return list(db.scalars(select(ChecklistRecord).where(ChecklistRecord.budget_id == budget.id)
                           .order_by(ChecklistRecord.id.desc())))


# --- decisions ----------------------------------------------------------------------------------


DECISIONS = {"approve": services.approve, "return": services.send_back}


def decide_step(db: Session, budget: Budget, user: User, workflow: wf.Workflow, decision: str,
                expected_version: int | None, comment: str) -> None:
    """The reviewer's step approves (``approve``: ``services.approve``) or sends the budget back
    (``return``: ``services.send_back``); the final checklist is stored with the decision."""
    step = workflow.current_step(budget)
    DECISIONS[decision](db, budget, user, expected_version, comment, workflow)
    if step is not None:
        store_record(db, budget, user, workflow, step, decision)
