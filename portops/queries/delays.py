"""The terminal's delay: trucks that came in time and were kept waiting (issue 18).

Defined once here, for the terminal's report and the haulier's own view alike:

- **arrival** is when the gate first saw the truck for its appointment: its arrival recorded
  at the queue (``gate.arrive``) or, without one, when it was first served (put on the
  trouble list, or admitted);
- **service** is its admission (``gate.admit``: the truck visit's ``admitted_at``);
- the truck **came in time** when it arrived no later than its slot's end;
- it was **kept waiting** from its arrival or its slot's start, whichever is later, to its
  admission; a truck stopped on the trouble list waited for its own reasons (papers, holds),
  so only trucks admitted without being stopped count;
- a truck bringing an export box counts the same way: its arrival recorded for its delivery
  appointment (``gate.arrive`` with the RA reference), its service the box's take-in
  (``export.receive``), its slot the delivery's start plus the terminal's slot length;
- a wait longer than the terminal's grace (``Terminal.delay_grace_minutes``) is the
  terminal's delay, all of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select as sa_select
from sqlmodel import col, select

from portops.db import read_session
from portops.model import (
    Appointment,
    AppointmentSlot,
    DeliveryArrival,
    GateArrival,
    Party,
    PartyKind,
    Receival,
    Terminal,
    TruckVisit,
)
from portops.ops.gate_checks import settings
from portops.ops.no_show import Standing, standing


@dataclass(frozen=True)
class DelayRow:
    """One truck kept waiting past its slot: when it came, when it was let in, how long."""

    ref: str
    haulier: str
    plate: str
    slot_start: datetime
    arrived_at: datetime
    admitted_at: datetime
    minutes: int


def _grace(s) -> int:
    row = s.exec(select(Terminal.delay_grace_minutes).order_by(col(Terminal.id))).first()
    return 15 if row is None else row


def delay_rows(s, since: datetime, until: datetime, haulier_id: int | None = None
               ) -> list[DelayRow]:
    """The terminal's delays of trucks admitted in ``[since, until)`` (one haulier's, with
    ``haulier_id``), the longest first."""
    grace = _grace(s)
    q = (sa_select(col(Appointment.ref), col(Party.code), col(TruckVisit.plate),
                   col(AppointmentSlot.start), col(AppointmentSlot.end),
                   col(TruckVisit.arrived_at), col(GateArrival.arrived_at),
                   col(TruckVisit.admitted_at), col(TruckVisit.trouble))
         .join(TruckVisit, col(TruckVisit.appointment_id) == Appointment.id)
         .join(AppointmentSlot, col(AppointmentSlot.id) == Appointment.slot_id)
         .join(Party, col(Party.id) == Appointment.haulier_id)
         .outerjoin(GateArrival, col(GateArrival.appointment_id) == Appointment.id)
         .where(col(TruckVisit.admitted_at).is_not(None),
                col(TruckVisit.admitted_at) >= since, col(TruckVisit.admitted_at) < until))
    if haulier_id is not None:
        q = q.where(col(Appointment.haulier_id) == haulier_id)
    out = []
    for ref, code, plate, start, end, seen, queued, admitted, trouble in s.execute(q).all():
        arrived = min(t for t in (seen, queued) if t is not None)
        if trouble or arrived > end:
            continue  # stopped for its own reasons, or came after its slot
        waited = int((admitted - max(arrived, start)).total_seconds() // 60)
        if waited > grace:
            out.append(DelayRow(ref, code, plate, start, arrived, admitted, waited))
    out += _delivery_rows(s, since, until, grace, haulier_id)
    return sorted(out, key=lambda r: (-r.minutes, r.ref))


def _delivery_rows(s, since: datetime, until: datetime, grace: int, haulier_id: int | None
                   ) -> list[DelayRow]:
    """Trucks that brought an export box (a receival taken in, its truck visit found by the
    box) the same way: a delivery's slot is its start plus the terminal's slot length."""
    length = timedelta(minutes=settings(s).minutes)
    q = (sa_select(col(Receival.ref), col(Receival.haulier), col(TruckVisit.plate),
                   col(Receival.slot_start), col(TruckVisit.arrived_at),
                   col(DeliveryArrival.arrived_at), col(TruckVisit.admitted_at),
                   col(TruckVisit.trouble))
         .join(TruckVisit, col(TruckVisit.container_id) == Receival.container_id)
         .outerjoin(DeliveryArrival, col(DeliveryArrival.receival_id) == Receival.id)
         .where(col(TruckVisit.appointment_id).is_(None),
                col(TruckVisit.admitted_at).is_not(None),
                col(TruckVisit.admitted_at) >= since, col(TruckVisit.admitted_at) < until))
    if haulier_id is not None:  # a receival names its haulier by its party code
        q = q.where(col(Receival.haulier) == sa_select(col(Party.code)).where(
            col(Party.id) == haulier_id).scalar_subquery())
    out = []
    for ref, code, plate, start, seen, queued, admitted, trouble in s.execute(q).all():
        arrived = min(t for t in (seen, queued) if t is not None)
        if trouble or arrived > start + length:
            continue
        waited = int((admitted - max(arrived, start)).total_seconds() // 60)
        if waited > grace:
            out.append(DelayRow(ref, code, plate, start, arrived, admitted, waited))
    return out


def terminal_delays(engine, since: datetime, until: datetime) -> list[DelayRow]:
    """Every truck the terminal kept waiting, admitted in ``[since, until)``."""
    with read_session(engine) as s:
        return delay_rows(s, since, until)


def standings(engine, now: datetime) -> list[Standing]:
    """Every active haulier's no-shows and late cancels over the terminal's window, the
    highest rate first (the terminal's report; a haulier sees its own in its console)."""
    with read_session(engine) as s:
        rows = s.exec(select(Party.id, Party.code).where(
            Party.kind == PartyKind.HAULIER, col(Party.active)).order_by(Party.code)).all()
        out = [standing(s, pid, code, now) for pid, code in rows if pid is not None]  # a key
    return sorted(out, key=lambda st: (-st.rate_pct, st.party))
