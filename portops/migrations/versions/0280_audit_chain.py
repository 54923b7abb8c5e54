"""the audit log as a hash chain: prev_hash and hash on every event, the existing log linked
in id order, and on PostgreSQL the trigger that links each new event (see portops/audit.py)

Revision ID: 0280_audit_chain
Revises: 0270_sign_in
Create Date: 2026-12-07 05:40:00
"""
from alembic import op
import sqlalchemy as sa

from portops.migrations.audit_chain import create_chain_trigger, drop_chain_trigger, link_all
from portops.migrations.guards import create_append_only_guard, drop_append_only_guard


revision = '0280_audit_chain'
down_revision = '0270_sign_in'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
    drop_append_only_guard('event')  # the one rewrite the log ever gets: its links
    link_all(op.get_bind())
    create_append_only_guard('event')
    create_chain_trigger()


def downgrade() -> None:
    drop_chain_trigger()
    drop_append_only_guard('event')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
    create_append_only_guard('event')
