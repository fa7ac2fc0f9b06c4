"""The request context of every page: the database session, the signed-in user, the CSRF token,
the cookies to set (flash message, session); page rendering, redirects, downloads; and the errors a
handler raises — ``PageError`` (shown as an error page with its status) and ``LoginRedirect`` (an
anonymous visitor sent to the login page) — with the exception handlers that turn them into
responses, installed once by ``install``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import threading
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import jinja2
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from python_multipart.multipart import parse_options_header
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.convertors import Convertor, register_url_convertor
from starlette.datastructures import FormData, MutableHeaders, UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException

from deptbudget.store.models import ROLES, LoginSession, User
from deptbudget.web import auth, forms, times
from deptbudget.web.form_decoding import UrlencodedParser
from deptbudget.web.password_pool import PasswordsBusy
from deptbudget.web.workflow import Workflow

HERE = Path(__file__).parent
MAX_ID = 999_999_999  # the largest number a path or query takes: fits SQLite and PostgreSQL integer columns


class IdConvertor(Convertor[int]):
    """``{name:id}`` in a route: a number of at most 9 digits. A longer one does not match the route
    (404), so no number too large for the database ever reaches a query."""

    regex = "[0-9]{1,9}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(int(value))


register_url_convertor("id", IdConvertor())
DEFAULT_UPLOAD_LIMIT = 5 * 1024 * 1024
FLASH_COOKIE = "deptbudget_flash"
log = logging.getLogger("deptbudget.web")
CSRF_FAILED = "表单已过期或来源无法验证（CSRF 校验失败）：请返回上一页刷新后重试。"
DEFAULT_MAX_FIELDS = 1000
MAX_FORM_BYTES = 32 * 1024 * 1024  # a posted form (not an upload): 5,000 records of long texts fit


@dataclass
class Settings:
    upload_limit: int = DEFAULT_UPLOAD_LIMIT
    heavy_slots: int = 2  # requests doing heavy work (saves, checks, publishing) at once: about the CPU count
    heavy_wait: float = 20.0  # seconds a heavy request waits for a slot before the "系统繁忙" page
    job_processes: int = 1  # worker processes of the background jobs (web.jobs); 0: on the job thread
    job_wait: float = 0.0  # seconds a page waits for the job it started (tests: the result at once)
    password_threads: int = 1  # threads hashing passwords (argon2id), apart from those serving pages
    password_queue: int = 64  # logins waiting for them at most; one more gets the "系统繁忙" page (503)
    secure_cookies: bool | None = None  # None: Secure when the request came over https
    public_cache_size: int = 256
    today: Callable[[], date] = date.today  # the date of 绩效 submissions and deadlines (tests fix it)
    time_zone: str = field(default_factory=times.configured_zone)  # times are shown in it (stored in UTC)


@dataclass
class Ctx:
    """What a page handler needs: the request, a database session, the user and the CSRF token."""

    request: Request
    db: Session
    user: User | None = None
    login: LoginSession | None = None
    csrf: str = ""
    new_anon_csrf: str | None = None
    cookies: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)

    @property
    def app(self) -> FastAPI:
        return self.request.app

    @property
    def workflow(self) -> Workflow:
        return self.app.state.workflow

    @property
    def settings(self) -> Settings:
        return self.app.state.settings


# --- errors -------------------------------------------------------------------------------------


class PageError(Exception):
    """Raised by handlers: shown as an error page with this status."""

    def __init__(self, status: int, message: str) -> None:
        self.status, self.message = status, message
        super().__init__(message)


class LoginRedirect(Exception):
    """An anonymous visitor asked for a page that needs a login: sent to the login page (303)."""

    def __init__(self, url: str) -> None:
        self.url = url
        super().__init__(url)


def forbidden(message: str = "您没有权限访问此页面。") -> PageError:
    return PageError(403, message)


def not_found(message: str = "找不到该页面或预算。") -> PageError:
    return PageError(404, message)


def to_int(value: str | None) -> int | None:
    """A posted or sent number (a form's ``version``, a header), None when absent or not a number."""
    try:
        return int(value or "")
    except ValueError:
        return None


def bounded_int(value: str | None, low: int = 0, high: int = MAX_ID) -> int | None:
    """A number sent to look something up (an id, a year), None when absent, not a number or outside
    ``low``…``high`` (so that nothing too large for the database reaches a query)."""
    number = to_int((value or "").strip()[:12])
    return number if number is not None and low <= number <= high else None


def query_year(value: str | None) -> int | None:
    """A ``year=`` query parameter: None when empty; a 400 page when it is not a year."""
    if not (value or "").strip():
        return None
    year = bounded_int(value, 1900, 2999)
    if year is None:
        raise PageError(400, f"年度应为四位数字（如 2020），而不是“{(value or '')[:20]}”。")
    return year


# --- the context --------------------------------------------------------------------------------


def environment(time_zone: str = times.DEFAULT_ZONE) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"),
                             autoescape=jinja2.select_autoescape(["html", "j2"]), trim_blocks=True,
                             lstrip_blocks=True)

    def figure(version: Any, key: str) -> str:
        return json.loads(version.figures_json).get(key, {}).get("text", "")

    env.globals.update(ROLES=ROLES, display=forms.display, amount_text=forms.amount_text, figure=figure)
    times.zone(time_zone)  # an unknown zone is refused at start-up
    env.filters["dt"] = lambda v: times.shown(v, time_zone)  # local time, labelled (北京时间)
    env.filters["local_date"] = lambda v: times.shown_date(v, time_zone)
    env.globals["time_zone_label"] = times.label(time_zone)
    env.filters["urlq"] = lambda v: quote(str(v))
    return env


