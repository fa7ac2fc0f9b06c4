"""The request context and the permission dependencies (``context``, ``deps``): what an anonymous
visitor, a person of the wrong role, a stale form and a bad CSRF token get — status and text."""

from __future__ import annotations

import asyncio
import threading

import pytest

from deptbudget.web import services
from deptbudget.web.context import FLASH_COOKIE, HeavyGate, PageError, to_int
from tests.web.conftest import Client


def test_anonymous_get_goes_to_the_login_page_with_a_csrf_cookie(app, world):  # type: ignore[no-untyped-def]
    client = Client(app)
    a = world.budgets["A001"]
    client.http.cookies.set(FLASH_COOKIE, "old")
    response = client.get(f"/work/budgets/{a}/edit/basic")
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next=/work/budgets/{a}/edit/basic"
    cookies = response.headers.get_list("set-cookie")
    assert any(c.startswith("deptbudget_csrf=") for c in cookies)
    assert any(c.startswith(f"{FLASH_COOKIE}=") and "Max-Age=0" in c for c in cookies)  # the flash is consumed
    assert response.headers["Cache-Control"] == "no-store"


def test_anonymous_post_is_refused(app, world):  # type: ignore[no-untyped-def]
    client = Client(app)
    response = client.post(f"/work/budgets/{world.budgets['A001']}/submit", {"version": "1"})
    assert response.status_code == 403 and "请先登录。" in response.text


@pytest.mark.parametrize(("user", "status", "text"), [
    (None, 303, ""),  # the login page
    ("finance", 403, "只有系统管理员可以访问此页面。"),
    ("admin", 200, "主管部门"),
])
def test_admin_pages_by_role(app, world, user, status, text):  # type: ignore[no-untyped-def]
    response = Client(app, user).get("/admin")
    assert response.status_code == status and text in response.text


def test_dashboard_refusal_names_who_may_see_it(app, world):  # type: ignore[no-untyped-def]
    response = Client(app, "dept_a").get("/work/performance")
    assert response.status_code == 403 and "只有财政局和系统管理员可以查看绩效管理总览。" in response.text


def test_an_unknown_export_format_is_404_before_the_login(app, world):  # type: ignore[no-untyped-def]
    response = Client(app).get("/work/performance/export.doc")
    assert response.status_code == 404 and "没有这种格式" in response.text


def test_key_evaluation_checks_login_then_csrf_then_role(app, world):  # type: ignore[no-untyped-def]
    anonymous = Client(app).post("/work/performance/key-evaluation", {"year": "2020"}, csrf=False)
    assert anonymous.status_code == 403 and "请先登录。" in anonymous.text
    dept = Client(app, "dept_a")
    stale = dept.post("/work/performance/key-evaluation", {"year": "2020", "csrf_token": "x" * 30})
    assert stale.status_code == 403 and "CSRF 校验失败" in stale.text
    fresh = dept.post("/work/performance/key-evaluation", {"year": "2020"})
    assert fresh.status_code == 403 and "只有财政局可以选定重点绩效评价项目。" in fresh.text


def test_a_budget_one_may_not_see_is_not_found(app, world):  # type: ignore[no-untyped-def]
    response = Client(app, "prep_a").get(f"/work/budgets/{world.budgets['B001']}/performance/midyear")
    assert response.status_code == 404 and "找不到该预算，或您无权查看。" in response.text


def test_version_check() -> None:
    services.expect_version(3, None, lambda: "never")
    services.expect_version(3, 3, lambda: "never")
    with pytest.raises(services.ConflictError, match="第 2 版"):
        services.expect_version(3, 2, lambda: "您看到的是第 2 版")


def test_to_int() -> None:
    assert [to_int("12"), to_int(""), to_int(None), to_int("1.5")] == [12, None, None, None]


