"""Published versions made directly in the database (without rendering their files), for the tests
of the portal's lists and search at a size that publishing through the workflow would make slow."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from deptbudget.store.models import Budget, Department, PublishedVersion, Unit, utcnow


def add_published(session: Session, code: str, name: str, year: int, text_: str, number: int = 1,
                  department: str = "D1", at: datetime | None = None) -> PublishedVersion:
    """A published version (without files) of ``code``'s budget of ``year``, made if absent."""
    dept = session.scalar(select(Department).where(Department.code == department))
    if dept is None:
        dept = Department(code=department, name=f"{department} 主管部门")
        session.add(dept)
        session.flush()
    unit = session.scalar(select(Unit).where(Unit.code == code))
    if unit is None:
        unit = Unit(code=code, name=name, department_id=dept.id)
        session.add(unit)
        session.flush()
    budget = session.scalar(select(Budget).where(Budget.unit_id == unit.id, Budget.fiscal_year == year))
    if budget is None:
        budget = Budget(unit_id=unit.id, fiscal_year=year, source="", state="published")
        session.add(budget)
        session.flush()
    version = PublishedVersion(
        budget_id=budget.id, unit_id=unit.id, fiscal_year=year, number=number, title=f"{name}{year}年部门预算",
        unit_name=name, department_name=dept.name, published_at=at or utcnow(), published_by="t", source_format="yaml",
        source="", disclosure_json="{}", search_text=f"{name}\n{text_}", content_hash="0" * 64,
        figures_json=json.dumps({"expenditure.total": {"value": "1", "text": "1.00", "unit": "万元"}}))
    session.add(version)
    session.flush()
    return version
