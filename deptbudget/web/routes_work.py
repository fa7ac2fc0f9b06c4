"""The work area: budgets of the signed-in user, the budget page (data, findings next to the data,
audit log, workflow actions), data entry (XLSX template, upload, forms) and the review steps.

Anyone who may not see a budget gets 404 (its existence is not revealed); a signed-in person who
may see it but not do an action gets 403; an anonymous visitor is sent to the login page (GET)
or refused with 403 (POST).
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from starlette.datastructures import UploadFile

from deptbudget.sources import xlsx_template as xt
from deptbudget.sources.errors import Problem, SourceError
from deptbudget.store.documents import dump_document, load_document
from deptbudget.store.models import (
    ROLE_ADMIN,
    ROLE_DEPT,
    ROLE_FINANCE,
    ROLE_PREPARER,
    Budget,
    PublishedVersion,
    Unit,
)
from deptbudget.web import forms, services
from deptbudget.web import workflow as wf
from deptbudget.web.app import Ctx, CtxDep, PageError, finish, read_form, redirect, render

router = APIRouter()


class LoginRequired(PageError):
    def __init__(self) -> None:
        super().__init__(403, "请先登录。")


def _require_user(ctx: Ctx, method: str = "GET") -> None:
    if ctx.user is None:
        if method == "GET":
            raise _Redirect(f"/login?next={quote(str(ctx.request.url.path))}")
        raise PageError(403, "请先登录。")


class _Redirect(Exception):
    def __init__(self, url: str) -> None:
        self.url = url


def _budget(ctx: Ctx, budget_id: int, method: str = "GET") -> Budget:
    _require_user(ctx, method)
    budget = ctx.db.get(Budget, budget_id)
    if budget is None or not wf.can_view(ctx.user, budget):
        raise PageError(404, "找不到该预算，或您无权查看。")
    return budget


def visible_budgets(db: Session, user: Any) -> list[Budget]:
    query = select(Budget).join(Unit)
    if user.role == ROLE_PREPARER:
        query = query.where(Budget.unit_id == (user.unit_id or -1))
    elif user.role == ROLE_DEPT:
        query = query.where(Unit.department_id == (user.department_id or -1))
    elif user.role not in (ROLE_ADMIN, ROLE_FINANCE):
        return []
    return list(db.scalars(query.order_by(Budget.fiscal_year.desc(), Unit.code)))


def _handle_redirects(func):  # type: ignore[no-untyped-def]
    """Turn ``_Redirect`` (login needed) into a 303 response."""
    import functools
    import inspect

    if inspect.iscoroutinefunction(func):
        @functools.wraps(func)
        async def async_wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            try:
                return await func(*args, **kwargs)
            except _Redirect as exc:
                return redirect(kwargs["ctx"], exc.url)
        return async_wrapper

    @functools.wraps(func)
    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            return func(*args, **kwargs)
        except _Redirect as exc:
            return redirect(kwargs["ctx"], exc.url)
    return wrapper


# --- dashboard ----------------------------------------------------------------------------------


@router.get("/work")
@_handle_redirects
def dashboard(ctx: Ctx = CtxDep) -> Response:
    _require_user(ctx)
    budgets = visible_budgets(ctx.db, ctx.user)
    workflow = ctx.workflow
    todo = [b for b in budgets if wf.can_edit(ctx.user, b) or wf.can_decide(ctx.user, b, workflow)
            or wf.can_publish(ctx.user, b, workflow)]
    units: list[Unit] = []
    if ctx.user.role == ROLE_PREPARER and ctx.user.unit is not None:
        units = [ctx.user.unit]
    elif ctx.user.role in (ROLE_ADMIN, ROLE_FINANCE):
        units = list(ctx.db.scalars(select(Unit).order_by(Unit.code)))
    return render(ctx, "work.html", budgets=budgets, todo=todo, units=units)


@router.post("/work/budgets")
@_handle_redirects
async def create(ctx: Ctx = CtxDep) -> Response:
    _require_user(ctx, "POST")
    form = await read_form(ctx)
    try:
        year = int(form.get("fiscal_year", ""))
        unit_id = int(form.get("unit_id", ""))
    except ValueError:
        raise PageError(400, "请填写预算年度并选择单位。") from None
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


@dataclass
class Located:
    """Messages (source problems and findings) placed next to the data they concern."""

    rows: dict[str, dict[int, list[tuple[str, str]]]] = field(default_factory=dict)  # section → row → (sev, msg)
    fields: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # field path → (sev, msg)
    sections: dict[str, int] = field(default_factory=dict)  # section → count
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
                self.sections[key] = self.sections.get(key, 0) + 1
                return True
            if section.table is None and sheet in xt.KV_SHEETS and any(f.path == path.split("[")[0]
                                                                        for f in section.fields):
                self.fields.setdefault(path.split("[")[0], []).append((severity, message))
                self.sections[key] = self.sections.get(key, 0) + 1
                return True
        return False


def _locate(doc: dict[str, Any] | None, check: services.CheckResult) -> Located:
    located = Located()
    entry = None
    if doc is not None:
        entry = xt.assemble_document(doc.get("fiscal_year"), str(doc.get("template") or "shenzhen-15"),
                                     xt.kv_values(doc), forms.records_of(doc))
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


def _published(db: Session, budget: Budget) -> list[PublishedVersion]:
    return list(db.scalars(select(PublishedVersion).where(PublishedVersion.budget_id == budget.id)
                           .order_by(PublishedVersion.number.desc())))


def budget_page(ctx: Ctx, budget: Budget, status: int = 200, error: str = "", problems: list[Problem] | None = None,
                findings: list[services.Finding] | None = None, posted: dict[str, str] | None = None) -> Response:
    check = services.check_budget(budget)
    try:
        doc: dict[str, Any] | None = load_document(budget.source, budget.source_format)
    except SourceError:
        doc = None
    records = forms.records_of(doc) if doc is not None else {}
    kv = xt.kv_values(doc) if doc is not None else {}
    workflow = ctx.workflow
    user = ctx.user
    return render(
        ctx, "budget.html", status=status, budget=budget, check=check, doc=doc, records=records, kv=kv,
        located=_locate(doc, check), sections=[forms.SECTIONS[k] for k in forms.SECTION_ORDER],
        audit=services.audit_entries(ctx.db, budget), versions=_published(ctx.db, budget),
        state_label=workflow.label(budget), step=workflow.current_step(budget),
        can_edit=wf.can_edit(user, budget), can_decide=wf.can_decide(user, budget, workflow),
        can_publish=wf.can_publish(user, budget, workflow), can_correct=wf.can_correct(user, budget, workflow),
        error=error, action_problems=problems or [], action_findings=findings or [], posted=posted or {},
        upload_limit=ctx.app.state.settings.upload_limit, perf_open=budget.state in (wf.APPROVED, wf.PUBLISHED),
        **_review_values(ctx, budget),
    )


def _review_values(ctx: Ctx, budget: Budget) -> dict[str, Any]:
    from deptbudget.web.routes_review import page_values  # the checklist module builds on this one

    return page_values(ctx, budget)


@router.get("/work/budgets/{budget_id:int}")
@_handle_redirects
def show(budget_id: int, ctx: Ctx = CtxDep) -> Response:
    return budget_page(ctx, _budget(ctx, budget_id))


@router.get("/work/budgets/{budget_id:int}/preview")
@_handle_redirects
def preview(budget_id: int, ctx: Ctx = CtxDep) -> Response:
    """The disclosure as it would be published, computed from the working copy (not public)."""
    budget = _budget(ctx, budget_id)
    check = services.check_budget(budget)
    if check.disclosure is None:
        raise PageError(422, "预算数据有错误，暂时无法生成公开文件预览。请先改正预算页面上列出的问题。")
    from deptbudget.render.html import render_html

    html = render_html(check.disclosure)
    banner = ('<div style="background:#b00020;color:#fff;padding:8px 12px;font:14px sans-serif">'
              f'预览（{ctx.workflow.label(budget)}，未公开） · <a style="color:#fff" href="/work/budgets/{budget.id}">'
              '返回预算页面</a></div>')
    import re

    html = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + banner, html, count=1)
    return finish(ctx, Response(html, media_type="text/html; charset=utf-8"))


@router.get("/work/budgets/{budget_id:int}/template.xlsx")
@_handle_redirects
def template(budget_id: int, ctx: Ctx = CtxDep) -> Response:
    budget = _budget(ctx, budget_id)
    try:
        doc: Any = load_document(budget.source, budget.source_format)
    except SourceError:
        doc = {"fiscal_year": budget.fiscal_year, "unit": {"name": budget.unit.name}}
    with tempfile.TemporaryDirectory(prefix="deptbudget-template-") as tmp:
        path = Path(tmp) / "template.xlsx"
        xt.write_entry_template(doc, budget.fiscal_year, path, unit_code=budget.unit.code)
        data = path.read_bytes()
    name = f"{budget.fiscal_year}-{budget.unit.code}-预算录入模板.xlsx"
    return finish(ctx, Response(data, media_type=services.MEDIA["xlsx"][1], headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}))


@router.get("/work/budgets/{budget_id:int}/source")
@_handle_redirects
def source(budget_id: int, ctx: Ctx = CtxDep) -> Response:
    budget = _budget(ctx, budget_id)
    ext = budget.source_format
    name = f"{budget.fiscal_year}-{budget.unit.code}.{ext}"
    media = "application/json" if ext == "json" else "application/yaml"
    return finish(ctx, Response(budget.source.encode("utf-8"), media_type=f"{media}; charset=utf-8", headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}))


# --- upload -------------------------------------------------------------------------------------


class UploadRefused(Exception):
    def __init__(self, message: str, problems: list[Problem] | None = None, status: int = 422) -> None:
        self.message, self.problems, self.status = message, problems or [], status
        super().__init__(message)


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


def _upload_document(budget: Budget, filename: str, data: bytes) -> tuple[str, str, list[Problem]]:
    """The uploaded file → (source text, format, problems placed at cells). Raises UploadRefused
    when the file cannot be used at all (nothing is changed then)."""
    suffix = Path(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        with tempfile.TemporaryDirectory(prefix="deptbudget-upload-") as tmp:
            path = Path(tmp) / "upload.xlsx"
            path.write_bytes(data)
            try:
                entry = xt.read_entry_document(path, filename)
            except SourceError as exc:
                raise UploadRefused("上传的文件无法使用，预算没有任何改动：", exc.problems) from None
        if entry.fiscal_year != budget.fiscal_year:
            raise UploadRefused(f"这是 {entry.meta.get('fiscal_year') or '未知'} 年的模板，而本预算是 "
                                f"{budget.fiscal_year} 年：请下载本预算的模板。预算没有任何改动。")
        if entry.unit_code != budget.unit.code:
            raise UploadRefused(f"这是单位 {entry.meta.get('unit_name') or entry.unit_code or '未知'}"
                                f"（{entry.unit_code or '无代码'}）的模板，而本预算属于 {budget.unit.name}"
                                f"（{budget.unit.code}）：请下载本预算的模板。预算没有任何改动。")
        doc = entry.data
        problems = list(entry.problems)
        fmt = budget.source_format
    elif suffix in (".yaml", ".yml", ".json"):
        fmt = "json" if suffix == ".json" else "yaml"
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise UploadRefused("文件不是 UTF-8 文本，预算没有任何改动。") from None
        try:
            doc = load_document(text, fmt, filename)
        except SourceError as exc:
            raise UploadRefused("源文件有语法错误，预算没有任何改动：", exc.problems) from None
        problems = []
        year = doc.get("fiscal_year")
        if year != budget.fiscal_year:
            raise UploadRefused(f"源文件的预算年度是 {year}，而本预算是 {budget.fiscal_year} 年。预算没有任何改动。")
        entry = None
    else:
        raise UploadRefused("不支持的文件类型：请上传本系统的 XLSX 录入模板（.xlsx），或 YAML / JSON 预算源文件。")
    unit = doc.get("unit") if isinstance(doc.get("unit"), dict) else {}
    name = str(unit.get("name") or "").strip()
    code = str(unit.get("agency_code") or "").strip()
    if name and name != budget.unit.name:
        raise UploadRefused(f"文件中的单位名称“{name}”与本预算的单位“{budget.unit.name}”不一致。预算没有任何改动。")
    if code and code != budget.unit.code:
        raise UploadRefused(f"文件中的单位代码 {code} 与本预算的单位代码 {budget.unit.code} 不一致。预算没有任何改动。")
    doc = xt.normalize_document(doc)
    doc.setdefault("unit", {}).setdefault("name", budget.unit.name)
    doc["unit"].setdefault("agency_code", budget.unit.code)
    text = dump_document(doc, fmt)
    check = services.check_source(text, fmt, filename)
    if entry is not None:
        problems += xt.locate_problems(entry, check.problems, filename)
    else:
        problems += check.problems
    return text, fmt, problems


@router.post("/work/budgets/{budget_id:int}/upload")
@_handle_redirects
async def upload(budget_id: int, ctx: Ctx = CtxDep) -> Response:
    budget = _budget(ctx, budget_id, "POST")
    if not wf.can_edit(ctx.user, budget):
        raise PageError(403, "只有本单位的填报人可以在“草稿”状态下上传。")
    limit = ctx.app.state.settings.upload_limit
    length = _int(ctx.request.headers.get("content-length"))
    if length is not None and length > limit + 64 * 1024:
        return budget_page(ctx, budget, 413, error=f"文件过大（{length / 1048576:.1f} MB）：上限为 "
                                                   f"{limit / 1048576:.0f} MB。预算没有任何改动。")
    form = await ctx.request.form(max_files=1, max_fields=20)
    from deptbudget.web import auth

    if not auth.same_token(str(form.get("csrf_token", "")), ctx.csrf):
        raise PageError(403, "表单已过期或来源无法验证（CSRF 校验失败）：请返回上一页刷新后重试。")
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        return budget_page(ctx, budget, 422, error="请选择要上传的文件。")
    data = await file.read(limit + 1)
    if len(data) > limit:
        return budget_page(ctx, budget, 413, error=f"文件过大：上限为 {limit / 1048576:.0f} MB。预算没有任何改动。")
    if not data:
        return budget_page(ctx, budget, 422, error="上传的文件是空的。预算没有任何改动。")
    try:
        text, fmt, problems = _upload_document(budget, file.filename, data)
    except UploadRefused as exc:
        return budget_page(ctx, budget, exc.status, error=exc.message, problems=exc.problems)
    digest = hashlib.sha256(data).hexdigest()
    try:
        changes = services.save_source(ctx.db, budget, ctx.user, text, fmt, _int(str(form.get("version", ""))),
                                       action="upload", comment=f"上传 {file.filename}（SHA-256 {digest[:16]}…）")
        ctx.db.commit()
    except services.ConflictError as exc:
        ctx.db.rollback()
        return budget_page(ctx, ctx.db.get(Budget, budget_id), 409, error=exc.message + "（请重新上传该文件。）")
    except StaleDataError:
        ctx.db.rollback()
        return budget_page(ctx, ctx.db.get(Budget, budget_id), 409,
                           error="保存冲突：他人刚刚修改了这份预算。您的文件没有保存，请重新上传。")
    message = f"已上传 {file.filename}：{len(changes)} 处修改。"
    if problems:
        message += f"发现 {len(problems)} 处问题，已在下方数据旁标出。"
    return redirect(ctx, f"/work/budgets/{budget.id}", message)


# --- forms --------------------------------------------------------------------------------------


def _section(key: str) -> forms.Section:
    section = forms.SECTIONS.get(key)
    if section is None:
        raise PageError(404, "没有这个栏目。")
    return section


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
    check = services.check_budget(budget)
    located = _locate(doc, check)
    library = None
    if section.key == "indicators":
        from deptbudget.web.perf_dashboard import library_for

        library = library_for(doc)
    return render(ctx, "edit.html", status=status, budget=budget, section=section, rows=rows or [],
                  values=values or {}, error=error, lists=forms.code_lists(year), located=located, library=library,
                  version=version if version is not None else budget.version,
                  audit=services.audit_entries(ctx.db, budget, limit=10) if status == 409 else [])


@router.get("/work/budgets/{budget_id:int}/edit/{key}")
@_handle_redirects
def edit_form(budget_id: int, key: str, ctx: Ctx = CtxDep) -> Response:
    budget = _budget(ctx, budget_id)
    section = _section(key)
    if not wf.can_edit(ctx.user, budget):
        raise PageError(403, "只有本单位的填报人可以在“草稿”状态下修改。")
    try:
        return edit_page(ctx, budget, section)
    except SourceError:
        raise PageError(422, "源文件有语法错误，无法用表单编辑：请上传改正后的文件。") from None


@router.post("/work/budgets/{budget_id:int}/edit/{key}")
@_handle_redirects
async def edit_save(budget_id: int, key: str, ctx: Ctx = CtxDep) -> Response:
    budget = _budget(ctx, budget_id, "POST")
    section = _section(key)
    form = await read_form(ctx)
    if not wf.can_edit(ctx.user, budget):
        raise PageError(403, "只有本单位的填报人可以在“草稿”状态下修改。")
    posted_rows = forms.rows_from_posted(section, form) if section.table is not None else None
    posted_values = {f.path: form.get(f"f.{f.path}", "") for f in section.fields} if section.table is None else None
    try:
        doc = services.document_of(budget)
        new_doc = forms.apply_section(doc, section, form)
        changes = services.save_document(ctx.db, budget, ctx.user, new_doc, _int(form.get("version")), old_doc=doc)
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
    check = services.check_budget(budget)
    message = f"已保存“{section.title}”：{len(changes)} 处修改。"
    if check.problems or check.errors:
        message += f"仍有 {len(check.problems) + len(check.errors)} 个问题，已在数据旁标出。"
    return redirect(ctx, f"/work/budgets/{budget.id}#{section.key}", message)


# --- workflow actions ---------------------------------------------------------------------------


async def _action(ctx: Ctx, budget_id: int, run) -> Response:  # type: ignore[no-untyped-def]
    budget = _budget(ctx, budget_id, "POST")
    form = await read_form(ctx)
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


@router.post("/work/budgets/{budget_id:int}/submit")
@_handle_redirects
async def submit(budget_id: int, ctx: Ctx = CtxDep) -> Response:
    def run(budget: Budget, form: dict[str, str]) -> str:
        services.submit(ctx.db, budget, ctx.user, _int(form.get("version")), form.get("explanation", ""),
                        ctx.workflow)
        return "已提交，等待" + (ctx.workflow.steps[0].name) + "。"
    return await _action(ctx, budget_id, run)


def _store_checklist(ctx: Ctx, budget: Budget, step: wf.Step | None, decision: str) -> None:
    """The final checklist, stored with the decision in its transaction (``review_services``)."""
    from deptbudget.web import review_services

    if step is not None and ctx.user is not None:
        review_services.store_record(ctx.db, budget, ctx.user, ctx.workflow, step, decision)


@router.post("/work/budgets/{budget_id:int}/approve")
@_handle_redirects
async def approve(budget_id: int, ctx: Ctx = CtxDep) -> Response:
    def run(budget: Budget, form: dict[str, str]) -> str:
        step = ctx.workflow.current_step(budget)
        services.approve(ctx.db, budget, ctx.user, _int(form.get("version")), form.get("comment", ""),
                         ctx.workflow)
        _store_checklist(ctx, budget, step, "approve")
        return f"已审核通过：{ctx.workflow.label(budget)}。"
    return await _action(ctx, budget_id, run)


@router.post("/work/budgets/{budget_id:int}/return")
@_handle_redirects
async def send_back(budget_id: int, ctx: Ctx = CtxDep) -> Response:
    def run(budget: Budget, form: dict[str, str]) -> str:
        step = ctx.workflow.current_step(budget)
        services.send_back(ctx.db, budget, ctx.user, _int(form.get("version")), form.get("comment", ""),
                           ctx.workflow)
        _store_checklist(ctx, budget, step, "return")
        return "已退回填报单位（草稿）。"
    return await _action(ctx, budget_id, run)


@router.post("/work/budgets/{budget_id:int}/publish")
@_handle_redirects
async def publish(budget_id: int, ctx: Ctx = CtxDep) -> Response:
    def run(budget: Budget, form: dict[str, str]) -> str:
        version = services.publish(ctx.db, budget, ctx.user, _int(form.get("version")), form.get("note", ""),
                                   ctx.workflow)
        return f"已公开第 {version.number} 版（SHA-256 {version.content_hash[:16]}…）。"
    response = await _action(ctx, budget_id, run)
    ctx.app.state.public_cache.published()
    return response


@router.post("/work/budgets/{budget_id:int}/reopen")
@_handle_redirects
async def reopen(budget_id: int, ctx: Ctx = CtxDep) -> Response:
    def run(budget: Budget, form: dict[str, str]) -> str:
        services.reopen(ctx.db, budget, ctx.user, _int(form.get("version")), form.get("reason", ""), ctx.workflow)
        return "已退回草稿以便更正；已公开的版本保持不变，更正后公开为新版本。"
    return await _action(ctx, budget_id, run)
