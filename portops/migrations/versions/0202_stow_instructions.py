"""the line's stowage instructions per visit (COPRAR load list, planned BAPLIE)

Revision ID: 0202_stow
Revises: 0200_console
Create Date: 2026-11-27 08:00:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import portops.model.base


revision = '0202_stow'
down_revision = '0200_console'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('stow_instruction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('container_id', sa.Integer(), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=11), nullable=False),
    sa.Column('bay', sa.Integer(), nullable=True),
    sa.Column('row', sa.Integer(), nullable=True),
    sa.Column('tier', sa.Integer(), nullable=True),
    sa.Column('pod', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column('weight_kg', sa.Integer(), nullable=True),
    sa.Column('format', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('segment', sa.Integer(), nullable=False),
    sa.Column('imported_at', portops.model.base.UTCDateTime(), nullable=False),
    sa.Column('imported_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.ForeignKeyConstraint(['container_id'], ['container.id'], ),
    sa.ForeignKeyConstraint(['visit_id'], ['vessel_visit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('stow_instruction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stow_instruction_visit_id'), ['visit_id'], unique=False)
        batch_op.create_index('uq_stow_instruction_box', ['visit_id', 'container_id'], unique=True)
        batch_op.create_index('uq_stow_instruction_slot', ['visit_id', 'bay', 'row', 'tier'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('stow_instruction', schema=None) as batch_op:
        batch_op.drop_index('uq_stow_instruction_slot')
        batch_op.drop_index('uq_stow_instruction_box')
        batch_op.drop_index(batch_op.f('ix_stow_instruction_visit_id'))
    op.drop_table('stow_instruction')
