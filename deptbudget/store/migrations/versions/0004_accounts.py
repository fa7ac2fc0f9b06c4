"""accounts: password reset by an administrator, password age

Revision ID: 0004_accounts
Revises: 0003_search
Create Date: 2026-12-03

- ``users.must_change_password``: set when an administrator resets a password; the next login must
  choose a new one;
- ``users.password_changed_at``: when the password was last set (privileged roles' passwords expire,
  ``auth.password_max_age``); existing accounts count from the upgrade;
- ``login_failures``: the login throttle's counts, in the database so that every worker shares them.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = '0004_accounts'
down_revision = '0003_search'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('password_changed_at', sa.DateTime(), nullable=True))
    now = datetime.now(UTC).replace(tzinfo=None)
    op.execute(sa.text("UPDATE users SET password_changed_at = :now").bindparams(now=now))
    op.create_table('login_failures',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('last', sa.Float(), nullable=False),
    sa.Column('blocked_until', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )


def downgrade() -> None:
    op.drop_table('login_failures')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('password_changed_at')
        batch_op.drop_column('must_change_password')