def test_heavy_requests_wait_on_the_event_loop_first_come_first_served() -> None:
    async def main() -> None:
        gate = HeavyGate(1, wait=5.0)
        await gate.acquire()
        served: list[int] = []

        async def request(n: int) -> None:
            await gate.acquire()
            served.append(n)

        tasks = [asyncio.create_task(request(n)) for n in range(3)]
        await asyncio.sleep(0.02)
        assert gate.waiting == 3 and served == []  # waiting: no thread taken, nothing run
        for expected in ([0], [0, 1], [0, 1, 2]):
            released = threading.Thread(target=gate.release)  # a handler's thread may give the slot up
            released.start()
            released.join()
            await asyncio.sleep(0.02)
            assert served == expected
        await asyncio.gather(*tasks)
        gate.release()
        await asyncio.wait_for(gate.acquire(), 0.5)  # the slot is free again

    asyncio.run(main())


def test_a_heavy_request_without_a_slot_in_time_gets_the_busy_page_and_loses_no_slot() -> None:
    async def main() -> None:
        gate = HeavyGate(1, wait=0.05)
        await gate.acquire()
        with pytest.raises(PageError) as refused:
            await gate.acquire()
        assert refused.value.status == 503 and "系统繁忙" in refused.value.message
        waiting = asyncio.create_task(gate.acquire())
        await asyncio.sleep(0.01)
        waiting.cancel()  # the visitor went away
        with pytest.raises(asyncio.CancelledError):
            await waiting
        assert gate.waiting == 0
        gate.release()
        await asyncio.wait_for(gate.acquire(), 0.5)

    asyncio.run(main())


def test_security_headers_on_every_response_and_no_store_on_private_pages(app) -> None:  # type: ignore[no-untyped-def]
    from fastapi import FastAPI
    from fastapi.responses import PlainTextResponse
    from fastapi.testclient import TestClient

    from deptbudget.web.context import SECURITY_HEADERS, install

    full_app, app = app, FastAPI()
    install(app)

    @app.get("/page")
    def page() -> PlainTextResponse:
        return PlainTextResponse("公开")

    @app.get("/work/own")
    def own() -> PlainTextResponse:  # a header the handler sets is kept
        return PlainTextResponse("自定", headers={"X-Frame-Options": "SAMEORIGIN", "Cache-Control": "private"})

    @app.get("/work/page")
    def private() -> PlainTextResponse:
        return PlainTextResponse("私有")

    with TestClient(app) as client:
        public = client.get("/page")
        assert public.text == "公开"
        assert all(public.headers[name] == value for name, value in SECURITY_HEADERS.items())
        assert "Cache-Control" not in public.headers
        head = client.head("/work/page")
        assert head.status_code == 200 and head.content == b"" and head.headers["Cache-Control"] == "no-store"
        assert all(head.headers[name] == value for name, value in SECURITY_HEADERS.items())
        own_page = client.get("/work/own")
        assert own_page.headers["X-Frame-Options"] == "SAMEORIGIN" and own_page.headers["Cache-Control"] == "private"
        assert own_page.headers.get_list("X-Frame-Options") == ["SAMEORIGIN"]
    missing = Client(full_app).get("/work/none")  # an error page of the real application has them too
    assert missing.status_code == 404 and missing.headers["Cache-Control"] == "no-store"
    assert all(missing.headers[name] == value for name, value in SECURITY_HEADERS.items())


def test_a_session_is_read_with_its_person_unit_and_department_in_one_query(world) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import event, inspect, select

    from deptbudget.store.models import LoginSession, User
    from deptbudget.web import auth

    with world.factory() as db:
        user = db.scalar(select(User).where(User.username == "prep_a"))
        token, _row = auth.start_session(db, user)
        db.commit()
    statements: list[str] = []
    engine = world.factory.kw["bind"]
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        with world.factory() as db:
            login = auth.load_session(db, token)
            assert isinstance(login, LoginSession)
            state = inspect(login.user)
            assert "unit" in state.dict and "department" in state.dict  # loaded, not lazy
            assert login.user.unit is not None and login.user.unit.code == "A001"
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1
