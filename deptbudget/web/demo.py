"""Demo data: the example department, its 2020 budget (草稿) and one account per role."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from deptbudget.sources.xlsx_template import normalize_document
from deptbudget.store.documents import dump_document, load_document
from deptbudget.store.models import (
    ROLE_ADMIN,
    ROLE_DEPT,
    ROLE_FINANCE,
    ROLE_PREPARER,
    ROLES,
    Budget,
    Department,
    Unit,
    User,
)
from deptbudget.web import auth, services

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "luohu-2020.yaml"
DEPARTMENT = ("440303-KCJ", "罗湖区科技创新局")
UNIT = ("440303-KCJ-001", "罗湖区科技创新局")
ACCOUNTS = [
    ("admin", ROLE_ADMIN, "系统管理员"),
    ("caizheng", ROLE_FINANCE, "财政局预算科"),
    ("zhuguan", ROLE_DEPT, "科创局审核人"),
    ("tianbao", ROLE_PREPARER, "科创局填报人"),
]


@dataclass
class DemoAccount:
    username: str
    password: str
    role: str

    @property
    def role_label(self) -> str:
        return ROLES[self.role]


def normalized_source(text: str) -> str:
    return dump_document(normalize_document(load_document(text)))


def demo_password(username: str) -> str:
    """A random password that meets the password policy (12 characters of four classes)."""
    return auth.random_password(username)


def init_demo(session: Session, example: Path | None = None, password: str | None = None,
              keep_passwords: bool = False) -> list[DemoAccount]:
    """Create (or reset) the demo department, unit, accounts and the example budget as a draft.
    Existing demo accounts get new passwords (``password`` if given) — unless ``keep_passwords``
    (``serve --init-demo`` on a restart) and no ``password`` is given: then they keep theirs and are
    listed with an empty password. An existing budget is left as it is."""
    dept = session.scalar(select(Department).where(Department.code == DEPARTMENT[0]))
    if dept is None:
        dept = Department(code=DEPARTMENT[0], name=DEPARTMENT[1])
        session.add(dept)
        session.flush()
    unit = session.scalar(select(Unit).where(Unit.code == UNIT[0]))
    if unit is None:
        unit = Unit(code=UNIT[0], name=UNIT[1], department_id=dept.id)
        session.add(unit)
        session.flush()
    accounts = []
    for username, role, name in ACCOUNTS:
        secret = password or demo_password(username)
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            user = auth.add_user(session, username, secret, role, name, unit_id=unit.id, department_id=dept.id)
        elif keep_passwords and password is None:
            secret = ""
        else:
            auth.set_password(user, secret)
            user.active = True
        accounts.append(DemoAccount(username, secret, role))
    preparer = session.scalar(select(User).where(User.username == "tianbao"))
    year = 2020
    exists = session.scalar(select(Budget).where(Budget.unit_id == unit.id, Budget.fiscal_year == year))
    if exists is None:
        path = example or EXAMPLE
        source = normalized_source(path.read_text(encoding="utf-8")) if path.exists() else None
        services.create_budget(session, unit, year, preparer, source)
    session.flush()
    return accounts
