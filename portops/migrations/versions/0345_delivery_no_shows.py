"""export delivery appointments under the platform's no-show rules: a receival's end (when,
why), its late-cancel mark, and a delivery truck's arrival at the gate

Revision ID: 0345_delivery_no_shows
Revises: 0325_event_ids_by_one
Create Date: 2026-12-07 08:55:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

import portops.model.base


revision = '0345_delivery_no_shows'
down_revision = '0325_event_ids_by_one'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('receival', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ended_at', portops.model.base.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column('end_reason', sqlmodel.sql.sqltypes.AutoString(length=256),
                                      nullable=False, server_default=''))
        batch_op.add_column(sa.Column('late_cancel', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.create_table(
        'delivery_arrival',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('receival_id', sa.Integer(), nullable=False),
        sa.Column('plate', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('arrived_at', portops.model.base.UTCDateTime(), nullable=False),
        sa.Column('recorded_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.ForeignKeyConstraint(['receival_id'], ['receival.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('receival_id'),
    )
    with op.batch_alter_table('delivery_arrival', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_arrival_arrived_at'), ['arrived_at'],
                              unique=False)


def downgrade() -> None:
    op.drop_table('delivery_arrival')
    with op.batch_alter_table('receival', schema=None) as batch_op:
        batch_op.drop_column('late_cancel')
        batch_op.drop_column('end_reason')
        batch_op.drop_column('ended_at')
