"""The web application: ``create_app()`` assembles it (FastAPI, server-rendered Jinja2 pages).

Routes are in ``routes_public`` (the public portal), ``routes_comparison`` (budget
against final accounts: publishing the 决算, the portal's comparison page), ``routes_auth`` (login, logout, password),
``routes_work`` (the budget work area), ``routes_review`` (the reviewer's checklist on a submitted
budget), ``routes_performance`` (a budget's 绩效运行监控 and 绩效自评), ``routes_perf_finance`` (the
finance bureau's performance dashboard, the indicator library) and ``routes_admin`` (users and
units). Background jobs (the full check after a save, publishing) are run by ``jobs.JobRunner``
(``app.state.jobs``). What they share is in ``context`` (the request context, rendering, errors) and ``deps``
(permissions as dependencies); what they do to budgets is in the service modules.
"""

from __future__ import annotations

import gc
import os

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from deptbudget.store.db import make_engine, migrate, session_factory
from deptbudget.web import (
    context,
    public_pages,
    routes_admin,
    routes_auth,
    routes_comparison,
    routes_perf_finance,
    routes_performance,
    routes_public,
    routes_review,
    routes_rollup,
    routes_work,
)
from deptbudget.web.cache import PublicCache
from deptbudget.web.context import DEFAULT_UPLOAD_LIMIT, HERE, HeavyGate, Settings
from deptbudget.web.jobs import JobRunner
from deptbudget.web.login_throttle import LoginThrottle
from deptbudget.web.password_pool import PasswordPool
from deptbudget.web.workflow import Workflow, load_workflow

__all__ = ["Settings", "create_app"]

# The cyclic garbage collector of a serving process (``settle_collector``): a young collection every
# 50,000 allocations instead of 700. Objects of the requests in flight outlive each young collection
# and are counted as old; at the default, 16 connections made that a full collection every 2–3 s,
# each 100–230 ms on a loaded machine with every request waiting (the p99 of pages served from
# memory: 150–220 ms at 16 connections).
GC_THRESHOLDS = (50_000, 20, 20)


def settle_collector() -> None:
    """At a server's start: what start-up loaded (catalogs, templates, code) frozen out of the
    collector's way, and the collector told to run less often (``GC_THRESHOLDS``)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def create_app(database_url: str | None = None, *, engine: Engine | None = None, workflow: Workflow | None = None,
               settings: Settings | None = None, run_migrations: bool = True) -> FastAPI:
    """The application. Migrates the database to the newest schema unless told not to."""
    engine = engine or make_engine(database_url)
    if run_migrations:
        migrate(engine)
    app = FastAPI(title="部门预算", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    app.state.workflow = workflow or load_workflow()
    app.state.settings = settings or Settings(
        upload_limit=int(os.environ.get("DEPTBUDGET_UPLOAD_LIMIT", DEFAULT_UPLOAD_LIMIT)))
    app.state.jinja = context.environment(app.state.settings.time_zone)
    app.state.public_cache = PublicCache(app.state.settings.public_cache_size)
    app.state.login_throttle = LoginThrottle.in_database(app.state.sessions)  # shared by every worker
    app.state.passwords = PasswordPool(app.state.settings.password_threads, app.state.settings.password_queue)
    app.router.on_shutdown.append(app.state.passwords.shutdown)
    app.state.heavy_gate = HeavyGate(app.state.settings.heavy_slots, app.state.settings.heavy_wait)
    app.state.jobs = JobRunner(app.state.sessions, app.state.workflow, app.state.settings.job_processes,
                               published=app.state.public_cache.published)
    app.router.on_shutdown.append(app.state.jobs.shutdown)
    # A server's start (a test client without ``with``: not run): the newest pages made, the collector settled.
    app.router.on_startup.append(lambda: public_pages.warm_newest(app.state))
    app.router.on_startup.append(settle_collector)
    context.install(app)
    for module in (routes_public, routes_comparison, routes_auth, routes_work, routes_review, routes_performance,
                   routes_perf_finance, routes_admin, routes_rollup):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    return app
