"""the audit chain linked after each event's commit on PostgreSQL: event_link (the chain, in
the order events were linked) and event_unlinked (events not linked yet); the links so far
copied unchanged; the event id column draws its ids again (one draw: no lock any more)

Revision ID: 0350_chain_after_commit
Revises: 0345_delivery_no_shows
Create Date: 2026-12-07 10:50:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

from portops.migrations.audit_chain import link_after_commit, link_in_insert
from portops.migrations.guards import create_append_only_guard, drop_append_only_guard


revision = '0350_chain_after_commit'
down_revision = '0345_delivery_no_shows'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'event_link',
        sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('prev_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint('seq'),
        sa.UniqueConstraint('event_id'),
    )
    op.create_table(
        'event_unlinked',
        sa.Column('event_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint('event_id'),
    )
    create_append_only_guard('event_link')
    link_after_commit()


def downgrade() -> None:
    drop_append_only_guard('event')  # the links go back onto the events' rows
    link_in_insert()
    create_append_only_guard('event')
    drop_append_only_guard('event_link')
    op.drop_table('event_unlinked')
    op.drop_table('event_link')
