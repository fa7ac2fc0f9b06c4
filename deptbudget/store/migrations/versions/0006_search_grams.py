"""the index of one- and two-character words

Revision ID: 0006_grams
Revises: 0005_merge
Create Date: 2026-12-03

- ``published_search.search_grams``: each character and each adjacent pair of the searched text's
  letter-and-digit runs, once, space-separated (``deptbudget.store.bigrams``), back-filled;
- its index: SQLite FTS5 ``published_search_grams`` (unicode61 tokenizer: a gram is one token; an
  external content table kept by triggers, like the trigram one), PostgreSQL a GIN index on
  ``string_to_array(search_grams, ' ')``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006_grams'
down_revision = '0005_merge'
branch_labels = None
depends_on = None

GRAM_TRIGGERS = {
    "ai": "AFTER INSERT ON published_search BEGIN "
          "INSERT INTO published_search_grams(rowid, search_grams) VALUES (new.budget_id, new.search_grams); END",
    "ad": "AFTER DELETE ON published_search BEGIN "
          "INSERT INTO published_search_grams(published_search_grams, rowid, search_grams) "
          "VALUES ('delete', old.budget_id, old.search_grams); END",
    "au": "AFTER UPDATE ON published_search BEGIN "
          "INSERT INTO published_search_grams(published_search_grams, rowid, search_grams) "
          "VALUES ('delete', old.budget_id, old.search_grams); "
          "INSERT INTO published_search_grams(rowid, search_grams) VALUES (new.budget_id, new.search_grams); END",
}
PG_INDEX = ("CREATE INDEX ix_published_search_grams ON published_search "
            "USING gin (string_to_array(search_grams, ' '))")


def upgrade() -> None:
    from deptbudget.store.bigrams import grams

    op.add_column('published_search', sa.Column('search_grams', sa.Text(), nullable=False, server_default=''))
    bind = op.get_bind()
    table = sa.table('published_search', sa.column('budget_id'), sa.column('search_text'), sa.column('search_grams'))
    for row in bind.execute(sa.select(table.c.budget_id, table.c.search_text)).all():
        bind.execute(sa.update(table).where(table.c.budget_id == row.budget_id)
                     .values(search_grams=grams(row.search_text)))
    if bind.dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE published_search_grams USING fts5(search_grams, "
                   "content='published_search', content_rowid='budget_id', tokenize='unicode61')")
        op.execute("INSERT INTO published_search_grams(published_search_grams) VALUES ('rebuild')")
        for name, body in GRAM_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER published_search_grams_{name} {body}")
    elif bind.dialect.name == "postgresql":
        op.execute(PG_INDEX)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in GRAM_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS published_search_grams_{name}")
        op.execute("DROP TABLE IF EXISTS published_search_grams")
    elif bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_published_search_grams")
    with op.batch_alter_table('published_search', schema=None) as batch_op:
        batch_op.drop_column('search_grams')
