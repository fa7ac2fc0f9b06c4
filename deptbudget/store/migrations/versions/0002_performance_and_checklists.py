"""performance reports, key evaluations, review checklists

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04

- ``performance_reports``: per budget and stage (绩效运行监控 / 绩效自评) the entered values and the
  submission status, with a version counter (optimistic locking);
- ``key_evaluations``: projects picked for 重点绩效评价;
- ``checklist_marks``: reviewers' confirmations, overrides and added findings on a submitted budget's
  checklist; ``checklist_records``: the final checklist stored with each review decision. The records
  are immutable: database triggers abort any UPDATE or DELETE, as for published versions.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('performance_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('budget_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('actuals_json', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=True),
    sa.Column('submitted_by', sa.String(length=64), nullable=False),
    sa.Column('decided_by', sa.String(length=64), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['budget_id'], ['budgets.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('budget_id', 'stage')
    )
    with op.batch_alter_table('performance_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_performance_reports_budget_id'), ['budget_id'], unique=False)

    op.create_table('key_evaluations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('budget_id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('project_code', sa.String(length=64), nullable=False),
    sa.Column('project_name', sa.String(length=300), nullable=False),
    sa.Column('picked_by', sa.String(length=64), nullable=False),
    sa.Column('picked_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['budget_id'], ['budgets.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('budget_id', 'project_code')
    )
    with op.batch_alter_table('key_evaluations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_key_evaluations_budget_id'), ['budget_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_key_evaluations_fiscal_year'), ['fiscal_year'], unique=False)

    op.create_table('checklist_marks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('budget_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=64), nullable=False),
    sa.Column('item_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('verdict', sa.String(length=16), nullable=False),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['budget_id'], ['budgets.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('checklist_marks', schema=None) as batch_op:
        batch_op.create_index('ix_checklist_marks_budget_round', ['budget_id', 'round'], unique=False)

    op.create_table('checklist_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('budget_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=64), nullable=False),
    sa.Column('step_name', sa.String(length=100), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('checklist', sa.String(length=64), nullable=False),
    sa.Column('score', sa.String(length=16), nullable=False),
    sa.Column('grade', sa.String(length=16), nullable=False),
    sa.Column('source_sha256', sa.String(length=64), nullable=False),
    sa.Column('items_json', sa.Text(), nullable=False),
    sa.Column('xlsx', sa.LargeBinary(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['budget_id'], ['budgets.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('checklist_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_records_budget_id'), ['budget_id'], unique=False)
    _immutability_triggers()


def _immutability_triggers() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER checklist_records_no_{verb.lower()} BEFORE {verb} ON checklist_records "
                       "BEGIN SELECT RAISE(ABORT, 'stored checklists are immutable'); END")
    elif dialect == "postgresql":  # deptbudget_refuse_change() comes from 0001
        op.execute("CREATE TRIGGER checklist_records_immutable BEFORE UPDATE OR DELETE ON checklist_records "
                   "FOR EACH ROW EXECUTE FUNCTION deptbudget_refuse_change()")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS checklist_records_no_{verb}")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS checklist_records_immutable ON checklist_records")
    with op.batch_alter_table('checklist_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_records_budget_id'))
    op.drop_table('checklist_records')
    with op.batch_alter_table('checklist_marks', schema=None) as batch_op:
        batch_op.drop_index('ix_checklist_marks_budget_round')
    op.drop_table('checklist_marks')
    with op.batch_alter_table('key_evaluations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_key_evaluations_fiscal_year'))
        batch_op.drop_index(batch_op.f('ix_key_evaluations_budget_id'))
    op.drop_table('key_evaluations')
    with op.batch_alter_table('performance_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_performance_reports_budget_id'))
    op.drop_table('performance_reports')
