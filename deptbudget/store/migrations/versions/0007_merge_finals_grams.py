"""merge: published final accounts (0006_finals) and search grams (0006_grams)

Revision ID: 0007_merge
Revises: 0006_finals, 0006_grams
Create Date: 2026-12-03

Two branches of the schema were written at the same time; this revision joins them so that the next
migration has one parent. It changes nothing.
"""

from __future__ import annotations

revision = '0007_merge'
down_revision = ('0006_finals', '0006_grams')
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
