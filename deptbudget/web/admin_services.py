"""System administration, independent of HTTP: accounts switched on and off, departments (主管部门) and
units (预算单位) added. Accounts are made by ``auth.add_user``. A refusal is ``services.Refused``
(nothing is written)."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from deptbudget.store.models import Department, LoginSession, Unit, User
from deptbudget.web import services


def set_active(db: Session, user: User, by: User, active: bool) -> None:
    """Switch an account on or off; switching it off ends its sessions. Nobody switches off themself."""
    if user.id == by.id:
        raise services.Refused("不能停用自己的账号。")
    user.active = active
    if not user.active:
        db.execute(delete(LoginSession).where(LoginSession.user_id == user.id))


def add_department(db: Session, code: str, name: str) -> Department:
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise services.Refused("请填写主管部门代码和名称。")
    if db.scalar(select(Department).where(Department.code == code)):
        raise services.Refused(f"主管部门代码 {code} 已存在。")
    department = Department(code=code, name=name)
    db.add(department)
    return department


def add_unit(db: Session, code: str, name: str, department_id: int | None) -> Unit:
    code, name = code.strip(), name.strip()
    department = db.get(Department, department_id or -1)
    if not code or not name or department is None:
        raise services.Refused("请填写单位代码、名称并选择主管部门。")
    if db.scalar(select(Unit).where(Unit.code == code)):
        raise services.Refused(f"单位代码 {code} 已存在。")
    unit = Unit(code=code, name=name, department_id=department.id)
    db.add(unit)
    return unit
