"""Fixtures for the web tests: a fresh database per test — SQLite always, PostgreSQL too when
``TEST_DATABASE_URL`` (or ``DATABASE_URL``) names one (``scripts/pg-test.sh start`` prints it) —
two departments with one unit each, one account per role (and a second 主管部门 reviewer and
preparer for the other department), and a draft budget for each unit."""

from __future__ import annotations

import copy
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text
from sqlalchemy.orm import Session

from deptbudget.store.db import make_engine, migrate, session_factory
from deptbudget.store.documents import dump_document, load_document
from deptbudget.store.models import Budget, Department, Unit
from deptbudget.web import auth, services

# Cheap password hashing in tests (the hash records its own parameters, so verifying still works).
auth._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CHROMIUM = "/usr/bin/chromium"  # Debian's chromium (never ``playwright install``)
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "test-password-1"
YEAR = 2020


def pg_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL") or None


def _backends() -> list[Any]:
    out: list[Any] = ["sqlite"]
    out.append(pytest.param("postgresql", marks=pytest.mark.skipif(
        not (pg_url() or "").startswith("postgres"), reason="TEST_DATABASE_URL not set (scripts/pg-test.sh start)")))
    return out


def clean_document(unit_name: str = "测试区科技局", agency_code: str = "A001") -> dict[str, Any]:
    """tests/fixtures/small.yaml made free of rule errors (warnings remain)."""
    doc = load_document((FIXTURES / "small.yaml").read_text(encoding="utf-8"))
    doc["unit"]["name"] = unit_name
    doc["unit"]["agency_code"] = agency_code
    doc["projects"][1]["indicators"] = [["产出指标", "质量指标", "质保期内系统正常运行率", "≥95%"]]
    from deptbudget.sources.xlsx_template import normalize_document

    return normalize_document(doc)


def clean_source(unit_name: str = "测试区科技局", agency_code: str = "A001") -> str:
    return dump_document(clean_document(unit_name, agency_code))


@dataclass
class World:
    url: str
    factory: Any
    units: dict[str, int]
    budgets: dict[str, int]


def _reset(url: str) -> None:
    if url.startswith("postgresql"):
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()


@pytest.fixture(params=_backends())
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
    else:
        url = pg_url()
        assert url
        _reset(url)
        yield url
        _reset(url)


def seed(session: Session) -> tuple[dict[str, int], dict[str, int]]:
    d1 = Department(code="D1", name="测试区科技局（主管）")
    d2 = Department(code="D2", name="测试区教育局（主管）")
    session.add_all([d1, d2])
    session.flush()
    a = Unit(code="A001", name="测试区科技局", department_id=d1.id)
    b = Unit(code="B001", name="测试区教育局", department_id=d2.id)
    session.add_all([a, b])
    session.flush()
    auth.add_user(session, "admin", PASSWORD, "admin")
    auth.add_user(session, "finance", PASSWORD, "finance")
    auth.add_user(session, "dept_a", PASSWORD, "dept", department_id=d1.id)
    auth.add_user(session, "dept_b", PASSWORD, "dept", department_id=d2.id)
    prep_a = auth.add_user(session, "prep_a", PASSWORD, "preparer", unit_id=a.id)
    prep_b = auth.add_user(session, "prep_b", PASSWORD, "preparer", unit_id=b.id)
    ba = services.create_budget(session, a, YEAR, prep_a, clean_source("测试区科技局", "A001"))
    bb = services.create_budget(session, b, YEAR, prep_b, clean_source("测试区教育局", "B001"))
    return {"A001": a.id, "B001": b.id}, {"A001": ba.id, "B001": bb.id}


@pytest.fixture
def world(db_url: str) -> Iterator[World]:
    engine = make_engine(db_url)
    migrate(engine)
    factory = session_factory(engine)
    with factory() as session, session.begin():
        units, budgets = seed(session)
    yield World(db_url, factory, units, budgets)
    engine.dispose()


@pytest.fixture
def app(world: World):  # type: ignore[no-untyped-def]
    from deptbudget.web.app import Settings, create_app

    return create_app(world.url, settings=Settings(upload_limit=256 * 1024, job_wait=120))


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
VERSION_RE = re.compile(r'name="version" value="(\d+)"')


class Client:
    """A TestClient that logs in and fills in CSRF tokens and versions like a browser would."""

    def __init__(self, app: Any, username: str | None = None) -> None:
        from fastapi.testclient import TestClient

        self.http = TestClient(app, follow_redirects=False)
        self.username = username
        if username:
            page = self.http.get("/login")
            response = self.http.post("/login", data={"username": username, "password": PASSWORD,
                                                      "csrf_token": self.token(page.text), "next": "/work"})
            assert response.status_code == 303, response.text[:300]

    @staticmethod
    def token(html: str) -> str:
        match = CSRF_RE.search(html)
        return match.group(1) if match else ""

    def get(self, url: str, **kw: Any):  # type: ignore[no-untyped-def]
        return self.http.get(url, **kw)

    def csrf(self) -> str:
        if self.username:
            return self.token(self.http.get("/work").text)
        return self.token(self.http.get("/login").text)

    def version(self, budget_id: int) -> str:
        match = VERSION_RE.search(self.http.get(f"/work/budgets/{budget_id}").text)
        return match.group(1) if match else "0"

    def post(self, url: str, data: dict[str, Any] | None = None, files: Any = None, csrf: bool = True, **kw: Any):  # type: ignore[no-untyped-def]
        data = dict(data or {})
        if csrf and "csrf_token" not in data:
            data["csrf_token"] = self.csrf()
        return self.http.post(url, data=data, files=files, **kw)

    def act(self, budget_id: int, action: str, **fields: Any):  # type: ignore[no-untyped-def]
        data = {"version": self.version(budget_id), **fields}
        return self.post(f"/work/budgets/{budget_id}/{action}", data)


def budget_row(world: World, budget_id: int) -> Budget:
    with world.factory() as session:
        budget = session.get(Budget, budget_id)
        session.expunge(budget)
        return budget


def amount(value: str) -> Decimal:
    return Decimal(value)


def deep(doc: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(doc)


def main_content(html: str) -> str:
    """A page without its header (which names the signed-in person, their unit and department)."""
    return html.split("<main>", 1)[-1]


# --- a live server and a browser (the end-to-end tests) -------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """``app`` served by uvicorn on a free loopback port, in a thread: yields its base address."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "server did not start"
    try:
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def seeded_url(tmp_path: Path, name: str = "e2e.db") -> str:
    """A SQLite database in ``tmp_path``, migrated, with the departments, units, accounts and drafts
    of ``seed``."""
    url = f"sqlite:///{tmp_path / name}"
    engine = make_engine(url)
    migrate(engine)
    with session_factory(engine)() as session, session.begin():
        seed(session)
    engine.dispose()
    return url


@contextmanager
def browser_page(downloads: bool = False) -> Iterator[Any]:
    """A page of Debian's chromium (headless, 1280×900, zh-CN, 30 s timeouts) through Playwright."""
    import importlib

    api = importlib.import_module("playwright.sync_api")
    with api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=downloads,
                                      locale="zh-CN")
        context.set_default_timeout(30000)
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()


def browser_login(page: Any, base: str, username: str, password: str = PASSWORD,
                  before_submit: Any = None) -> None:
    """Sign ``username`` in on the login page and wait for the work area (``before_submit(page)``:
    e.g. a screenshot of the filled form)."""
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    if before_submit is not None:
        before_submit(page)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/work")


def browser_logout(page: Any) -> None:
    page.click("header form button")
    page.wait_for_load_state()
