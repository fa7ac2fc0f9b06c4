"""The public portal: published budgets by year and department, search, the disclosure page,
version history, downloads and comparisons. Only published versions are ever read here."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import Session, defer, undefer
from starlette.concurrency import run_in_threadpool

from deptbudget.store import search
from deptbudget.store.models import PublishedFile, PublishedSearch, PublishedVersion, Unit
from deptbudget.web.auth import SESSION_COOKIE
from deptbudget.web.context import (
    FLASH_COOKIE,
    Ctx,
    CtxDep,
    anonymous_finish,
    context_of,
    finish,
    not_found,
    query_year,
    render,
)
from deptbudget.web.paging import page_number, page_of_list, page_size, paginate
from deptbudget.web.public_pages import (
    FORMAT_LABELS,
    cached_page,
    find_unit,
    find_version,
    latest_versions,
    page_key,
)

router = APIRouter()

COMPARE_FIGURES = [
    ("income.total", "收入合计"),
    ("expenditure.total", "支出合计"),
    ("income.fiscal", "财政拨款收入"),
    ("expenditure.basic", "基本支出"),
    ("expenditure.personnel", "　其中：人员经费"),
    ("expenditure.operating", "　　　　公用经费"),
    ("expenditure.project", "项目支出"),
    ("three_public.total", "“三公”经费"),
    ("admin_operating.total", "机关运行经费"),
    ("procurement.amount", "政府采购预算"),
]
MAX_COMPARE = 8


PORTAL_PAGE_SIZE = 50
SEARCH_PAGE_SIZE = 20


async def _cached_listing(request: Request, key: tuple[object, ...], make: Callable[[Ctx], Response]) -> Response:
    """A page of the portal index or of search results. An anonymous visitor's page kept in
    ``PublicCache.listings`` is answered here on the event loop — no thread, no database session — so
    many visitors at once never queue for the thread pool behind saves; anything else is made on the
    thread pool (``_listing``)."""
    if not request.cookies.get(SESSION_COOKIE) and not request.cookies.get(FLASH_COOKIE):
        body = request.app.state.public_cache.listings.get(key)
        if body is not None:
            return anonymous_finish(request, HTMLResponse(body))
    return await run_in_threadpool(_listing_in_thread, request, key, make)


def _listing_in_thread(request: Request, key: tuple[object, ...], make: Callable[[Ctx], Response]) -> Response:
    with context_of(request) as ctx:
        return _listing(ctx, key, lambda: make(ctx))


def _listing(ctx: Ctx, key: tuple[object, ...], make: Callable[[], Response]) -> Response:
    """A page of the portal index or of search results: for an anonymous visitor (the same page for
    everyone: no header, no message) kept ``PublicCache.listings`` (30 s, cleared on publication)."""
    if ctx.user is not None or ctx.request.cookies.get(FLASH_COOKIE):
        return make()
    cache = ctx.app.state.public_cache
    body = cache.listings.get(key)
    if body is None:
        with cache.making.hold(key):  # visitors asking for the same page wait for one copy; other pages go on
            body = cache.listings.get(key)
            if body is None:
                response = make()
                if response.status_code == 200:
                    cache.listings.put(key, bytes(response.body))
                return response
    return finish(ctx, HTMLResponse(body))


@router.get("/")
async def portal(request: Request, year: str = "", dept: str = "", page: str = "", size: str = "") -> Response:
    year_number = query_year(year)
    dept = dept.strip()[:64]
    return await _cached_listing(request, ("/", year_number, dept, page_number(page),
                                           page_size(size, PORTAL_PAGE_SIZE), bool(size.strip())),
                                 lambda ctx: _portal(ctx, year_number, dept, page, size))


def _portal(ctx: Ctx, year_number: int | None, dept: str, page: str, size: str) -> Response:
    rows = page_size(size, PORTAL_PAGE_SIZE)
    listing = paginate(ctx.db, search.published_list(year_number, dept or None), page_number(page), rows, "/",
                       {"year": str(year_number or ""), "dept": dept, "size": str(rows) if size.strip() else ""})
    by_year: dict[int, list[PublishedSearch]] = {}
    for row in listing.items:
        by_year.setdefault(row.fiscal_year, []).append(row)
    cache = ctx.app.state.public_cache
    years = cache.facet("years", lambda: list(ctx.db.scalars(search.published_years())))
    count, options = cache.facet("departments", lambda: _department_options(ctx.db))
    if dept:  # the chosen one selected
        chosen = f'<option value="{escape(dept)}">'
        options = Markup(str(options).replace(chosen, chosen[:-1] + " selected>", 1))
    return render(ctx, "portal.html", by_year=by_year, years=years, dept_count=count, dept_options=options,
                  year=year_number, dept=dept or None, page=listing)


def _department_options(db: Session) -> tuple[int, Markup]:
    """The departments with a published budget as the options of the portal's filter, made once
    (hundreds of them: escaping them on every request would cost more than the page's query)."""
    rows = list(db.execute(search.published_departments()))
    return len(rows), Markup("".join(f'<option value="{escape(code)}">{escape(name)}</option>'
                                     for code, name in rows))


@dataclass
class Hit:
    row: PublishedSearch
    snippet: str


def _snippet(text: str, terms: list[str], width: int = 60) -> str:
    lower = text.lower()
    for term in terms:
        at = lower.find(term.lower())
        if at >= 0:
            start = max(0, at - width // 2)
            return ("…" if start else "") + text[start:start + width].replace("\n", " ") + "…"
    return text[:width].replace("\n", " ") + "…"


@router.get("/search")
async def search_page(request: Request, q: str = "", year: str = "", page: str = "", size: str = "") -> Response:
    year_number = query_year(year)
    q = q[:search.MAX_QUERY]
    return await _cached_listing(request, ("/search", q, year_number, page_number(page),
                                           page_size(size, SEARCH_PAGE_SIZE), bool(size.strip())),
                                 lambda ctx: _search_page(ctx, q, year_number, page, size))


def _search_page(ctx: Ctx, q: str, year_number: int | None, page: str, size: str) -> Response:
    terms = search.terms_of(q)
    hits: list[Hit] = []
    listing = None
    if terms:
        dialect = ctx.db.get_bind().dialect.name
        rows = page_size(size, SEARCH_PAGE_SIZE)
        params = {"q": q, "year": str(year_number or ""), "size": str(rows) if size.strip() else ""}
        query = search.search(dialect, terms, year_number).with_only_columns(PublishedSearch.budget_id)
        if search.indexed(dialect, terms):  # counted and paged in the database: no list of every hit here
            search.prefer_indexes(ctx.db)
            listing = paginate(ctx.db, query, page_number(page), rows, "/search", params)
        else:  # a term only LIKE finds (a scan): the ids found kept a while, one such search at a time
            found = ctx.app.state.public_cache.found((tuple(terms), year_number),
                                                     lambda: list(ctx.db.scalars(query)))
            listing = page_of_list(found, page_number(page), rows, "/search", params)
        shown = {row.budget_id: row for row in ctx.db.scalars(
            select(PublishedSearch).where(PublishedSearch.budget_id.in_(listing.items))
            .options(undefer(PublishedSearch.search_text)))}
        hits = [Hit(shown[i], _snippet(shown[i].search_text, terms)) for i in listing.items if i in shown]
    return render(ctx, "search.html", q=q, year=year_number, hits=hits, terms=terms, page=listing)


async def _disclosure(request: Request, year: int, unit_code: str, number: int | None) -> Response:
    cache = request.app.state.public_cache
    key = page_key(cache, year, unit_code, number)
    page = cache.page(key) if key is not None else None
    if page is None:
        page = await run_in_threadpool(cached_page, request.app.state, year, unit_code, number)
    body, etag = page
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers={"ETag": etag})
    return HTMLResponse(body, headers={"ETag": etag, "Cache-Control": "public, max-age=60"})


@router.get("/budgets/{year:id}/{unit_code}")
async def disclosure(request: Request, year: int, unit_code: str) -> Response:
    return await _disclosure(request, year, unit_code, None)


@router.get("/budgets/{year:id}/{unit_code}/v{number:id}")
async def disclosure_version(request: Request, year: int, unit_code: str, number: int) -> Response:
    return await _disclosure(request, year, unit_code, number)


@router.get("/budgets/{year:id}/{unit_code}/versions")
def versions(year: int, unit_code: str, ctx: Ctx = CtxDep) -> Response:
    unit = find_unit(ctx.db, unit_code)
    rows = list(ctx.db.scalars(select(PublishedVersion).where(PublishedVersion.unit_id == unit.id,
                                                              PublishedVersion.fiscal_year == year)
                               .options(defer(PublishedVersion.source), defer(PublishedVersion.disclosure_json),
                                        defer(PublishedVersion.search_text))
                               .order_by(PublishedVersion.number.desc())))
    if not rows:
        raise not_found(f"{unit.name} {year} 年的预算尚未公开。")
    return render(ctx, "versions.html", unit=unit, year=year, versions=rows, labels=FORMAT_LABELS)


def _file(db: Session, version: PublishedVersion, fmt: str, latest: bool = False,
          if_none_match: str | None = None) -> Response:
    """A published file. A numbered version's file never changes (cached for a day); the latest
    version's may be replaced by a correction at any time, so caches revalidate it (ETag; a cache
    holding the same file gets 304)."""
    row = db.scalar(select(PublishedFile).where(PublishedFile.version_id == version.id, PublishedFile.format == fmt)
                    .options(defer(PublishedFile.content)))
    if row is None:
        raise not_found(f"该版本没有 {fmt} 格式的文件。")
    cache_control = "public, no-cache" if latest else "public, max-age=86400, immutable"
    if if_none_match == f'"{row.sha256}"':
        return Response(status_code=304, headers={"ETag": f'"{row.sha256}"', "Cache-Control": cache_control})
    disposition = "inline" if fmt in ("html", "pdf") else "attachment"
    return Response(row.content, media_type=row.media_type, headers={
        "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(row.filename)}",
        "ETag": f'"{row.sha256}"', "X-Content-SHA256": row.sha256,
        "Cache-Control": cache_control})


@router.get("/budgets/{year:id}/{unit_code}/v{number:id}/{fmt}")
def download_version(year: int, unit_code: str, number: int, fmt: str, ctx: Ctx = CtxDep) -> Response:
    return _file(ctx.db, find_version(ctx.db, year, unit_code, number), fmt,
                 if_none_match=ctx.request.headers.get("if-none-match"))


@router.get("/budgets/{year:id}/{unit_code}/download/{fmt}")
def download_latest(year: int, unit_code: str, fmt: str, ctx: Ctx = CtxDep) -> Response:
    return _file(ctx.db, find_version(ctx.db, year, unit_code), fmt, latest=True,
                 if_none_match=ctx.request.headers.get("if-none-match"))


def _figures(version: PublishedVersion) -> dict[str, Decimal]:
    data = json.loads(version.figures_json)
    return {k: Decimal(v["value"]) for k, v in data.items()}


def _change(a: Decimal | None, b: Decimal | None) -> str:
    if a is None or b is None:
        return ""
    diff = b - a
    pct = f"（{diff / a * 100:+.2f}%）" if a else ""
    return f"{diff:+,.2f}{pct}"


@router.get("/compare/unit/{unit_code}")
def compare_unit(unit_code: str, ctx: Ctx = CtxDep) -> Response:
    unit = find_unit(ctx.db, unit_code)
    rows = list(ctx.db.scalars(latest_versions().where(PublishedVersion.unit_id == unit.id)
                               .order_by(PublishedVersion.fiscal_year)))
    if not rows:
        raise not_found(f"{unit.name} 尚无公开的预算。")
    figures = [_figures(v) for v in rows]
    table = []
    for key, label in COMPARE_FIGURES:
        values = [f.get(key) for f in figures]
        if all(v is None for v in values):
            continue
        changes = [""] + [_change(values[i - 1], values[i]) for i in range(1, len(values))]
        table.append((label, values, changes))
    return render(ctx, "compare_unit.html", unit=unit, versions=rows, table=table)


UNITS_QUERY = Query(default=[])


@router.get("/compare/year/{year:id}")
def compare_year(year: int, ctx: Ctx = CtxDep, units: list[str] = UNITS_QUERY) -> Response:
    available = list(ctx.db.scalars(latest_versions().where(PublishedVersion.fiscal_year == year)
                                    .order_by(PublishedVersion.department_name, PublishedVersion.unit_name)))
    if not available:
        raise not_found(f"{year} 年尚无公开的预算。")
    codes = {u.id: u.code for u in ctx.db.scalars(select(Unit))}
    chosen = [v for v in available if codes.get(v.unit_id) in units][:MAX_COMPARE] or available[:MAX_COMPARE]
    figures = [_figures(v) for v in chosen]
    table = []
    for key, label in COMPARE_FIGURES:
        values = [f.get(key) for f in figures]
        if any(v is not None for v in values):
            table.append((label, values))
    return render(ctx, "compare_year.html", year=year, available=available, chosen=chosen, codes=codes,
                  table=table, selected={codes.get(v.unit_id) for v in chosen})
