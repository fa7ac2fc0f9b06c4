"""Login, logout and password change."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from deptbudget.web import auth
from deptbudget.web.context import Ctx, CtxDep, FormDep, PageError, redirect, render

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
def login(ctx: Ctx = CtxDep, form: dict[str, str] = FormDep) -> Response:
    username, password = form.get("username", ""), form.get("password", "")
    target = _safe_next(form.get("next", "/work"))
    user = auth.authenticate(ctx.db, username, password)
    if user is None:
        ctx.db.commit()
        return render(ctx, "login.html", status=401, next=target, username=username,
                      error="用户名或密码不正确。")
    old = ctx.request.cookies.get(auth.SESSION_COOKIE)
    auth.end_session(ctx.db, old)
    token, _ = auth.start_session(ctx.db, user)
    ctx.db.commit()
    ctx.cookies.append((auth.SESSION_COOKIE, token, {"max_age": int(auth.SESSION_LIFETIME.total_seconds())}))
    ctx.new_anon_csrf = None
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
    return render(ctx, "password.html", error="")


@router.post("/account/password")
def change_password(ctx: Ctx = CtxDep, form: dict[str, str] = FormDep) -> Response:
    if ctx.user is None:
        raise PageError(403, "请先登录。")
    if form.get("new_password", "") != form.get("new_password2", ""):
        return render(ctx, "password.html", status=422, error="两次输入的新密码不一致。")
    try:
        auth.change_password(ctx.db, ctx.user, form.get("old_password", ""), form.get("new_password", ""),
                             ctx.request.cookies.get(auth.SESSION_COOKIE))
    except auth.AuthError as exc:
        ctx.db.rollback()
        return render(ctx, "password.html", status=422, error=str(exc))
    ctx.db.commit()
    return redirect(ctx, "/work", "密码已修改；其他设备上的登录已失效。")
