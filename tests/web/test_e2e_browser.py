"""End to end in a real browser (Debian's chromium through Playwright): a preparer downloads the
entry template, uploads it with one error, sees the finding next to the data, fixes it and
submits; the 主管部门 reviewer overrides an item of the checklist and confirms the rest; both
reviewers approve; the finance bureau publishes; the public finds the budget by
search and downloads the PDF. A screenshot of each step goes to ``test-artifacts/e2e/``.

Skipped when chromium or the playwright package is missing (never ``playwright install``)."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from deptbudget.web.app import create_app
from tests.web.conftest import browser_login, browser_logout, browser_page, live_server, seeded_url

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"

playwright_api = importlib.import_module("playwright.sync_api")  # make test installs playwright and chromium


@pytest.fixture
def server(tmp_path):  # type: ignore[no-untyped-def]
    with live_server(create_app(seeded_url(tmp_path))) as base:
        yield base


@pytest.fixture
def page():  # type: ignore[no-untyped-def]
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with browser_page(downloads=True) as opened:
        yield opened


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def open_budget(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/work")
    page.click("text=测试区科技局 2020 年预算")
    page.wait_for_selector("#state")


def test_budget_from_entry_to_publication(server, page, tmp_path):  # type: ignore[no-untyped-def]
    base = server
    page.on("dialog", lambda dialog: dialog.accept())

    # 1. the preparer logs in and opens the budget
    browser_login(page, base, "prep_a", before_submit=lambda p: shot(p, "01-login"))
    open_budget(page, base)
    shot(page, "02-budget-draft")

    # 2. downloads the entry template
    with page.expect_download() as info:
        page.click("#download-template")
    template = tmp_path / "template.xlsx"
    info.value.save_as(template)
    wb = load_workbook(template)
    assert wb["基本支出"]["A2"].value == "2060101 行政运行"

    # 3. fills it in with one error (a functional code that does not exist) and uploads it
    wb["基本支出"]["A3"] = "2069998"
    wb["文字说明"]["B5"] = "新增科普活动经费。"  # 预算收支增减主要原因
    wb.save(template)
    page.set_input_files("input[name=file]", str(template))
    page.click("#upload-button")
    page.wait_for_selector(".flash")
    # the upload is read and checked in the background: the page shows its progress, then the outcome
    assert "正在后台读取和检查" in page.inner_text(".flash")
    page.wait_for_selector("#upload-job:has-text('已完成')", timeout=120000)
    page.wait_for_selector("#check-summary:not([data-checking])", timeout=120000)
    assert "发现 1 处问题" in page.inner_text("#upload-job") and "2069998" in page.inner_text("#upload-job")
    row = page.locator("#basic tr.bad")
    assert row.count() == 1 and "2069998" in row.inner_text() and "没有编码" in row.inner_text()
    row.scroll_into_view_if_needed()
    shot(page, "03-upload-finding-next-to-data")

    # 4. fixes it in the web form
    page.click("#basic >> text=编辑")
    page.wait_for_selector("input[name='r1.func']")
    assert "没有编码" in page.inner_text("table.form")
    page.fill("input[name='r1.func']", "2060101 行政运行")
    shot(page, "04-fix-in-form")
    page.click("#save-button")
    page.wait_for_selector("#state")
    shot(page, "04b-saved-checking")
    # the save answers before the whole budget is checked (in the background); the page asks and
    # shows the result when it is there
    flash = page.inner_text(".flash")
    assert "已保存“基本支出”" in flash and "正在后台检查整份预算" in flash
    page.wait_for_selector("#check-summary:not([data-checking])", timeout=120000)
    assert page.locator("#basic tr.bad").count() == 0
    assert "源数据有" not in page.inner_text("#check-summary")
    assert "规则检查" in page.inner_text("#check-summary") or "检查通过" in page.inner_text("#check-summary")
    shot(page, "04c-check-result")

    # 5. submits, explaining the warnings
    page.fill("#explanation", "部分项目的效益、满意度指标将在年中补充。")
    page.click("#submit-button")
    page.wait_for_selector(".flash")
    assert page.inner_text("#state") == "已提交"
    shot(page, "05-submitted")
    browser_logout(page)

    # 6. the 主管部门 sees the checklist the rules filled, overrides one verdict with a reason, confirms
    #    the rest and approves: the final checklist is stored with the decision
    browser_login(page, base, "dept_a")
    open_budget(page, base)
    page.locator("#checklist").scroll_into_view_if_needed()
    t15 = page.locator("#item-T15")
    assert "否" in t15.inner_text() and "没有效益指标" in t15.inner_text()
    shot(page, "06a-checklist")
    t15.locator("summary").click()
    t15.locator("select[name=verdict]").select_option("pass")
    t15.locator("input[name=text][placeholder^='改判理由']").fill("效益、满意度指标将在年中补充，填报单位已书面说明。")
    t15.locator(".override-button").click()
    page.wait_for_selector(".flash")
    assert "已改判" in page.locator("#item-T15").inner_text()
    page.click("#checklist-confirm-all")
    page.wait_for_selector(".flash")
    assert "已确认" in page.inner_text(".flash")
    page.locator("#item-T15").scroll_into_view_if_needed()
    shot(page, "06b-checklist-overridden")
    page.fill("#approve-comment", "同意。")
    page.click("#approve-button")
    page.wait_for_selector(".flash")
    assert page.inner_text("#state") == "主管部门审核通过"
    shot(page, "06-department-approved")
    page.locator("#checklist-records").scroll_into_view_if_needed()
    assert "主管部门审核" in page.inner_text("#checklist-records + table")
    shot(page, "06c-checklist-stored")
    browser_logout(page)

    # 7. the finance bureau approves and publishes
    browser_login(page, base, "finance")
    open_budget(page, base)
    page.click("#approve-button")
    page.wait_for_selector(".flash")
    assert page.inner_text("#state") == "财政局审核通过"
    shot(page, "07-finance-approved")
    page.click("#publish-button")
    page.wait_for_selector(".flash")
    assert "已开始公开" in page.inner_text(".flash")  # a background job: the page follows it
    assert page.locator("#publish-job").count() == 1
    shot(page, "07b-publishing")
    page.wait_for_selector("#published-link", timeout=240000)
    assert page.inner_text("#state") == "已公开"
    shot(page, "08-published")
    page.locator("#audit").scroll_into_view_if_needed()
    shot(page, "08b-audit-log")
    browser_logout(page)

    # 8. the public finds it by search, reads it and downloads the PDF
    page.goto(f"{base}/")
    page.fill("input[name=q]", "科普活动")
    page.click("button[type=submit]")
    page.wait_for_selector(".card")
    assert "2020 年测试区科技局部门预算" in page.inner_text(".card")
    shot(page, "09-public-search")
    with page.expect_download() as info:
        page.click(".card >> text=下载 PDF")
    pdf = tmp_path / "budget.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    shutil.copy(pdf, ARTIFACTS / "downloaded-budget.pdf")
    page.click(".card h3 a")
    page.wait_for_selector("#portal-bar")
    assert "第 1 版" in page.inner_text("#portal-bar")
    shot(page, "10-public-disclosure")
