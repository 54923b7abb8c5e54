"""the terminal's VGM tolerance: how far a weighed VGM may be from the declared one

Revision ID: 0240_vgm_tol
Revises: 0220_site
Create Date: 2026-12-07 05:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0240_vgm_tol'
down_revision = '0220_site'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('terminal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('vgm_tolerance_pct', sa.Float(), nullable=False,
                                      server_default='5.0'))
        batch_op.add_column(sa.Column('vgm_tolerance_kg', sa.Integer(), nullable=False,
                                      server_default='1000'))


def downgrade() -> None:
    with op.batch_alter_table('terminal', schema=None) as batch_op:
        batch_op.drop_column('vgm_tolerance_kg')
        batch_op.drop_column('vgm_tolerance_pct')
