"""Alembic environment: the engine comes from ``config.attributes['engine']`` (when called from
``deptbudget.store.db.migrate``) or from the URL (``alembic.ini`` / ``$DATABASE_URL``)."""

from __future__ import annotations

import os

from alembic import context

from deptbudget.store.db import database_url, make_engine
from deptbudget.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(url=database_url(config.get_main_option("sqlalchemy.url")), target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    owned = engine is None
    if owned:
        engine = make_engine(os.environ.get("DATABASE_URL") or config.get_main_option("sqlalchemy.url") or None)
    try:
        with engine.connect() as connection:
            context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
            with context.begin_transaction():
                context.run_migrations()
            connection.commit()
    finally:
        if owned:
            engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
