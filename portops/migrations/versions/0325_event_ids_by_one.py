"""event ids step by one on PostgreSQL: the id column loses its default, so the audit chain's
trigger draws the only id (it drew a second one under its lock, so id order is chain order)

Revision ID: 0325_event_ids_by_one
Revises: 0320_platform_rules
Create Date: 2026-12-07 07:40:00
"""
from portops.migrations.audit_chain import drop_id_default, restore_id_default


revision = '0325_event_ids_by_one'
down_revision = '0320_platform_rules'
branch_labels = None
depends_on = None


def upgrade() -> None:
    drop_id_default()


def downgrade() -> None:
    restore_id_default()
