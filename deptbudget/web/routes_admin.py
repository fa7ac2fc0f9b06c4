"""System administration (系统管理员 only): accounts, departments (主管部门) and units (预算单位)."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from sqlalchemy import select

from deptbudget.store.models import ROLE_ADMIN, Department, LoginSession, Unit, User
from deptbudget.web import auth
from deptbudget.web.context import Ctx, PageError, read_form, redirect, render
from deptbudget.web.deps import require_role

router = APIRouter()
AdminDep = Depends(require_role(ROLE_ADMIN, refusal="只有系统管理员可以访问此页面。",
                                anonymous_get="请先以系统管理员身份登录。"))


def _page(ctx: Ctx, status: int = 200, error: str = "") -> Response:
    return render(ctx, "admin.html", status=status, error=error,
                  users=list(ctx.db.scalars(select(User).order_by(User.username))),
                  departments=list(ctx.db.scalars(select(Department).order_by(Department.code))),
                  units=list(ctx.db.scalars(select(Unit).order_by(Unit.code))))


@router.get("/admin")
def admin(ctx: Ctx = AdminDep) -> Response:
    return _page(ctx)


def _opt_int(value: str) -> int | None:
    return int(value) if value.strip().isdigit() else None


@router.post("/admin/users")
async def add_user(ctx: Ctx = AdminDep) -> Response:
    form = await read_form(ctx)
    try:
        user = auth.add_user(ctx.db, form.get("username", ""), form.get("password", ""), form.get("role", ""),
                             form.get("display_name", ""), unit_id=_opt_int(form.get("unit_id", "")),
                             department_id=_opt_int(form.get("department_id", "")))
    except auth.AuthError as exc:
        ctx.db.rollback()
        return _page(ctx, 422, str(exc))
    ctx.db.commit()
    return redirect(ctx, "/admin", f"已创建用户 {user.username}（{user.role_label}）。")


@router.post("/admin/users/{user_id:int}/active")
async def set_active(user_id: int, ctx: Ctx = AdminDep) -> Response:
    form = await read_form(ctx)
    user = ctx.db.get(User, user_id)
    if user is None:
        raise PageError(404, "找不到该用户。")
    if user.id == ctx.user.id:
        return _page(ctx, 422, "不能停用自己的账号。")
    user.active = form.get("active") == "1"
    if not user.active:
        ctx.db.query(LoginSession).filter(LoginSession.user_id == user.id).delete()
    ctx.db.commit()
    return redirect(ctx, "/admin", f"已{'启用' if user.active else '停用'}用户 {user.username}。")


@router.post("/admin/departments")
async def add_department(ctx: Ctx = AdminDep) -> Response:
    form = await read_form(ctx)
    code, name = form.get("code", "").strip(), form.get("name", "").strip()
    if not code or not name:
        return _page(ctx, 422, "请填写主管部门代码和名称。")
    if ctx.db.scalar(select(Department).where(Department.code == code)):
        return _page(ctx, 422, f"主管部门代码 {code} 已存在。")
    ctx.db.add(Department(code=code, name=name))
    ctx.db.commit()
    return redirect(ctx, "/admin", f"已添加主管部门 {name}。")


@router.post("/admin/units")
async def add_unit(ctx: Ctx = AdminDep) -> Response:
    form = await read_form(ctx)
    code, name = form.get("code", "").strip(), form.get("name", "").strip()
    department = ctx.db.get(Department, _opt_int(form.get("department_id", "")) or -1)
    if not code or not name or department is None:
        return _page(ctx, 422, "请填写单位代码、名称并选择主管部门。")
    if ctx.db.scalar(select(Unit).where(Unit.code == code)):
        return _page(ctx, 422, f"单位代码 {code} 已存在。")
    ctx.db.add(Unit(code=code, name=name, department_id=department.id))
    ctx.db.commit()
    return redirect(ctx, "/admin", f"已添加预算单位 {name}。")
