"""What a customer sees of the platform's own rules (issue 18): the hauliers nominated on a
shipper's export bookings (and, for a haulier, the bookings it is nominated on), a haulier's
no-show standing and what it costs it, and its trucks the terminal kept waiting.

Each is registered in ``CUSTOMER_QUERIES`` (``with_caller``), so the scoping test walks it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import col

from portops.model import (
    ExportBooking,
    HaulierNomination,
    NominationState,
    Party,
    PartyKind,
    VesselVisit,
)
from portops.ops.no_show import Standing
from portops.ops.no_show import standing as _standing
from portops.queries.customer_registry import with_caller as _with_caller
from portops.queries.delays import DelayRow, delay_rows
from portops.scope import Caller, booking_refs


@dataclass(frozen=True)
class NominationRow:
    """A haulier nominated on a booking: who, by whom, since when, and whether it stands."""

    booking_ref: str
    visit: str
    haulier: str
    haulier_name: str
    by: str
    state: str
    reference: str
    created_at: datetime


@_with_caller(list)
def nominations(s, me: Caller, active_only: bool = False) -> list[NominationRow]:
    """A shipper's: the hauliers nominated on its bookings; a haulier's: the bookings it is
    nominated on (active ones only: a revoked nomination is the shipper's history)."""
    haulier, by = aliased(Party), aliased(Party)
    q = (sa_select(col(ExportBooking.ref), col(VesselVisit.key), col(haulier.code),
                   col(haulier.name), col(by.code), col(HaulierNomination.state),
                   col(HaulierNomination.reference), col(HaulierNomination.created_at))
         .join(ExportBooking, col(ExportBooking.id) == HaulierNomination.booking_id)
         .join(VesselVisit, col(VesselVisit.id) == ExportBooking.visit_id)
         .join(haulier, col(haulier.id) == HaulierNomination.haulier_party_id)
         .join(by, col(by.id) == HaulierNomination.by_party_id)
         .where(col(ExportBooking.ref).in_(booking_refs(me)))
         .order_by(col(ExportBooking.ref), haulier.code, col(HaulierNomination.id)))
    if me.kind == PartyKind.HAULIER:
        q = q.where(col(HaulierNomination.haulier_party_id) == me.party_id)
    if active_only or me.kind == PartyKind.HAULIER:
        q = q.where(col(HaulierNomination.state) == NominationState.ACTIVE)
    return [NominationRow(ref, visit, code, name, by_code, str(state), reference, created)
            for ref, visit, code, name, by_code, state, reference, created in s.execute(q)]


@_with_caller(None)
def standing(s, me: Caller, now: datetime) -> Standing | None:
    """A haulier's no-shows and late cancels over the terminal's rolling window, its rate and
    whether the terminal's peak-hour limit applies to it (None for other parties)."""
    if me.kind != PartyKind.HAULIER:
        return None
    return _standing(s, me.party_id, me.code, now)


@_with_caller(list)
def delays(s, me: Caller, now: datetime, days: int = 28) -> list[DelayRow]:
    """The haulier's trucks the terminal kept waiting past their slot in the last ``days``."""
    if me.kind != PartyKind.HAULIER:
        return []
    return delay_rows(s, now - timedelta(days=days), now + timedelta(minutes=1), me.party_id)
