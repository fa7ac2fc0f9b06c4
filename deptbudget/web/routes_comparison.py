"""Budget against final accounts in the web system: the finance bureau publishes the final accounts (部门决算)
of a published budget (``POST /work/budgets/{id}/final-accounts``, a final-accounts YAML source), and the
public portal shows the comparison next to the published budget (``/budgets/{year}/{unit}/comparison``: per
功能分类 项 and per 三公 item, budget, actual, 执行率, difference and the stated reason), computed by
``compute.comparison`` and rendered with ``render.comparison``'s tables."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response
from markupsafe import Markup

from deptbudget.compute.comparison import Comparison, ComparisonError
from deptbudget.render.comparison import comparison_body, title
from deptbudget.sources.errors import SourceError
from deptbudget.store.models import Budget, PublishedFinal
from deptbudget.web import services
from deptbudget.web.budget_pages import budget_page
from deptbudget.web.context import Ctx, CtxDep, HeavyDep, PageError, Upload, UploadDep, not_found, redirect, render
from deptbudget.web.deps import BudgetDep
from deptbudget.web.final_accounts import comparison_of, publish_final
from deptbudget.web.public_pages import find_unit, latest_final

router = APIRouter()


@router.post("/work/budgets/{budget_id:id}/final-accounts")
def publish_final_accounts(budget: Budget = BudgetDep, ctx: Ctx = CtxDep, posted: Upload = UploadDep,
                           _slot: None = HeavyDep) -> Response:
    limit = ctx.settings.upload_limit
    if posted.too_large is not None or len(posted.data) > limit:
        return budget_page(ctx, budget, 413, error=f"文件过大：上限为 {limit / 1048576:.0f} MB。没有公开任何内容。")
    if not posted.filename or not posted.data:
        return budget_page(ctx, budget, 422, error="请选择要上传的决算源文件。")
    try:
        final = publish_final(ctx.db, budget, ctx.user, posted.filename, posted.data, ctx.workflow)
        ctx.db.commit()
    except services.Forbidden as exc:
        ctx.db.rollback()
        raise PageError(403, exc.message) from None
    except services.Refused as exc:
        ctx.db.rollback()
        return budget_page(ctx, budget, exc.status, error=exc.message, problems=exc.problems, findings=exc.findings)
    ctx.app.state.public_cache.published()
    url = f"/budgets/{final.fiscal_year}/{budget.unit.code}/comparison"
    return redirect(ctx, url, f"已公开 {final.fiscal_year} 年部门决算第 {final.number} 版。")


def _comparison(ctx: Ctx, final_id: int) -> Comparison:
    """The comparison of a published final accounts, kept in the public page cache (both sides never change)."""
    cache = ctx.app.state.public_cache
    key = ("comparison", final_id)
    found = cache.page(key)
    if found is None:
        final = ctx.db.get(PublishedFinal, final_id)
        assert final is not None
        try:
            found = comparison_of(ctx.db, final)
        except (ComparisonError, SourceError) as exc:
            raise PageError(500, f"无法对比该预算与决算：{exc}") from None
        cache.put_page(key, found)
    return found


@router.get("/budgets/{year:id}/{unit_code}/comparison")
def comparison(year: int, unit_code: str, ctx: Ctx = CtxDep) -> Response:
    unit = find_unit(ctx.db, unit_code)
    final = latest_final(ctx.db, unit.id, year)
    if final is None:
        raise not_found(f"{unit.name} {year} 年的部门决算尚未公开。")
    result = _comparison(ctx, final.id)
    return render(ctx, "comparison.html", unit=unit, year=year, final=final, heading=title(result),
                  body=Markup(comparison_body(result, "data")))
