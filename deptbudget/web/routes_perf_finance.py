"""The finance bureau's performance pages (issue 7): the dashboard of every unit's 绩效运行监控 and
绩效自评 (status, scores, late units at a settable day, filters), picking projects for 重点绩效评价,
the export (XLSX / PDF / HTML); and the indicator library that preparers pick targets from.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from starlette.datastructures import FormData

from deptbudget.performance import DEPARTMENT, Stage
from deptbudget.store.models import Budget
from deptbudget.web import perf_dashboard as board_service
from deptbudget.web import perf_files, perf_values, services
from deptbudget.web import perf_services as perf
from deptbudget.web.context import (
    Ctx,
    PageError,
    bounded_int,
    download,
    query_year,
    read_form_data,
    redirect,
    render,
)
from deptbudget.web.deps import LoginDep, require_role

router = APIRouter()
DashboardDep = Depends(require_role(*perf.DASHBOARD_ROLES, refusal="只有财政局和系统管理员可以查看绩效管理总览。"))
PickerDep = Depends(require_role(*perf.PICK_ROLES, refusal="只有财政局可以选定重点绩效评价项目。"))


async def posted_form(ctx: Ctx = LoginDep) -> FormData:
    """The posted form of a signed-in person, after checking the CSRF token."""
    return await read_form_data(ctx, perf_values.MAX_FORM_FIELDS)


def export_format(fmt: str) -> str:
    if fmt not in perf_files.FORMATS:
        raise PageError(404, "没有这种格式（html、xlsx、pdf）。")
    return fmt


PostedFormDep = Depends(posted_form)
ExportFormatDep = Depends(export_format)


# --- the finance bureau's dashboard ----------------------------------------------------------------


def _dashboard_args(ctx: Ctx) -> dict[str, str]:
    params = ctx.request.query_params
    return {k: params.get(k, "").strip() for k in ("year", "stage", "grade", "status", "late", "q", "today")}


def _dashboard(ctx: Ctx) -> tuple[board_service.Dashboard, list[tuple[Budget, Any]], dict[str, str], Stage]:
    args = _dashboard_args(ctx)
    today: date = ctx.app.state.settings.today()
    if args["today"]:
        try:
            today = date.fromisoformat(args["today"])
        except ValueError:
            raise PageError(400, "日期应写作 YYYY-MM-DD。") from None
    year = query_year(args["year"])
    stage = Stage.MIDYEAR if args["stage"] == "midyear" else Stage.SELFEVAL
    board = board_service.dashboard(ctx.db, year, today)
    from deptbudget.performance.workflow import filter_rows

    status = None
    if args["status"]:
        try:
            status = perf.Status(args["status"])
        except ValueError:
            raise PageError(400, "未知的填报状态。") from None
    late = {"1": True, "0": False}.get(args["late"])
    kept = filter_rows([row for _b, row in board.rows], grade=args["grade"] or None, status=status, stage=stage,
                       late=late, text=args["q"])
    ids = {id(row) for row in kept}
    rows = [(b, row) for b, row in board.rows if id(row) in ids]
    return board, rows, args, stage


@router.get("/work/performance")
def dashboard(ctx: Ctx = DashboardDep) -> Response:
    board, rows, args, stage = _dashboard(ctx)
    query = urlencode({k: v for k, v in args.items() if v})
    return render(ctx, "perf_dashboard.html", board=board, rows=rows, args=args, stage=stage, query=query,
                  statuses=list(perf.Status), can_pick=perf.can_pick(ctx.user), department=DEPARTMENT)


@router.get("/work/performance/export.{fmt}")
def export(fmt: str = ExportFormatDep, ctx: Ctx = DashboardDep) -> Response:
    from deptbudget.performance.forms import overview_form

    board, rows, _args, _stage = _dashboard(ctx)
    title = f"{board.year or ''} 年度预算绩效管理情况一览表"
    content = perf_files.write_forms([overview_form([row for _b, row in rows], title)], fmt, title)
    return download(ctx, content, perf_files.FORMATS[fmt], f"{board.year or ''}-绩效管理一览表.{fmt}",
                    inline=fmt == "html")


@router.post("/work/performance/key-evaluation")
def key_evaluation(_login: Ctx = LoginDep, form: FormData = PostedFormDep,
                         ctx: Ctx = PickerDep) -> Response:
    """Signed in, then the CSRF token, then the role (dependencies run in this order)."""
    year = bounded_int(str(form.get("year", "")), 1900, 2999)
    if year is None:
        raise PageError(400, "缺少年度。")

    def pairs(name: str) -> list[tuple[int, str]]:
        out = []
        for value in form.getlist(name):
            budget_id, _, code = str(value).partition("|")
            number = bounded_int(budget_id)
            if number is None or not code:
                raise PageError(400, "所选项目无法识别。")
            out.append((number, code))
        return out

    try:
        added, removed = board_service.pick_key_evaluations(ctx.db, ctx.user, year, pairs("shown"), set(pairs("pick")))
        ctx.db.commit()
    except services.ServiceError as exc:
        ctx.db.rollback()
        raise PageError(exc.status, exc.message) from None
    back = str(form.get("back", ""))
    if not back.startswith("/work/performance"):
        back = f"/work/performance?year={year}"
    return redirect(ctx, back, f"重点绩效评价：新选定 {added} 个，取消 {removed} 个。")


# --- the indicator library -------------------------------------------------------------------------


@router.get("/work/library")
def library(ctx: Ctx = LoginDep) -> Response:
    from deptbudget.performance import load_library

    params = ctx.request.query_params
    q, level1, level2 = (params.get(k, "").strip() for k in ("q", "level1", "level2"))
    lib = load_library()
    entries = lib.search(q, level1 or None, level2 or None)
    groups: dict[str, dict[str, list[Any]]] = {}
    for entry in entries:
        groups.setdefault(entry.level1, {}).setdefault(entry.level2, []).append(entry)
    return render(ctx, "perf_library.html", library=lib, groups=groups, all_groups=lib.groups(), q=q, level1=level1,
                  level2=level2, count=len(entries))
