"""export: bookings, receiving appointments, arrival report, load plan; cut-offs

Revision ID: 0200
Revises: 0100
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import portops.model.base


revision = '0200'
down_revision = '0100'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('export_booking',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sqlmodel.sql.sqltypes.AutoString(length=35), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('line_operator', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('pod', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column('size_type', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('shipper', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('reefer_temp_c', sa.Float(), nullable=True),
    sa.Column('imdg_class', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
    sa.Column('un_number', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=True),
    sa.Column('created_at', portops.model.base.UTCDateTime(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.ForeignKeyConstraint(['visit_id'], ['vessel_visit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('export_booking', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_booking_ref'), ['ref'], unique=True)
        batch_op.create_index(batch_op.f('ix_export_booking_visit_id'), ['visit_id'], unique=False)

    op.create_table('arrival_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('container_id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('container_number', sqlmodel.sql.sqltypes.AutoString(length=11), nullable=False),
    sa.Column('booking_ref', sqlmodel.sql.sqltypes.AutoString(length=35), nullable=False),
    sa.Column('eir_number', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('reported_at', portops.model.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['container_id'], ['container.id'], ),
    sa.ForeignKeyConstraint(['visit_id'], ['vessel_visit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('container_id')
    )
    with op.batch_alter_table('arrival_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_arrival_entry_container_number'), ['container_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_arrival_entry_visit_id'), ['visit_id'], unique=False)

    op.create_table('load_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('container_id', sa.Integer(), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=11), nullable=False),
    sa.Column('bay', sa.Integer(), nullable=False),
    sa.Column('row', sa.Integer(), nullable=False),
    sa.Column('tier', sa.Integer(), nullable=False),
    sa.Column('crane', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=8), nullable=False),
    sa.Column('why', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('loaded_at', portops.model.base.UTCDateTime(), nullable=True),
    sa.Column('loaded_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('seal_read', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('damage', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('rolled_to_visit_id', sa.Integer(), nullable=True),
    sa.Column('roll_reason', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.ForeignKeyConstraint(['container_id'], ['container.id'], ),
    sa.ForeignKeyConstraint(['rolled_to_visit_id'], ['vessel_visit.id'], ),
    sa.ForeignKeyConstraint(['visit_id'], ['vessel_visit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('load_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_load_item_container_id'), ['container_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_load_item_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_load_item_visit_id'), ['visit_id'], unique=False)
        batch_op.create_index('uq_load_item_box', ['visit_id', 'container_id'], unique=True)
        batch_op.create_index('uq_load_item_slot', ['visit_id', 'bay', 'row', 'tier'], unique=True, sqlite_where=sa.text("state = 'planned'"), postgresql_where=sa.text("state = 'planned'"))

    op.create_table('receival',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('container_number', sqlmodel.sql.sqltypes.AutoString(length=11), nullable=False),
    sa.Column('size_type', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
    sa.Column('vgm_kg', sa.Integer(), nullable=True),
    sa.Column('seals', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('reefer_temp_c', sa.Float(), nullable=True),
    sa.Column('imdg_class', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
    sa.Column('un_number', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=True),
    sa.Column('haulier', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('plate', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('driver_name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('driver_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('slot_start', portops.model.base.UTCDateTime(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('container_id', sa.Integer(), nullable=True),
    sa.Column('late_reason', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('created_at', portops.model.base.UTCDateTime(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.ForeignKeyConstraint(['booking_id'], ['export_booking.id'], ),
    sa.ForeignKeyConstraint(['container_id'], ['container.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('receival', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receival_booking_id'), ['booking_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_receival_container_number'), ['container_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_receival_plate'), ['plate'], unique=False)
        batch_op.create_index(batch_op.f('ix_receival_ref'), ['ref'], unique=True)
        batch_op.create_index(batch_op.f('ix_receival_slot_start'), ['slot_start'], unique=False)
        batch_op.create_index(batch_op.f('ix_receival_state'), ['state'], unique=False)
        batch_op.create_index('uq_receival_live_box', ['container_number'], unique=True, sqlite_where=sa.text("state = 'booked'"), postgresql_where=sa.text("state = 'booked'"))

    with op.batch_alter_table('terminal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('receiving_open_days', sa.Integer(), nullable=False, server_default='7'))
        batch_op.add_column(sa.Column('cargo_cutoff_hours', sa.Integer(), nullable=False, server_default='24'))
        batch_op.add_column(sa.Column('reefer_cutoff_hours', sa.Integer(), nullable=False, server_default='24'))
        batch_op.add_column(sa.Column('dg_cutoff_hours', sa.Integer(), nullable=False, server_default='36'))



def downgrade() -> None:
    with op.batch_alter_table('terminal', schema=None) as batch_op:
        batch_op.drop_column('dg_cutoff_hours')
        batch_op.drop_column('reefer_cutoff_hours')
        batch_op.drop_column('cargo_cutoff_hours')
        batch_op.drop_column('receiving_open_days')

    with op.batch_alter_table('receival', schema=None) as batch_op:
        batch_op.drop_index('uq_receival_live_box', sqlite_where=sa.text("state = 'booked'"), postgresql_where=sa.text("state = 'booked'"))
        batch_op.drop_index(batch_op.f('ix_receival_state'))
        batch_op.drop_index(batch_op.f('ix_receival_slot_start'))
        batch_op.drop_index(batch_op.f('ix_receival_ref'))
        batch_op.drop_index(batch_op.f('ix_receival_plate'))
        batch_op.drop_index(batch_op.f('ix_receival_container_number'))
        batch_op.drop_index(batch_op.f('ix_receival_booking_id'))

    op.drop_table('receival')
    with op.batch_alter_table('load_item', schema=None) as batch_op:
        batch_op.drop_index('uq_load_item_slot', sqlite_where=sa.text("state = 'planned'"), postgresql_where=sa.text("state = 'planned'"))
        batch_op.drop_index('uq_load_item_box')
        batch_op.drop_index(batch_op.f('ix_load_item_visit_id'))
        batch_op.drop_index(batch_op.f('ix_load_item_state'))
        batch_op.drop_index(batch_op.f('ix_load_item_container_id'))

    op.drop_table('load_item')
    with op.batch_alter_table('arrival_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_arrival_entry_visit_id'))
        batch_op.drop_index(batch_op.f('ix_arrival_entry_container_number'))

    op.drop_table('arrival_entry')
    with op.batch_alter_table('export_booking', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_booking_visit_id'))
        batch_op.drop_index(batch_op.f('ix_export_booking_ref'))

    op.drop_table('export_booking')
