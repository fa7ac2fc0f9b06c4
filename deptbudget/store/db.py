"""Database connection: SQLite file ``var/deptbudget.db`` by default, PostgreSQL (or any URL
SQLAlchemy knows) with ``DATABASE_URL``. The schema is made and upgraded by Alembic."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_URL = "sqlite:///var/deptbudget.db"
MIGRATIONS = Path(__file__).with_name("migrations")


def database_url(url: str | None = None) -> str:
    """``url``, else ``$DATABASE_URL``, else the SQLite file ``var/deptbudget.db``.

    ``postgresql://`` and ``postgres://`` are taken to mean the psycopg 3 driver."""
    url = url or os.environ.get("DATABASE_URL") or DEFAULT_URL
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix):]
    return url


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


# Connections for the web server's thread pool (40 threads, AnyIO's default): every request thread
# gets one without waiting; past that, a request waits POOL_TIMEOUT seconds and then gets the
# "系统繁忙" page (503), never a freeze of the whole server.
POOL_SIZE, MAX_OVERFLOW, POOL_TIMEOUT = 20, 20, 10


def make_engine(url: str | None = None) -> Engine:
    url = database_url(url)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        pool = {"pool_size": POOL_SIZE, "max_overflow": MAX_OVERFLOW, "pool_timeout": POOL_TIMEOUT} if path and (
            path != ":memory:") else {}
        engine = create_engine(url, connect_args={"check_same_thread": False}, **pool)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=MAX_OVERFLOW,
                         pool_timeout=POOL_TIMEOUT)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(engine_or_url: Engine | str):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if isinstance(engine_or_url, str):
        config.set_main_option("sqlalchemy.url", database_url(engine_or_url).replace("%", "%%"))
    else:
        config.attributes["engine"] = engine_or_url
    return config


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migrations (every head: branches made in parallel)."""
    from alembic import command

    command.upgrade(alembic_config(engine), "heads")  # parallel branches (e.g. 0003_*) all apply


class DatabaseUnavailable(RuntimeError):
    """The database cannot be opened or brought to the newest schema: a URL SQLAlchemy cannot use, a
    file that is no SQLite database, a server that does not answer."""


def shown_url(url: str | None = None) -> str:
    """The database URL as it may be printed: without its password."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    resolved = database_url(url)
    try:
        return make_url(resolved).render_as_string(hide_password=True)
    except ArgumentError:
        return resolved.rsplit("@", 1)[-1]


def open_database(url: str | None = None) -> Engine:
    """``make_engine`` and ``migrate``; any failure is a one-line ``DatabaseUnavailable`` naming the
    database (password hidden) and the driver's reason."""
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError

    try:
        engine = make_engine(url)
        migrate(engine)
    except (SQLAlchemyError, OSError) as exc:
        reason = exc.orig if isinstance(exc, DBAPIError) else exc
        first = (str(reason).strip().splitlines() or [type(reason).__name__])[0]
        raise DatabaseUnavailable(f"无法打开数据库 {shown_url(url)} (cannot open the database): {first}") from None
    return engine


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    with factory() as session, session.begin():
        yield session
