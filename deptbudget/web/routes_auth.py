"""Login, logout and password change."""

from __future__ import annotations

import math

from fastapi import APIRouter
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from deptbudget.store.models import User
from deptbudget.web import auth, services
from deptbudget.web.context import Ctx, CtxDep, FormDep, PageError, redirect, render
from deptbudget.web.login_throttle import LoginThrottle
from deptbudget.web.password_pool import PasswordPool, PasswordsBusy

router = APIRouter()


def _safe_next(target: str) -> str:
    """Only local paths: never redirect a login to another site."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/work"


@router.get("/login")
def login_page(ctx: Ctx = CtxDep, next: str = "/work") -> Response:
    if ctx.user is not None:
        return redirect(ctx, _safe_next(next))
    return render(ctx, "login.html", next=_safe_next(next), error="", username="")


@router.post("/login")
async def login(ctx: Ctx = CtxDep, form: dict[str, str] = FormDep) -> Response:
    """A login. The password is checked on the password pool (``app.state.passwords``), awaited here:
    while it hashes, this request holds no thread and no database connection, so a burst of logins
    leaves every other request to be served as before. The throttle is asked first and told after."""
    username, password = form.get("username", ""), form.get("password", "")
    target = _safe_next(form.get("next", "/work"))
    address = ctx.request.client.host if ctx.request.client else ""
    refused = await run_in_threadpool(_throttled, ctx, username, address, target)
    if refused is not None:
        return refused
    account = await run_in_threadpool(_account, ctx, username)
    pool: PasswordPool = ctx.app.state.passwords
    try:
        right, new_hash = await pool.run(auth.verify_login, account[1] if account else None, password)
    except PasswordsBusy as exc:
        response = await run_in_threadpool(render, ctx, "login.html", 503, next=target, username=username,
                                           error=str(exc))
        response.headers["Retry-After"] = "5"
        return response
    return await run_in_threadpool(_signed_in if right and account else _failed, ctx, username, address, target,
                                   account[0] if account else None, new_hash)


def _throttled(ctx: Ctx, username: str, address: str, target: str) -> Response | None:
    """The 429 page when the throttle refuses this attempt now (the password is not checked)."""
    throttle: LoginThrottle = ctx.app.state.login_throttle
    verdict = throttle.check(username, address)
    if verdict.allowed:
        return None
    return render(ctx, "login.html", status=429, next=target, username=username,
                  error=f"登录失败次数过多（{verdict.key}）：请 {math.ceil(verdict.wait)} 秒后再试。")


def _account(ctx: Ctx, username: str) -> tuple[int, str] | None:
    """(id, password hash) of the active account of this name; the connection is given back before the
    password is checked."""
    user = auth.find_account(ctx.db, username)
    found = (user.id, user.password_hash) if user is not None else None
    ctx.db.commit()
    return found


def _failed(ctx: Ctx, username: str, address: str, target: str, _user_id: int | None,
            _new_hash: str | None) -> Response:
    throttle: LoginThrottle = ctx.app.state.login_throttle
    for key in throttle.failed(username, address):
        services.audit(ctx.db, None, None, "login-throttle", key, "", "限制登录",
                       f"多次登录失败（用户名 {username[:64]}，地址 {address}）："
                       "此后每次失败，下次登录前须等待的时间加倍。")
    ctx.db.commit()
    return render(ctx, "login.html", status=401, next=target, username=username, error="用户名或密码不正确。")


def _signed_in(ctx: Ctx, username: str, address: str, target: str, user_id: int | None,
               new_hash: str | None) -> Response:
    user = ctx.db.get(User, user_id) if user_id is not None else None
    if user is None or not user.active:  # switched off while the password was checked
        return _failed(ctx, username, address, target, user_id, None)
    if new_hash:
        user.password_hash = new_hash
    ctx.app.state.login_throttle.succeeded(username)
    old = ctx.request.cookies.get(auth.SESSION_COOKIE)
    auth.end_session(ctx.db, old)
    token, _ = auth.start_session(ctx.db, user)
    ctx.db.commit()
    ctx.cookies.append((auth.SESSION_COOKIE, token, {"max_age": int(auth.SESSION_LIFETIME.total_seconds())}))
    ctx.new_anon_csrf = None
    due = auth.password_change_due(user)
    if due:
        return redirect(ctx, "/account/password", due)
    return redirect(ctx, target, f"欢迎，{user.label}（{user.role_label}）")


@router.post("/logout")
def logout(ctx: Ctx = CtxDep, _form: dict[str, str] = FormDep) -> Response:
    auth.end_session(ctx.db, ctx.request.cookies.get(auth.SESSION_COOKIE))
    ctx.db.commit()
    ctx.cookies.append((auth.SESSION_COOKIE, "", {}))
    return redirect(ctx, "/", "您已退出登录。")


@router.get("/account/password")
def password_page(ctx: Ctx = CtxDep) -> Response:
    if ctx.user is None:
        return redirect(ctx, "/login?next=/account/password")
    return render(ctx, "password.html", error="", due=auth.password_change_due(ctx.user))


@router.post("/account/password")
def change_password(ctx: Ctx = CtxDep, form: dict[str, str] = FormDep) -> Response:
    if ctx.user is None:
        raise PageError(403, "请先登录。")
    due = auth.password_change_due(ctx.user)
    if form.get("new_password", "") != form.get("new_password2", ""):
        return render(ctx, "password.html", status=422, error="两次输入的新密码不一致。", due=due)
    try:
        auth.change_password(ctx.db, ctx.user, form.get("old_password", ""), form.get("new_password", ""),
                             ctx.request.cookies.get(auth.SESSION_COOKIE), pool=ctx.app.state.passwords)
    except auth.AuthError as exc:
        ctx.db.rollback()
        return render(ctx, "password.html", status=422, error=str(exc), due=due)
    ctx.db.commit()
    return redirect(ctx, "/work", "密码已修改；其他设备上的登录已失效。")
