"""the terminal's rules for its customers' own bookings: how far ahead, how late a change,
how many open per haulier

Revision ID: 0310_customer_rules
Revises: 0300_customer_users
Create Date: 2026-12-07 05:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0310_customer_rules'
down_revision = '0300_customer_users'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('terminal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('appt_book_days_ahead', sa.Integer(), nullable=False,
                                      server_default='7'))
        batch_op.add_column(sa.Column('appt_change_cutoff_minutes', sa.Integer(),
                                      nullable=False, server_default='120'))
        batch_op.add_column(sa.Column('appt_max_open_per_haulier', sa.Integer(),
                                      nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('terminal', schema=None) as batch_op:
        batch_op.drop_column('appt_max_open_per_haulier')
        batch_op.drop_column('appt_change_cutoff_minutes')
        batch_op.drop_column('appt_book_days_ahead')