def cookie_secure(request: Request) -> bool:
    setting = request.app.state.settings.secure_cookies
    if setting is not None:
        return setting
    return request.url.scheme == "https"


def set_cookie(response: Response, request: Request, name: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="lax", secure=cookie_secure(request),
                        path="/")


def get_ctx(request: Request) -> Iterator[Ctx]:
    factory: sessionmaker[Session] = request.app.state.sessions
    with factory() as db:
        ctx = Ctx(request=request, db=db)
        token = request.cookies.get(auth.SESSION_COOKIE)
        if token:
            ctx.login = auth.load_session(db, token)
            if ctx.login is not None:
                ctx.user = ctx.login.user
                ctx.csrf = ctx.login.csrf_token
                _ = ctx.user.unit, ctx.user.department  # loaded now: the header is drawn even on an error page
            db.commit()
        if ctx.user is None:
            ctx.csrf = request.cookies.get(auth.CSRF_COOKIE) or ""
            if len(ctx.csrf) < 20:
                ctx.csrf = ctx.new_anon_csrf = auth.new_csrf()
        request.state.ctx = ctx  # for the exception handlers
        yield ctx


CtxDep = Depends(get_ctx)
context_of = contextmanager(get_ctx)  # the context outside FastAPI's dependencies (a handler's own thread)


