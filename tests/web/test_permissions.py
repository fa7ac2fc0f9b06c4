"""The permission matrix: every route × every role and the anonymous public.

Expected outcomes: ``ok`` (2xx, or 303 after a successful POST), ``login`` (anonymous GET sent to
the login page), ``403`` (may see the budget but not do this), ``404`` (may not even know the
budget exists). A refusal never carries the other unit's data.
"""

from __future__ import annotations

import pytest

from tests.web.conftest import Client, clean_source, main_content
from tests.web.test_workflow import EXPLANATION, publish_through

USERS = [None, "admin", "finance", "dept_a", "dept_b", "prep_a", "prep_b"]
B_SECRET = "测试区教育局"  # appears in unit B's source only

# Budget A (unit A001, department D1) in 草稿.
VIEW = {None: "login", "admin": "ok", "finance": "ok", "dept_a": "ok", "dept_b": "404", "prep_a": "ok",
        "prep_b": "404"}
EDIT_GET = {None: "login", "admin": "403", "finance": "403", "dept_a": "403", "dept_b": "404", "prep_a": "ok",
            "prep_b": "404"}
PREPARER_POST = {None: "403", "admin": "403", "finance": "403", "dept_a": "403", "dept_b": "404", "prep_a": "ok",
                 "prep_b": "404"}
NOBODY_POST = {None: "403", "admin": "403", "finance": "403", "dept_a": "403", "dept_b": "404", "prep_a": "403",
               "prep_b": "404"}
ADMIN_ONLY = {u: ("ok" if u == "admin" else "403") for u in USERS}
FINANCE_ONLY = {u: ("ok" if u == "finance" else "403") for u in USERS}
DASHBOARD = {u: ("login" if u is None else ("ok" if u in ("admin", "finance") else "403")) for u in USERS}
# the reviewers' live checklist: only once the budget is submitted (A is a draft here)
LIVE_CHECKLIST = {None: "login", "admin": "403", "finance": "403", "dept_a": "403", "dept_b": "404", "prep_a": "403",
                  "prep_b": "404"}
EVERYONE = {u: "ok" for u in USERS}
SIGNED_IN = {u: ("login" if u is None else "ok") for u in USERS}

GET_ROUTES = [
    ("/", EVERYONE),
    ("/search?q=科技", EVERYONE),
    ("/login", EVERYONE),
    ("/work", SIGNED_IN),
    ("/account/password", SIGNED_IN),
    ("/work/budgets/{A}", VIEW),
    ("/work/budgets/{A}/preview", VIEW),
    ("/work/budgets/{A}/template.xlsx", VIEW),
    ("/work/budgets/{A}/source", VIEW),
    ("/work/budgets/{A}/edit/basic", EDIT_GET),
    ("/work/budgets/{A}/edit/unit", EDIT_GET),
    ("/work/budgets/{A}/edit/text", EDIT_GET),
    ("/work/budgets/{A}/edit/projects", EDIT_GET),
    ("/work/budgets/{A}/edit/indicators", EDIT_GET),
    ("/admin", {u: ("ok" if u == "admin" else "login" if u is None else "403") for u in USERS}),
    # performance (tests/web/test_performance.py has the matrix on an approved budget)
    ("/work/budgets/{A}/performance", VIEW),
    ("/work/budgets/{A}/performance/selfeval", VIEW),
    ("/work/budgets/{A}/performance/midyear/actuals.xlsx", VIEW),
    ("/work/budgets/{A}/performance/midyear/report.html", VIEW),
    ("/work/performance", DASHBOARD),
    ("/work/performance/export.xlsx", DASHBOARD),
    ("/work/library", SIGNED_IN),
    # the reviewer's checklist (tests/web/test_checklist.py has the matrix on a submitted budget)
    ("/work/budgets/{A}/checklist.html", LIVE_CHECKLIST),
]
POST_ROUTES = [
    ("/work/budgets/{A}/edit/text", PREPARER_POST, {"f.narrative.change_reason": "新的说明"}),
    ("/work/budgets/{A}/upload", PREPARER_POST, None),
    ("/work/budgets/{A}/approve", NOBODY_POST, {}),
    ("/work/budgets/{A}/return", NOBODY_POST, {"comment": "退回"}),
    ("/work/budgets/{A}/publish", NOBODY_POST, {}),
    ("/work/budgets/{A}/reopen", NOBODY_POST, {"reason": "更正"}),
    ("/work/budgets/{A}/submit", PREPARER_POST, {"explanation": EXPLANATION}),
    ("/work/budgets/{A}/performance/midyear", NOBODY_POST, {"p0.spent": "1.00"}),  # a draft: no entry yet
    ("/work/budgets/{A}/performance/selfeval/submit", NOBODY_POST, {}),
    ("/work/budgets/{A}/checklist", NOBODY_POST, {"item": "cover", "action": "confirm"}),
    ("/work/budgets/{A}/checklist/confirm-all", NOBODY_POST, {}),
    ("/work/performance/key-evaluation", FINANCE_ONLY, {"year": "2020"}),
    ("/admin/departments", ADMIN_ONLY, {"code": "D9", "name": "新部门"}),
    ("/admin/users", ADMIN_ONLY, {"username": "new_user", "password": "Long-passw0rd", "role": "finance"}),
    ("/admin/users/2/password", ADMIN_ONLY, {}),  # the last: it resets the finance account's password
]


