"""customers as users: an account may belong to a party, and may manage that party's accounts

Revision ID: 0300_customer_users
Revises: 0280_audit_chain
Create Date: 2026-12-07 05:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0300_customer_users'
down_revision = '0280_audit_chain'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('party_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('party_admin', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.create_index(batch_op.f('ix_user_account_party_id'), ['party_id'],
                              unique=False)
        batch_op.create_foreign_key('fk_user_account_party_id_party', 'party', ['party_id'],
                                    ['id'])


def downgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint('fk_user_account_party_id_party', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_user_account_party_id'))
        batch_op.drop_column('party_admin')
        batch_op.drop_column('party_id')
