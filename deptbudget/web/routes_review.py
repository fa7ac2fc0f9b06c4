"""The reviewer's checklist on the budget page (issue 8): confirm an item, override its verdict
(reason required), add a finding, confirm all; the live checklist and the stored ones (one per
review decision) as XLSX and HTML, written by ``deptbudget.review``'s writers.

Who: the reviewers (主管部门审核, 财政局审核) and administrators see the live checklist of a submitted
budget; only the reviewer whose step it is may change it. Everyone who may see the budget (its
preparer too) may read the checklists stored with the decisions.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy.orm.exc import StaleDataError

from deptbudget.store.models import Budget, ChecklistRecord
from deptbudget.web import review_services as rs
from deptbudget.web import services
from deptbudget.web.budget_pages import budget_page
from deptbudget.web.context import Ctx, CtxDep, FormDep, HeavyDep, PageError, download, redirect, to_int
from deptbudget.web.deps import BudgetDep

router = APIRouter()
MEDIA = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "html": "text/html; charset=utf-8"}


def _mark(ctx: Ctx, budget: Budget, form: dict[str, str], run: Any) -> Response:
    budget_id = budget.id
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


@router.post("/work/budgets/{budget_id:id}/checklist")
def mark(budget: Budget = BudgetDep, ctx: Ctx = CtxDep, form: dict[str, str] = FormDep,
           _slot: None = HeavyDep) -> Response:
    def run(budget: Budget, form: dict[str, str]) -> tuple[str, str]:
        kind, item = form.get("action", ""), form.get("item", "")
        rs.add_mark(ctx.db, budget, ctx.user, ctx.workflow, item, kind, to_int(form.get("version")),
                    to_int(form.get("seen")), verdict=form.get("verdict", ""), severity=form.get("severity", ""),
                    place=form.get("place", ""), text=form.get("text", ""))
        done = {"confirm": "已确认", "override": "已改判", "finding": "已补充问题"}.get(kind, "已保存")
        return f"检查表：{done}。", f"item-{item}"
    return _mark(ctx, budget, form, run)


@router.post("/work/budgets/{budget_id:id}/checklist/confirm-all")
def confirm_all(budget: Budget = BudgetDep, ctx: Ctx = CtxDep, form: dict[str, str] = FormDep,
           _slot: None = HeavyDep) -> Response:
    def run(budget: Budget, form: dict[str, str]) -> tuple[str, str]:
        count = rs.confirm_all(ctx.db, budget, ctx.user, ctx.workflow, to_int(form.get("version")))
        return f"检查表：已确认 {count} 项。", "checklist"
    return _mark(ctx, budget, form, run)


def _file(ctx: Ctx, content: bytes, fmt: str, name: str) -> Response:
    return download(ctx, content, MEDIA[fmt], name, inline=fmt == "html")


@router.get("/work/budgets/{budget_id:id}/checklist.{fmt}")
def live_export(fmt: str, budget: Budget = BudgetDep, ctx: Ctx = CtxDep) -> Response:
    if fmt not in MEDIA:
        raise PageError(404, "没有这种格式（xlsx、html）。")
    if not rs.can_see(ctx.user, budget):
        raise PageError(403, "审核检查表只向审核人显示，且只在预算提交之后。")
    live = rs.checklist(ctx.db, budget, ctx.workflow)
    if live is None:
        raise PageError(422, "预算无法生成公开文件，检查表不可用。")
    name = f"{budget.fiscal_year}-{budget.unit.code}-检查表-第{live.round}轮.{fmt}"
    return _file(ctx, rs.export(live.review, fmt), fmt, name)


@router.get("/work/budgets/{budget_id:id}/checklists/{record_id:id}.{fmt}")
def stored_export(record_id: int, fmt: str, budget: Budget = BudgetDep, ctx: Ctx = CtxDep) -> Response:
    record = ctx.db.get(ChecklistRecord, record_id)
    if record is None or record.budget_id != budget.id or fmt not in MEDIA:
        raise PageError(404, "找不到该检查表。")
    content = record.xlsx if fmt == "xlsx" else record.html.encode("utf-8")
    name = f"{budget.fiscal_year}-{budget.unit.code}-检查表-{record.step_name}-{record.at:%Y%m%d%H%M}.{fmt}"
    return _file(ctx, content, fmt, name)
