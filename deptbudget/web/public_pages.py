"""The public portal's pages, independent of HTTP: the newest published version of every budget,
a unit or version looked up by what the address names, and the disclosure page — the HTML renderer's
page of a version with the portal's bar (downloads, versions, comparison) — rendered once per
version and kept in the public page cache. Only published versions are ever read here."""

from __future__ import annotations

import logging
import re
import time
from html import escape
from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session, defer

from deptbudget.store.models import PublishedFile, PublishedFinal, PublishedVersion, Unit
from deptbudget.web import times
from deptbudget.web.context import not_found

FINAL = "final"  # the key of "the newest published final accounts" in the cache's map of newest versions
WARM_PAGES, WARM_SECONDS = 20, 2.0  # pages made at a server's start (``warm_newest``), and the time it may take
FORMAT_LABELS = {"html": "网页", "pdf": "PDF", "xlsx": "Excel 表格", "docx": "Word 文档", "json": "JSON 数据"}


def latest_versions() -> Select:
    """The newest published version of every budget (unit × year)."""
    newest = (select(PublishedVersion.budget_id, func.max(PublishedVersion.number).label("number"))
              .group_by(PublishedVersion.budget_id).subquery())
    return (select(PublishedVersion)
            .join(newest, and_(PublishedVersion.budget_id == newest.c.budget_id,
                               PublishedVersion.number == newest.c.number))
            .options(defer(PublishedVersion.source), defer(PublishedVersion.disclosure_json),
                     defer(PublishedVersion.search_text)))


def find_unit(db: Session, code: str) -> Unit:
    unit = db.scalar(select(Unit).where(Unit.code == code))
    if unit is None:
        raise not_found("找不到该单位。")
    return unit


def find_version(db: Session, year: int, unit_code: str, number: int | None = None) -> PublishedVersion:
    unit = find_unit(db, unit_code)
    query = select(PublishedVersion).where(PublishedVersion.unit_id == unit.id, PublishedVersion.fiscal_year == year)
    if number is None:
        query = query.order_by(PublishedVersion.number.desc()).limit(1)
    else:
        query = query.where(PublishedVersion.number == number)
    version = db.scalar(query)
    if version is None:
        raise not_found(f"{unit.name} {year} 年的预算尚未公开。" if number is None else "没有这个版本。")
    return version


def latest_final(db: Session, unit_id: int, year: int) -> PublishedFinal | None:
    """The newest published final accounts (部门决算) of a unit and year, if any."""
    return db.scalar(select(PublishedFinal).where(PublishedFinal.unit_id == unit_id, PublishedFinal.fiscal_year == year)
                     .order_by(PublishedFinal.number.desc()).limit(1))


def portal_bar(version: PublishedVersion, unit_code: str, latest: int, time_zone: str = times.DEFAULT_ZONE,
               comparison: bool = False) -> str:
    base = f"/budgets/{version.fiscal_year}/{escape(unit_code)}"
    links = " ".join(f'<a href="{base}/v{version.number}/{fmt}" download>{FORMAT_LABELS[fmt]}</a>'
                     for fmt in ("pdf", "xlsx", "docx", "json") if any(f.format == fmt for f in version.files))
    notice = ""
    if version.number != latest:
        notice = (f'<div style="background:#fff3cd;padding:6px 12px">这是第 {version.number} 版，已被更正；'
                  f'<a href="{base}">查看最新版（第 {latest} 版）</a></div>')
    return (
        '<nav id="portal-bar" style="font:14px/1.6 sans-serif;background:#1f4e79;color:#fff;padding:8px 12px;'
        'display:flex;gap:16px;flex-wrap:wrap;align-items:center">'
        '<a href="/" style="color:#fff;font-weight:bold">部门预算公开平台</a>'
        f'<span>{escape(version.title)} · 第 {version.number} 版 · '
        f'公开于 {times.shown(version.published_at, time_zone)}</span>'
        f'<span>下载：{links}</span>'
        f'<a href="{base}/versions" style="color:#fff">版本历史</a>'
        f'<a href="/compare/unit/{escape(unit_code)}" style="color:#fff">历年对比</a>'
        + (f'<a href="{base}/comparison" id="final-comparison" style="color:#fff">预算与决算对比</a>' if comparison
           else "") +
        f'<span style="font-size:12px;opacity:.8">SHA-256 {version.content_hash[:16]}…</span></nav>'
        f'{notice}'
    ).replace('<a href="' + base + "/v", '<a style="color:#fff" href="' + base + "/v")


