"""What a shipper (or a line) sees of its exports, and what a party's admin sees of its
accounts (issue 18).

A shipper plans its trucks from the receiving plan the terminal publishes for each call
(集港计划: when receiving opens, the cut-offs for cargo, reefers and dangerous goods), sees how
far each of its bookings is booked in and received, and, once its boxes are inside, the
arrival report (运抵) of them, which is what customs clears the export against. Read through
:func:`portops.queries.customer_registry.with_caller`, so each is in ``CUSTOMER_QUERIES`` and the
scoping test walks it like the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select as sa_select
from sqlalchemy import true
from sqlmodel import col, select

from portops.model import (
    ArrivalEntry,
    ExportBooking,
    PartyKind,
    Receival,
    ReceivalState,
    User,
    Vessel,
    VesselVisit,
)
from portops.model.base import pk
from portops.ops.receiving import visit_window
from portops.queries.customer_registry import with_caller as _with_caller
from portops.scope import Caller, booking_refs


@dataclass(frozen=True)
class PlanBooking:
    """One of the party's bookings on a call: how many boxes, booked in, received."""

    ref: str
    pod: str
    size_type: str
    quantity: int
    booked: int
    received: int


@dataclass(frozen=True)
class CallPlan:
    """The published receiving plan of a call that takes the party's bookings."""

    visit: str
    vessel: str
    voyage: str
    etb: datetime | None
    opens: datetime | None
    cargo_cutoff: datetime | None
    reefer_cutoff: datetime | None
    dg_cutoff: datetime | None
    bookings: tuple[PlanBooking, ...] = ()


@dataclass(frozen=True)
class ReceivalRow:
    """A delivery appointment (集港预约) on one of the party's bookings."""

    ref: str
    booking_ref: str
    container: str
    slot_start: datetime
    haulier: str
    plate: str
    state: str


@dataclass(frozen=True)
class ArrivalRow:
    """A line of the arrival report (运抵) for one of the party's boxes."""

    container: str
    booking_ref: str
    visit: str
    eir: str
    reported_at: datetime


@dataclass(frozen=True)
class AccountRow:
    name: str
    full_name: str
    active: bool
    party_admin: bool


@_with_caller(list)
def receiving(s, me: Caller) -> list[CallPlan]:
    """The receiving plan (window and cut-offs, from the call's current ETB) of every call the
    party has bookings on, each with its bookings' state, the earliest berthing first."""
    rows = s.exec(select(ExportBooking).where(col(ExportBooking.ref).in_(booking_refs(me)))
                  .order_by(ExportBooking.ref)).all()
    by_visit: dict[int, list[PlanBooking]] = {}
    for b in rows:
        states = list(s.exec(select(Receival.state).where(Receival.booking_id == b.id)))
        by_visit.setdefault(b.visit_id, []).append(PlanBooking(
            b.ref, b.pod, b.size_type, b.quantity,
            sum(1 for x in states if x != ReceivalState.CANCELLED),
            sum(1 for x in states if x == ReceivalState.RECEIVED)))
    if not by_visit:
        return []
    out = []
    for visit, vessel in s.exec(select(VesselVisit, Vessel).join(
            Vessel, col(Vessel.id) == VesselVisit.vessel_id).where(
            col(VesselVisit.id).in_(by_visit))):
        w = visit_window(s, visit)
        out.append(CallPlan(visit.key, vessel.name, visit.voyage_out or visit.voyage_in,
                            visit.atb or visit.etb, w.opens if w else None,
                            w.cargo_cutoff if w else None, w.reefer_cutoff if w else None,
                            w.dg_cutoff if w else None, tuple(by_visit[pk(visit)])))
    return sorted(out, key=lambda c: (c.etb is None, c.etb or datetime.min, c.visit))


@_with_caller(list)
def receivals(s, me: Caller, live_only: bool = False) -> list[ReceivalRow]:
    """The delivery appointments on the party's bookings, the soonest slot first."""
    q = (sa_select(col(Receival.ref), col(ExportBooking.ref), col(Receival.container_number),
                   col(Receival.slot_start), col(Receival.haulier), col(Receival.plate),
                   col(Receival.state))
         .join(ExportBooking, col(ExportBooking.id) == Receival.booking_id)
         .where(col(ExportBooking.ref).in_(booking_refs(me)))
         .order_by(col(Receival.slot_start), col(Receival.id)))
    if live_only:
        q = q.where(col(Receival.state) == ReceivalState.BOOKED)
    if me.kind == PartyKind.HAULIER:  # its own trucks on the bookings it is nominated on
        q = q.where(col(Receival.haulier) == me.code)
    return [ReceivalRow(ref, booking, number, start, haulier, plate, str(state))
            for ref, booking, number, start, haulier, plate, state in s.execute(q).all()]


@_with_caller(list)
def arrivals(s, me: Caller) -> list[ArrivalRow]:
    """The arrival report's lines (运抵) of the party's boxes, in the order they came in."""
    rows = s.execute(sa_select(
        col(ArrivalEntry.container_number), col(ArrivalEntry.booking_ref), col(VesselVisit.key),
        col(ArrivalEntry.eir_number), col(ArrivalEntry.reported_at))
        .join(VesselVisit, col(VesselVisit.id) == ArrivalEntry.visit_id)
        .where(col(ArrivalEntry.booking_ref).in_(booking_refs(me)),
               col(ArrivalEntry.container_id).in_(sa_select(col(Receival.container_id)).where(
                   col(Receival.haulier) == me.code))
               if me.kind == PartyKind.HAULIER else true())
        .order_by(col(ArrivalEntry.id))).all()
    return [ArrivalRow(number, booking, visit, eir, at) for number, booking, visit, eir, at in rows]


@_with_caller(list)
def accounts(s, me: Caller) -> list[AccountRow]:
    """The party's own accounts (its admin manages them; anyone else sees only its own)."""
    q = select(User).where(User.party_id == me.party_id).order_by(User.name)
    if not me.party_admin:
        q = q.where(User.name == me.user)
    return [AccountRow(u.name, u.full_name, u.active, u.party_admin) for u in s.exec(q)]
