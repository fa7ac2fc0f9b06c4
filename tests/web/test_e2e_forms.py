"""Big forms in a real browser (chromium through Playwright, issue 15): the demo's 绩效指标 form (over
1,000 fields) and a 项目 form of 300 projects save; a form over the server's cap is not sent and what
was typed stays on the page. Skipped when chromium or playwright is missing."""

from __future__ import annotations

import importlib

import pytest

from deptbudget.store.db import make_engine, migrate, session_factory
from deptbudget.store.documents import dump_document, load_document
from deptbudget.store.models import Budget
from deptbudget.web.demo import init_demo
from tests.web.conftest import PASSWORD, browser_login, live_server

e2e = importlib.import_module("tests.web.test_e2e_browser")
page = e2e.page  # the browser page fixture


@pytest.fixture
def demo_server(tmp_path):  # type: ignore[no-untyped-def]
    from deptbudget.web.app import create_app

    url = f"sqlite:///{tmp_path / 'e2e-forms.db'}"
    engine = make_engine(url)
    migrate(engine)
    with session_factory(engine)() as session, session.begin():
        init_demo(session, password=PASSWORD)
    engine.dispose()
    with live_server(create_app(url)) as base:
        yield base, url


def budget_id(url: str) -> int:
    engine = make_engine(url)
    with session_factory(engine)() as session:
        found = session.query(Budget).one().id
    engine.dispose()
    return found


def test_demo_indicator_form_and_300_projects_save(demo_server, page) -> None:  # type: ignore[no-untyped-def]
    base, url = demo_server
    bid = budget_id(url)
    browser_login(page, base, "tianbao")
    page.goto(f"{base}/work/budgets/{bid}/edit/indicators")
    assert page.locator("form[data-max-fields] [name]").count() > 1000
    page.fill("input[name='r0.target']", "≥12 场")
    page.click("#save-button")
    page.wait_for_selector(".flash")
    assert "已保存“绩效指标”：1 处修改" in page.inner_text(".flash")
    e2e.shot(page, "forms-01-demo-indicators-saved")

    engine = make_engine(url)
    with session_factory(engine)() as session, session.begin():
        budget = session.get(Budget, bid)
        doc = load_document(budget.source)
        template = doc["projects"][0]
        doc["projects"] = [{**template, "code": f"X{n:03d}", "name": f"{template['name']}{n}", "lines": [],
                            "indicators": []} for n in range(300)]
        budget.source = dump_document(doc)
    engine.dispose()
    page.goto(f"{base}/work/budgets/{bid}/edit/projects")
    assert page.locator("fieldset.record").count() == 303
    page.fill("input[name='r299.contact']", "张三")
    page.click("#save-button")
    page.wait_for_selector(".flash")
    assert "已保存“项目”：1 处修改" in page.inner_text(".flash")


def test_form_over_the_cap_is_not_sent(demo_server, page) -> None:  # type: ignore[no-untyped-def]
    base, url = demo_server
    bid = budget_id(url)
    browser_login(page, base, "tianbao")
    page.goto(f"{base}/work/budgets/{bid}/edit/groups")
    page.fill("[name='r0.name']", "新的分组名称")
    cap = int(page.get_attribute("form[data-max-fields]", "data-max-fields"))
    page.evaluate("""(cap) => { const form = document.querySelector('form[data-max-fields]');
        for (let i = 0; i <= cap; i++) { const f = document.createElement('input'); f.type = 'hidden';
        f.name = `r${1000 + i}.name`; form.appendChild(f); } }""", cap)
    messages: list[str] = []
    page.on("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    page.click("#save-button")
    page.wait_for_timeout(500)
    assert messages and "表单的栏目过多" in messages[0]
    assert page.url.endswith("/edit/groups")
    assert page.input_value("[name='r0.name']") == "新的分组名称"
