"""System administration (系统管理员 only): accounts, departments (主管部门) and units (预算单位)."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from sqlalchemy import select

from deptbudget.store.models import ROLE_ADMIN, Department, Unit, User
from deptbudget.web import admin_services, auth, services
from deptbudget.web.context import Ctx, FormDep, PageError, bounded_int, redirect, render
from deptbudget.web.deps import require_role
from deptbudget.web.paging import page_number, page_size, paginate

router = APIRouter()
AdminDep = Depends(require_role(ROLE_ADMIN, refusal="只有系统管理员可以访问此页面。"))  # anonymous GET: login page


USERS_PAGE_SIZE = 50


def _page(ctx: Ctx, status: int = 200, error: str = "", reset: tuple[str, str] | None = None) -> Response:
    query = ctx.request.query_params
    users = paginate(ctx.db, select(User).order_by(User.username), page_number(query.get("page")),
                     page_size(query.get("size"), USERS_PAGE_SIZE), "/admin")
    return render(ctx, "admin.html", status=status, error=error, users=users.items, users_page=users, reset=reset,
                  departments=list(ctx.db.scalars(select(Department).order_by(Department.code))),
                  units=list(ctx.db.scalars(select(Unit).order_by(Unit.code))))


@router.get("/admin")
def admin(ctx: Ctx = AdminDep) -> Response:
    return _page(ctx)


def _opt_int(value: str) -> int | None:
    return bounded_int(value)


@router.post("/admin/users")
def add_user(ctx: Ctx = AdminDep, form: dict[str, str] = FormDep) -> Response:
    try:
        user = auth.add_user(ctx.db, form.get("username", ""), form.get("password", ""), form.get("role", ""),
                             form.get("display_name", ""), unit_id=_opt_int(form.get("unit_id", "")),
                             department_id=_opt_int(form.get("department_id", "")), pool=ctx.app.state.passwords)
    except auth.AuthError as exc:
        ctx.db.rollback()
        return _page(ctx, 422, str(exc))
    ctx.db.commit()
    return redirect(ctx, "/admin", f"已创建用户 {user.username}（{user.role_label}）。")


@router.post("/admin/users/{user_id:id}/active")
def set_active(user_id: int, ctx: Ctx = AdminDep, form: dict[str, str] = FormDep) -> Response:
    user = ctx.db.get(User, user_id)
    if user is None:
        raise PageError(404, "找不到该用户。")
    assert ctx.user is not None
    try:
        admin_services.set_active(ctx.db, user, ctx.user, form.get("active") == "1")
    except services.Refused as exc:
        return _page(ctx, exc.status, exc.message)
    ctx.db.commit()
    return redirect(ctx, "/admin", f"已{'启用' if user.active else '停用'}用户 {user.username}。")


@router.post("/admin/users/{user_id:id}/password")
def reset_password(user_id: int, ctx: Ctx = AdminDep, _form: dict[str, str] = FormDep) -> Response:
    """An administrator's password reset: a temporary password shown once on this page (never put in
    a cookie or the log), to be changed at the next login; audited."""
    user = ctx.db.get(User, user_id)
    if user is None:
        raise PageError(404, "找不到该用户。")
    if ctx.user is not None and user.id == ctx.user.id:
        return _page(ctx, 422, "不能在这里重设自己的密码：请使用“修改密码”。")
    temporary = auth.reset_password(ctx.db, user, pool=ctx.app.state.passwords)
    services.audit(ctx.db, None, ctx.user, "password-reset", f"账户 {user.username}", "", "已重设（临时密码）",
                   "系统管理员重设密码；下次登录须设置新密码，原有登录已失效。")
    ctx.db.commit()
    return _page(ctx, reset=(user.username, temporary))


@router.post("/admin/departments")
def add_department(ctx: Ctx = AdminDep, form: dict[str, str] = FormDep) -> Response:
    try:
        department = admin_services.add_department(ctx.db, form.get("code", ""), form.get("name", ""))
    except services.Refused as exc:
        return _page(ctx, exc.status, exc.message)
    ctx.db.commit()
    return redirect(ctx, "/admin", f"已添加主管部门 {department.name}。")


@router.post("/admin/units")
def add_unit(ctx: Ctx = AdminDep, form: dict[str, str] = FormDep) -> Response:
    try:
        unit = admin_services.add_unit(ctx.db, form.get("code", ""), form.get("name", ""),
                                       _opt_int(form.get("department_id", "")))
    except services.Refused as exc:
        return _page(ctx, exc.status, exc.message)
    ctx.db.commit()
    return redirect(ctx, "/admin", f"已添加预算单位 {unit.name}。")
