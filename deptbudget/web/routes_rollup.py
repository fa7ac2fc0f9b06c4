"""The portal's district view: the newest published budgets of every unit rolled up by 功能分类 类 for a year,
with the year before (本年, 上年, 增减, 增减率). The lines are read from each published disclosure as the audit
reads them (``deptbudget.rollup.lines``) and summed with the audit's roll-ups (``deptbudget.rollup.warehouse``):
the 一般公共预算支出表 of each budget, its printed 类 figures. Only published versions are read; a page is kept in
the public cache under the versions it was made from, so a new publication makes a new page."""

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
from deptbudget.web.context import Ctx, CtxDep, query_year, render
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


def district_rollup(versions: list[PublishedVersion], year: int) -> DistrictRollup:
    """The 类 of the year's budgets beside the year before's (the versions given: the newest of each budget)."""
    import duckdb

    from deptbudget.rollup.lines import FUNC, lines_table
    from deptbudget.rollup.warehouse import Filter, Rollups, rate

    db = duckdb.connect()
    db.register("published_lines", lines_table(_lines(versions)))
    rollups = Rollups("published_lines", db)
    now = {r[2]: r for r in rollups.by_level(FUNC, 1, Filter(year=str(year)))}
    before = {r[2]: r for r in rollups.by_level(FUNC, 1, Filter(year=str(year - 1)))}
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


@router.get("/rollup")
def rollup_page(ctx: Ctx = CtxDep, year: str = "") -> Response:
    years = [y for (y,) in ctx.db.execute(select(PublishedVersion.fiscal_year).distinct()
                                          .order_by(PublishedVersion.fiscal_year.desc()))]
    chosen = query_year(year) or (years[0] if years else None)
    result = None
    if chosen is not None:
        versions = _versions(ctx.db, chosen)
        key = ("rollup", chosen, tuple(v.id for v in versions))
        cache = ctx.app.state.public_cache
        result = cache.page(key)
        if result is None:
            result = district_rollup(versions, chosen)
            cache.put_page(key, result)
    return render(ctx, "rollup.html", years=years, year=chosen, rollup=result, wan=wan_text)


def wan_text(amount: Decimal | None) -> str:
    """元 as 万元 to two places (half up), with thousands separators; empty for no amount."""
    from deptbudget.rollup.warehouse import wan

    shown = wan(amount)
    return "" if shown is None else f"{shown:,.2f}"
