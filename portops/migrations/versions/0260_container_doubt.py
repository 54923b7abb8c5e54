"""a box's doubt from its import (a container number sent with a wrong check digit)

Revision ID: 0260_doubt
Revises: 0240_vgm_tol
Create Date: 2026-12-07 05:00:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0260_doubt'
down_revision = '0240_vgm_tol'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('container', schema=None) as batch_op:
        batch_op.add_column(sa.Column('doubt', sqlmodel.sql.sqltypes.AutoString(length=64),
                                      nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('container', schema=None) as batch_op:
        batch_op.drop_column('doubt')
