"""the database keeps an appointment slot's count within its capacity

Revision ID: 0203_slot_room
Revises: 0202_stow
Create Date: 2026-11-27 13:00:00
"""
from alembic import op

revision = '0203_slot_room'
down_revision = '0202_stow'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('appointment_slot', schema=None) as batch_op:
        batch_op.create_check_constraint('ck_appointment_slot_room',
                                         'booked >= 0 AND booked <= capacity')


def downgrade() -> None:
    with op.batch_alter_table('appointment_slot', schema=None) as batch_op:
        batch_op.drop_constraint('ck_appointment_slot_room', type_='check')
