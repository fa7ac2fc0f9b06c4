"""published final accounts

Revision ID: 0006_finals
Revises: 0005_merge
Create Date: 2026-12-03

- ``published_finals``: the published final accounts (部门决算) of a unit and year — the final-accounts source
  and its disclosure — each closing a published budget version, so that the portal shows the budget against
  its final accounts. Immutable: database triggers abort any UPDATE or DELETE, as for published versions.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006_finals'
down_revision = '0005_merge'
branch_labels = None
depends_on = None

TABLE = "published_finals"


def upgrade() -> None:
    op.create_table(TABLE,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('budget_version_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('published_by', sa.String(length=64), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('disclosure_json', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['budget_version_id'], ['published_versions.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('unit_id', 'fiscal_year', 'number')
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {TABLE}_no_{verb.lower()} BEFORE {verb} ON {TABLE} "
                       "BEGIN SELECT RAISE(ABORT, 'published final accounts are immutable'); END")
    elif dialect == "postgresql":  # deptbudget_refuse_change() is made by 0001
        op.execute(f"CREATE TRIGGER {TABLE}_immutable BEFORE UPDATE OR DELETE ON {TABLE} "
                   "FOR EACH ROW EXECUTE FUNCTION deptbudget_refuse_change()")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_{verb}")
    elif dialect == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_immutable ON {TABLE}")
    op.drop_table(TABLE)
