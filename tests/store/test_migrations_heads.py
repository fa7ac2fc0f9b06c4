"""The schema's migrations end in one head: branches written in parallel are joined by a merge revision."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from deptbudget.store.db import alembic_config


def test_the_migrations_have_one_head() -> None:
    script = ScriptDirectory.from_config(alembic_config(create_engine("sqlite://")))
    assert len(script.get_heads()) == 1, script.get_heads()
