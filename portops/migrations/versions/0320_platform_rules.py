"""the appointment platform's rules: a haulier nominated on a shipper's export booking, a
truck's arrival at the gate, open appointments per box as a setting, no-show and late-cancel
marks and their consequence in peak hours, the terminal's delay grace

Revision ID: 0320_platform_rules
Revises: 0335_api_rate
Create Date: 2026-12-07 07:40:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

import portops.model.base


revision = '0320_platform_rules'
down_revision = '0335_api_rate'
branch_labels = None
depends_on = None

_LIVE = "state IN ('booked', 'admitted')"


def upgrade() -> None:
    op.create_table(
        'haulier_nomination',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('booking_id', sa.Integer(), nullable=False),
        sa.Column('haulier_party_id', sa.Integer(), nullable=False),
        sa.Column('by_party_id', sa.Integer(), nullable=False),
        sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('created_at', portops.model.base.UTCDateTime(), nullable=False),
        sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('revoked_at', portops.model.base.UTCDateTime(), nullable=True),
        sa.Column('revoked_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.ForeignKeyConstraint(['booking_id'], ['export_booking.id'], ),
        sa.ForeignKeyConstraint(['by_party_id'], ['party.id'], ),
        sa.ForeignKeyConstraint(['haulier_party_id'], ['party.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('haulier_nomination', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_haulier_nomination_booking_id'), ['booking_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_haulier_nomination_haulier_party_id'),
                              ['haulier_party_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_haulier_nomination_state'), ['state'],
                              unique=False)
        batch_op.create_index('uq_haulier_nomination_active', ['booking_id', 'haulier_party_id'],
                              unique=True, sqlite_where=sa.text("state = 'active'"),
                              postgresql_where=sa.text("state = 'active'"))
    op.create_table(
        'gate_arrival',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('appointment_id', sa.Integer(), nullable=False),
        sa.Column('plate', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('arrived_at', portops.model.base.UTCDateTime(), nullable=False),
        sa.Column('recorded_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.ForeignKeyConstraint(['appointment_id'], ['appointment.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('appointment_id'),
    )
    with op.batch_alter_table('gate_arrival', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gate_arrival_arrived_at'), ['arrived_at'],
                              unique=False)
    with op.batch_alter_table('terminal', schema=None) as batch_op:
        for name, default in (('appt_max_open_per_box', '1'), ('no_show_rate_pct', '0'),
                              ('no_show_window_days', '28'), ('no_show_min_appointments', '5'),
                              ('peak_cap_penalised', '0'), ('delay_grace_minutes', '15')):
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=False,
                                          server_default=default))
        batch_op.add_column(sa.Column('peak_hours', sa.JSON(), nullable=False,
                                      server_default='[]'))
    # the live-box index takes the place each live appointment holds: every existing one
    # holds place 1, which keeps today's one open appointment per box
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('live_seq', sa.Integer(), nullable=False,
                                      server_default='1'))
        batch_op.add_column(sa.Column('late_cancel', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.drop_index('uq_appointment_live_box', sqlite_where=sa.text(_LIVE),
                            postgresql_where=sa.text(_LIVE))
        batch_op.create_index('uq_appointment_live_box', ['container_id', 'live_seq'],
                              unique=True, sqlite_where=sa.text(_LIVE),
                              postgresql_where=sa.text(_LIVE))


def downgrade() -> None:
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.drop_index('uq_appointment_live_box', sqlite_where=sa.text(_LIVE),
                            postgresql_where=sa.text(_LIVE))
        batch_op.create_index('uq_appointment_live_box', ['container_id'], unique=True,
                              sqlite_where=sa.text(_LIVE), postgresql_where=sa.text(_LIVE))
        batch_op.drop_column('late_cancel')
        batch_op.drop_column('live_seq')
    with op.batch_alter_table('terminal', schema=None) as batch_op:
        for name in ('peak_hours', 'delay_grace_minutes', 'peak_cap_penalised',
                     'no_show_min_appointments', 'no_show_window_days', 'no_show_rate_pct',
                     'appt_max_open_per_box'):
            batch_op.drop_column(name)
    op.drop_table('gate_arrival')
    op.drop_table('haulier_nomination')
