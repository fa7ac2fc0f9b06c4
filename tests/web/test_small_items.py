"""The smaller items of issue 15, each with a test that fails without its fix."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from sqlalchemy import select

from deptbudget.commands import serve
from deptbudget.store.db import make_engine, session_factory
from deptbudget.store.models import Unit, User
from deptbudget.web import forms
from deptbudget.web.budget_pages import Located
from tests.web.conftest import Client, budget_row
from tests.web.test_workflow import EXPLANATION, publish_through

WEB = Path(__file__).resolve().parents[2] / "deptbudget" / "web"


def test_the_preparer_sees_the_return_comment_whatever_follows(app, world) -> None:  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    prep, dept = Client(app, "prep_a"), Client(app, "dept_a")
    assert prep.act(a, "submit", explanation=EXPLANATION).status_code == 303
    assert dept.act(a, "return", comment="请补充项目绩效目标").status_code == 303
    page = prep.get(f"/work/budgets/{a}").text  # the checklist's entry is logged after the return
    assert "退回意见" in page and "请补充项目绩效目标" in page
    assert prep.act(a, "submit", explanation=EXPLANATION).status_code == 303
    assert "请补充项目绩效目标</div>" not in prep.get(f"/work/budgets/{a}").text  # submitted again: gone


def test_corrected_version_marked_even_when_cached_and_downloads_revalidated(app, world) -> None:  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    publish_through(app, world, a)
    public, fin = Client(app), Client(app, "finance")
    again = fin.act(a, "publish")  # a double-clicked 公开
    assert again.status_code == 409 and "已经公开" in again.text and "不必再次公开" in again.text
    assert "已被更正" not in public.get("/budgets/2020/A001/v1").text  # now in the page cache
    latest = public.get("/budgets/2020/A001/download/json")
    assert latest.headers["cache-control"] == "public, no-cache" and latest.headers["etag"]
    same = public.get("/budgets/2020/A001/download/json", headers={"If-None-Match": latest.headers["etag"]})
    assert same.status_code == 304 and not same.content
    assert fin.act(a, "reopen", reason="更正说明").status_code == 303
    publish_through(app, world, a)
    assert "已被更正" in public.get("/budgets/2020/A001/v1").text


@pytest.mark.parametrize("path", ["/", "/search?q=科技", "/login"])
def test_head_is_answered_like_get(app, path: str) -> None:  # type: ignore[no-untyped-def]
    public = Client(app)
    head, get = public.http.head(path), public.get(path)
    assert head.status_code == get.status_code == 200
    assert head.content == b"" and head.headers["content-type"] == get.headers["content-type"]


def test_anonymous_admin_goes_to_the_login_page(app) -> None:  # type: ignore[no-untyped-def]
    response = Client(app).get("/admin")
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/admin"


def test_a_budget_form_without_its_version_is_refused(app, world) -> None:  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    prep = Client(app, "prep_a")
    response = prep.post(f"/work/budgets/{a}/submit", {"explanation": EXPLANATION})
    assert response.status_code == 400 and "缺少版本号" in response.text
    assert budget_row(world, a).state == "draft"
    assert prep.post(f"/work/budgets/{a}/submit", {"explanation": EXPLANATION, "version": "x"}).status_code == 400


@pytest.mark.parametrize("code", ["a/b", "x" * 65, "-A1", "单位1", "A B"])
def test_unit_codes_are_validated(app, world, code: str) -> None:  # type: ignore[no-untyped-def]
    admin = Client(app, "admin")
    response = admin.post("/admin/units", {"code": code, "name": "测试单位", "department_id": "1"})
    assert response.status_code == 422 and "代码只能由字母、数字" in response.text
    with world.factory() as session:
        assert session.scalar(select(Unit).where(Unit.name == "测试单位")) is None
    assert admin.post("/admin/units", {"code": "C-9.x_1", "name": "测试单位", "department_id": "1"}).status_code == 303


def test_banner_and_demo_passwords_on_restart(tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    monkeypatch.setattr("uvicorn.run", lambda *a, **kw: None)
    args = argparse.Namespace(host="127.0.0.1", port=8123, database_url=url, init_demo=True, demo_password=None,
                              proxy_headers=False)
    assert serve.run_serve(args) == 0
    first = capsys.readouterr()
    assert "http://127.0.0.1:8123/login" in first.out and "http://127.0.0.1:8123/" in first.err
    assert ":8000" not in first.out + first.err
    engine = make_engine(url)
    with session_factory(engine)() as session:
        hashes = {u.username: u.password_hash for u in session.scalars(select(User))}
    assert serve.run_serve(args) == 0  # a restart keeps the passwords
    assert "沿用原密码" in capsys.readouterr().out
    with session_factory(engine)() as session:
        assert {u.username: u.password_hash for u in session.scalars(select(User))} == hashes
    engine.dispose()


class _Entry:
    """An entry document that places every path on the second data row of the 基本支出 sheet."""

    def place(self, path: str) -> str:
        return f"{forms.SECTIONS['basic'].table.name}!B3"


def test_notes_are_not_counted_as_problems() -> None:
    located = Located()
    assert located.add(_Entry(), "basic[1].amount", "note", "提示")  # type: ignore[arg-type]
    assert located.sections == {} and located.notes == {"basic": 1}  # no red badge
    assert located.add(_Entry(), "basic[1].amount", "warning", "警告")  # type: ignore[arg-type]
    assert located.sections == {"basic": 1}


def test_checklist_item_column_and_chinese_file_picker(app, world) -> None:  # type: ignore[no-untyped-def]
    assert '<th class="group-head">检查项目</th>' in (WEB / "templates" / "_checklist.html").read_text("utf-8")
    assert ".checklist th.group-head, .checklist td.group { min-width: 7em" in (
        WEB / "static" / "style.css").read_text("utf-8")
    page = Client(app, "prep_a").get(f"/work/budgets/{world.budgets['A001']}").text
    assert '<span class="file-button">选择文件</span>' in page and "未选择文件" in page