class HeavyGate:
    """At most ``slots`` heavy requests (a save with its check, an upload, a workflow action,
    publishing) run at once, each on its thread. Python runs one thread at a time: more CPU-bound
    threads would only make every request — the public pages too — wait for its turn, and a
    writer holding SQLite's lock would be starved. A request waits for its slot on the event loop
    (first come, first served), holding no thread of the pool and no database connection, so the
    requests waiting behind a burst of saves never keep the pool's threads from other pages. One
    that gets no slot within ``wait`` seconds is answered with the "系统繁忙" page (503) instead of
    a freeze. Any event loop may wait (a test client runs one per request): a slot given up is
    handed to the first waiter through the waiter's own loop."""

    def __init__(self, slots: int, wait: float) -> None:
        self.slots, self.wait = slots, wait
        self._lock = threading.Lock()
        self._free = slots
        self._waiters: deque[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = deque()

    @property
    def waiting(self) -> int:
        """Requests waiting for a slot now."""
        with self._lock:
            return len(self._waiters)

    async def acquire(self) -> None:
        """A slot, or ``PageError(503)`` after ``wait`` seconds."""
        with self._lock:
            if self._free > 0 and not self._waiters:
                self._free -= 1
                return
            loop = asyncio.get_running_loop()
            waiter: tuple[asyncio.AbstractEventLoop, asyncio.Future[None]] = (loop, loop.create_future())
            self._waiters.append(waiter)
        try:
            await asyncio.wait_for(asyncio.shield(waiter[1]), self.wait)
        except (TimeoutError, asyncio.CancelledError) as exc:
            with self._lock:
                handed = waiter not in self._waiters
                if not handed:
                    self._waiters.remove(waiter)
            if handed:  # the slot came just as the wait ended: passed on
                self.release()
            if isinstance(exc, asyncio.CancelledError):
                raise
            raise PageError(503, BUSY) from None

    def release(self) -> None:
        """The slot handed to the first waiter whose loop still runs, else freed."""
        with self._lock:
            while self._waiters:
                loop, future = self._waiters.popleft()
                try:
                    loop.call_soon_threadsafe(_hand_over, future)
                except RuntimeError:  # its loop is closed: the next waiter
                    continue
                return
            self._free += 1


def _hand_over(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


async def heavy_slot(request: Request) -> AsyncIterator[None]:
    """A dependency of heavy handlers: the handler runs inside the gate. Listed before the budget, the
    request loads the budget as it is when its turn comes; listed first (a form's save), it waits
    before its session is looked up and its form read, holding no thread and no connection at all."""
    gate: HeavyGate = request.app.state.heavy_gate
    await gate.acquire()
    try:
        yield
    finally:
        gate.release()


HeavyDep = Depends(heavy_slot, scope="function")


# --- responses ----------------------------------------------------------------------------------


def finish(ctx: Ctx, response: Response) -> Response:
    if ctx.new_anon_csrf:
        set_cookie(response, ctx.request, auth.CSRF_COOKIE, ctx.new_anon_csrf)
    for name, value, options in ctx.cookies:
        if value == "":
            response.delete_cookie(name, path="/")
        else:
            set_cookie(response, ctx.request, name, value, **options)
    if ctx.request.cookies.get(FLASH_COOKIE) and not any(name == FLASH_COOKIE for name, _, _ in ctx.cookies):
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


def anonymous_finish(request: Request, response: Response) -> Response:
    """``finish`` for a page answered without a context (a cached public page for an anonymous
    visitor with no message): the visitor's CSRF cookie made when there is none, as ``get_ctx`` does."""
    if len(request.cookies.get(auth.CSRF_COOKIE) or "") < 20:
        set_cookie(response, request, auth.CSRF_COOKIE, auth.new_csrf())
    return response


def render(ctx: Ctx, template: str, status: int = 200, **values: Any) -> Response:
    env: jinja2.Environment = ctx.app.state.jinja
    flash = unquote(ctx.request.cookies.get(FLASH_COOKIE, ""))[:500]
    html = env.get_template(template).render(
        request=ctx.request, user=ctx.user, csrf_token=ctx.csrf, flash=flash, workflow=ctx.workflow, **values)
    return finish(ctx, HTMLResponse(html, status_code=status))


def redirect(ctx: Ctx, url: str, message: str = "") -> Response:
    response = RedirectResponse(url, status_code=303)
    if message:
        ctx.cookies.append((FLASH_COOKIE, quote(message), {"max_age": 60}))
    return finish(ctx, response)


def download(ctx: Ctx, data: bytes, media: str, name: str, inline: bool = False) -> Response:
    """A file to save (or, ``inline``, to show in the browser) under ``name``."""
    disposition = "inline" if inline else "attachment"
    return finish(ctx, Response(data, media_type=media, headers={
        "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(name)}"}))


BUSY = "系统繁忙，请稍后再试。您刚才的操作没有完成（没有保存任何内容）；请过几秒钟后重新提交。"
SERVER_ERROR = "系统出错了，您的操作可能没有完成。错误已记入服务器日志；请稍后重试，如果问题持续，请联系系统管理员。"
ERROR_TITLES = {400: "请求有误", 403: "无权访问", 404: "页面不存在", 405: "请求方式有误", 409: "保存冲突",
                413: "内容过大", 422: "无法完成", 500: "系统出错", 503: "系统繁忙"}


def is_busy(exc: BaseException) -> bool:
    """The database is overloaded: no connection free in time, or SQLite's write lock not got in time."""
    if isinstance(exc, sa_exc.TimeoutError):
        return True
    return isinstance(exc, sa_exc.OperationalError) and "locked" in str(exc.orig).lower()


def error_page(ctx: Ctx | None, request: Request, status: int, message: str, lookup: bool = True) -> Response:
    """The styled error page, with the header of the signed-in person (their session is looked up,
    unless ``lookup`` is False, when the request did not get as far as the handler's context)."""
    ctx = ctx or getattr(request.state, "ctx", None)
    if ctx is None and lookup and request.cookies.get(auth.SESSION_COOKIE):
        try:
            with request.app.state.sessions() as db:
                login = auth.load_session(db, request.cookies.get(auth.SESSION_COOKIE))
                if login is not None:
                    _ = login.user.unit, login.user.department
                    ctx = Ctx(request=request, db=db, user=login.user, login=login, csrf=login.csrf_token)
        except Exception:  # the database is unavailable: the page without the header
            ctx = None
    env: jinja2.Environment = request.app.state.jinja
    try:
        html = env.get_template("error.html").render(
            request=request, user=ctx.user if ctx else None, csrf_token=ctx.csrf if ctx else "", flash="",
            workflow=request.app.state.workflow, status=status, title=ERROR_TITLES.get(status, "出错了"),
            message=message)
    except Exception:  # the header could not be drawn (the database is gone): the page without it
        html = env.get_template("error.html").render(
            request=request, user=None, csrf_token="", flash="", workflow=request.app.state.workflow,
            status=status, title=ERROR_TITLES.get(status, "出错了"), message=message)
    response = HTMLResponse(html, status_code=status)
    if ctx is not None and ctx.new_anon_csrf:
        set_cookie(response, request, auth.CSRF_COOKIE, ctx.new_anon_csrf)
    return response


# --- posted forms -------------------------------------------------------------------------------


# Forms posted to a budget's pages (saves, uploads, workflow actions, checklist marks, 绩效 entry) carry
# the version they were made from; one without it would skip the conflict check, so it is refused.
BUDGET_FORM = re.compile(r"/work/budgets/[0-9]+/")
VERSION_MISSING = ("表单缺少版本号（version），无法确认您看到的是最新内容，没有保存任何内容：请刷新页面后重新提交。")


def check_csrf(ctx: Ctx, form: FormData) -> None:
    """The form's CSRF token; and on a budget's pages, its ``version``."""
    if not auth.same_token(str(form.get("csrf_token", "")), ctx.csrf):
        raise PageError(403, CSRF_FAILED)
    if BUDGET_FORM.match(ctx.request.url.path) and to_int(str(form.get("version", ""))[:12]) is None:
        raise PageError(400, VERSION_MISSING)


def form_refused(max_fields: int, reason: str) -> PageError:
    """A form too large to take, said in Chinese (Starlette's own message is English)."""
    if reason == "bytes":
        what = f"表单内容过大（上限 {MAX_FORM_BYTES // 1048576} MB）"
    elif reason == "fields":
        what = f"表单的栏目过多（上限 {max_fields:,} 个）"
    else:
        what = "表单中有一项内容过长（每项上限 1 MB）"
    return PageError(413, f"{what}，没有保存任何内容。请“返回上一页”：您填写的内容仍在页面上，可以删去多余的行后"
                          "分几次保存，或下载 XLSX 录入模板填好后上传。")


async def read_form(ctx: Ctx, max_fields: int = DEFAULT_MAX_FIELDS) -> dict[str, str]:
    """The posted form (text fields), after checking the CSRF token."""
    form = await read_form_data(ctx, max_fields)
    return {k: v for k, v in form.items() if isinstance(v, str)}


async def read_form_data(ctx: Ctx, max_fields: int = DEFAULT_MAX_FIELDS) -> FormData:
    """The posted form with repeated fields (``getlist``), after checking the CSRF token. A form over
    ``max_fields`` fields or ``MAX_FORM_BYTES`` is refused with 413 and a Chinese message."""
    length = content_length(ctx)
    if length is not None and length > MAX_FORM_BYTES:
        raise form_refused(max_fields, "bytes")
    try:
        form = await _parsed_form(ctx.request, max_fields)
    except StarletteHTTPException as exc:
        if exc.status_code != 400:
            raise
        raise form_refused(max_fields, "fields" if "fields" in str(exc.detail) else "part") from None
    except MultiPartException as exc:
        raise form_refused(max_fields, "fields" if "fields" in exc.message else "part") from None
    check_csrf(ctx, form)
    return form


async def _parsed_form(request: Request, max_fields: int) -> FormData:
    """``request.form()``, a urlencoded body read by ``form_decoding.UrlencodedParser`` (the same
    fields, decoded in C) and kept as the request's form."""
    if parse_options_header(request.headers.get("content-type"))[0] != b"application/x-www-form-urlencoded":
        return await request.form(max_fields=max_fields)
    form = await UrlencodedParser(request.headers, request.stream(), max_fields=max_fields).parse()
    request._form = form  # what ``request.form()`` answers from now on (the body is read)
    return form


async def posted_form(ctx: Ctx = CtxDep) -> dict[str, str]:
    """The posted form of a plain ``def`` handler (which runs on the thread pool): read here, on the
    event loop, with the CSRF token checked."""
    return await read_form(ctx)


FormDep = Depends(posted_form)


async def read_upload_form(ctx: Ctx) -> FormData:
    """A posted upload form (one file, a few fields), after checking the CSRF token."""
    form = await ctx.request.form(max_files=1, max_fields=20)
    check_csrf(ctx, form)
    return form


def content_length(ctx: Ctx) -> int | None:
    return to_int(ctx.request.headers.get("content-length"))


@dataclass
class Upload:
    """A posted upload form, read before a plain ``def`` handler runs (on the thread pool): the
    file's name and bytes (at most the upload limit + 1), the form's text fields, or ``too_large``
    (the announced length) when the body was not read at all."""

    filename: str = ""
    data: bytes = b""
    fields: dict[str, str] = field(default_factory=dict)
    too_large: int | None = None

    @property
    def over_limit(self) -> bool:
        return self.too_large is not None


async def posted_upload(ctx: Ctx = CtxDep) -> Upload:
    """The upload form (CSRF checked) of a handler that takes ``Upload``: a body announced over the
    limit is not read."""
    limit = ctx.settings.upload_limit
    length = content_length(ctx)
    if length is not None and length > limit + 64 * 1024:
        return Upload(too_large=length)
    form = await read_upload_form(ctx)
    file = form.get("file")
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    if not isinstance(file, UploadFile) or not file.filename:
        return Upload(fields=fields)
    return Upload(file.filename, await file.read(limit + 1), fields)


UploadDep = Depends(posted_upload)


# --- installed once -----------------------------------------------------------------------------

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                                "script-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'"),
}
PRIVATE_PATHS = ("/work", "/admin", "/account", "/login")


