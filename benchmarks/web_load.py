"""Load test of the web system on loopback: requests/s and p50/p99 latency for

- the public disclosure page of a published budget (the example department, cached), and
- a preparer's save of a form (草稿, one field changed each time, with CSRF and version).

Starts its own server (``uvicorn``, one worker, as ``deptbudget serve`` does) on 127.0.0.1 with a
throwaway SQLite database (or ``--database-url``), publishes the example budget, then sends a
bounded number of requests (``--requests``, at most ``--seconds`` per phase) over keep-alive
connections. Traffic goes to 127.0.0.1 only.

    .venv/bin/python benchmarks/web_load.py [--requests 5000] [--connections 16]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def prepare(url: str, password: str) -> tuple[int, str]:
    """Demo data with the example budget published; returns (budget id, unit code)."""
    from sqlalchemy import select

    from deptbudget.store.db import make_engine, migrate, session_factory
    from deptbudget.store.models import Budget, User
    from deptbudget.web import services
    from deptbudget.web.demo import UNIT, init_demo

    engine = make_engine(url)
    migrate(engine)
    factory = session_factory(engine)
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
    engine.dispose()
    return budget_id, UNIT[0]


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


def start_server(url: str, port: int) -> subprocess.Popen:
    code = ("import uvicorn; from deptbudget.web.app import create_app; "
            f"uvicorn.run(create_app({url!r}), host={HOST!r}, port={port}, log_level='warning')")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit("server did not start")


# --- a small keep-alive HTTP/1.1 client --------------------------------------------------------


class Connection:
    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, headers: dict[str, str] | None = None,
                      body: bytes = b"") -> tuple[int, dict[str, str], bytes]:
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


async def preparer_save(port: int, budget_id: int, password: str, total: int, seconds: float) -> dict[str, float]:
    conn = Connection(port)
    status, headers, body = await conn.request("GET", "/login")
    cookie = headers.get("set-cookie", "").split(";")[0]
    token = re.search(rb'name="csrf_token" value="([^"]+)"', body).group(1).decode()
    form = urlencode({"username": "tianbao", "password": password, "csrf_token": token, "next": "/work"}).encode()
    status, headers, _ = await conn.request("POST", "/login", {"Cookie": cookie, "Content-Type":
                                                               "application/x-www-form-urlencoded"}, form)
    session = [c.split(";")[0] for c in headers.get("set-cookie", "").splitlines() if "session" in c][0]
    status, _, body = await conn.request("GET", f"/work/budgets/{budget_id}/edit/text", {"Cookie": session})
    if status != 200:
        raise SystemExit(f"edit form → {status}")
    token = re.search(rb'name="csrf_token" value="([^"]+)"', body).group(1).decode()
    version = int(re.search(rb'name="version" value="(\d+)"', body).group(1))
    fields = {m[0].decode(): m[1].decode() for m in
              re.findall(rb'<textarea[^>]*name="(f\.[\w.]+)"[^>]*>([^<]*)</textarea>', body)}
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds
    started = time.perf_counter()
    for i in range(total):
        if time.monotonic() > deadline:
            break
        fields["f.narrative.change_reason"] = f"压力测试第 {i} 次保存。"
        data = urlencode({"csrf_token": token, "version": version, **fields}).encode()
        t0 = time.perf_counter()
        status, _, _ = await conn.request("POST", f"/work/budgets/{budget_id}/edit/text",
                                          {"Cookie": session, "Content-Type": "application/x-www-form-urlencoded"},
                                          data)
        latencies.append(time.perf_counter() - t0)
        if status == 303:
            version += 1
        else:
            errors += 1
    conn.close()
    return summary("preparer save (form)", latencies, time.perf_counter() - started, errors)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=5000, help="public page requests (default 5000)")
    parser.add_argument("--saves", type=int, default=200, help="preparer saves (default 200)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent keep-alive connections")
    parser.add_argument("--seconds", type=float, default=60.0, help="time limit per phase")
    parser.add_argument("--database-url", default=None, help="default: a throwaway SQLite file")
    args = parser.parse_args(argv)
    password = "bench-password-1"
    with tempfile.TemporaryDirectory(prefix="deptbudget-bench-") as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        print(f"preparing {url.split('@')[-1]} (publishing the example budget) …")
        budget_id, unit_code = prepare(url, password)
        port = free_port()
        server = start_server(url, port)
        try:
            print(f"server: http://{HOST}:{port}/ (1 uvicorn worker, {os.cpu_count()} CPUs)")
            asyncio.run(public_page(port, f"/budgets/2020/{unit_code}", args.requests, args.connections,
                                    args.seconds))
            asyncio.run(preparer_save(port, budget_id, password, args.saves, args.seconds))
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
