"""sign-in back-off and lockout (failures by name and source), API tokens, the lockout count

Revision ID: 0270_sign_in
Revises: 0260_doubt
Create Date: 2026-12-07 05:30:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

from portops.model.base import UTCDateTime


revision = '0270_sign_in'
down_revision = '0260_doubt'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_sign_ins', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('last_failed_at', UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('locked_at', UTCDateTime(), nullable=True))
    with op.batch_alter_table('terminal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sign_in_lockout', sa.Integer(), nullable=False,
                                      server_default='10'))
    op.create_table(
        'sign_in_failure',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', UTCDateTime(), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.PrimaryKeyConstraint('id'))
    with op.batch_alter_table('sign_in_failure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_failure_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_in_failure_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_in_failure_source'), ['source'], unique=False)
    op.create_table(
        'api_token',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('shown', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('revoked_at', UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_sha256'))
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_table('api_token')
    op.drop_table('sign_in_failure')
    with op.batch_alter_table('terminal', schema=None) as batch_op:
        batch_op.drop_column('sign_in_lockout')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('locked_at')
        batch_op.drop_column('last_failed_at')
        batch_op.drop_column('failed_sign_ins')