def page_html(db: Session, version_id: int, unit_code: str, time_zone: str = times.DEFAULT_ZONE,
              comparison: bool = False) -> tuple[bytes, str]:
    """The version's HTML file with the portal's bar (``comparison``: published final accounts of its year exist,
    so the bar links to the comparison page)."""
    version = db.get(PublishedVersion, version_id)
    assert version is not None
    html_file = db.scalar(select(PublishedFile).where(PublishedFile.version_id == version_id,
                                                      PublishedFile.format == "html"))
    latest = db.scalar(select(func.max(PublishedVersion.number))
                       .where(PublishedVersion.budget_id == version.budget_id)) or version.number
    html = html_file.content.decode("utf-8") if html_file else "<html><body></body></html>"
    bar = portal_bar(version, unit_code, latest, time_zone, comparison)
    html = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + bar, html, count=1)
    return html.encode("utf-8"), f'"{version.content_hash[:32]}-{latest}"'


def page_key(cache: Any, year: int, unit_code: str, number: int | None) -> tuple[int, str, int, int] | None:
    """The cache key of an address's page — (version, unit code, newest version of the budget, newest final
    accounts or 0): a numbered version's page names the newest (已被更正), so it is made again after a
    correction, and every page again once final accounts of the year are published (the link to the
    comparison) — or None while any is unknown."""
    version_id = cache.latest((year, unit_code, number))
    newest = cache.latest((year, unit_code, None))
    final = cache.latest((year, unit_code, FINAL))
    known = version_id is not None and newest is not None and final is not None
    return (version_id, unit_code, newest, final) if known else None


def cached_page(app_state: Any, year: int, unit_code: str, number: int | None) -> tuple[bytes, str]:
    """(page, ETag) of the version the address names, from the cache or rendered and cached."""
    cache = app_state.public_cache
    with app_state.sessions() as db:
        ids = {}
        for wanted in dict.fromkeys((number, None)):
            ids[wanted] = cache.latest((year, unit_code, wanted))
            if ids[wanted] is None:
                ids[wanted] = find_version(db, year, unit_code, wanted).id
                cache.put_latest((year, unit_code, wanted), ids[wanted])
        version_id = ids[number]
        final = cache.latest((year, unit_code, FINAL))
        if final is None:
            version = db.get(PublishedVersion, version_id)
            assert version is not None
            found = latest_final(db, version.unit_id, year)
            final = found.id if found is not None else 0
            cache.put_latest((year, unit_code, FINAL), final)
        key = (version_id, unit_code, ids[None], final)
        page = cache.page(key)
        if page is None:
            page = page_html(db, version_id, unit_code, app_state.settings.time_zone, comparison=bool(final))
            cache.put_page(key, page)
        return page


def warm_newest(app_state: Any, count: int = WARM_PAGES, seconds: float = WARM_SECONDS) -> int:
    """At a server's start: the pages of the budgets published last (their newest versions) made and cached,
    at most ``count`` and for at most ``seconds`` — so that the first visitors after a restart do not each wait
    for a render (20–30 ms of CPU, 100–180 ms while a burst of saves is under way). A page that cannot be
    made is logged and left to its first visitor. Returns the pages made."""
    deadline = time.monotonic() + seconds
    with app_state.sessions() as db:
        rows = db.execute(select(PublishedVersion.fiscal_year, Unit.code)
                          .join(Unit, Unit.id == PublishedVersion.unit_id)
                          .order_by(PublishedVersion.published_at.desc(), PublishedVersion.id.desc())
                          .limit(count * 4)).all()
    made = 0
    for year, unit_code in dict.fromkeys((row[0], row[1]) for row in rows):
        if made >= count or time.monotonic() > deadline:
            break
        try:
            cached_page(app_state, year, unit_code, None)
        except Exception:  # the visitor gets the error page instead; the server still starts
            logging.getLogger(__name__).exception("公开页面预先生成失败 (page not made at start): %s %s", year,
                                                  unit_code)
            continue
        made += 1
    return made
