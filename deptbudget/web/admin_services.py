"""System administration, independent of HTTP: accounts switched on and off, departments (主管部门) and
units (预算单位) added. Accounts are made by ``auth.add_user``. A refusal is ``services.Refused``
(nothing is written)."""

from __future__ import annotations

import re

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


# A code names a unit in public addresses (/budgets/2020/<code>): letters, digits, "-", "_" and ".",
# starting with a letter or digit, at most 64 characters (the column's width).
CODE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
CODE_RULE = "代码只能由字母、数字和 - _ . 组成，以字母或数字开头，最长 64 个字符"


def check_code(code: str, what: str) -> str:
    """``code`` stripped, or ``services.Refused`` saying what a code may hold."""
    code = code.strip()
    if code and not CODE_PATTERN.fullmatch(code):
        raise services.Refused(f"{what}“{code[:80]}”不可用：{CODE_RULE}。")
    return code


def add_department(db: Session, code: str, name: str) -> Department:
    code, name = check_code(code, "主管部门代码"), name.strip()
    if not code or not name:
        raise services.Refused("请填写主管部门代码和名称。")
    if db.scalar(select(Department).where(Department.code == code)):
        raise services.Refused(f"主管部门代码 {code} 已存在。")
    department = Department(code=code, name=name)
    db.add(department)
    return department


def add_unit(db: Session, code: str, name: str, department_id: int | None) -> Unit:
    code, name = check_code(code, "单位代码"), name.strip()
    department = db.get(Department, department_id or -1)
    if not code or not name or department is None:
        raise services.Refused("请填写单位代码、名称并选择主管部门。")
    if len(name) > 200:
        raise services.Refused("单位名称最长 200 个字符。")
    if db.scalar(select(Unit).where(Unit.code == code)):
        raise services.Refused(f"单位代码 {code} 已存在。")
    unit = Unit(code=code, name=name, department_id=department.id)
    db.add(unit)
    return unit
