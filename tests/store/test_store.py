"""Persistence: migrations, immutability of published versions (ORM and database triggers),
optimistic locking between two sessions, source documents and their diffs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import delete, inspect, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from deptbudget.store.db import database_url, make_engine, migrate
from deptbudget.store.documents import diff_documents, dump_document, load_document, parse_document
from deptbudget.store.models import Budget, ImmutableError, PublishedFile, PublishedVersion, User
from deptbudget.web import services
from tests.web.conftest import clean_document
from tests.web.test_workflow import publish_through


def test_database_url_defaults(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert database_url() == "sqlite:///var/deptbudget.db"
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h/db")
    assert database_url() == "postgresql+psycopg://u@h/db"


def test_migrations_create_the_schema_and_are_idempotent(world):  # type: ignore[no-untyped-def]
    engine = make_engine(world.url)
    migrate(engine)  # a second run changes nothing
    tables = set(inspect(engine).get_table_names())
    assert {"users", "departments", "units", "budgets", "published_versions", "published_files",
            "audit_entries", "sessions", "alembic_version"} <= tables
    engine.dispose()


def _published(app, world):  # type: ignore[no-untyped-def]
    publish_through(app, world, world.budgets["A001"])
    with world.factory() as session:
        version = session.query(PublishedVersion).one()
        return version.id


def test_published_version_is_immutable_in_the_orm(app, world):  # type: ignore[no-untyped-def]
    version_id = _published(app, world)
    with world.factory() as session:
        version = session.get(PublishedVersion, version_id)
        assert services.verify_version(session, version)
        version.title = "篡改"
        with pytest.raises(ImmutableError):
            session.flush()
        session.rollback()
        file = session.query(PublishedFile).filter_by(version_id=version_id, format="pdf").one()
        session.delete(file)
        with pytest.raises(ImmutableError):
            session.flush()


@pytest.mark.parametrize("statement", [
    lambda vid: update(PublishedVersion).where(PublishedVersion.id == vid).values(title="篡改"),
    lambda vid: delete(PublishedVersion).where(PublishedVersion.id == vid),
    lambda vid: update(PublishedFile).where(PublishedFile.version_id == vid).values(content=b"x"),
    lambda vid: delete(PublishedFile).where(PublishedFile.version_id == vid),
])
def test_published_version_is_immutable_in_the_database(app, world, statement):  # type: ignore[no-untyped-def]
    version_id = _published(app, world)
    engine = make_engine(world.url)
    with pytest.raises((DBAPIError, IntegrityError)) as caught, engine.begin() as conn:
        conn.execute(statement(version_id))  # bypasses the ORM: the trigger refuses
    assert "immutable" in str(caught.value)
    with world.factory() as session:
        assert services.verify_version(session, session.get(PublishedVersion, version_id))
    engine.dispose()


def test_content_hash_covers_every_part(app, world):  # type: ignore[no-untyped-def]
    version_id = _published(app, world)
    with world.factory() as session:
        version = session.get(PublishedVersion, version_id)
        formats = {f.format for f in version.files}
        assert {"html", "json", "xlsx", "pdf"} <= formats
        digests = {f.format: f.sha256 for f in version.files}
        manifest = services.manifest(version.source, version.disclosure_json, digests)
        assert services.sha256(manifest.encode()) == version.content_hash
        assert len(version.content_hash) == 64
        assert services.manifest(version.source + " ", version.disclosure_json, digests) != manifest


def test_optimistic_locking_between_two_sessions(world):  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    with world.factory() as s1, world.factory() as s2:
        b1, b2 = s1.get(Budget, a), s2.get(Budget, a)
        user1 = s1.query(User).filter_by(username="prep_a").one()
        user2 = s2.query(User).filter_by(username="prep_a").one()
        doc = load_document(b1.source)
        doc["narrative"] = {"change_reason": "一"}
        services.save_document(s1, b1, user1, doc, b1.version)
        s1.commit()
        doc["narrative"] = {"change_reason": "二"}
        with pytest.raises((services.ConflictError, StaleDataError)):
            services.save_document(s2, b2, user2, doc, b2.version)  # b2 still thinks the old version
            s2.commit()
        s2.rollback()
    with world.factory() as session:
        assert "一" in session.get(Budget, a).source


def test_stale_expected_version_is_refused_before_writing(world):  # type: ignore[no-untyped-def]
    a = world.budgets["A001"]
    with world.factory() as session:
        budget = session.get(Budget, a)
        user = session.query(User).filter_by(username="prep_a").one()
        with pytest.raises(services.ConflictError) as caught:
            services.save_document(session, budget, user, load_document(budget.source), budget.version - 1)
        assert "保存冲突" in caught.value.message


def test_documents_round_trip_exactly():  # type: ignore[no-untyped-def]
    doc = clean_document()
    for fmt in ("yaml", "json"):
        text_ = dump_document(doc, fmt)
        assert load_document(text_, fmt) == doc
        budget = parse_document(text_, fmt)
        assert budget.lines[0].amount == Decimal("1000049.00")
    assert "1000049.00" in dump_document(doc, "json")


def test_diff_documents():  # type: ignore[no-untyped-def]
    old = clean_document()
    new = load_document(dump_document(old))
    new["basic"][1]["amount"] = Decimal("1.00")
    new["basic"].append({"func": "2060101", "eco": "30101", "amount": Decimal("2.00")})
    new["unit"]["head"] = "王五"
    changes = {(c.path, c.old, c.new) for c in diff_documents(old, new)}
    assert ("basic[1].amount", "99951.00", "1.00") in changes
    assert ("unit.head", "张三", "王五") in changes
    assert any(c[0] == "basic[3]" and "2060101" in c[2] for c in changes)
    assert diff_documents(old, load_document(dump_document(old))) == []


def test_sessions_table_holds_only_token_hashes(app, world):  # type: ignore[no-untyped-def]
    from tests.web.conftest import Client

    client = Client(app, "prep_a")
    cookie = client.http.cookies.get("deptbudget_session")
    assert cookie
    engine = make_engine(world.url)
    with engine.connect() as conn:
        ids = [row[0] for row in conn.execute(text("SELECT id FROM sessions"))]
    engine.dispose()
    assert cookie not in ids and len(ids) == 1 and len(ids[0]) == 64


def test_infinite_or_nan_amounts_are_source_problems_not_crashes():  # type: ignore[no-untyped-def]
    import pytest

    from deptbudget.sources.errors import SourceError

    assert load_document("a: .inf\nb: .NaN\n") == {"a": ".inf", "b": ".NaN"}
    yaml_text = dump_document(clean_document()).replace("99951.00", ".inf", 1)
    json_text = dump_document(clean_document(), "json").replace("99951.00", "NaN", 1)
    for fmt, source in (("yaml", yaml_text), ("json", json_text)):
        with pytest.raises(SourceError) as caught:
            parse_document(source, fmt)
        assert any("不是金额" in p.message for p in caught.value.problems)


def test_diff_documents_compares_amounts_as_values() -> None:
    old = {"three_public": {"reception": "95,000.00", "vehicles": "31,500.00"}, "phone": "22,185", "note": "1,000"}
    new = {"three_public": {"reception": Decimal("95000.00"), "vehicles": Decimal("31600")}, "phone": "22185",
           "note": "1,000"}
    changes = {(c.path, c.old, c.new) for c in diff_documents(old, new)}
    assert changes == {("three_public.vehicles", "31,500.00", "31600"), ("phone", "22,185", "22185")}
    assert diff_documents({"a": "9.5万"}, {"a": Decimal("9.5")}) != []
