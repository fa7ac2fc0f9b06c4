"""Every path and query parameter is validated (issue 15): an empty ``year=`` is no filter, a year that
is not one gets a 400 page, numbers too large for the database never reach a query (404); every error
page — 400, 404, 405, 413, 422, 500 — is the styled Chinese page with the signed-in person's header."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from deptbudget.web import services
from tests.web.conftest import Client, World

HUGE = "9" * 25


def assert_styled(html: str) -> None:
    assert "部门预算公开平台" in html and '"detail"' not in html and "Traceback" not in html


@pytest.mark.parametrize("path", ["/?year=", "/search?q=科普&year=", "/search?q=&year=", "/?dept=&year="])
def test_empty_year_is_no_filter(app, path: str) -> None:  # type: ignore[no-untyped-def]
    response = Client(app).get(path)
    assert response.status_code == 200
    assert_styled(response.text)


def test_search_page_form_sends_what_it_takes(app) -> None:  # type: ignore[no-untyped-def]
    client = Client(app)
    page = client.get("/search").text
    assert 'name="year"' in page  # the page's own form sends year= (empty when not typed)
    assert client.get("/search?q=科普&year=").status_code == 200


@pytest.mark.parametrize("path", ["/?year=abc", f"/?year={HUGE}", f"/search?q=x&year={HUGE}", "/search?year=20.5"])
def test_bad_year_is_a_400_page(app, path: str) -> None:  # type: ignore[no-untyped-def]
    response = Client(app).get(path)
    assert response.status_code == 400 and "年度应为四位数字" in response.text
    assert_styled(response.text)


@pytest.mark.parametrize("path", [f"/budgets/2020/A001/v{HUGE}", f"/budgets/{HUGE}/A001", f"/compare/year/{HUGE}",
                                  f"/budgets/2020/A001/v{HUGE}/pdf", "/budgets/2020/A001/v999999999",
                                  "/compare/year/999999999"])
def test_public_numbers_too_large_are_404(app, path: str) -> None:  # type: ignore[no-untyped-def]
    response = Client(app).get(path)
    assert response.status_code == 404
    assert_styled(response.text)


@pytest.mark.parametrize("path", [f"/work/budgets/{HUGE}", f"/work/budgets/{HUGE}/edit/basic",
                                  "/work/budgets/999999999", "/no/such/page"])
def test_work_numbers_too_large_are_404_with_the_users_header(app, path: str) -> None:  # type: ignore[no-untyped-def]
    response = Client(app, "prep_a").get(path)
    assert response.status_code == 404
    assert_styled(response.text)
    assert "prep_a" in response.text and "退出" in response.text  # the header of the signed-in person


def test_posted_numbers_too_large_are_refused(app, world: World) -> None:  # type: ignore[no-untyped-def]
    admin = Client(app, "admin")
    response = admin.post("/work/budgets", {"fiscal_year": "2021", "unit_id": HUGE})
    assert response.status_code == 400 and "选择单位" in response.text
    response = admin.post(f"/admin/users/{HUGE}/active", {"active": "0"})
    assert response.status_code == 404
    response = admin.post("/admin/units", {"code": "C9", "name": "测试单位", "department_id": HUGE})
    assert response.status_code in (200, 400, 422) and "Traceback" not in response.text


def test_method_not_allowed_and_server_error_pages(app, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    client = Client(app, "prep_a")
    response = client.http.put("/work")
    assert response.status_code == 405
    assert_styled(response.text)

    def broken(*_args, **_kw):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "visible_budgets", broken)
    quiet = TestClient(app, raise_server_exceptions=False, follow_redirects=False, cookies=client.http.cookies)
    response = quiet.get("/work")
    assert response.status_code == 500 and "系统出错了" in response.text and "boom" not in response.text
    assert_styled(response.text)
    assert "prep_a" in response.text and "退出" in response.text
