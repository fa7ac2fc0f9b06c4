"""End to end in a real browser (Debian's chromium through Playwright), issue 7: on an approved budget
a preparer enters the mid-year values, sees the deviations, explains them and submits; the finance
bureau accepts; the preparer enters the year-end values, sees the live score, explains the missed
target and submits; the finance bureau sees the score on its dashboard and accepts. A screenshot of
each step goes to ``test-artifacts/e2e-performance/``.

Skipped when chromium or the playwright package is missing (never ``playwright install``)."""

from __future__ import annotations

import importlib
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from deptbudget.store.db import make_engine, migrate, session_factory
from deptbudget.store.models import Budget
from tests.web.conftest import browser_login, browser_logout, browser_page, live_server, seed

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e-performance"

playwright_api = importlib.import_module("playwright.sync_api")  # make test installs playwright and chromium


@pytest.fixture
def server(tmp_path):  # type: ignore[no-untyped-def]
    from deptbudget.web.app import Settings, create_app

    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    engine = make_engine(url)
    migrate(engine)
    with session_factory(engine)() as session, session.begin():
        _units, budgets = seed(session)
        for budget in session.scalars(select(Budget)):
            budget.state = "approved"  # 财政局审核通过: the performance cycle can start
    engine.dispose()
    clock = {"today": date(2020, 7, 10)}  # the day of submissions (the cycle of the 2020 budget)
    with live_server(create_app(url, settings=Settings(today=lambda: clock["today"]))) as base:
        yield base, budgets["A001"], clock


@pytest.fixture(scope="module", autouse=True)
def artifacts():  # type: ignore[no-untyped-def]
    shutil.rmtree(ARTIFACTS, ignore_errors=True)  # once: both tests leave their screenshots
    ARTIFACTS.mkdir(parents=True, exist_ok=True)


@pytest.fixture
def page():  # type: ignore[no-untyped-def]
    with browser_page() as opened:
        yield opened


def shot(page, name: str, full: bool = False) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full)


