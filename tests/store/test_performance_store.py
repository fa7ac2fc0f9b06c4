"""Persistence of the performance reports and the review checklists (migration 0002): the tables,
optimistic locking of a report between two sessions, stored checklists immutable in the ORM and in
the database (triggers), and the migration's downgrade."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import delete, inspect, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from deptbudget.performance import Stage
from deptbudget.store.db import alembic_config, make_engine, migrate
from deptbudget.store.models import Budget, ChecklistRecord, ImmutableError, PerformanceReport, User
from deptbudget.web import perf_services as perf
from deptbudget.web import services
from tests.web.conftest import Client
from tests.web.test_workflow import EXPLANATION

DATA = {"fiscal_year": 2020, "stage": "midyear", "projects": {"P1": {"spent": "1.00"}}}


def _approve(world) -> None:  # type: ignore[no-untyped-def]
    with world.factory() as session, session.begin():
        for budget in session.scalars(select(Budget)):
            budget.state = "approved"


def test_new_tables(world):  # type: ignore[no-untyped-def]
    engine = make_engine(world.url)
    tables = set(inspect(engine).get_table_names())
    assert {"performance_reports", "key_evaluations", "checklist_marks", "checklist_records"} <= tables
    engine.dispose()


def test_report_optimistic_locking_between_two_sessions(world):  # type: ignore[no-untyped-def]
    _approve(world)
    a = world.budgets["A001"]
    with world.factory() as session:
        budget, user = session.get(Budget, a), session.scalars(select(User).filter_by(username="prep_a")).one()
        perf.save(session, budget, user, Stage.MIDYEAR, DATA, 0)
        session.commit()
    with world.factory() as s1, world.factory() as s2:
        b1, b2 = s1.get(Budget, a), s2.get(Budget, a)
        u1 = s1.scalars(select(User).filter_by(username="prep_a")).one()
        u2 = s2.scalars(select(User).filter_by(username="prep_a")).one()
        r2 = perf.report_of(s2, b2, Stage.MIDYEAR)  # loaded before the other save
        assert r2 is not None and r2.version == 1
        perf.save(s1, b1, u1, Stage.MIDYEAR, {**DATA, "projects": {"P1": {"spent": "2.00"}}}, 1)
        s1.commit()
        with pytest.raises((services.ConflictError, StaleDataError)):
            perf.save(s2, b2, u2, Stage.MIDYEAR, {**DATA, "projects": {"P1": {"spent": "3.00"}}}, 1)
            s2.commit()
        s2.rollback()
    with world.factory() as session:
        report = session.scalars(select(PerformanceReport)).one()
        assert json.loads(report.actuals_json)["projects"]["P1"]["spent"] == "2.00" and report.version == 2


def test_one_report_per_budget_and_stage(world):  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    with world.factory() as session:
        session.add_all([PerformanceReport(budget_id=a, stage="midyear"),
                         PerformanceReport(budget_id=a, stage="midyear")])
        with pytest.raises(IntegrityError):
            session.flush()


def _record(app, world) -> int:  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    assert Client(app, "prep_a").act(a, "submit", explanation=EXPLANATION).status_code == 303
    assert Client(app, "dept_a").act(a, "approve").status_code == 303
    with world.factory() as session:
        return session.scalars(select(ChecklistRecord)).one().id


def test_stored_checklist_is_immutable_in_the_orm(app, world):  # type: ignore[no-untyped-def]
    record_id = _record(app, world)
    with world.factory() as session:
        record = session.get(ChecklistRecord, record_id)
        record.score = "100.0"
        with pytest.raises(ImmutableError):
            session.flush()
        session.rollback()
        session.delete(session.get(ChecklistRecord, record_id))
        with pytest.raises(ImmutableError):
            session.flush()


@pytest.mark.parametrize("statement", [
    lambda rid: update(ChecklistRecord).where(ChecklistRecord.id == rid).values(score="100.0"),
    lambda rid: delete(ChecklistRecord).where(ChecklistRecord.id == rid),
])
def test_stored_checklist_is_immutable_in_the_database(app, world, statement):  # type: ignore[no-untyped-def]
    record_id = _record(app, world)
    engine = make_engine(world.url)
    with pytest.raises((DBAPIError, IntegrityError)) as caught, engine.begin() as conn:
        conn.execute(statement(record_id))  # bypasses the ORM: the trigger refuses
    assert "immutable" in str(caught.value)
    engine.dispose()


def test_migration_0002_downgrades_and_upgrades(world):  # type: ignore[no-untyped-def]
    from alembic import command

    engine = make_engine(world.url)
    command.downgrade(alembic_config(engine), "0001")
    assert "performance_reports" not in set(inspect(engine).get_table_names())
    migrate(engine)
    assert "checklist_records" in set(inspect(engine).get_table_names())
    engine.dispose()
