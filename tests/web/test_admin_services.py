"""System administration without HTTP (``admin_services``)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from deptbudget.store.models import Department, LoginSession, Unit, User
from deptbudget.web import admin_services, auth, services


def _user(session, name: str) -> User:  # type: ignore[no-untyped-def]
    user = session.scalar(select(User).where(User.username == name))
    assert user is not None
    return user


def test_switching_an_account_off_ends_its_sessions(world):  # type: ignore[no-untyped-def]
    with world.factory() as session, session.begin():
        admin, prep = _user(session, "admin"), _user(session, "prep_a")
        auth.start_session(session, prep)
        session.flush()
        admin_services.set_active(session, prep, admin, False)
        assert not prep.active
        assert session.scalar(select(LoginSession).where(LoginSession.user_id == prep.id)) is None
        with pytest.raises(services.Refused, match="不能停用自己的账号"):
            admin_services.set_active(session, admin, admin, False)
        assert admin.active


def test_departments_and_units_need_a_new_code(world):  # type: ignore[no-untyped-def]
    with world.factory() as session, session.begin():
        with pytest.raises(services.Refused, match="主管部门代码 D1 已存在"):
            admin_services.add_department(session, " D1 ", "重复")
        with pytest.raises(services.Refused, match="请填写主管部门代码和名称"):
            admin_services.add_department(session, "D9", " ")
        department = admin_services.add_department(session, " D9 ", " 新部门 ")
        session.flush()
        assert (department.code, department.name) == ("D9", "新部门")
        with pytest.raises(services.Refused, match="请填写单位代码、名称并选择主管部门"):
            admin_services.add_unit(session, "C001", "新单位", None)
        with pytest.raises(services.Refused, match="单位代码 A001 已存在"):
            admin_services.add_unit(session, "A001", "新单位", department.id)
        unit = admin_services.add_unit(session, "C001", "新单位", department.id)
        session.flush()
        assert session.get(Unit, unit.id).department_id == session.get(Department, department.id).id
