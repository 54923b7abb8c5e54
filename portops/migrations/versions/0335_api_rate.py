"""the API's rate per token, shared by every server process

Revision ID: 0335_api_rate
Revises: 0310_customer_rules
Create Date: 2026-12-07 07:30:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0335_api_rate'
down_revision = '0310_customer_rules'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'api_rate',
        sa.Column('token_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('tat', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('token_sha256'),
    )


def downgrade() -> None:
    op.drop_table('api_rate')
