"""merge: background jobs (0003) and search + accounts (0003_search, 0004_accounts)

Revision ID: 0005_merge
Revises: 0003, 0004_accounts
Create Date: 2026-12-03

Two branches of the schema were written at the same time; this revision joins them so that the next
migration has one parent. It changes nothing.
"""

from __future__ import annotations

revision = '0005_merge'
down_revision = ('0003', '0004_accounts')
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
