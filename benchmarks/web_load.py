"""Load test of the web system on loopback: requests/s and p50/p99 latency for

- the public disclosure page of a published budget (the example department, cached), and
- a preparer's save of a form (草稿, one field changed each time, with CSRF and version), and
- ``--preparers N``: N preparers saving N different budgets at once (each its own session), while
  the public page is read meanwhile (its p99 under that load is the number that matters);
- ``--bursts``: the public page read quietly, then while a budget is published (a background job:
  every format rendered) and while 50 people log in at once; the rise of its p99 is the number;
- ``--published N``: N published budgets (synthetic variations of the example: other units,
  departments, years and project names, the example's disclosure JSON in every row, bulk inserted),
  then search (words of 1 to 6 characters) and the portal index (its pages, by year) are measured.

Starts its own server (``uvicorn``, one worker, as ``deptbudget serve`` does) on 127.0.0.1 with a
throwaway SQLite database (or ``--database-url``), publishes the example budget, then sends a
bounded number of requests (``--requests``, at most ``--seconds`` per phase) over keep-alive
connections. Traffic goes to 127.0.0.1 only.

    .venv/bin/python benchmarks/web_load.py [--requests 5000] [--connections 16] [--preparers 16 32]
        [--published 10000]

The 10,000 budgets take minutes to insert: with ``--database-url`` (a PostgreSQL database, or a
``sqlite:////path`` file) the database stays, and a later run with ``--reuse-database --skip-single
--published 10000`` measures search and the portal on it again without inserting anything (e.g. a
worktree of main and a branch, one after the other, on the same data).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def prepare(url: str, password: str, preparers: int = 0) -> tuple[int, str, list[tuple[str, int]], int]:
    """Demo data with the example budget published, ``preparers`` more units, each with its own
    preparer and a draft of the example budget, and one more unit whose budget (the example's source)
    the finance bureau has approved; returns (budget id, unit code, [(preparer, budget id)], the
    approved budget's id)."""
    from sqlalchemy import select

    from deptbudget.store.db import make_engine, migrate, session_factory
    from deptbudget.store.models import Budget, User
    from deptbudget.web import services
    from deptbudget.web.demo import UNIT, init_demo

    engine = make_engine(url)
    migrate(engine)
    factory = session_factory(engine)
    with factory() as session:
        if session.scalar(select(User.id).limit(1)) is not None:
            raise SystemExit(f"web_load: 数据库 {url.split('@')[-1]} 已有数据（上次运行留下的用户与预算）；"
                             "请用新建的空数据库，或加 --reuse-database 只测搜索与门户 "
                             "(the database is not empty: use a new one, or --reuse-database)")
    with factory() as session, session.begin():
        init_demo(session, password=password)
    with factory() as session, session.begin():
        budget = session.scalar(select(Budget))
        users = {u.username: u for u in session.scalars(select(User))}
        # The example keeps two 测算明细 errors of the printed seed; publishing needs a clean source,
        # so the load test goes around the workflow: the state is set directly.
        budget.state = "approved"
        budget.step = 2
        session.flush()
        check = services.check_budget(budget)
        if check.problems or check.disclosure is None:
            raise SystemExit(f"example budget does not load: {check.problems[:3]}")
        _publish_anyway(session, budget, users["caizheng"])
        budget_id = budget.id
    with factory() as session, session.begin():
        budget = session.get(Budget, budget_id)
        budget.state, budget.step = "draft", 0  # back to 草稿 so the preparer can save
        drafts = _more_preparers(session, budget, password, preparers)
        approved = _approved(session, budget, users["caizheng"])
    engine.dispose()
    return budget_id, UNIT[0], drafts, approved


def _approved(session, example, finance) -> int:  # type: ignore[no-untyped-def]
    """A budget of one more unit, approved by every step (as the workflow leaves it), to publish."""
    from deptbudget.store.models import Unit
    from deptbudget.web import services
    from deptbudget.web.workflow import load_workflow

    unit = Unit(code=f"{example.unit.code}-PUB", name=f"{example.unit.name}（公开压测）",
                department_id=example.unit.department_id)
    session.add(unit)
    session.flush()
    budget = services.create_budget(session, unit, example.fiscal_year, finance, example.source)
    budget.state, budget.step = "approved", len(load_workflow().steps)
    session.flush()
    return budget.id


def _more_preparers(session, example, password: str, count: int) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    from deptbudget.store.models import ROLE_PREPARER, Unit
    from deptbudget.web import auth, services

    out = []
    for n in range(count):
        unit = Unit(code=f"{example.unit.code}-B{n:02d}", name=f"{example.unit.name}（压测{n:02d}）",
                    department_id=example.unit.department_id)
        session.add(unit)
        session.flush()
        user = auth.add_user(session, f"bench{n:02d}", password, ROLE_PREPARER, unit_id=unit.id)
        budget = services.create_budget(session, unit, example.fiscal_year, user, example.source)
        out.append((user.username, budget.id))
    session.flush()
    return out


def _publish_anyway(session, budget, user) -> None:  # type: ignore[no-untyped-def]
    """``services.publish`` refuses a budget with rule errors; for the benchmark, drop the findings."""
    from deptbudget.web import services

    original = services.run_rules
    services.run_rules = lambda budget, disclosure: []  # type: ignore[assignment]
    services.CHECK_CACHE.clear()
    try:
        services.publish(session, budget, user, budget.version)
    finally:
        services.run_rules = original  # type: ignore[assignment]
        services.CHECK_CACHE.clear()


DISTRICTS = ["罗湖区", "福田区", "南山区", "宝安区", "龙岗区", "盐田区", "龙华区", "坪山区", "光明区", "大鹏新区"]
BUREAUS = ["科技创新局", "教育局", "卫生健康局", "民政局", "司法局", "财政局", "人力资源局", "住房和建设局",
           "交通运输局", "水务局", "文化广电旅游体育局", "城市管理和综合执法局", "应急管理局", "市场监督管理局",
           "统计局", "退役军人事务局", "医疗保障局", "政务服务数据管理局", "发展和改革局", "工业和信息化局"]
OFFICES = ["机关", "信息中心", "服务中心", "事务中心", "执法大队", "研究所", "档案馆", "培训中心"]
TOPICS = ["科普活动", "创新券", "校舍维修", "社区健康服务", "智慧城市", "河道治理", "图书馆建设", "法律援助",
          "食品安全抽检", "人才住房", "公交补贴", "应急物资储备", "老年人助餐", "档案数字化", "体育场馆运营"]
YEARS = list(range(2019, 2027))
SEARCH_WORDS = ["科", "学校", "科普活动", "罗湖区科技创新局", "图书馆", "河道治理", "南山区 教育局", "老年人助餐",
                "预算", "信息中心", "智慧城市 2023", "法律援助", "不存在的词语"]


def add_published(url: str, count: int) -> None:
    """``count`` more published budgets, bulk inserted: synthetic variations of the published example
    (unit, department, year, project names; the example's disclosure JSON and figures), each with its
    search row, as publication would leave them (no files: the lists and search never read them)."""
    from sqlalchemy import func, insert, select, text

    from deptbudget.store.bigrams import grams
    from deptbudget.store.db import make_engine
    from deptbudget.store.models import Budget, Department, PublishedSearch, PublishedVersion, Unit, search_row

    engine = make_engine(url)
    started = time.perf_counter()
    with engine.begin() as conn:
        example = conn.execute(select(PublishedVersion.__table__)).first()
        assert example is not None
        first = {t.name: (conn.scalar(select(func.max(t.c.id))) or 0) + 1 for t in (
            Department.__table__, Unit.__table__, Budget.__table__, PublishedVersion.__table__)}
        departments = [{"id": first["departments"] + n, "code": f"BENCH-{n:03d}",
                        "name": DISTRICTS[n % len(DISTRICTS)] + BUREAUS[n // len(DISTRICTS) % len(BUREAUS)]}
                       for n in range(len(DISTRICTS) * len(BUREAUS))]
        units: list[dict] = []
        budgets: list[dict] = []
        versions: list[dict] = []
        rows: list[dict] = []
        for n in range(count):
            year = YEARS[n % len(YEARS)]
            if n % len(YEARS) == 0:
                k = len(units)
                department = departments[k % len(departments)]
                office = OFFICES[k // len(departments) % len(OFFICES)]
                suffix = f"{k // (len(departments) * len(OFFICES))}" if k >= len(departments) * len(OFFICES) else ""
                units.append({"id": first["units"] + k, "code": f"BENCH-U{k:05d}",
                              "name": f"{department['name']}{office}{suffix}", "department_id": department["id"]})
            unit = units[-1]
            department = departments[(len(units) - 1) % len(departments)]
            budget_id = first["budgets"] + n
            budgets.append({"id": budget_id, "unit_id": unit["id"], "fiscal_year": year, "source_format": "yaml",
                            "source": "", "state": "published", "step": 0, "explanation": "", "version": 1,
                            "updated_at": example.published_at, "updated_by": "bench"})
            topics = "\n".join(f"项目 {TOPICS[(n + k) % len(TOPICS)]}" for k in range(3))
            title = f"{unit['name']}{year}年部门预算"
            version = dict(example._mapping, id=first["published_versions"] + n, budget_id=budget_id,
                           unit_id=unit["id"], fiscal_year=year, number=1, title=title, unit_name=unit["name"],
                           department_name=department["name"],
                           search_text=f"{title}\n{unit['name']}\n{department['name']}\n"
                                       + example.search_text.split("\n", 3)[-1] + "\n" + topics)
            versions.append(version)
            row = search_row(SimpleNamespace(**version), unit["code"], department["code"])
            rows.append(dict(row, search_grams=grams(row["search_text"])))
        for table, values in ((Department.__table__, departments), (Unit.__table__, units),
                              (Budget.__table__, budgets), (PublishedVersion.__table__, versions),
                              (PublishedSearch.__table__, rows)):
            for at in range(0, len(values), 500):
                conn.execute(insert(table), values[at:at + 500])
        if engine.dialect.name == "postgresql":
            for name in first:
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                  f"(SELECT max(id) FROM {name}))"))
        conn.execute(text("ANALYZE"))
    engine.dispose()
    print(f"inserted {count:,} published budgets in {time.perf_counter() - started:.1f} s")


def start_server(url: str, port: int) -> subprocess.Popen:
    code = ("import uvicorn; from deptbudget.web.app import create_app; "
            f"uvicorn.run(create_app({url!r}), host={HOST!r}, port={port}, log_level='warning')")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
    deadline = time.monotonic() + 120  # a loaded machine takes its time
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit("server did not start")


# --- CPU time of the server (a measure that a machine shared with others does not distort much) --


def _proc_stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds) of a process, from /proc (Linux); None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu(pid: int) -> tuple[float, float]:
    """(CPU seconds of the server process, of its worker processes now alive)."""
    own = _proc_stat(pid)
    workers = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != pid:
            stat = _proc_stat(int(entry.name))
            if stat is not None and stat[0] == pid:
                workers += stat[1]
    return (own[1] if own else 0.0), workers


class CpuMeter:
    """The server's CPU time over a phase, per request of that phase."""

    pid: int | None = None  # the server's, set by main()

    def __init__(self) -> None:
        self.start = server_cpu(self.pid) if self.pid else (0.0, 0.0)

    def report(self, what: str, count: int) -> None:
        if not self.pid or not count:
            return
        end = server_cpu(self.pid)
        own, workers = end[0] - self.start[0], end[1] - self.start[1]
        print(f"  server CPU per {what}: {own / count * 1000:.0f} ms in the server process, "
              f"{max(workers, 0.0) / count * 1000:.0f} ms in its worker processes")


# --- a small keep-alive HTTP/1.1 client --------------------------------------------------------


class Connection:
    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, headers: dict[str, str] | None = None,
                      body: bytes = b"") -> tuple[int, dict[str, str], bytes]:
        """One request; a keep-alive connection the server closed while idle (uvicorn: after 5 s) is
        opened again and the request sent once more."""
        try:
            return await self._request(method, path, headers, body)
        except (asyncio.IncompleteReadError, ConnectionResetError, BrokenPipeError) as exc:
            if isinstance(exc, asyncio.IncompleteReadError) and exc.partial:
                raise
            self.close()
            self.writer = None
            return await self._request(method, path, headers, body)

    async def _request(self, method: str, path: str, headers: dict[str, str] | None,
                       body: bytes) -> tuple[int, dict[str, str], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{self.port}", "Connection: keep-alive"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        if body:
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await self.writer.drain()
        assert self.reader is not None
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split()[1])
        response_headers: dict[str, str] = {}
        for line in header_lines:
            if ":" in line:
                key, value = line.split(":", 1)
                if key.lower() == "set-cookie":
                    response_headers.setdefault("set-cookie", "")
                    response_headers["set-cookie"] += value.strip() + "\n"
                else:
                    response_headers[key.lower()] = value.strip()
        length = int(response_headers.get("content-length", "0"))
        data = await self.reader.readexactly(length) if length else b""
        return status, response_headers, data

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def summary(name: str, latencies: list[float], elapsed: float, errors: int) -> dict[str, float]:
    latencies.sort()
    n = len(latencies)
    p = (lambda q: latencies[min(n - 1, int(q * n))] * 1000) if n else (lambda q: 0.0)
    result = {"requests": n, "seconds": elapsed, "rps": n / elapsed if elapsed else 0.0, "p50_ms": p(0.50),
              "p99_ms": p(0.99), "mean_ms": statistics.fmean(latencies) * 1000 if n else 0.0, "errors": errors}
    print(f"{name:<28} {n:>6} req in {elapsed:5.1f} s  {result['rps']:8.1f} req/s  p50 {result['p50_ms']:6.1f} ms"
          f"  p99 {result['p99_ms']:6.1f} ms  errors {errors}")
    return result


async def public_page(port: int, path: str, total: int, connections: int, seconds: float) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    remaining = total
    deadline = time.monotonic() + seconds

    async def worker() -> None:
        nonlocal remaining, errors
        conn = Connection(port)
        try:
            while remaining > 0 and time.monotonic() < deadline:
                remaining -= 1
                started = time.perf_counter()
                status, _, body = await conn.request("GET", path)
                latencies.append(time.perf_counter() - started)
                if status != 200 or not body:
                    errors += 1
        finally:
            conn.close()

    warm = Connection(port)
    status, _, body = await warm.request("GET", path)
    warm.close()
    if status != 200:
        raise SystemExit(f"GET {path} → {status}")
    print(f"public page: {path} ({len(body) / 1024:.0f} KB)")
    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return summary("public disclosure page", latencies, time.perf_counter() - started, errors)


async def rotating_pages(port: int, name: str, paths: list[str], total: int, connections: int,
                         seconds: float) -> dict[str, float]:
    """``total`` GETs (at most ``seconds``) over ``connections`` keep-alive connections, each taking
    the next of ``paths`` in turn; every answer must be 200."""
    latencies: list[float] = []
    errors = 0
    sent = 0
    deadline = time.monotonic() + seconds

    async def worker() -> None:
        nonlocal sent, errors
        conn = Connection(port)
        try:
            while sent < total and time.monotonic() < deadline:
                path = paths[sent % len(paths)]
                sent += 1
                started = time.perf_counter()
                status, _, body = await conn.request("GET", path)
                latencies.append(time.perf_counter() - started)
                if status != 200 or not body:
                    errors += 1
        finally:
            conn.close()

    sizes = []
    for path in paths[:3]:
        warm = Connection(port)
        status, _, body = await warm.request("GET", path)
        warm.close()
        if status != 200:
            raise SystemExit(f"GET {path} → {status}")
        sizes.append(len(body))
    print(f"{name}: {len(paths)} addresses, e.g. {paths[0]} ({max(sizes) / 1024:.0f} KB)")
    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return summary(name, latencies, time.perf_counter() - started, errors)


def search_paths() -> list[str]:
    return ["/search?" + urlencode({"q": word}) for word in SEARCH_WORDS] + [
        "/search?" + urlencode({"q": "图书馆", "page": 3}), "/search?" + urlencode({"q": "项目", "year": 2024})]


def two_character_paths(url: str, count: int) -> list[str]:
    """``count`` searches of two-character words — pairs of adjacent Chinese characters of the published
    texts, alone and with each year — each address asked once, so that none is answered from the
    search cache: what the gram index does with a word not searched in the last 30 s."""
    from sqlalchemy import select

    from deptbudget.store.db import make_engine
    from deptbudget.store.models import PublishedVersion

    engine = make_engine(url)
    with engine.connect() as conn:
        text = conn.scalar(select(PublishedVersion.search_text).limit(1)) or ""
    engine.dispose()
    text += "".join(DISTRICTS + BUREAUS + OFFICES + TOPICS)
    pairs = list(dict.fromkeys(text[at:at + 2] for at in range(len(text) - 1)
                               if re.fullmatch(r"[\u4e00-\u9fff]{2}", text[at:at + 2])))
    paths = [("/search?" + urlencode({"q": pair, **({"year": year} if year else {})}))
             for year in [None, *YEARS] for pair in pairs]
    return paths[:count]


def portal_paths(count: int) -> list[str]:
    pages = max(1, count // 50)
    return ["/"] + [f"/?page={n}" for n in (2, 3, pages // 2, pages)] + [f"/?year={y}" for y in YEARS[::3]] + [
        f"/?year=2022&page={max(1, pages // 16)}", "/?dept=BENCH-007"]


class Preparer:
    """One preparer's keep-alive connection, signed in, saving the 文字说明 form of a budget."""

    def __init__(self, port: int, username: str, password: str, budget_id: int) -> None:
        self.conn = Connection(port)
        self.username, self.password, self.budget_id = username, password, budget_id
        self.session = self.token = ""
        self.version = 0
        self.fields: dict[str, str] = {}
        self.saves = 0
        self.failures: dict[int, int] = {}  # status → count of saves that were not stored

    async def start(self, edit: bool = True) -> None:
        conn = self.conn
        status, headers, body = await conn.request("GET", "/login")
        cookie = headers.get("set-cookie", "").split(";")[0]
        token = re.search(rb'name="csrf_token" value="([^"]+)"', body).group(1).decode()
        form = urlencode({"username": self.username, "password": self.password, "csrf_token": token,
                          "next": "/work"}).encode()
        status, headers, _ = await conn.request("POST", "/login", {"Cookie": cookie, "Content-Type":
                                                                   "application/x-www-form-urlencoded"}, form)
        self.session = [c.split(";")[0] for c in headers.get("set-cookie", "").splitlines() if "session" in c][0]
        if edit:
            await self.reload()

    async def reload(self) -> None:
        status, _, body = await self.conn.request("GET", f"/work/budgets/{self.budget_id}/edit/text",
                                                  {"Cookie": self.session})
        if status != 200:
            raise SystemExit(f"edit form → {status}")
        self.token = re.search(rb'name="csrf_token" value="([^"]+)"', body).group(1).decode()
        self.version = int(re.search(rb'name="version" value="(\d+)"', body).group(1))
        self.fields = {m[0].decode(): m[1].decode() for m in
                       re.findall(rb'<textarea[^>]*name="(f\.[\w.]+)"[^>]*>([^<]*)</textarea>', body)}

    async def save(self) -> tuple[float, bool]:
        self.saves += 1
        self.fields["f.narrative.change_reason"] = f"{self.username} 压力测试第 {self.saves} 次保存。"
        data = urlencode({"csrf_token": self.token, "version": self.version, **self.fields}).encode()
        t0 = time.perf_counter()
        status, _, _ = await self.conn.request(
            "POST", f"/work/budgets/{self.budget_id}/edit/text",
            {"Cookie": self.session, "Content-Type": "application/x-www-form-urlencoded"}, data)
        elapsed = time.perf_counter() - t0
        if status == 303:
            self.version += 1
            return elapsed, True
        self.failures[status] = self.failures.get(status, 0) + 1
        await self.reload()
        return elapsed, False


async def preparer_save(port: int, budget_id: int, password: str, total: int, seconds: float) -> dict[str, float]:
    preparer = Preparer(port, "tianbao", password, budget_id)
    await preparer.start()
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds
    started = time.perf_counter()
    meter = CpuMeter()
    for _ in range(total):
        if time.monotonic() > deadline:
            break
        elapsed, ok = await preparer.save()
        latencies.append(elapsed)
        errors += not ok
    preparer.conn.close()
    await asyncio.sleep(2.0)  # the background checks of the last saves
    meter.report("save (with its background check)", len(latencies))
    return summary("preparer save (form)", latencies, time.perf_counter() - started, errors)


async def concurrent_saves(port: int, path: str, password: str, drafts: list[tuple[str, int]], saves: int,
                           seconds: float) -> dict[str, dict[str, float]]:
    """``len(drafts)`` preparers save their own budgets at once (``saves`` each, at most ``seconds``),
    while two connections read the public page; the saves' and the public page's latencies."""
    preparers = [Preparer(port, username, password, budget_id) for username, budget_id in drafts]
    for preparer in preparers:
        await preparer.start()
    save_latencies: list[float] = []
    public_latencies: list[float] = []
    errors = public_errors = 0
    done = False
    deadline = time.monotonic() + seconds

    async def saver(preparer: Preparer) -> None:
        nonlocal errors
        for _ in range(saves):
            if time.monotonic() > deadline:
                break
            try:
                elapsed, ok = await preparer.save()
            except (OSError, asyncio.IncompleteReadError):
                elapsed, ok = 0.0, False
                preparer.conn = Connection(port)
            save_latencies.append(elapsed)
            errors += not ok

    async def reader() -> None:
        nonlocal public_errors
        conn = Connection(port)
        while not done:
            t0 = time.perf_counter()
            status, _, _ = await conn.request("GET", path)
            public_latencies.append(time.perf_counter() - t0)
            public_errors += status != 200
            await asyncio.sleep(0.01)
        conn.close()

    started = time.perf_counter()
    meter = CpuMeter()
    readers = [asyncio.create_task(reader()) for _ in range(2)]
    await asyncio.gather(*(saver(p) for p in preparers))
    done = True
    await asyncio.gather(*readers)
    elapsed = time.perf_counter() - started
    for preparer in preparers:
        preparer.conn.close()
    n = len(preparers)
    failures: dict[int, int] = {}
    for preparer in preparers:
        for status, count in preparer.failures.items():
            failures[status] = failures.get(status, 0) + count
    if failures:
        print(f"  saves not stored, by status: {dict(sorted(failures.items()))}")
    meter.report("save (public reads included)", len(save_latencies))
    return {"saves": summary(f"{n} concurrent saves", save_latencies, elapsed, errors),
            "public": summary(f"public page meanwhile ({n})", public_latencies, elapsed, public_errors)}


async def _read_public(port: int, path: str, until: Callable[[], bool], latencies: list[float],
                       errors: list[int]) -> None:
    conn = Connection(port)
    while not until():
        t0 = time.perf_counter()
        status, _, _ = await conn.request("GET", path)
        latencies.append(time.perf_counter() - t0)
        if status != 200:
            errors.append(status)
        await asyncio.sleep(0.01)
    conn.close()


async def _public_while(port: int, path: str, work: Callable[[], Awaitable[Any]], name: str) -> dict[str, float]:
    """The public page read by two connections while ``work()`` runs."""
    latencies: list[float] = []
    errors: list[int] = []
    done = False
    started = time.perf_counter()
    readers = [asyncio.create_task(_read_public(port, path, lambda: done, latencies, errors)) for _ in range(2)]
    try:
        await work()
    finally:
        done = True
        await asyncio.gather(*readers)
    return summary(name, latencies, time.perf_counter() - started, len(errors))


async def _login_form(port: int, username: str, password: str) -> tuple[Connection, str, bytes]:
    """A connection that has fetched the login page: (it, its CSRF cookie, the filled form)."""
    conn = Connection(port)
    _, headers, body = await conn.request("GET", "/login")
    cookie = headers.get("set-cookie", "").split(";")[0]
    token = re.search(rb'name="csrf_token" value="([^"]+)"', body).group(1).decode()
    form = urlencode({"username": username, "password": password, "csrf_token": token, "next": "/work"}).encode()
    return conn, cookie, form


async def bursts(port: int, path: str, password: str, approved: int, seconds: float) -> dict[str, dict[str, float]]:
    """The public page's latency when quiet, while a budget is published (the job: check and render
    every format) and while 50 people log in at once."""
    out = {"quiet": await _public_while(port, path, lambda: asyncio.sleep(min(seconds, 8.0)), "public page, quiet")}

    async def publish() -> None:
        finance = Preparer(port, "caizheng", password, approved)
        await finance.start(edit=False)
        status, _, body = await finance.conn.request("GET", f"/work/budgets/{approved}", {"Cookie": finance.session})
        token = re.search(rb'name="csrf_token" value="([^"]+)"', body).group(1).decode()
        version = re.search(rb'name="version" value="(\d+)"', body).group(1).decode()
        form = urlencode({"csrf_token": token, "version": version, "note": "压测"}).encode()
        t0 = time.perf_counter()
        status, _, _ = await finance.conn.request(
            "POST", f"/work/budgets/{approved}/publish",
            {"Cookie": finance.session, "Content-Type": "application/x-www-form-urlencoded"}, form)
        answered = time.perf_counter() - t0
        state = ""
        deadline = time.monotonic() + max(seconds, 120.0)
        while time.monotonic() < deadline:
            code, _, body = await finance.conn.request("GET", f"/work/budgets/{approved}/status",
                                                       {"Cookie": finance.session})
            if code != 200:  # a server that publishes within the request: done when it answered
                state = f"answered by the POST ({code} from /status)"
                break
            state = json.loads(body).get("publish_state", "")
            if state not in ("queued", "running"):
                break
            await asyncio.sleep(0.25)
        print(f"  publish: POST answered {status} in {answered * 1000:.0f} ms; job {state} after "
              f"{time.perf_counter() - t0:.1f} s")
        finance.conn.close()

    out["publish"] = await _public_while(port, path, publish, "public page, publishing")

    async def logins() -> None:
        prepared = [await _login_form(port, "tianbao", password) for _ in range(50)]

        async def one(conn: Connection, cookie: str, form: bytes) -> int:
            status, _, _ = await conn.request("POST", "/login", {"Cookie": cookie, "Content-Type":
                                                                 "application/x-www-form-urlencoded"}, form)
            conn.close()
            return status

        t0 = time.perf_counter()
        statuses = await asyncio.gather(*(one(*p) for p in prepared))
        print(f"  50 logins at once: {sum(s == 303 for s in statuses)} signed in in {time.perf_counter() - t0:.1f} s"
              f" (statuses {sorted(set(statuses))})")

    out["logins"] = await _public_while(port, path, logins, "public page, 50 logins")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=5000, help="public page requests (default 5000)")
    parser.add_argument("--saves", type=int, default=200, help="preparer saves (default 200)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent keep-alive connections")
    parser.add_argument("--seconds", type=float, default=60.0, help="time limit per phase")
    parser.add_argument("--database-url", default=None, help="default: a throwaway SQLite file")
    parser.add_argument("--preparers", type=int, nargs="*", default=[],
                        help="also: this many preparers saving different budgets at once (e.g. 16 32)")
    parser.add_argument("--concurrent-saves", type=int, default=5, help="saves per preparer (default 5)")
    parser.add_argument("--bursts", action="store_true", help="also: the public page while publishing and "
                        "while 50 people log in at once")
    parser.add_argument("--skip-single", action="store_true", help="skip the public-page-alone and single-save phases")
    parser.add_argument("--published", type=int, default=0,
                        help="also: this many more published budgets, then search and the portal index measured")
    parser.add_argument("--list-connections", type=int, nargs="*", default=[],
                        help="connections for the search and portal index phases (default: --connections)")
    parser.add_argument("--reuse-database", action="store_true",
                        help="with --database-url and --skip-single: the database an earlier run left (its "
                             "--published budgets) measured as it is, nothing inserted (search and portal only)")
    args = parser.parse_args(argv)
    if args.reuse_database and not (args.database_url and args.skip_single and args.published) or (
            args.reuse_database and (args.preparers or args.bursts)):
        parser.error("--reuse-database: with --database-url, --skip-single and --published; "
                     "without --preparers and --bursts")
    password = "bench-password-1"
    with tempfile.TemporaryDirectory(prefix="deptbudget-bench-") as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        if args.reuse_database:
            print(f"reusing {url.split('@')[-1]} as an earlier run left it")
        else:
            print(f"preparing {url.split('@')[-1]} (publishing the example budget) …")
            budget_id, unit_code, drafts, approved = prepare(url, password, max(args.preparers, default=0))
            if args.published:
                add_published(url, args.published)
        port = free_port()
        server = start_server(url, port)
        try:
            print(f"server: http://{HOST}:{port}/ (1 uvicorn worker, {os.cpu_count()} CPUs, load average "
                  f"{os.getloadavg()[0]:.1f})")
            CpuMeter.pid = server.pid
            if not args.skip_single:
                asyncio.run(public_page(port, f"/budgets/2020/{unit_code}", args.requests, args.connections,
                                        args.seconds))
            for connections in (args.list_connections or [args.connections]) if args.published else []:
                asyncio.run(rotating_pages(port, f"search ({connections} connections)", search_paths(),
                                           args.requests, connections, args.seconds))
                asyncio.run(rotating_pages(port, f"search, 2-character words, not cached ({connections} connections)",
                                           two_character_paths(url, args.requests), args.requests, connections,
                                           args.seconds))
                asyncio.run(rotating_pages(port, f"portal index ({connections} connections)",
                                           portal_paths(args.published), args.requests, connections, args.seconds))
            if not args.skip_single:
                asyncio.run(preparer_save(port, budget_id, password, args.saves, args.seconds))
            for count in args.preparers:
                asyncio.run(concurrent_saves(port, f"/budgets/2020/{unit_code}", password, drafts[:count],
                                             args.concurrent_saves, args.seconds))
            if args.bursts:
                asyncio.run(bursts(port, f"/budgets/2020/{unit_code}", password, approved, args.seconds))
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
