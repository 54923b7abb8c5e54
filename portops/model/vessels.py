"""Vessels and their visits (calls) at the terminal.

A visit moves through phases by named operations only (see ``portops.ops.visits``):
planned -> arrived -> berthed -> working -> completed -> departed -> closed, and cancelled
only before arrival. This follows Navis N4's vessel visit phases, renamed to the seed's steps.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from portops.model.base import enum_field, utc_field


class Phase(StrEnum):
    PLANNED = "planned"
    ARRIVED = "arrived"
    BERTHED = "berthed"
    WORKING = "working"
    COMPLETED = "completed"
    DEPARTED = "departed"
    CLOSED = "closed"
    CANCELLED = "cancelled"


#: The phase transitions that may happen, each its own operation.
TRANSITIONS: dict[Phase, tuple[Phase, ...]] = {
    Phase.PLANNED: (Phase.ARRIVED, Phase.CANCELLED),
    Phase.ARRIVED: (Phase.BERTHED,),
    Phase.BERTHED: (Phase.WORKING, Phase.DEPARTED),
    Phase.WORKING: (Phase.COMPLETED,),
    Phase.COMPLETED: (Phase.WORKING, Phase.DEPARTED),
    Phase.DEPARTED: (Phase.CLOSED,),
    Phase.CLOSED: (),
    Phase.CANCELLED: (),
}

#: Phases in which the vessel occupies quay space (for berth planning and clearing).
ALONGSIDE = (Phase.BERTHED, Phase.WORKING, Phase.COMPLETED)
#: Phases in which a visit is still to come or under way.
LIVE = (Phase.PLANNED, Phase.ARRIVED, Phase.BERTHED, Phase.WORKING, Phase.COMPLETED)


class Vessel(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    imo: str = Field(max_length=7, unique=True, index=True)
    name: str = Field(max_length=64)
    call_sign: str = Field(default="", max_length=16)
    loa_m: float
    beam_m: float
    max_draft_m: float
    #: Highest bay/row/tier numbers, for drawing bay plans (optional).
    bays: int | None = Field(default=None)


class VesselVisit(SQLModel, table=True):
    __tablename__ = "vessel_visit"

    id: int | None = Field(default=None, primary_key=True)
    #: The key a schedule file uses for this call, e.g. ``COSCO-045E``; re-imports update by it.
    key: str = Field(max_length=32, unique=True, index=True)
    vessel_id: int = Field(foreign_key="vessel.id", index=True)
    line_operator: str = Field(max_length=16)  # SCAC or carrier code, e.g. COSU, MSCU
    service: str = Field(default="", max_length=32)
    voyage_in: str = Field(default="", max_length=16)
    voyage_out: str = Field(default="", max_length=16)
    eta: datetime | None = utc_field()
    etb: datetime | None = utc_field(index=True)
    etd: datetime | None = utc_field()
    ata: datetime | None = utc_field()
    atb: datetime | None = utc_field()
    atd: datetime | None = utc_field()
    berth_id: int | None = Field(default=None, foreign_key="berth.id", index=True)
    #: Where along the quay the vessel's stern (lower metre mark) lies, metres.
    quay_from_m: float | None = Field(default=None)
    #: Expected arrival draft, metres (falls back to the vessel's max draft).
    arrival_draft_m: float | None = Field(default=None)
    #: Side alongside, port or starboard.
    side: str | None = Field(default=None, max_length=9)
    cranes: int | None = Field(default=None)
    moves_discharge: int = Field(default=0)
    moves_load: int = Field(default=0)
    phase: Phase = enum_field(Phase.PLANNED, length=12, index=True)
    #: Set by the dispatcher while a schedule change must not touch this visit.
    locked: bool = Field(default=False)
