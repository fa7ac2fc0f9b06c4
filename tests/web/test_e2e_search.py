"""The portal's search and paging in a real browser (Debian's chromium through Playwright): 57
published budgets; the visitor pages through the index (下一页 / 上一页, 第 N 页/共 M 页), filters by
department, searches by a Chinese word of two characters and of four, and pages through the results.
Screenshots in ``test-artifacts/e2e-search/``. Skipped without chromium or playwright."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest

from deptbudget.store.db import make_engine, session_factory
from tests.web.conftest import browser_page, live_server, seeded_url
from tests.web.published import add_published

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e-search"
playwright_api = importlib.import_module("playwright.sync_api")
COUNT = 57


@pytest.fixture
def portal(tmp_path):  # type: ignore[no-untyped-def]
    from deptbudget.web.app import create_app

    url = seeded_url(tmp_path)
    engine = make_engine(url)
    with session_factory(engine)() as session, session.begin():
        for n in range(COUNT):
            add_published(session, f"P{n:03d}", f"测试单位{n:03d}", 2021, f"第 {n} 个单位：社区服务中心运行经费。",
                          department="D1" if n % 3 else "D2")
    engine.dispose()
    with live_server(create_app(url)) as base:
        yield base


def test_search_and_paging_in_the_browser(portal: str) -> None:
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with browser_page() as page:
        page.goto(portal + "/")
        pager = page.locator("nav.pager").first
        assert "第 1 页/共 2 页" in pager.inner_text()
        assert page.locator("table.data tbody tr").count() == 50
        page.screenshot(path=str(ARTIFACTS / "1-index-page-1.png"))
        pager.get_by_text("下一页").click()
        page.wait_for_url("**/?page=2")
        assert "第 2 页/共 2 页" in page.locator("nav.pager").first.inner_text()
        assert page.locator("table.data tbody tr").count() == COUNT - 50
        page.screenshot(path=str(ARTIFACTS / "2-index-page-2.png"))
        page.locator("nav.pager").first.get_by_text("上一页").click()
        page.wait_for_url(portal + "/")
        page.select_option("#dept-filter", "D2")
        page.get_by_role("button", name="筛选").click()
        page.wait_for_url("**dept=D2**")
        assert page.locator("table.data tbody tr").count() == len(range(0, COUNT, 3))
        page.fill("form.search input[name=q]", "社区")  # two characters
        page.get_by_role("button", name="检索").click()
        page.wait_for_url("**/search?q=**")
        assert f"找到 {COUNT} 份" in page.inner_text("main")
        assert page.locator("div.card").count() == 20
        page.screenshot(path=str(ARTIFACTS / "3-search-page-1.png"))
        page.locator("nav.pager").first.get_by_text("第 3 页").click()
        page.wait_for_url("**page=3**")
        assert page.locator("div.card").count() == COUNT - 40 and "第 41–57 份" in page.inner_text("main")
        page.screenshot(path=str(ARTIFACTS / "4-search-page-3.png"))
        page.fill("form.search input[name=q]", "测试单位042")
        page.get_by_role("button", name="检索").click()
        page.wait_for_url("**/search?q=**")
        assert "找到 1 份" in page.inner_text("main") and page.locator("nav.pager").count() == 0