def outcome(response) -> str:  # type: ignore[no-untyped-def]
    if response.status_code == 303 and "/login" in response.headers.get("location", ""):
        return "login"
    if response.status_code in (200, 303):
        return "ok"
    return str(response.status_code)


@pytest.mark.parametrize("user", USERS, ids=lambda u: u or "anonymous")
def test_get_matrix(app, world, user):  # type: ignore[no-untyped-def]
    client = Client(app, user)
    a = world.budgets["A001"]
    for route, expected in GET_ROUTES:
        url = route.format(A=a)
        response = client.get(url)
        assert outcome(response) == expected[user], (url, user, response.status_code)
        if user in ("prep_a", "dept_a", None):
            assert B_SECRET not in main_content(response.text) or url.startswith("/admin"), (url, user)


@pytest.mark.parametrize("user", USERS, ids=lambda u: u or "anonymous")
def test_post_matrix(app, world, user):  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    for route, expected, data in POST_ROUTES:
        client = Client(app, user)  # a fresh session each time: one POST may change the state
        url = route.format(A=a)
        version = client.version(a) if user in ("admin", "finance", "dept_a", "prep_a") else "1"
        if data is None:
            response = client.post(url, {"version": version},
                                   files={"file": ("a.yaml", clean_source().encode(), "application/yaml")})
        else:
            response = client.post(url, {"version": version, **data})
        assert outcome(response) == expected[user], (url, user, response.status_code, response.text[:300])
        if expected[user] != "ok":
            assert B_SECRET not in main_content(response.text)


def test_other_units_budget_is_invisible(app, world):  # type: ignore[no-untyped-def]
    b = world.budgets["B001"]
    for user in ("prep_a", "dept_a"):
        client = Client(app, user)
        for suffix in ("", "/preview", "/template.xlsx", "/source", "/edit/basic"):
            response = client.get(f"/work/budgets/{b}{suffix}")
            assert response.status_code == 404 and B_SECRET not in main_content(response.text)
        assert B_SECRET not in main_content(client.get("/work").text)
    assert B_SECRET in Client(app, "prep_b").get("/work").text
    assert B_SECRET in Client(app, "dept_b").get(f"/work/budgets/{b}").text


def test_review_steps_by_role(app, world):  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    Client(app, "prep_a").act(a, "submit", explanation=EXPLANATION)
    # step 0: 主管部门 of the unit only
    assert Client(app, "dept_b").act(a, "approve").status_code == 404
    for user in ("finance", "admin", "prep_a"):
        assert Client(app, user).act(a, "approve").status_code == 403
        assert Client(app, user).act(a, "return", comment="x").status_code == 403
    assert Client(app, "dept_a").act(a, "approve").status_code == 303
    # step 1: 财政局
    for user in ("dept_a", "admin", "prep_a"):
        assert Client(app, user).act(a, "approve").status_code == 403
    assert Client(app, "finance").act(a, "approve").status_code == 303
    for user in ("dept_a", "admin", "prep_a"):
        assert Client(app, user).act(a, "publish").status_code == 403
    assert Client(app, "finance").act(a, "publish").status_code == 303


@pytest.mark.parametrize("user", USERS, ids=lambda u: u or "anonymous")
def test_public_routes_after_publication(app, world, user):  # type: ignore[no-untyped-def]
    publish_through(app, world, world.budgets["A001"])
    client = Client(app, user)
    for url in ("/", "/search?q=科普", "/budgets/2020/A001", "/budgets/2020/A001/v1", "/budgets/2020/A001/versions",
                "/budgets/2020/A001/download/pdf", "/budgets/2020/A001/v1/xlsx", "/budgets/2020/A001/v1/json",
                "/compare/unit/A001", "/compare/year/2020"):
        response = client.get(url)
        assert response.status_code == 200, (url, user)
        if user not in ("dept_b", "prep_b"):  # their own unit's name is in their header
            assert B_SECRET not in main_content(response.text) or url.endswith(("pdf", "xlsx")), url
    # B is still a draft: not public, for anyone
    for url in ("/budgets/2020/B001", "/budgets/2020/B001/versions", "/budgets/2020/B001/download/pdf",
                "/compare/unit/B001"):
        assert client.get(url).status_code == 404, url


def test_csrf_is_required_on_every_form(app, world):  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    prep = Client(app, "prep_a")
    version = prep.version(a)
    for action in ("submit", "edit/text", "upload"):
        response = prep.post(f"/work/budgets/{a}/{action}", {"version": version, "csrf_token": "forged"})
        assert response.status_code == 403, action
    assert prep.post("/logout", {"csrf_token": "forged"}).status_code == 403
    anon = Client(app)
    assert anon.post("/login", {"username": "prep_a", "password": "x", "csrf_token": "forged"}).status_code == 403
