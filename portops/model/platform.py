"""The appointment platform's own records (issue 18): who may bring a shipper's export boxes,
and when a truck was first seen at the gate.

A shipper's booking is not a haulier's: the shipper (or its forwarder) *nominates* the haulier
that will deliver its boxes, as a consignee hands the right to collect an import box on (the
secure chain). A nomination is a row and an event; revoked, it stays as history. Only a
haulier nominated on a booking books delivery appointments on it.

A truck's arrival at the gate (its plate read at the queue, before a clerk serves it) is the
start of its wait: the gate-in after that, while the truck had come in time for its slot, is
the terminal's delay (``portops.queries.delays``).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from portops.model.base import enum_field, utc_field


class NominationState(StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"


class HaulierNomination(SQLModel, table=True):
    """A haulier named by a booking's shipper to deliver the booking's boxes."""

    __tablename__ = "haulier_nomination"
    __table_args__ = (
        Index("uq_haulier_nomination_active", "booking_id", "haulier_party_id", unique=True,
              sqlite_where=text("state = 'active'"), postgresql_where=text("state = 'active'")),
    )

    id: int | None = Field(default=None, primary_key=True)
    booking_id: int = Field(foreign_key="export_booking.id", index=True)
    haulier_party_id: int = Field(foreign_key="party.id", index=True)
    #: The shipper or forwarder that nominated it (its account's party).
    by_party_id: int = Field(foreign_key="party.id")
    state: NominationState = enum_field(NominationState.ACTIVE, length=8, index=True)
    reference: str = Field(default="", max_length=64)
    created_at: datetime = utc_field(nullable=False)
    created_by: str = Field(max_length=64)
    revoked_at: datetime | None = utc_field()
    revoked_by: str | None = Field(default=None, max_length=64)


class GateArrival(SQLModel, table=True):
    """A truck first seen at the gate for a pickup appointment (queue camera, kiosk or clerk),
    before it is served. One per appointment: the first sighting is the one that counts."""

    __tablename__ = "gate_arrival"

    id: int | None = Field(default=None, primary_key=True)
    appointment_id: int = Field(foreign_key="appointment.id", unique=True)
    plate: str = Field(max_length=16)
    arrived_at: datetime = utc_field(nullable=False, index=True)
    recorded_by: str = Field(max_length=64)


class DeliveryArrival(SQLModel, table=True):
    """A truck first seen at the gate for an export delivery appointment (a receival), as
    :class:`GateArrival` is for a pickup: the start of its wait. One per receival."""

    __tablename__ = "delivery_arrival"

    id: int | None = Field(default=None, primary_key=True)
    receival_id: int = Field(foreign_key="receival.id", unique=True)
    plate: str = Field(max_length=16)
    arrived_at: datetime = utc_field(nullable=False, index=True)
    recorded_by: str = Field(max_length=64)
