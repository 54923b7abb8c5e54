"""Truck appointments, truck visits through the gate, and the equipment interchange receipts.

The database settles the races that matter: a box has at most one live appointment (partial
unique index), a slot row is locked while it is booked so its capacity is never exceeded, and
a truck visit per appointment is unique while the truck is in the terminal.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, Index, text
from sqlmodel import Field, SQLModel

from portops.model.base import enum_field, json_field, utc_field


class ApptState(StrEnum):
    BOOKED = "booked"
    ADMITTED = "admitted"  # the truck is in the terminal for it
    COMPLETED = "completed"  # the box left through the gate
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"
    REFUSED = "refused"  # the box was refused at the out-gate and went back to the yard


#: States in which an appointment holds a place in its slot and the box.
LIVE_APPTS = (ApptState.BOOKED, ApptState.ADMITTED)


class TruckState(StrEnum):
    TROUBLE = "trouble"  # stopped at the in-gate with a problem
    ADMITTED = "admitted"  # in the terminal, driving to the yard
    LOADED = "loaded"  # the box is on the truck
    RETURNED = "returned"  # its box went back to the yard; leaves empty
    OUT = "out"  # left through the out-gate
    TURNED_AWAY = "turned_away"  # sent away from trouble without entering


#: States of a truck visit that is at or inside the gate.
TRUCK_INSIDE = (TruckState.TROUBLE, TruckState.ADMITTED, TruckState.LOADED,
                TruckState.RETURNED)


#: The constraint that keeps a slot's count within its capacity (named in refusals' handling).
SLOT_ROOM_CHECK = "ck_appointment_slot_room"


class AppointmentSlot(SQLModel, table=True):
    """One bookable time slot. Made when first booked; its row is the booking lock.

    The database itself refuses a count over the capacity (``ck_appointment_slot_room``): a
    booking counts its place as the transaction's last statement, with the COMMIT, so the
    slot's row is locked for no round trip and two clerks' race for the last place is
    settled by the constraint."""

    __tablename__ = "appointment_slot"
    __table_args__ = (
        CheckConstraint("booked >= 0 AND booked <= capacity", name=SLOT_ROOM_CHECK),
    )

    id: int | None = Field(default=None, primary_key=True)
    start: datetime = utc_field(nullable=False, unique=True, index=True)
    end: datetime = utc_field(nullable=False)
    capacity: int
    booked: int = Field(default=0)


class Appointment(SQLModel, table=True):
    __table_args__ = (
        Index("uq_appointment_live_box", "container_id", "live_seq", unique=True,
              sqlite_where=text("state IN ('booked', 'admitted')"),
              postgresql_where=text("state IN ('booked', 'admitted')")),
    )

    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(max_length=16, unique=True, index=True)
    container_id: int = Field(foreign_key="container.id", index=True)
    slot_id: int = Field(foreign_key="appointment_slot.id", index=True)
    right_id: int = Field(foreign_key="collect_right.id")
    state: ApptState = enum_field(ApptState.BOOKED, length=10, index=True)
    #: Who booked: the holder of the right, or the terminal on its behalf.
    booked_by_party_id: int = Field(foreign_key="party.id")
    on_behalf: bool = Field(default=False)
    haulier_id: int = Field(foreign_key="party.id", index=True)
    plate: str = Field(max_length=16, index=True)
    driver_name: str = Field(max_length=64)
    driver_id: str = Field(max_length=32)  # driver's licence or identity card number
    created_at: datetime = utc_field(nullable=False)
    created_by: str = Field(max_length=64)
    changes: int = Field(default=0)
    late_accepted_at: datetime | None = utc_field()
    ended_at: datetime | None = utc_field()
    end_reason: str = Field(default="", max_length=256)
    #: Which of the box's open places (1..the terminal's ``appt_max_open_per_box``) this
    #: appointment holds while live: ``uq_appointment_live_box`` keeps each place to one
    #: appointment, so a box never has more than the setting allows, however many book.
    live_seq: int = Field(default=1)
    #: Cancelled by its holder after the change cut-off (marked by ``appointment.late_cancel``).
    late_cancel: bool = Field(default=False)


class TruckVisit(SQLModel, table=True):
    __tablename__ = "truck_visit"
    __table_args__ = (
        Index("uq_truck_visit_inside", "appointment_id", unique=True,
              sqlite_where=text("state IN ('trouble', 'admitted', 'loaded')"),
              postgresql_where=text("state IN ('trouble', 'admitted', 'loaded')")),
    )

    id: int | None = Field(default=None, primary_key=True)
    appointment_id: int | None = Field(default=None, foreign_key="appointment.id", index=True)
    container_id: int | None = Field(default=None, foreign_key="container.id")
    plate: str = Field(max_length=16, index=True)
    haulier_code: str = Field(default="", max_length=16)
    driver_id: str = Field(default="", max_length=32)
    state: TruckState = enum_field(length=12, index=True)
    arrived_at: datetime = utc_field(nullable=False)
    admitted_at: datetime | None = utc_field()
    loaded_at: datetime | None = utc_field()
    out_at: datetime | None = utc_field()
    #: Every reason the truck was stopped: [{rule, message, remedy}], plus the clerk's note.
    trouble: list[dict[str, Any]] = json_field(default_factory=list)
    note: str = Field(default="", max_length=256)
    #: The yard slot the driver was sent to, as shown to them (e.g. ``A1 03-02-1``).
    yard_slot: str = Field(default="", max_length=32)
    seals: str = Field(default="", max_length=128)  # seals on the box when handed over
    relocations: int = Field(default=0)


class Eir(SQLModel, table=True):
    """Equipment interchange receipt (设备交接单), out-gate: what left, on what, in what state."""

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, unique=True, index=True)
    direction: str = Field(default="out", max_length=3)
    truck_visit_id: int = Field(foreign_key="truck_visit.id", index=True)
    container_id: int = Field(foreign_key="container.id")
    container_number: str = Field(max_length=11, index=True)
    size_type: str = Field(max_length=4)
    full: bool = Field(default=True)
    operator: str = Field(default="", max_length=16)
    seals: str = Field(default="", max_length=128)
    plate: str = Field(max_length=16)
    driver_name: str = Field(default="", max_length=64)
    driver_id: str = Field(default="", max_length=32)
    haulier: str = Field(default="", max_length=128)
    damage: str = Field(default="", max_length=256)  # found at the gate; empty = intact
    issued_at: datetime = utc_field(nullable=False)
    issued_by: str = Field(max_length=64)
    #: The CODECO gate-out message sent for this interchange.
    codeco: str = Field(default="")
