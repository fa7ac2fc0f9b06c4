"""Performance management pages (issue 7): a budget's 绩效 page (the targets tree), the mid-year
monitoring and year-end self-evaluation entry (web form and XLSX), submission to the finance bureau,
its decision, the reports (HTML / XLSX / PDF); the finance bureau's dashboard and the indicator
library. The rules are the budget pages' (``routes_work``): 404 for a budget one may not see, 403
for an action one may not do, the login page for an anonymous visitor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from deptbudget.performance import DEPARTMENT, Stage, deadline
from deptbudget.sources.errors import Problem, SourceError
from deptbudget.store.models import Budget
from deptbudget.web import perf_files, perf_targets, perf_values, services
from deptbudget.web import perf_services as perf
from deptbudget.web.context import (
    Ctx,
    CtxDep,
    FormDep,
    HeavyDep,
    PageError,
    Upload,
    UploadDep,
    download,
    read_form,
    redirect,
    render,
    to_int,
)
from deptbudget.web.deps import BudgetDep

router = APIRouter()


def stage_of(key: str) -> Stage:
    try:
        return perf_targets.stage_of(key)
    except services.ServiceError as exc:
        raise PageError(404, exc.message) from None


def targets_of(budget: Budget) -> perf_targets.Targets:
    try:
        return perf_targets.targets(budget)
    except services.ServiceError as exc:
        raise PageError(422, exc.message) from None


def _url(budget: Budget, stage: Stage | None = None) -> str:
    base = f"/work/budgets/{budget.id}/performance"
    return f"{base}/{stage.value}" if stage else base


# --- the budget's 绩效 page ----------------------------------------------------------------------


@router.get("/work/budgets/{budget_id:id}/performance")
def overview(budget: Budget = BudgetDep, ctx: Ctx = CtxDep) -> Response:
    t = targets_of(budget)
    stages = []
    for stage in (Stage.MIDYEAR, Stage.SELFEVAL):
        report = perf.report_of(ctx.db, budget, stage)
        stages.append({"stage": stage, "report": report, "status": perf.status_of(report),
                       "deadline": deadline(stage, budget.fiscal_year, t.rules)})
    owners = [(p.pro_code, p.pro_name, p.amount, t.trees.get(p.pro_code)) for p in t.budget.projects]
    if t.department is not None:
        owners.append((DEPARTMENT, budget.unit.name, None, t.department))
    return render(ctx, "perf_budget.html", budget=budget, t=t, stages=stages, owners=owners,
                  is_open=perf.is_open(budget), state_label=ctx.workflow.label(budget))


# --- entry ----------------------------------------------------------------------------------------


def entry_page(ctx: Ctx, budget: Budget, stage: Stage, status: int = 200, error: str = "",
               problems: list[Problem] | None = None, values: dict[str, str] | None = None,
               data: dict[str, Any] | None = None, version: int | None = None, notice: str = "",
               field_errors: dict[str, str] | None = None) -> Response:
    t = targets_of(budget)
    report = perf.report_of(ctx.db, budget, stage)
    data = perf.data_of(report) if data is None else data
    checked = perf_values.check(t, stage, data) if t.ok else None
    if values is None:
        values = perf_values.form_values(t, stage, data)
    if checked is not None and checked.monitoring is not None:
        values.setdefault("report_date", checked.monitoring.report_date.isoformat())
    errors = dict(checked.field_errors) if checked is not None else {}
    errors.update(field_errors or {})
    evaluations = {e.code: e for e in checked.evaluation.evaluations} if checked and checked.evaluation else {}
    monitored = {p.code: p for p in checked.monitoring.projects} if checked and checked.monitoring else {}
    prefixes = t.prefixes()
    entities = [{"code": code, "name": name, "tree": tree, "prefix": prefixes[code],
                 "evaluation": evaluations.get(code), "monitoring": monitored.get(code),
                 "amount": next((p.amount for p in t.budget.projects if p.pro_code == code), None)}
                for code, name, tree in perf_values.entities(t, stage)]
    for entity in entities:
        ev, mon = entity["evaluation"], entity["monitoring"]
        entity["scores"] = {s.indicator.index: s for s in ev.indicators} if ev else {}
        entity["watch"] = {i.indicator.index: i for i in mon.indicators} if mon else {}
    user = ctx.user
    return render(
        ctx, "perf_entry.html", status=status, budget=budget, stage=stage, t=t, report=report,
        report_status=perf.status_of(report), checked=checked, values=values, errors=errors, entities=entities,
        error=error, action_problems=problems or [], notice=notice,
        version=version if version is not None else (report.version if report is not None else 0),
        can_enter=perf.can_enter(user, budget, report), can_decide=perf.can_decide(user, budget, report),
        due=deadline(stage, budget.fiscal_year, t.rules), grades=t.rules.grade_names,
        upload_limit=ctx.settings.upload_limit, url=_url(budget, stage), problem_text=perf_values.problem_text,
        money_text=_money_text,
        audit=[a for a in services.audit_entries(ctx.db, budget, limit=200) if a.what.startswith(stage.label)][:30],
    )


def _money_text(text: str) -> str:
    """An amount as typed, shown for reading: 1800000 → 1,800,000.00."""
    from decimal import Decimal, InvalidOperation

    try:
        return f"{Decimal(text.replace(',', '')):,.2f}"
    except (InvalidOperation, AttributeError):
        return text


@router.get("/work/budgets/{budget_id:id}/performance/{key}")
def entry(key: str, budget: Budget = BudgetDep, ctx: Ctx = CtxDep) -> Response:
    return entry_page(ctx, budget, stage_of(key))


def _conflict(ctx: Ctx, budget_id: int, stage: Stage, exc: Exception, values: dict[str, str] | None) -> Response:
    ctx.db.rollback()
    fresh = ctx.db.get(Budget, budget_id)
    assert fresh is not None
    report = perf.report_of(ctx.db, fresh, stage)
    if report is not None:
        ctx.db.refresh(report)
    message = exc.message if isinstance(exc, services.ConflictError) else "保存冲突：他人刚刚修改了这份绩效填报。"
    if values is not None:
        message += "下面保留了您填写的内容；确认后再次保存即以您的内容为准。"
    return entry_page(ctx, fresh, stage, 409, message, values=values,
                      version=report.version if report is not None else 0)


async def posted_entry(ctx: Ctx = CtxDep) -> dict[str, str]:
    """The posted entry form (one field per value of every indicator), CSRF checked."""
    return await read_form(ctx, perf_values.MAX_FORM_FIELDS)


EntryFormDep = Depends(posted_entry)


@router.post("/work/budgets/{budget_id:id}/performance/{key}")
def save(key: str, budget: Budget = BudgetDep, ctx: Ctx = CtxDep, form: dict[str, str] = EntryFormDep,
         _slot: None = HeavyDep) -> Response:
    budget_id = budget.id
    stage = stage_of(key)
    report = perf.report_of(ctx.db, budget, stage)
    if not perf.can_enter(ctx.user, budget, report):
        raise PageError(403, perf.entry_refusal(ctx.user, budget, report))
    t = targets_of(budget)
    data = perf_values.data_from_form(t, stage, form)
    try:
        perf_values.parse_data(data)
    except SourceError as exc:
        errors = {perf_values.field_of(t, p.place): p.message for p in exc.problems}
        return entry_page(ctx, budget, stage, 422, "有填写错误，没有保存：请改正标出的栏目。", values=dict(form),
                          version=to_int(form.get("version")), field_errors=errors)
    if form.get("preview"):
        return entry_page(ctx, budget, stage, values=dict(form), data=data, version=to_int(form.get("version")),
                          notice="以下为按您填写的内容试算的结果，尚未保存。")
    try:
        count = perf.save(ctx.db, budget, ctx.user, stage, data, to_int(form.get("version")))
        ctx.db.commit()
    except (services.ConflictError, StaleDataError, IntegrityError) as exc:
        return _conflict(ctx, budget_id, stage, exc, dict(form))
    except services.Refused as exc:
        ctx.db.rollback()
        return entry_page(ctx, budget, stage, exc.status, exc.message, values=dict(form))
    checked = perf_values.check(t, stage, data)
    message = f"已保存{stage.label}：{count} 处修改。"
    if checked.problems:
        message += f"提交前还有 {len(checked.problems)} 处需要改正或说明，已在下方标出。"
    return redirect(ctx, _url(budget, stage), message)


# --- XLSX ----------------------------------------------------------------------------------------


@router.get("/work/budgets/{budget_id:id}/performance/{key}/actuals.xlsx")
def template(key: str, budget: Budget = BudgetDep, ctx: Ctx = CtxDep) -> Response:
    stage = stage_of(key)
    t = targets_of(budget)
    data = perf.data_of(perf.report_of(ctx.db, budget, stage))
    actuals = perf_values.parse_data(data) if data else None
    content = perf_files.entry_workbook(t, stage, actuals)
    return download(ctx, content, perf_files.FORMATS["xlsx"],
                    f"{budget.fiscal_year}-{budget.unit.code}-{stage.label}填报.xlsx")


@router.post("/work/budgets/{budget_id:id}/performance/{key}/upload")
def upload(key: str, budget: Budget = BudgetDep, ctx: Ctx = CtxDep, posted: Upload = UploadDep,
           _slot: None = HeavyDep) -> Response:
    budget_id = budget.id
    stage = stage_of(key)
    limit = ctx.settings.upload_limit
    if posted.too_large is not None:
        raise PageError(413, f"文件过大：上限为 {limit / 1048576:.0f} MB。没有任何改动。")
    report = perf.report_of(ctx.db, budget, stage)
    if not perf.can_enter(ctx.user, budget, report):
        raise PageError(403, perf.entry_refusal(ctx.user, budget, report))
    if not posted.filename:
        return entry_page(ctx, budget, stage, 422, "请选择要上传的文件。")
    content = posted.data
    if len(content) > limit:
        return entry_page(ctx, budget, stage, 413, f"文件过大：上限为 {limit / 1048576:.0f} MB。没有任何改动。")
    t = targets_of(budget)
    try:
        data = perf_files.uploaded_values(t, stage, posted.filename, content)
    except services.Refused as exc:
        return entry_page(ctx, budget, stage, exc.status, exc.message, problems=exc.problems)
    try:
        count = perf.save(ctx.db, budget, ctx.user, stage, data, to_int(posted.fields.get("version", "")),
                          action="perf-upload", comment=f"上传 {posted.filename}")
        ctx.db.commit()
    except (services.ConflictError, StaleDataError, IntegrityError) as exc:
        return _conflict(ctx, budget_id, stage, exc, None)
    checked = perf_values.check(t, stage, data)
    message = f"已上传 {posted.filename}：{count} 处修改。"
    if checked.field_errors or checked.problems:
        message += f"有 {len(checked.problems)} 处需要改正或说明，已在下方标出。"
    return redirect(ctx, _url(budget, stage), message)


# --- workflow --------------------------------------------------------------------------------------


def _act(ctx: Ctx, budget: Budget, key: str, form: dict[str, str],
         run: Callable[[Budget, Stage, dict[str, str]], str]) -> Response:
    budget_id = budget.id
    stage = stage_of(key)
    try:
        message = run(budget, stage, form)
        ctx.db.commit()
    except services.Forbidden as exc:
        ctx.db.rollback()
        raise PageError(403, exc.message) from None
    except services.Refused as exc:
        ctx.db.rollback()
        return entry_page(ctx, budget, stage, exc.status, exc.message, problems=exc.problems)
    except (services.ConflictError, StaleDataError, IntegrityError) as exc:
        return _conflict(ctx, budget_id, stage, exc, None)
    return redirect(ctx, _url(budget, stage), message)


@router.post("/work/budgets/{budget_id:id}/performance/{key}/submit")
def submit(key: str, budget: Budget = BudgetDep, ctx: Ctx = CtxDep, form: dict[str, str] = FormDep,
           _slot: None = HeavyDep) -> Response:
    def run(budget: Budget, stage: Stage, form: dict[str, str]) -> str:
        perf.submit(ctx.db, budget, ctx.user, stage, to_int(form.get("version")), ctx.settings.today())
        return f"已提交{stage.label}，等待财政局审核。"
    return _act(ctx, budget, key, form, run)


@router.post("/work/budgets/{budget_id:id}/performance/{key}/accept")
def accept(key: str, budget: Budget = BudgetDep, ctx: Ctx = CtxDep, form: dict[str, str] = FormDep,
           _slot: None = HeavyDep) -> Response:
    def run(budget: Budget, stage: Stage, form: dict[str, str]) -> str:
        perf.decide(ctx.db, budget, ctx.user, stage, to_int(form.get("version")), True, form.get("comment", ""))
        return f"{stage.label}已审核通过。"
    return _act(ctx, budget, key, form, run)


@router.post("/work/budgets/{budget_id:id}/performance/{key}/return")
def send_back(key: str, budget: Budget = BudgetDep, ctx: Ctx = CtxDep, form: dict[str, str] = FormDep,
           _slot: None = HeavyDep) -> Response:
    def run(budget: Budget, stage: Stage, form: dict[str, str]) -> str:
        perf.decide(ctx.db, budget, ctx.user, stage, to_int(form.get("version")), False, form.get("comment", ""))
        return f"{stage.label}已退回填报单位。"
    return _act(ctx, budget, key, form, run)


# --- reports ---------------------------------------------------------------------------------------


@router.get("/work/budgets/{budget_id:id}/performance/{key}/report.{fmt}")
def report(key: str, fmt: str, budget: Budget = BudgetDep, ctx: Ctx = CtxDep) -> Response:
    stage = stage_of(key)
    if fmt not in perf_files.FORMATS:
        raise PageError(404, "没有这种格式（html、xlsx、pdf）。")
    t = targets_of(budget)
    if not t.ok:
        raise PageError(422, "绩效目标有问题，无法生成报告：" + "；".join(t.problems))
    checked = perf_values.check(t, stage, perf.data_of(perf.report_of(ctx.db, budget, stage)))
    content = perf_files.stage_report(budget, t, checked, fmt)
    return download(ctx, content, perf_files.FORMATS[fmt],
                    f"{budget.fiscal_year}-{budget.unit.code}-{stage.label}.{fmt}", inline=fmt == "html")
