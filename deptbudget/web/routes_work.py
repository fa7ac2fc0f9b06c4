"""The work area: budgets of the signed-in user, the budget page (data, findings next to the data,
audit log, workflow actions), data entry (XLSX template, upload, forms) and the review steps.

Anyone who may not see a budget gets 404 (its existence is not revealed); a signed-in person who
may see it but not do an action gets 403; an anonymous visitor is sent to the login page (GET)
or refused with 403 (POST) — see ``deps``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, Response
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from deptbudget.sources.errors import SourceError
from deptbudget.store.models import ROLE_ADMIN, ROLE_FINANCE, ROLE_PREPARER, Budget, Job, Unit
from deptbudget.web import budget_files, forms, jobs, save_check, services
from deptbudget.web import review_services as rs
from deptbudget.web import workflow as wf
from deptbudget.web.budget_pages import budget_page, edit_page, job_status, page_check
from deptbudget.web.context import (
    DEFAULT_MAX_FIELDS,
    Ctx,
    CtxDep,
    FormDep,
    HeavyDep,
    PageError,
    Upload,
    UploadDep,
    bounded_int,
    download,
    finish,
    read_form,
    redirect,
    render,
    to_int,
)
from deptbudget.web.deps import BudgetDep, LoginDep
from deptbudget.web.paging import page_number, page_of_list

router = APIRouter()
WORK_PAGE_SIZE = 50


# --- dashboard ----------------------------------------------------------------------------------


@router.get("/work")
def dashboard(ctx: Ctx = LoginDep) -> Response:
    assert ctx.user is not None
    budgets = services.visible_budgets(ctx.db, ctx.user)
    workflow = ctx.workflow
    todo = [b for b in budgets if wf.can_edit(ctx.user, b) or wf.can_decide(ctx.user, b, workflow)
            or wf.can_publish(ctx.user, b, workflow)]
    units: list[Unit] = []
    if ctx.user.role == ROLE_PREPARER and ctx.user.unit is not None:
        units = [ctx.user.unit]
    elif ctx.user.role in (ROLE_ADMIN, ROLE_FINANCE):
        units = list(ctx.db.scalars(select(Unit).order_by(Unit.code)))
    listing = page_of_list(budgets, page_number(ctx.request.query_params.get("page")), WORK_PAGE_SIZE, "/work")
    return render(ctx, "work.html", budgets=listing.items, budgets_page=listing, todo=todo, units=units)


@router.post("/work/budgets")
def create(ctx: Ctx = LoginDep, form: dict[str, str] = FormDep) -> Response:
    year = bounded_int(form.get("fiscal_year", ""), 1900, 2999)
    unit_id = bounded_int(form.get("unit_id", ""))
    if year is None or unit_id is None:
        raise PageError(400, "请填写预算年度（四位数字）并选择单位。")
    unit = ctx.db.get(Unit, unit_id)
    if unit is None:
        raise PageError(404, "找不到该单位。")
    try:
        budget = services.create_budget(ctx.db, unit, year, ctx.user)
    except services.ServiceError as exc:
        ctx.db.rollback()
        raise PageError(exc.status, exc.message) from None
    ctx.db.commit()
    return redirect(ctx, f"/work/budgets/{budget.id}", f"已新建 {unit.name} {year} 年预算（草稿）。")


# --- the budget page ----------------------------------------------------------------------------


@router.get("/work/budgets/{budget_id:id}")
def show(budget: Budget = BudgetDep, ctx: Ctx = CtxDep) -> Response:
    return budget_page(ctx, budget)


@router.get("/work/budgets/{budget_id:id}/preview")
def preview(budget: Budget = BudgetDep, ctx: Ctx = CtxDep) -> Response:
    """The disclosure as it would be published, computed from the working copy (not public)."""
    check = services.check_budget(budget)
    if check.disclosure is None:
        raise PageError(422, "预算数据有错误，暂时无法生成公开文件预览。请先改正预算页面上列出的问题。")
    from deptbudget.render.html import render_html

    html = render_html(check.disclosure)
    banner = ('<div style="background:#b00020;color:#fff;padding:8px 12px;font:14px sans-serif">'
              f'预览（{ctx.workflow.label(budget)}，未公开） · <a style="color:#fff" href="/work/budgets/{budget.id}">'
              '返回预算页面</a></div>')
    html = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + banner, html, count=1)
    return finish(ctx, Response(html, media_type="text/html; charset=utf-8"))


@router.get("/work/budgets/{budget_id:id}/template.xlsx")
def template(budget: Budget = BudgetDep, ctx: Ctx = CtxDep) -> Response:
    name = f"{budget.fiscal_year}-{budget.unit.code}-预算录入模板.xlsx"
    return download(ctx, budget_files.entry_template(budget), services.MEDIA["xlsx"][1], name)


@router.get("/work/budgets/{budget_id:id}/source")
def source(budget: Budget = BudgetDep, ctx: Ctx = CtxDep) -> Response:
    ext = budget.source_format
    name = f"{budget.fiscal_year}-{budget.unit.code}.{ext}"
    media = "application/json" if ext == "json" else "application/yaml"
    return download(ctx, budget.source.encode("utf-8"), f"{media}; charset=utf-8", name)


# --- upload -------------------------------------------------------------------------------------


@router.post("/work/budgets/{budget_id:id}/upload")
def upload(budget: Budget = BudgetDep, ctx: Ctx = CtxDep, posted: Upload = UploadDep,
           _slot: None = HeavyDep) -> Response:
    if not wf.can_edit(ctx.user, budget):
        raise PageError(403, "只有本单位的填报人可以在“草稿”状态下上传。")
    limit = ctx.settings.upload_limit
    if posted.too_large is not None:
        return budget_page(ctx, budget, 413, error=f"文件过大（{posted.too_large / 1048576:.1f} MB）：上限为 "
                                                   f"{limit / 1048576:.0f} MB。预算没有任何改动。")
    if not posted.filename:
        return budget_page(ctx, budget, 422, error="请选择要上传的文件。")
    data = posted.data
    if len(data) > limit:
        return budget_page(ctx, budget, 413, error=f"文件过大：上限为 {limit / 1048576:.0f} MB。预算没有任何改动。")
    if not data:
        return budget_page(ctx, budget, 422, error="上传的文件是空的。预算没有任何改动。")
    budget_id, filename = budget.id, posted.filename
    try:
        job = jobs.queue_upload(ctx.db, budget, ctx.user, filename, to_int(posted.fields.get("version", "")))
        job_id = job.id
        ctx.db.commit()
    except services.ConflictError as exc:
        ctx.db.rollback()
        return budget_page(ctx, ctx.db.get(Budget, budget_id), 409, error=exc.message)
    # Reading and checking the file is a background job (a worker process): the page shows its progress.
    runner: jobs.JobRunner = ctx.app.state.jobs
    runner.start_upload(job_id, data)
    if ctx.settings.job_wait > 0 and runner.wait(ctx.settings.job_wait):
        job = ctx.db.get(Job, job_id)
        ctx.db.refresh(job)
        result = jobs.result_of(job)
        if job.state == jobs.FAILED:
            return budget_page(ctx, ctx.db.get(Budget, budget_id), int(result.get("status", 422)), error=job.message,
                               problems=jobs.problems_of(result))
        return redirect(ctx, f"/work/budgets/{budget_id}", upload_message(filename, result))
    return redirect(ctx, f"/work/budgets/{budget_id}", f"已收到 {filename}：正在后台读取和检查，完成后本页显示结果。")


def upload_message(filename: str, result: dict[str, object]) -> str:
    """What a finished upload says: its changes, and its problems (placed next to the data)."""
    message = f"已上传 {filename}：{result.get('changes', 0)} 处修改。"
    problems = result.get("problems")
    if isinstance(problems, list) and problems:
        message += f"发现 {len(problems)} 处问题，已在下方数据旁标出。"
    return message


# --- forms --------------------------------------------------------------------------------------


def section_of(key: str) -> forms.Section:
    section = forms.SECTIONS.get(key)
    if section is None:
        raise PageError(404, "没有这个栏目。")
    return section


async def posted_section(key: str, ctx: Ctx = CtxDep) -> dict[str, str]:
    """A section's posted form (CSRF checked), with the section's field cap."""
    section = forms.SECTIONS.get(key)
    return await read_form(ctx, forms.max_fields(section) if section is not None else DEFAULT_MAX_FIELDS)


SectionFormDep = Depends(posted_section)


@router.get("/work/budgets/{budget_id:id}/edit/{key}")
def edit_form(key: str, budget: Budget = BudgetDep, ctx: Ctx = CtxDep) -> Response:
    section = section_of(key)
    if not wf.can_edit(ctx.user, budget):
        raise PageError(403, "只有本单位的填报人可以在“草稿”状态下修改。")
    try:
        page = edit_page(ctx, budget, section)
    except SourceError:
        raise PageError(422, "源文件有语法错误，无法用表单编辑：请上传改正后的文件。") from None
    ctx.app.state.jobs.prepare_parts(budget)  # its first save then writes only what it changes
    return page


@router.post("/work/budgets/{budget_id:id}/edit/{key}")
def edit_save(key: str, _slot: None = HeavyDep, ctx: Ctx = LoginDep, form: dict[str, str] = SectionFormDep,
              budget: Budget = BudgetDep) -> Response:
    """A section's form saved. The save waits for its slot first (``HeavyDep``: on the event loop,
    first come, first served), before its session is looked up and its form read: a burst of saves
    then does that work a slot at a time instead of in as many threads, and takes as many database
    connections as slots, not one per save waiting."""
    section = section_of(key)
    if not wf.can_edit(ctx.user, budget):
        raise PageError(403, "只有本单位的填报人可以在“草稿”状态下修改。")
    posted_rows = forms.rows_from_posted(section, form) if section.table is not None else None
    posted_values = {f.path: form.get(f"f.{f.path}", "") for f in section.fields} if section.table is None else None
    budget_id = budget.id
    try:
        doc = services.document_of(budget)
        new_doc = forms.apply_section(doc, section, form)
        changes = services.save_document(ctx.db, budget, ctx.user, new_doc, to_int(form.get("version")), old_doc=doc)
        ctx.db.commit()
    except (services.ConflictError, StaleDataError) as exc:
        ctx.db.rollback()
        fresh = ctx.db.get(Budget, budget_id)
        ctx.db.refresh(fresh)
        message = exc.message if isinstance(exc, services.ConflictError) else "保存冲突：他人刚刚修改了这份预算。"
        message += "下面保留了您填写的内容；确认后再次保存即以您的内容为准。"
        return edit_page(ctx, fresh, section, 409, message, posted_rows, posted_values, version=fresh.version)
    except services.ServiceError as exc:
        ctx.db.rollback()
        return edit_page(ctx, budget, section, exc.status, exc.message, posted_rows, posted_values)
    # The save checks only what the form holds; the whole budget is checked in the background.
    message = f"已保存“{section.title}”：{len(changes)} 处修改。"
    message += save_check.message(save_check.section_problems(section, form, budget.fiscal_year))
    check = services.known_check(budget.source, budget.source_format)
    if check is None:
        ctx.app.state.jobs.request_check(budget)
        message += "正在后台检查整份预算，结果见预算页面。"
    elif check.problems or check.errors:
        message += f"仍有 {len(check.problems) + len(check.errors)} 个问题，已在数据旁标出。"
    return redirect(ctx, f"/work/budgets/{budget.id}#{section.key}", message)


@router.get("/work/budgets/{budget_id:id}/status")
def status(budget: Budget = BudgetDep, ctx: Ctx = CtxDep) -> Response:
    """Whether the budget's background check, publication or upload is still under way (the page asks)."""
    checking = page_check(ctx, budget)[1]
    running = job_status(ctx, budget)
    job, upload = running["publish_job"], running["upload_job"]
    return JSONResponse({"checking": checking, "publishing": job is not None and job.state in jobs.ACTIVE,
                         "publish_state": job.state if job is not None else "",
                         "uploading": upload is not None and upload.state in jobs.ACTIVE,
                         "upload_state": upload.state if upload is not None else ""},
                        headers={"Cache-Control": "no-store"})


