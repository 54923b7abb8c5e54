"""indexes for moves done per visit (the console's schedule)

Revision ID: 0200_console
Revises: 0200
Create Date: 2026-11-27 06:00:00
"""
from alembic import op

revision = '0200_console'
down_revision = '0200'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('container', schema=None) as batch_op:
        batch_op.create_index('ix_container_in_visit_location', ['in_visit_id', 'location'],
                              unique=False)
        batch_op.create_index('ix_container_out_visit_location',
                              ['out_visit_id', 'location', 'visit_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('container', schema=None) as batch_op:
        batch_op.drop_index('ix_container_out_visit_location')
        batch_op.drop_index('ix_container_in_visit_location')
