"""The pages of a budget in the work area, rendered from its working copy: the budget page (data,
findings next to the data, audit log, published versions, workflow actions, the reviewer's
checklist) and a section's entry form. Handlers call these to show a page, also again with an error
after a refused action."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from deptbudget.review.wording import describe
from deptbudget.sources import xlsx_template as xt
from deptbudget.sources.entry_document import template_of
from deptbudget.sources.errors import Problem, SourceError
from deptbudget.store.models import AuditEntry, Budget, PublishedVersion
from deptbudget.web import forms, jobs, services
from deptbudget.web import review_services as rs
from deptbudget.web import workflow as wf
from deptbudget.web.context import Ctx, render
from deptbudget.web.paging import page_number, paginate
from deptbudget.web.perf_dashboard import library_for


@dataclass
class Located:
    """Messages (source problems and findings) placed next to the data they concern."""

    rows: dict[str, dict[int, list[tuple[str, str]]]] = field(default_factory=dict)  # section → row → (sev, msg)
    fields: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # field path → (sev, msg)
    sections: dict[str, int] = field(default_factory=dict)  # section → count of errors and warnings
    notes: dict[str, int] = field(default_factory=dict)  # section → count of notes (提示: no red badge)
    other: list[tuple[str, str, str]] = field(default_factory=list)  # (severity, where, message)

    def add(self, entry: xt.EntryDocument | None, path: str, severity: str, message: str, where: str = "") -> bool:
        if entry is None:
            return False
        place = entry.place(path)
        sheet, _, cell = place.partition("!")
        if not cell:
            return False
        row = int("".join(ch for ch in cell if ch.isdigit()) or 0)
        for key in forms.SECTION_ORDER:
            section = forms.SECTIONS[key]
            if section.table is not None and section.table.name == sheet:
                self.rows.setdefault(key, {}).setdefault(row - 2, []).append((severity, message))
                self._count(key, severity)
                return True
            if section.table is None and sheet in xt.KV_SHEETS and any(f.path == path.split("[")[0]
                                                                        for f in section.fields):
                self.fields.setdefault(path.split("[")[0], []).append((severity, message))
                self._count(key, severity)
                return True
        return False

    def _count(self, key: str, severity: str) -> None:
        counts = self.notes if severity == "note" else self.sections
        counts[key] = counts.get(key, 0) + 1


def locate(doc: dict[str, Any] | None, check: services.CheckResult) -> Located:
    located = Located()
    entry = None
    if doc is not None:
        entry = xt.assemble_document(doc.get("fiscal_year"), template_of(doc), xt.kv_values(doc),
                                     forms.records_of(doc))
    for problem in check.problems:
        if not located.add(entry, problem.place, "error", problem.message):
            located.other.append(("error", problem.place, problem.message))
    for finding in check.findings:
        text = finding.message
        if finding.expected or finding.actual:
            text += f"（应为 {finding.expected}，实为 {finding.actual}）"
        where = " ".join(x for x in (finding.table, finding.row, finding.column) if x)
        placed = False
        for path in finding.source_paths[:3]:
            placed = located.add(entry, path, finding.severity, f"[{finding.rule}] {where}: {text}") or placed
        if not placed:
            located.other.append((finding.severity, f"[{finding.rule}] {where}", text))
    return located


WORKFLOW_ACTIONS = ("submit", "approve", "return", "publish", "reopen")
AUDIT_PAGE_SIZE = 50


def audit_values(ctx: Ctx, budget: Budget) -> dict[str, Any]:
    """The budget's audit log, newest first, a page at a time (``?log=N``)."""
    log = paginate(ctx.db, select(AuditEntry).where(AuditEntry.budget_id == budget.id).order_by(AuditEntry.id.desc()),
                   page_number(ctx.request.query_params.get("log")), AUDIT_PAGE_SIZE, f"/work/budgets/{budget.id}",
                   param="log", fragment="#audit")
    return {"audit": log.items, "audit_page": log}


def standing_return(db: Session, budget: Budget) -> AuditEntry | None:
    """The 退回 entry (with its 退回意见) a draft was sent back with, whatever was logged after it
    (checklists, edits), until the budget moves on in the workflow again."""
    if budget.state != wf.DRAFT:
        return None
    last = db.scalar(select(AuditEntry).where(AuditEntry.budget_id == budget.id,
                                              AuditEntry.action.in_(WORKFLOW_ACTIONS))
                     .order_by(AuditEntry.id.desc()).limit(1))
    return last if last is not None and last.action == "return" else None


def published_versions(db: Session, budget: Budget) -> list[PublishedVersion]:
    return list(db.scalars(select(PublishedVersion).where(PublishedVersion.budget_id == budget.id)
                           .order_by(PublishedVersion.number.desc())))


def checklist_values(ctx: Ctx, budget: Budget) -> dict[str, Any]:
    """What the budget page shows of the reviewer's checklist."""
    live = rs.checklist(ctx.db, budget, ctx.workflow) if rs.can_see(ctx.user, budget) else None
    return {"checklist": live, "checklist_records": rs.records_of(ctx.db, budget),
            "can_mark": rs.can_mark(ctx.user, budget, ctx.workflow), "describe_finding": describe,
            "reviewer_rules": (rs.REVIEWER_FINDING, rs.REVIEWER_OVERRIDE),
            "step_names": {s.key: s.name for s in ctx.workflow.steps}}


