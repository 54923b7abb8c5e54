"""Discharge plans and the tally: one plan per visit, one item per box to come off.

An item carries the whole life of one box's discharge: where it stands on board, which crane
lifts it and when in that crane's sequence, the yard slot planned for it (and why), and the
tally clerk's confirmation (number as read, seal, damage, the slot it actually went to).
Over-landed boxes (discharged but not on the plan) become items with status ``over``;
planned boxes not discharged end as ``short``.

A planned yard slot is given once: a partial unique index over the slots of items still
``planned`` settles races between two planners; boxes already in the yard are covered by the
container table's own index once the box is discharged.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from portops.model.base import enum_field, json_field, utc_field


class ItemStatus(StrEnum):
    PLANNED = "planned"  # to be discharged
    DISCHARGED = "discharged"  # tallied off the vessel
    SHORT = "short"  # on the plan, not discharged (short-landed)
    OVER = "over"  # discharged, not on the plan (over-landed)


class DischargePlan(SQLModel, table=True):
    __tablename__ = "discharge_plan"

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="vessel_visit.id", unique=True, index=True)
    cranes: int = Field(default=0)
    #: [{crane, hatches, bays, moves}] bow to stern.
    split: list[dict[str, Any]] = json_field(default_factory=list)
    #: Each a dict (text, template, params: ops.discharge.stored_warning), or a string in
    #: plans made before warnings were translated.
    warnings: list[Any] = json_field(default_factory=list)
    makespan_moves: int = Field(default=0)
    planned_by: str = Field(max_length=64)
    planned_at: datetime = utc_field(nullable=False)
    yard_planned_at: datetime | None = utc_field()
    started_at: datetime | None = utc_field()
    completed_at: datetime | None = utc_field()
    #: When the tally report (readable and COARRI) went out.
    reported_at: datetime | None = utc_field()


class DischargeItem(SQLModel, table=True):
    __tablename__ = "discharge_item"
    __table_args__ = (
        Index("uq_discharge_item_planned_slot", "yard_block_id", "yard_bay", "yard_row",
              "yard_tier", unique=True, sqlite_where=text("status = 'planned'"),
              postgresql_where=text("status = 'planned'")),
        Index("uq_discharge_item_box", "plan_id", "number", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="discharge_plan.id", index=True)
    container_id: int = Field(foreign_key="container.id", index=True)
    number: str = Field(max_length=11)
    size_type: str = Field(max_length=4)
    vessel_bay: int | None = Field(default=None)
    vessel_row: int | None = Field(default=None)
    vessel_tier: int | None = Field(default=None)
    crane: int | None = Field(default=None)
    seq: int | None = Field(default=None)
    status: ItemStatus = enum_field(ItemStatus.PLANNED, length=10, index=True)
    #: The planned yard slot and the planner's reasons for it.
    yard_block_id: int | None = Field(default=None, foreign_key="yardblock.id")
    yard_bay: int | None = Field(default=None)
    yard_row: int | None = Field(default=None)
    yard_tier: int | None = Field(default=None)
    why: str = Field(default="", max_length=400)
    #: The tally clerk's record.
    number_read: str = Field(default="", max_length=16)
    seal_read: str = Field(default="", max_length=64)
    seal_ok: bool | None = Field(default=None)
    damage_codes: str = Field(default="", max_length=64)  # comma-separated
    damage_note: str = Field(default="", max_length=256)
    note: str = Field(default="", max_length=256)
    tallied_by: str | None = Field(default=None, max_length=64)
    tallied_at: datetime | None = utc_field()
    #: Where the box actually went (the planned slot, or the one the clerk gave).
    actual_block_id: int | None = Field(default=None, foreign_key="yardblock.id")
    actual_bay: int | None = Field(default=None)
    actual_row: int | None = Field(default=None)
    actual_tier: int | None = Field(default=None)
