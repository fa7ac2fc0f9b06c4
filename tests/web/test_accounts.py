"""Accounts (issue 15): an administrator resets a password in the web UI (audited, shown once, the
old sessions end, a new password must be chosen at the next login); privileged accounts' passwords
expire after ``DEPTBUDGET_PASSWORD_MAX_AGE_DAYS`` (90 by default, 0: never)."""

from __future__ import annotations

import re
import time
from datetime import timedelta

from sqlalchemy import select

from deptbudget.store.models import AuditEntry, LoginFailure, User, utcnow
from deptbudget.web import auth
from tests.web.conftest import PASSWORD, Client

NEW = "Fresh-Passw0rd-9"


def _user(world, name: str) -> User:  # type: ignore[no-untyped-def]
    with world.factory() as session:
        return session.scalar(select(User).where(User.username == name))


def _login(app, username: str, password: str):  # type: ignore[no-untyped-def]
    client = Client(app)
    page = client.get("/login")
    response = client.post("/login", {"username": username, "password": password, "csrf_token": client.token(page.text),
                                       "next": "/work"}, csrf=False)
    return client, response


def test_admin_resets_a_password_and_the_user_must_change_it(app, world) -> None:  # type: ignore[no-untyped-def]
    prep = Client(app, "prep_a")  # signed in before the reset
    admin = Client(app, "admin")
    target = _user(world, "prep_a")
    page = admin.post(f"/admin/users/{target.id}/password", {})
    assert page.status_code == 200 and "已重设用户 prep_a 的密码" in page.text
    temporary = re.search(r'id="temporary-password">([^<]+)<', page.text).group(1)
    auth.check_password_policy(temporary, "prep_a")
    assert temporary not in page.headers.get("set-cookie", "")
    assert prep.get("/work").status_code == 303  # the old session has ended
    with world.factory() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "password-reset"))
        assert entry.username == "admin" and entry.what == "账户 prep_a" and temporary not in entry.new + entry.comment
    assert _login(app, "prep_a", PASSWORD)[1].status_code == 401  # the old password no longer works
    client, response = _login(app, "prep_a", temporary)
    assert response.status_code == 303 and response.headers["location"] == "/account/password"
    assert client.get("/work").headers["location"] == "/account/password"  # nothing else until changed
    form = client.get("/account/password").text
    assert "系统管理员已重设您的密码" in form and "临时密码" in form
    token = client.token(form)
    refused = client.post(f"/work/budgets/{world.budgets['A001']}/submit", {"version": "1", "csrf_token": token})
    assert refused.status_code == 403 and "请先设置一个新密码" in refused.text
    same = client.post("/account/password", {"old_password": temporary, "new_password": temporary,
                                             "new_password2": temporary, "csrf_token": token})
    assert same.status_code == 422 and "不能与原密码相同" in same.text
    changed = client.post("/account/password", {"old_password": temporary, "new_password": NEW, "new_password2": NEW,
                                                "csrf_token": token})
    assert changed.status_code == 303
    assert client.get("/work").status_code == 200 and not _user(world, "prep_a").must_change_password


def test_admin_cannot_reset_their_own_password_here(app, world) -> None:  # type: ignore[no-untyped-def]
    admin = Client(app, "admin")
    response = admin.post(f"/admin/users/{_user(world, 'admin').id}/password", {})
    assert response.status_code == 422 and "不能在这里重设自己的密码" in response.text


def test_privileged_passwords_expire(app, world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with world.factory() as session, session.begin():
        for user in session.scalars(select(User).where(User.username.in_(["finance", "prep_a"]))):
            user.password_changed_at = utcnow() - timedelta(days=91)
    finance, response = _login(app, "finance", PASSWORD)
    assert response.headers["location"] == "/account/password"
    assert "已使用超过 90 天" in finance.get("/account/password").text
    assert _login(app, "prep_a", PASSWORD)[1].headers["location"] == "/work"  # not a privileged role
    monkeypatch.setenv("DEPTBUDGET_PASSWORD_MAX_AGE_DAYS", "0")  # expiry switched off
    assert _login(app, "finance", PASSWORD)[1].headers["location"] == "/work"
    monkeypatch.setenv("DEPTBUDGET_PASSWORD_MAX_AGE_DAYS", "120")
    assert _login(app, "finance", PASSWORD)[1].headers["location"] == "/work"


def test_login_failures_are_shared_by_workers(world) -> None:  # type: ignore[no-untyped-def]
    from deptbudget.web.app import create_app

    first, second = create_app(world.url), create_app(world.url)  # two worker processes, one database
    moment = time.time()  # the wall clock stands still: a slow machine must not outlive the 1 s delay
    first.state.login_throttle.clock = second.state.login_throttle.clock = lambda: moment
    for _ in range(5):
        assert _login(first, "dept_a", "wrong-Passw0rd")[1].status_code == 401
    assert not second.state.login_throttle.check("dept_a", "elsewhere").allowed
    refused = _login(second, "dept_a", PASSWORD)[1]
    assert refused.status_code == 429 and "账户 dept_a" in refused.text
    with world.factory() as session:
        assert session.get(LoginFailure, "账户 dept_a").count == 5
