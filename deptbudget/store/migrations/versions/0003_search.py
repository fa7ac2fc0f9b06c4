"""the portal's search table and its full-text index

Revision ID: 0003_search
Revises: 0002
Create Date: 2026-12-03

- ``published_search``: one small row per published budget (its newest version's names, year, total
  and searched text), so that the portal's lists and search never read the disclosure JSON;
- its full-text index: SQLite FTS5 with the trigram tokenizer (``published_search_fts``, an external
  content table kept by triggers), PostgreSQL ``pg_trgm`` with a GIN index (when the extension may be
  created; without it, search still works by scanning the small table);
- back-filled from the newest version of each published budget.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003_search'
down_revision = '0002'
branch_labels = None
depends_on = None

FTS_TRIGGERS = {
    "ai": "AFTER INSERT ON published_search BEGIN "
          "INSERT INTO published_search_fts(rowid, search_text) VALUES (new.budget_id, new.search_text); END",
    "ad": "AFTER DELETE ON published_search BEGIN "
          "INSERT INTO published_search_fts(published_search_fts, rowid, search_text) "
          "VALUES ('delete', old.budget_id, old.search_text); END",
    "au": "AFTER UPDATE ON published_search BEGIN "
          "INSERT INTO published_search_fts(published_search_fts, rowid, search_text) "
          "VALUES ('delete', old.budget_id, old.search_text); "
          "INSERT INTO published_search_fts(rowid, search_text) VALUES (new.budget_id, new.search_text); END",
}


def upgrade() -> None:
    op.create_table('published_search',
    sa.Column('budget_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('unit_code', sa.String(length=64), nullable=False),
    sa.Column('department_code', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('unit_name', sa.String(length=200), nullable=False),
    sa.Column('department_name', sa.String(length=200), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('expenditure_total', sa.String(length=40), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['budget_id'], ['budgets.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], ),
    sa.ForeignKeyConstraint(['version_id'], ['published_versions.id'], ),
    sa.PrimaryKeyConstraint('budget_id')
    )
    op.create_index('ix_published_search_list', 'published_search',
                    [sa.text('fiscal_year DESC'), 'department_name', 'unit_name'], unique=False)
    op.create_index('ix_published_search_department', 'published_search',
                    ['department_code', 'department_name'], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE published_search_fts USING fts5(search_text, content='published_search', "
                   "content_rowid='budget_id', tokenize='trigram')")
        for name, body in FTS_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER published_search_{name} {body}")
    elif bind.dialect.name == "postgresql":
        _trigram_index(bind)
    _backfill(bind)


def _trigram_index(bind: sa.engine.Connection) -> None:
    """``pg_trgm`` (a trusted extension since PostgreSQL 13: the database owner may create it) and a
    GIN index for ``LIKE '%…%'``; a server without the extension searches by scanning."""
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError:
        return
    op.execute("CREATE INDEX ix_published_search_trgm ON published_search USING gin (search_text gin_trgm_ops)")


def _backfill(bind: sa.engine.Connection) -> None:
    from deptbudget.store.models import replace_search_row, search_row

    versions = sa.table('published_versions', sa.column('published_at', sa.DateTime()), *(sa.column(c) for c in (
        'id', 'budget_id', 'unit_id', 'fiscal_year', 'number', 'title', 'unit_name', 'department_name',
        'figures_json', 'search_text')))
    units = sa.table('units', sa.column('id'), sa.column('code'), sa.column('department_id'))
    departments = sa.table('departments', sa.column('id'), sa.column('code'))
    newest = (sa.select(versions.c.budget_id, sa.func.max(versions.c.number).label('number'))
              .group_by(versions.c.budget_id).subquery())
    rows = bind.execute(
        sa.select(versions, units.c.code.label('unit_code'), departments.c.code.label('department_code'))
        .join(newest, sa.and_(versions.c.budget_id == newest.c.budget_id, versions.c.number == newest.c.number))
        .join(units, units.c.id == versions.c.unit_id).join(departments, departments.c.id == units.c.department_id))
    for row in rows.all():
        replace_search_row(bind, search_row(row, row.unit_code, row.department_code), with_grams=False)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in FTS_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS published_search_{name}")
        op.execute("DROP TABLE IF EXISTS published_search_fts")
    op.drop_table('published_search')