class HeadAsGet:
    """``HEAD`` answered as ``GET`` without the body (FastAPI's GET routes answer HEAD with 405)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.body":
                message = {"type": "http.response.body", "body": b"", "more_body": message.get("more_body", False)}
            await send(message)

        await self.app(dict(scope, method="GET"), receive, headers_only)


class SecurityHeaders:
    """``SECURITY_HEADERS`` on every response (a header the handler set is kept), and ``no-store`` on
    the private pages' — as plain ASGI middleware: ``@app.middleware("http")`` would run every request
    in a task of its own with streams between them, a cost paid on the event loop by every page."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        private = scope["path"].startswith(PRIVATE_PATHS)

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if private:
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, with_headers)


def install(app: FastAPI) -> None:
    """The security headers on every response, ``HEAD`` as ``GET``, and the handlers of ``PageError``,
    ``LoginRedirect`` and Starlette's HTTP errors."""
    app.add_middleware(HeadAsGet)
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(PageError)
    async def page_error(request: Request, exc: PageError) -> Response:
        response = await run_in_threadpool(error_page, None, request, exc.status, exc.message)
        if exc.status == 503:
            response.headers["Retry-After"] = "5"
        return response

    @app.exception_handler(PasswordsBusy)
    async def passwords_busy(request: Request, exc: PasswordsBusy) -> Response:
        response = await run_in_threadpool(error_page, None, request, 503, str(exc))
        response.headers["Retry-After"] = "5"
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        places = "、".join(sorted({str(e.get("loc", ("", "?"))[-1]) for e in exc.errors()}))[:200]
        message = f"请求中的参数有误（{places}）：请检查网址或表单后重试。"
        return await run_in_threadpool(error_page, None, request, 400, message)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        if is_busy(exc):
            log.warning("系统繁忙 %s %s: %s", request.method, request.url.path, exc)
            response = await run_in_threadpool(error_page, None, request, 503, BUSY, False)
            response.headers["Retry-After"] = "5"
            return response
        log.exception("未处理的错误 %s %s", request.method, request.url.path, exc_info=exc)
        return await run_in_threadpool(error_page, None, request, 500, SERVER_ERROR)

    @app.exception_handler(LoginRedirect)
    async def login_redirect(request: Request, exc: LoginRedirect) -> Response:
        return redirect(request.state.ctx, exc.url)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return await run_in_threadpool(error_page, None, request, 404, "找不到该页面。")
        if exc.status_code == 405:
            return await run_in_threadpool(error_page, None, request, 405, "不支持该请求方式。")
        detail = str(exc.detail)
        if detail.isascii():  # Starlette's own English message
            detail = f"{ERROR_TITLES.get(exc.status_code, '无法处理该请求')}：请检查网址或表单后重试。"
        return await run_in_threadpool(error_page, None, request, exc.status_code, detail)