def fill(page, values: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    for name, value in values.items():
        page.fill(f"[name='{name}']", value)


def save(page) -> str:  # type: ignore[no-untyped-def]
    page.click("#perf-save-button")
    page.wait_for_selector(".flash")
    return page.inner_text(".flash")


def test_midyear_then_year_end_and_the_reviewer_sees_the_score(server, page):  # type: ignore[no-untyped-def]
    base, budget_id, clock = server
    page.on("dialog", lambda dialog: dialog.accept())

    # 1. the preparer opens the budget's 绩效 page: the targets with their points
    browser_login(page, base, "prep_a")
    page.goto(f"{base}/work/budgets/{budget_id}")
    page.click("#performance-link")
    page.wait_for_selector("#perf-stages")
    assert "举办活动" in page.inner_text("main") and "75.00" in page.inner_text("main")
    shot(page, "01-targets")

    # 2. mid-year: spending and values to date; the deviations are flagged
    page.click("#open-midyear")
    page.wait_for_selector("#perf-form")
    fill(page, {"report_date": "2020-06-30", "p0.spent": "500000", "p0.i0.to_date": "3", "p0.i1.to_date": "95%",
                "p1.spent": "200", "p1.i0.to_date": "99%"})
    shot(page, "02-midyear-entry")
    assert "已保存绩效运行监控" in save(page)
    summary = page.inner_text("#monitor-summary")
    assert "26.32%" in summary and "执行进度滞后" in summary and "预计难以完成" in summary
    assert page.locator("#perf-problems li").count() == 2
    shot(page, "03-midyear-deviations")

    # 3. explains them and submits
    fill(page, {"p0.reason": "上半年线下活动因疫情暂停。", "p0.action": "下半年集中开展，9 月完成大部分支付。",
                "p0.i0.reason": "场地受限，活动延期。", "p0.i0.action": "增加线上科普活动。"})
    save(page)
    assert page.locator("#perf-problems").count() == 0
    clock["today"] = date(2020, 7, 10)
    page.click("#perf-submit-button")
    page.wait_for_selector(".flash")
    assert page.inner_text("#perf-status") == "已提交" and "2020-07-10" in page.inner_text("main")
    shot(page, "04-midyear-submitted")
    browser_logout(page)

    # 4. the finance bureau accepts the monitoring report
    browser_login(page, base, "finance")
    page.goto(f"{base}/work/budgets/{budget_id}/performance/midyear")
    page.fill("#accept-comment", "同意。")
    page.click("#perf-accept-button")
    page.wait_for_selector(".flash")
    assert page.inner_text("#perf-status") == "已审核"
    shot(page, "05-midyear-accepted")
    browser_logout(page)

    # 5. year end: actual values; the score is computed as the preparer saves
    browser_login(page, base, "prep_a")
    page.goto(f"{base}/work/budgets/{budget_id}/performance/selfeval")
    fill(page, {"p0.spent": "1800000", "p0.i0.actual": "8", "p0.i1.actual": "92%", "p1.spent": "250",
                "p1.i0.actual": "96%"})
    page.click("#perf-preview-button")  # 试算: scored without saving
    page.wait_for_selector("#preview-notice")
    assert "84.47" in page.inner_text("#score-summary")
    save(page)
    row = page.locator("#score-summary tr[data-code='P1']").inner_text()
    assert "84.47" in row and "良" in row
    assert "须说明偏差原因及改进措施" in page.inner_text("#perf-problems")
    shot(page, "06-selfeval-scored")
    page.locator("[name='p0.i0.explanation']").scroll_into_view_if_needed()
    shot(page, "07-selfeval-explanation-needed")
    fill(page, {"p0.i0.explanation": "受疫情影响两场活动取消，已改为线上形式并纳入下年度计划。",
                "p0.summary": "全年举办科普活动 8 场，参与群众满意度 92%。"})
    save(page)
    clock["today"] = date(2021, 3, 20)
    page.click("#perf-submit-button")
    page.wait_for_selector(".flash")
    assert page.inner_text("#perf-status") == "已提交"
    shot(page, "08-selfeval-submitted")
    browser_logout(page)

    # 6. the finance bureau sees the score on its dashboard and in the report, and accepts
    browser_login(page, base, "finance")
    page.goto(f"{base}/work/performance?year=2020&today=2021-04-02")
    rows = page.inner_text("#project-rows")
    assert "84.47" in rows and "100.00" in rows
    late = page.inner_text("#late-units")
    assert "测试区教育局" in late and "测试区科技局" not in late  # B reported nothing: late for both stages
    shot(page, "09-finance-dashboard", full=True)
    page.goto(f"{base}/work/budgets/{budget_id}/performance/selfeval")
    assert "84.47" in page.inner_text("#score-summary")
    shot(page, "10-finance-sees-score")
    page.click("#perf-accept-button")
    page.wait_for_selector(".flash")
    assert page.inner_text("#perf-status") == "已审核"
    page.goto(f"{base}/work/budgets/{budget_id}/performance/selfeval/report.html")
    assert "项目支出绩效自评表" in page.inner_text("body") and "84.47" in page.inner_text("body")
    shot(page, "11-selfeval-report")


def test_indicator_library_fills_the_target_row(server, page):  # type: ignore[no-untyped-def]
    """Picking an indicator from the library on the 绩效指标 form fills 一级, 二级 and the example target."""
    base, _budget_id, _clock = server
    browser_login(page, base, "prep_a")
    page.fill("#fiscal_year", "2021")  # a new draft budget to set targets in
    page.click("text=新建（草稿）")
    page.wait_for_selector("#state")
    page.click("#indicators >> text=编辑")
    page.wait_for_selector("#library-hint")
    assert page.locator("#list-library option").count() > 100
    page.fill("[name='r0.owner']", "部门整体")
    name = page.locator("[name='r0.name']")
    name.fill("资金到位率")
    name.press("Tab")  # the change event
    assert page.input_value("[name='r0.level1']") == "产出指标"
    assert page.input_value("[name='r0.level2']") == "数量指标"
    assert page.input_value("[name='r0.target']") == "100%"
    shot(page, "12-library-picked")
    page.click("#save-button")
    page.wait_for_selector(".flash")
    assert "资金到位率" in page.inner_text("#indicators")
