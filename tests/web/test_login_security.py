"""Login throttling and the password policy (issue 15, 等保2.0): after five failures an account (and
an address) must wait a delay that doubles with every further failure — the right password is refused
too while it lasts — and the start is audited; new and changed passwords need 8 characters of three
classes and may not be common ones."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from deptbudget.store.models import AuditEntry
from deptbudget.web import auth
from deptbudget.web.login_throttle import LoginThrottle
from tests.web.conftest import PASSWORD, Client, World


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def attempt(client: Client, username: str, password: str) -> int:
    return client.post("/login", {"username": username, "password": password, "next": "/work"}).status_code


def test_guessing_is_throttled_with_a_growing_delay(app, world: World) -> None:  # type: ignore[no-untyped-def]
    clock = Clock()
    app.state.login_throttle = LoginThrottle(clock=clock)
    client = Client(app)
    assert [attempt(client, "prep_a", f"wrong-{n}") for n in range(5)] == [401] * 5
    refused = client.post("/login", {"username": "prep_a", "password": PASSWORD, "next": "/work"})
    assert refused.status_code == 429 and "登录失败次数过多" in refused.text  # the right one too
    waits = []
    for _ in range(6):  # each failure doubles the wait: 1, 2, 4, 8 … seconds
        verdict = app.state.login_throttle.check("prep_a", "testclient")
        waits.append(verdict.wait)
        clock.now += verdict.wait + 0.01
        assert attempt(client, "prep_a", "still-wrong") == 401
    assert all(b > a * 1.9 for a, b in zip(waits, waits[1:], strict=False))
    assert attempt(client, "prep_a", PASSWORD) == 429
    clock.now += 10_000
    assert attempt(client, "prep_a", PASSWORD) == 303
    with world.factory() as session:
        entries = list(session.scalars(select(AuditEntry).where(AuditEntry.action == "login-throttle")))
    assert {e.what for e in entries} == {"账户 prep_a"}


def test_an_address_guessing_many_accounts_is_throttled(app, world: World) -> None:  # type: ignore[no-untyped-def]
    app.state.login_throttle = LoginThrottle(clock=Clock())
    client = Client(app)
    names = ["admin", "finance", "dept_a", "dept_b", "prep_a", "prep_b"]
    statuses = [attempt(client, names[n % 6], f"guess-{n}") for n in range(20)]
    assert statuses == [401] * 20  # four tries per account: none is throttled yet
    assert attempt(client, "prep_b", PASSWORD) == 429  # but the address is
    with world.factory() as session:
        entries = list(session.scalars(select(AuditEntry).where(AuditEntry.action == "login-throttle")))
    assert [e.what for e in entries] == ["地址 testclient"]


def test_two_hundred_guesses_then_the_right_password_is_refused(app, world: World) -> None:  # type: ignore[no-untyped-def]
    # the clock stands still: on a loaded machine 200 attempts may take longer than the first delays
    app.state.login_throttle = LoginThrottle(clock=Clock())
    client = Client(app)
    statuses = [attempt(client, "finance", f"guess-{n}") for n in range(200)]
    assert statuses.count(401) <= 8 and statuses.count(429) >= 190
    assert attempt(client, "finance", PASSWORD) == 429


def test_a_success_clears_the_accounts_count(app, world: World) -> None:  # type: ignore[no-untyped-def]
    app.state.login_throttle = LoginThrottle(clock=Clock())
    client = Client(app)
    for _ in range(4):
        assert attempt(client, "dept_a", "wrong-password") == 401
    assert attempt(client, "dept_a", PASSWORD) == 303
    assert app.state.login_throttle.check("dept_a", "elsewhere").allowed


@pytest.mark.parametrize("password,message", [
    ("Ab1-xyz", "至少 8 位"),
    ("12345678", "至少三类"),
    ("password", "至少三类"),
    ("aaaaaaaa", "至少三类"),
    ("longpassword", "至少三类"),
    ("Passw0rd", "过于常见"),
    ("P@ssw0rd", "过于常见"),
    ("Admin@123", "过于常见"),
    ("Aaaa1111", "过于简单"),
    ("my-finance-1", "不能包含用户名"),
])
def test_weak_passwords_are_refused(password: str, message: str) -> None:
    with pytest.raises(auth.AuthError, match=message):
        auth.check_password_policy(password, "finance")


@pytest.mark.parametrize("password", ["Zhong-guo-2020", "预算Budget2020", "t3st-Pa55-word"])
def test_strong_passwords_are_taken(password: str) -> None:
    auth.check_password_policy(password, "finance")


def test_admin_page_and_password_change_apply_the_policy(app, world: World) -> None:  # type: ignore[no-untyped-def]
    admin = Client(app, "admin")
    response = admin.post("/admin/users", {"username": "weak", "password": "12345678", "role": "finance"})
    assert response.status_code == 422 and "至少三类" in response.text
    response = admin.post("/account/password", {"old_password": PASSWORD, "new_password": "P@ssw0rd",
                                                 "new_password2": "P@ssw0rd"})
    assert response.status_code == 422 and "过于常见" in response.text
