"""The reviewer's checklist on the budget page (issue 8): confirm an item, override its verdict
(reason required), add a finding, confirm all; the live checklist and the stored ones (one per
review decision) as XLSX and HTML, written by ``deptbudget.review``'s writers.

Who: the reviewers (主管部门审核, 财政局审核) and administrators see the live checklist of a submitted
budget; only the reviewer whose step it is may change it. Everyone who may see the budget (its
preparer too) may read the checklists stored with the decisions.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy.orm.exc import StaleDataError

from deptbudget.review.wording import describe
from deptbudget.store.models import Budget, ChecklistRecord
from deptbudget.web import review_services as rs
from deptbudget.web import services
from deptbudget.web.app import Ctx, CtxDep, PageError, finish, read_form, redirect
from deptbudget.web.routes_work import _budget, _handle_redirects, _int, budget_page

router = APIRouter()
MEDIA = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "html": "text/html; charset=utf-8"}


def page_values(ctx: Ctx, budget: Budget) -> dict[str, Any]:
    """What the budget page shows of the checklist."""
    live = rs.checklist(ctx.db, budget, ctx.workflow) if rs.can_see(ctx.user, budget) else None
    return {"checklist": live, "checklist_records": rs.records_of(ctx.db, budget),
            "can_mark": rs.can_mark(ctx.user, budget, ctx.workflow), "describe_finding": describe,
            "reviewer_rules": (rs.REVIEWER_FINDING, rs.REVIEWER_OVERRIDE),
            "step_names": {s.key: s.name for s in ctx.workflow.steps}}


async def _mark(ctx: Ctx, budget_id: int, run: Any) -> Response:
    budget = _budget(ctx, budget_id, "POST")
    form = await read_form(ctx)
    try:
        message, anchor = run(budget, form)
        ctx.db.commit()
    except services.Forbidden as exc:
        ctx.db.rollback()
        raise PageError(403, exc.message) from None
    except services.Refused as exc:
        ctx.db.rollback()
        return budget_page(ctx, budget, exc.status, error=exc.message)
    except (services.ConflictError, StaleDataError) as exc:
        ctx.db.rollback()
        fresh = ctx.db.get(Budget, budget_id)
        assert fresh is not None
        ctx.db.refresh(fresh)
        text = exc.message if isinstance(exc, services.ConflictError) else "操作冲突：他人刚刚修改了这份预算。"
        typed = form.get("text", "").strip()
        if typed:
            text += f"您填写的内容：“{typed}”"
        return budget_page(ctx, fresh, 409, error=text)
    return redirect(ctx, f"/work/budgets/{budget_id}#{anchor}", message)


@router.post("/work/budgets/{budget_id:int}/checklist")
@_handle_redirects
async def mark(budget_id: int, ctx: Ctx = CtxDep) -> Response:
    def run(budget: Budget, form: dict[str, str]) -> tuple[str, str]:
        kind, item = form.get("action", ""), form.get("item", "")
        rs.add_mark(ctx.db, budget, ctx.user, ctx.workflow, item, kind, _int(form.get("version")),
                    _int(form.get("seen")), verdict=form.get("verdict", ""), severity=form.get("severity", ""),
                    place=form.get("place", ""), text=form.get("text", ""))
        done = {"confirm": "已确认", "override": "已改判", "finding": "已补充问题"}.get(kind, "已保存")
        return f"检查表：{done}。", f"item-{item}"
    return await _mark(ctx, budget_id, run)


@router.post("/work/budgets/{budget_id:int}/checklist/confirm-all")
@_handle_redirects
async def confirm_all(budget_id: int, ctx: Ctx = CtxDep) -> Response:
    def run(budget: Budget, form: dict[str, str]) -> tuple[str, str]:
        count = rs.confirm_all(ctx.db, budget, ctx.user, ctx.workflow, _int(form.get("version")))
        return f"检查表：已确认 {count} 项。", "checklist"
    return await _mark(ctx, budget_id, run)


def _file(ctx: Ctx, content: bytes, fmt: str, name: str) -> Response:
    disposition = "inline" if fmt == "html" else "attachment"
    return finish(ctx, Response(content, media_type=MEDIA[fmt], headers={
        "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(name)}"}))


@router.get("/work/budgets/{budget_id:int}/checklist.{fmt}")
@_handle_redirects
def live_export(budget_id: int, fmt: str, ctx: Ctx = CtxDep) -> Response:
    budget = _budget(ctx, budget_id)
    if fmt not in MEDIA:
        raise PageError(404, "没有这种格式（xlsx、html）。")
    if not rs.can_see(ctx.user, budget):
        raise PageError(403, "审核检查表只向审核人显示，且只在预算提交之后。")
    live = rs.checklist(ctx.db, budget, ctx.workflow)
    if live is None:
        raise PageError(422, "预算无法生成公开文件，检查表不可用。")
    name = f"{budget.fiscal_year}-{budget.unit.code}-检查表-第{live.round}轮.{fmt}"
    return _file(ctx, rs.export(live.review, fmt), fmt, name)


@router.get("/work/budgets/{budget_id:int}/checklists/{record_id:int}.{fmt}")
@_handle_redirects
def stored_export(budget_id: int, record_id: int, fmt: str, ctx: Ctx = CtxDep) -> Response:
    budget = _budget(ctx, budget_id)
    record = ctx.db.get(ChecklistRecord, record_id)
    if record is None or record.budget_id != budget.id or fmt not in MEDIA:
        raise PageError(404, "找不到该检查表。")
    content = record.xlsx if fmt == "xlsx" else record.html.encode("utf-8")
    name = f"{budget.fiscal_year}-{budget.unit.code}-检查表-{record.step_name}-{record.at:%Y%m%d%H%M}.{fmt}"
    return _file(ctx, content, fmt, name)
