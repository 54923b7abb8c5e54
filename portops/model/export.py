"""Export: bookings, receiving appointments, the arrival report, and the load plan.

Seed II.(2): boxes are brought in by appointment within the visit's receiving window, checked
at the gate (验箱), reported to customs as arrived (运抵报告), released by customs, then loaded
to plan while the tally clerk tallies. A box that is not loaded is *rolled* to another visit
with a reason, never silently left behind.

The races that matter are settled by unique indexes: one live receiving appointment per
container number, one planned box per vessel slot, one load-plan line per container and visit.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from portops.model.base import enum_field, utc_field


class ExportBooking(SQLModel, table=True):
    """A line's booking: so many boxes of a size/type for a visit and a port of discharge."""

    __tablename__ = "export_booking"

    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(max_length=35, unique=True, index=True)
    visit_id: int = Field(foreign_key="vessel_visit.id", index=True)
    line_operator: str = Field(max_length=16)
    pod: str = Field(max_length=5)
    size_type: str = Field(max_length=4)
    quantity: int
    shipper: str = Field(default="", max_length=128)
    reefer_temp_c: float | None = Field(default=None)
    imdg_class: str | None = Field(default=None, max_length=8)
    un_number: str | None = Field(default=None, max_length=4)
    created_at: datetime = utc_field(nullable=False)
    created_by: str = Field(max_length=64)


class ReceivalState(StrEnum):
    BOOKED = "booked"
    RECEIVED = "received"  # the box passed the gate check and is in the yard
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"  # booked, and no truck came within its slot's window (issue 18)


class Receival(SQLModel, table=True):
    """An export (receive) appointment: one box, on one truck, in one slot."""

    __tablename__ = "receival"
    __table_args__ = (
        Index("uq_receival_live_box", "container_number", unique=True,
              sqlite_where=text("state = 'booked'"), postgresql_where=text("state = 'booked'")),
    )

    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(max_length=16, unique=True, index=True)
    booking_id: int = Field(foreign_key="export_booking.id", index=True)
    container_number: str = Field(max_length=11, index=True)
    size_type: str = Field(max_length=4)
    vgm_kg: int | None = Field(default=None)
    seals: str = Field(default="", max_length=128)
    reefer_temp_c: float | None = Field(default=None)
    imdg_class: str | None = Field(default=None, max_length=8)
    un_number: str | None = Field(default=None, max_length=4)
    haulier: str = Field(max_length=16)
    plate: str = Field(max_length=16, index=True)
    driver_name: str = Field(default="", max_length=64)
    driver_id: str = Field(default="", max_length=32)
    slot_start: datetime = utc_field(nullable=False, index=True)
    state: ReceivalState = enum_field(ReceivalState.BOOKED, length=10, index=True)
    container_id: int | None = Field(default=None, foreign_key="container.id")
    #: A box accepted after its cut-off: who let it in and why.
    late_reason: str = Field(default="", max_length=256)
    created_at: datetime = utc_field(nullable=False)
    created_by: str = Field(max_length=64)
    #: When and why it was cancelled or marked a no-show; a cancellation made for the box's
    #: shipper or haulier begins ``customer:``, the terminal's own ``terminal:`` (as pickups).
    ended_at: datetime | None = utc_field()
    end_reason: str = Field(default="", max_length=256)
    #: Cancelled for its customer after the change cut-off (``export.late_cancel``).
    late_cancel: bool = Field(default=False)


class ArrivalEntry(SQLModel, table=True):
    """One line of the arrival report (运抵报告): an export box is inside the supervised area."""

    __tablename__ = "arrival_entry"

    id: int | None = Field(default=None, primary_key=True)
    container_id: int = Field(foreign_key="container.id", unique=True)
    visit_id: int = Field(foreign_key="vessel_visit.id", index=True)
    container_number: str = Field(max_length=11, index=True)
    booking_ref: str = Field(max_length=35)
    eir_number: str = Field(max_length=20)
    reported_at: datetime = utc_field(nullable=False)


class LoadState(StrEnum):
    PLANNED = "planned"
    LOADED = "loaded"
    ROLLED = "rolled"  # moved to another visit, with a reason


class LoadItem(SQLModel, table=True):
    """One box of a visit's load plan: its slot on board, crane and place in the sequence."""

    __tablename__ = "load_item"
    __table_args__ = (
        Index("uq_load_item_slot", "visit_id", "bay", "row", "tier", unique=True,
              sqlite_where=text("state = 'planned'"), postgresql_where=text("state = 'planned'")),
        Index("uq_load_item_box", "visit_id", "container_id", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="vessel_visit.id", index=True)
    container_id: int = Field(foreign_key="container.id", index=True)
    number: str = Field(max_length=11)
    bay: int
    row: int
    tier: int
    crane: int = Field(default=1)
    seq: int = Field(default=0)
    state: LoadState = enum_field(LoadState.PLANNED, length=8, index=True)
    #: Why the planner chose the slot, or "line's stowage instruction".
    why: str = Field(default="", max_length=256)
    loaded_at: datetime | None = utc_field()
    loaded_by: str | None = Field(default=None, max_length=64)
    seal_read: str = Field(default="", max_length=128)
    damage: str = Field(default="", max_length=256)
    rolled_to_visit_id: int | None = Field(default=None, foreign_key="vessel_visit.id")
    roll_reason: str = Field(default="", max_length=256)


class StowInstruction(SQLModel, table=True):
    """The line's stowage instruction for one export box of a visit (from a COPRAR load list or
    a planned BAPLIE): the slot it wants the box in, where given. The load planner follows it
    and plans the rest itself; a newer list for the visit replaces the older one."""

    __tablename__ = "stow_instruction"
    __table_args__ = (
        Index("uq_stow_instruction_box", "visit_id", "container_id", unique=True),
        Index("uq_stow_instruction_slot", "visit_id", "bay", "row", "tier", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="vessel_visit.id", index=True)
    container_id: int = Field(foreign_key="container.id")
    number: str = Field(max_length=11)
    #: The slot the line wants (``LOC+147``); all three ``None`` where the list gives none.
    bay: int | None = Field(default=None)
    row: int | None = Field(default=None)
    tier: int | None = Field(default=None)
    pod: str = Field(default="", max_length=5)
    weight_kg: int | None = Field(default=None)
    #: ``coprar`` or ``baplie``, the file it came from and the segment the box starts at.
    format: str = Field(max_length=8)
    source: str = Field(default="", max_length=256)
    segment: int = Field(default=0)
    imported_at: datetime = utc_field(nullable=False)
    imported_by: str = Field(max_length=64)