def page_check(ctx: Ctx, budget: Budget) -> tuple[services.CheckResult, bool]:
    """(the check of the budget's current source, whether it is still being made). The check runs in
    the background (after a save, or when a page first asks for a source not checked yet — a budget
    under review after a restart): the page shows 检查中… until it is there (and waits for it
    ``Settings.job_wait`` seconds); a page never checks the whole budget in its request."""
    found = services.known_check(budget.source, budget.source_format) or jobs.stored_check(ctx.db, budget)
    if found is not None:
        return found, False
    runner: jobs.JobRunner = ctx.app.state.jobs
    runner.request_check(budget)
    if ctx.settings.job_wait > 0:
        runner.wait(ctx.settings.job_wait)
        found = services.known_check(budget.source, budget.source_format) or jobs.stored_check(ctx.db, budget)
        if found is not None:
            return found, False
    return services.CheckResult(), True


def job_status(ctx: Ctx, budget: Budget) -> dict[str, Any]:
    """What the budget page shows of its background jobs: the check (``checking``), the newest
    publication while it runs, when it failed and the budget still waits for it, or when it made the
    version that is now public; and the newest upload while it is read, and its outcome until the
    budget is changed again."""
    job = jobs.latest(ctx.db, budget.id, jobs.PUBLISH)
    if job is not None and not (job.state in jobs.ACTIVE or (job.state == jobs.FAILED and budget.state == wf.APPROVED)
                                or (job.state == jobs.DONE and budget.state == wf.PUBLISHED)):
        job = None
    upload = jobs.latest(ctx.db, budget.id, jobs.UPLOAD)
    if upload is not None and upload.state not in jobs.ACTIVE and (
            upload.finished_at is None or upload.finished_at < budget.updated_at):
        upload = None  # the budget was changed after it: no longer news
    upload_result = jobs.result_of(upload) if upload is not None else {}
    return {"publish_job": job, "publish_result": jobs.result_of(job) if job is not None else {},
            "upload_job": upload, "upload_params": jobs.params_of(upload) if upload is not None else {},
            "upload_problems": jobs.problems_of(upload_result), "upload_result": upload_result,
            "job_labels": jobs.STATE_LABELS}


def budget_page(ctx: Ctx, budget: Budget, status: int = 200, error: str = "", problems: list[Problem] | None = None,
                findings: list[services.Finding] | None = None, posted: dict[str, str] | None = None) -> Response:
    check, checking = page_check(ctx, budget)
    status_of_jobs = job_status(ctx, budget)
    publishing = status_of_jobs["publish_job"] is not None and status_of_jobs["publish_job"].state in jobs.ACTIVE
    uploading = status_of_jobs["upload_job"] is not None and status_of_jobs["upload_job"].state in jobs.ACTIVE
    try:
        doc: dict[str, Any] | None = services.document_of(budget)
    except SourceError:
        doc = None
    records = forms.records_of(doc) if doc is not None else {}
    kv = xt.kv_values(doc) if doc is not None else {}
    workflow = ctx.workflow
    user = ctx.user
    versions = published_versions(ctx.db, budget)
    return render(
        ctx, "budget.html", status=status, budget=budget, check=check, doc=doc, records=records, kv=kv,
        located=locate(doc, check), sections=[forms.SECTIONS[k] for k in forms.SECTION_ORDER],
        **audit_values(ctx, budget), versions=versions,
        last_return=standing_return(ctx.db, budget),
        state_label=workflow.label(budget), step=workflow.current_step(budget),
        can_edit=wf.can_edit(user, budget), can_decide=wf.can_decide(user, budget, workflow),
        can_publish=wf.can_publish(user, budget, workflow), can_correct=wf.can_correct(user, budget, workflow),
        can_publish_final=bool(versions) and user is not None and user.role == workflow.publish_role,
        error=error, action_problems=problems or [], action_findings=findings or [], posted=posted or {},
        upload_limit=ctx.settings.upload_limit, perf_open=budget.state in (wf.APPROVED, wf.PUBLISHED),
        checking=checking, polling=checking or publishing or uploading, **status_of_jobs,
        **checklist_values(ctx, budget),
    )


def edit_page(ctx: Ctx, budget: Budget, section: forms.Section, status: int = 200, error: str = "",
              rows: list[list[str]] | None = None, values: dict[str, str] | None = None,
              version: int | None = None) -> Response:
    doc = services.document_of(budget)
    year = budget.fiscal_year
    if section.table is not None and rows is None:
        rows = forms.form_rows(section, forms.records_of(doc).get(section.key, []), year)
    elif section.table is not None:
        rows = rows + [["" for _ in section.table.columns] for _ in range(3)]
    if section.table is None and values is None:
        kv = xt.kv_values(doc)
        values = {f.path: forms.display(f.kind, kv.get(f.path), year) for f in section.fields}
    check, _ = page_check(ctx, budget)
    located = locate(doc, check)
    library = library_for(doc) if section.key == "indicators" else None
    return render(ctx, "edit.html", status=status, budget=budget, section=section, rows=rows or [],
                  values=values or {}, error=error, lists=forms.code_lists(year), located=located, library=library,
                  version=version if version is not None else budget.version, max_fields=forms.max_fields(section),
                  audit=services.audit_entries(ctx.db, budget, limit=10) if status == 409 else [])