# --- workflow actions ---------------------------------------------------------------------------


def _action(ctx: Ctx, budget: Budget, form: dict[str, str], run: Callable[[Budget, dict[str, str]], str]) -> Response:
    """Run the service on the posted form, commit; a refusal or a conflict shows the budget page again."""
    budget_id = budget.id
    try:
        message = run(budget, form)
        ctx.db.commit()
    except services.Refused as exc:
        ctx.db.rollback()
        return budget_page(ctx, ctx.db.get(Budget, budget_id), exc.status, error=exc.message,
                           problems=exc.problems, findings=exc.findings, posted=form)
    except services.Forbidden as exc:
        ctx.db.rollback()
        raise PageError(403, exc.message) from None
    except (services.ConflictError, StaleDataError) as exc:
        ctx.db.rollback()
        fresh = ctx.db.get(Budget, budget_id)
        ctx.db.refresh(fresh)
        text = exc.message if isinstance(exc, services.ConflictError) else "操作冲突：他人刚刚修改了这份预算。"
        return budget_page(ctx, fresh, 409, error=text, posted=form)
    return redirect(ctx, f"/work/budgets/{budget_id}", message)


@router.post("/work/budgets/{budget_id:id}/submit")
def submit(budget: Budget = BudgetDep, ctx: Ctx = CtxDep, form: dict[str, str] = FormDep,
           _slot: None = HeavyDep) -> Response:
    def run(budget: Budget, form: dict[str, str]) -> str:
        services.submit(ctx.db, budget, ctx.user, to_int(form.get("version")), form.get("explanation", ""),
                        ctx.workflow)
        return "已提交，等待" + (ctx.workflow.steps[0].name) + "。"
    return _action(ctx, budget, form, run)


