"""site settings in the layout (gate lanes) and the scheme a party's identity was checked by

Revision ID: 0220_site
Revises: 0203_slot_room
Create Date: 2026-12-07 04:30:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0220_site'
down_revision = '0203_slot_room'
branch_labels = None
depends_on = None

_LANES = ('[{"name": "IN1", "use": "in"}, {"name": "IN2", "use": "in"}, '
          '{"name": "OUT1", "use": "out"}, {"name": "T1", "use": "trouble"}]')


def upgrade() -> None:
    with op.batch_alter_table('terminal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gate_lanes', sa.JSON(), nullable=False,
                                      server_default=_LANES))
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.add_column(sa.Column('identity_scheme', sqlmodel.sql.sqltypes.AutoString(length=8),
                                      nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.drop_column('identity_scheme')
    with op.batch_alter_table('terminal', schema=None) as batch_op:
        batch_op.drop_column('gate_lanes')
