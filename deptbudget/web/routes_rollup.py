"""The portal's district view: the newest published budgets of every unit rolled up by 类 for a year, with the
year before (本年, 上年, 增减, 增减率). The lines are read from each published disclosure as the audit reads them
(``deptbudget.rollup.lines``) and summed with the audit's roll-ups (``deptbudget.rollup.warehouse``), in the scope
chosen (``scope=``): 一般公共预算 by 功能分类 (the 一般公共预算支出表 of each budget, the default) or by 经济分类, or
all funds (全部资金: the 部门支出总表 by 功能分类, the 基本支出表 by 经济分类), each budget's printed 类 figures.
Only published versions are read; a page is kept in the public cache under the scope and the versions it was made
from, so a new publication makes a new page."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from deptbudget.model.serialize import loads
from deptbudget.store.models import PublishedVersion
from deptbudget.web.context import Ctx, CtxDep, PageError, query_year, render
from deptbudget.web.public_pages import latest_versions

router = APIRouter()


@dataclass(frozen=True)
class ClassRow:
    code: str
    name: str
    amount: Decimal | None  # 元
    previous: Decimal | None
    change: Decimal
    rate: Decimal | None  # %


SCOPES = ("func", "func_all", "econ", "econ_all")  # the roll-up measures (``rollup.warehouse``), in the selector
DEFAULT_SCOPE = "func"


@dataclass(frozen=True)
class DistrictRollup:
    year: int
    units: int
    units_before: int
    rows: list[ClassRow]
    total: Decimal
    total_before: Decimal


def _lines(versions: list[PublishedVersion]) -> list[dict[str, Any]]:
    from deptbudget.rollup.lines import disclosure_lines

    out: list[dict[str, Any]] = []
    for version in versions:
        document = {"path": f"version/{version.id}", "locality": "", "year": str(version.fiscal_year),
                    "entity": version.unit_name, "kind": "部门预算"}
        out += disclosure_lines(loads(version.disclosure_json), document)
    return out


def district_rollup(versions: list[PublishedVersion], year: int, scope: str = DEFAULT_SCOPE) -> DistrictRollup:
    """The 类 of the year's budgets beside the year before's (the versions given: the newest of each budget), in
    the ``scope`` (one of ``SCOPES``: a measure of ``rollup.warehouse``)."""
    import duckdb

    from deptbudget.rollup.lines import lines_table
    from deptbudget.rollup.warehouse import Filter, Rollups, rate

    db = duckdb.connect()
    db.register("published_lines", lines_table(_lines(versions)))
    rollups = Rollups("published_lines", db)
    now = {r[2]: r for r in rollups.by_level(scope, 1, Filter(year=str(year)))}
    before = {r[2]: r for r in rollups.by_level(scope, 1, Filter(year=str(year - 1)))}
    rows = []
    for code in sorted(set(now) | set(before)):
        amount, previous = (now[code][5] if code in now else None), (before[code][5] if code in before else None)
        name = (now.get(code) or before[code])[3]
        rows.append(ClassRow(code, name, amount, previous, (amount or Decimal(0)) - (previous or Decimal(0)),
                             rate(amount, previous)))
    db.close()
    return DistrictRollup(year, sum(1 for v in versions if v.fiscal_year == year),
                          sum(1 for v in versions if v.fiscal_year == year - 1), rows,
                          sum((r.amount or Decimal(0) for r in rows), Decimal(0)),
                          sum((r.previous or Decimal(0) for r in rows), Decimal(0)))


def _versions(db: Session, year: int) -> list[PublishedVersion]:
    ids = list(db.scalars(latest_versions().where(PublishedVersion.fiscal_year.in_((year, year - 1)))
                          .with_only_columns(PublishedVersion.id)))
    return list(db.scalars(select(PublishedVersion).where(PublishedVersion.id.in_(ids)).order_by(PublishedVersion.id)))


def query_scope(value: str | None) -> str:
    """A ``scope=`` query parameter: the default when empty; a 400 page when it is not one of ``SCOPES``."""
    scope = (value or "").strip() or DEFAULT_SCOPE
    if scope not in SCOPES:
        raise PageError(400, f"汇总口径应为 {'、'.join(SCOPES)} 之一，而不是“{scope[:20]}”。")
    return scope


@router.get("/rollup")
def rollup_page(ctx: Ctx = CtxDep, year: str = "", scope: str = "") -> Response:
    from deptbudget.rollup.warehouse import MEASURE_TITLES

    chosen_scope = query_scope(scope)
    years = [y for (y,) in ctx.db.execute(select(PublishedVersion.fiscal_year).distinct()
                                          .order_by(PublishedVersion.fiscal_year.desc()))]
    chosen = query_year(year) or (years[0] if years else None)
    result = None
    if chosen is not None:
        versions = _versions(ctx.db, chosen)
        key = ("rollup", chosen, chosen_scope, tuple(v.id for v in versions))
        cache = ctx.app.state.public_cache
        result = cache.page(key)
        if result is None:
            result = district_rollup(versions, chosen, chosen_scope)
            cache.put_page(key, result)
    return render(ctx, "rollup.html", years=years, year=chosen, rollup=result, wan=wan_text,
                  scopes=[(s, MEASURE_TITLES[s]) for s in SCOPES], scope=chosen_scope,
                  scope_title=MEASURE_TITLES[chosen_scope])


def wan_text(amount: Decimal | None) -> str:
    """元 as 万元 to two places (half up), with thousands separators; empty for no amount."""
    from deptbudget.rollup.warehouse import wan

    shown = wan(amount)
    return "" if shown is None else f"{shown:,.2f}"