@router.post("/work/budgets/{budget_id:id}/approve")
def approve(budget: Budget = BudgetDep, ctx: Ctx = CtxDep, form: dict[str, str] = FormDep,
           _slot: None = HeavyDep) -> Response:
    def run(budget: Budget, form: dict[str, str]) -> str:
        rs.decide_step(ctx.db, budget, ctx.user, ctx.workflow, "approve", to_int(form.get("version")),
                       form.get("comment", ""))
        return f"已审核通过：{ctx.workflow.label(budget)}。"
    return _action(ctx, budget, form, run)


@router.post("/work/budgets/{budget_id:id}/return")
def send_back(budget: Budget = BudgetDep, ctx: Ctx = CtxDep, form: dict[str, str] = FormDep,
           _slot: None = HeavyDep) -> Response:
    def run(budget: Budget, form: dict[str, str]) -> str:
        rs.decide_step(ctx.db, budget, ctx.user, ctx.workflow, "return", to_int(form.get("version")),
                       form.get("comment", ""))
        return "已退回填报单位（草稿）。"
    return _action(ctx, budget, form, run)


@router.post("/work/budgets/{budget_id:id}/publish")
def publish(budget: Budget = BudgetDep, ctx: Ctx = CtxDep, form: dict[str, str] = FormDep,
           _slot: None = HeavyDep) -> Response:
    """Publishing is a background job (checking and rendering every format take seconds): the page
    shows its progress and, when done, the version; a failure is shown with its reason."""
    started: list[int] = []

    def run(budget: Budget, form: dict[str, str]) -> str:
        job = jobs.queue_publish(ctx.db, budget, ctx.user, to_int(form.get("version")), form.get("note", ""),
                                 ctx.workflow)
        started.append(job.id)
        return "已开始公开：正在检查并生成各格式文件，完成后本页显示结果。"
    response = _action(ctx, budget, form, run)
    if started:
        runner: jobs.JobRunner = ctx.app.state.jobs
        runner.start_publish(started[0])
        if ctx.settings.job_wait > 0 and runner.wait(ctx.settings.job_wait):
            job = ctx.db.get(Job, started[0])
            ctx.db.refresh(job)
            result = jobs.result_of(job)
            if job.state == jobs.DONE:
                return redirect(ctx, f"/work/budgets/{budget.id}",
                                f"已公开第 {result['number']} 版（SHA-256 {result['content_hash'][:16]}…）。")
            return redirect(ctx, f"/work/budgets/{budget.id}", "公开失败：" + job.message.split("\n", 1)[0])
    return response


@router.post("/work/budgets/{budget_id:id}/reopen")
def reopen(budget: Budget = BudgetDep, ctx: Ctx = CtxDep, form: dict[str, str] = FormDep,
           _slot: None = HeavyDep) -> Response:
    def run(budget: Budget, form: dict[str, str]) -> str:
        services.reopen(ctx.db, budget, ctx.user, to_int(form.get("version")), form.get("reason", ""), ctx.workflow)
        return "已退回草稿以便更正；已公开的版本保持不变，更正后公开为新版本。"
    return _action(ctx, budget, form, run)
