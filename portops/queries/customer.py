"""What a customer of the terminal sees: its boxes with their status in one word, its
appointments, its EIRs, its bookings and calls, and the slots free to book.

Every query takes the caller's account name and sees only its party's data
(``portops.scope``); anyone who is not a party's active account gets nothing back. Each is
listed in :data:`CUSTOMER_QUERIES`, the registry the scoping test walks, so a new one cannot
be left out of it.

A box's status is judged with :func:`portops.flags.blocking`, the judgement the booking and
the gate make, and sorted into three words a customer acts on: *ready* (to book), *waiting*
(for the terminal, customs or the line: nothing the customer can do but wait), *blocked*
(something the customer must fix: the storage charges). Plus *booked* and *out*.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import col, select

from portops.db import read_session
from portops.flags import FLAG_TYPES, Action, blocking_many
from portops.i18n import N_
from portops.model import (
    LIVE_APPTS,
    Appointment,
    AppointmentSlot,
    Category,
    CollectRight,
    Container,
    Eir,
    ExportBooking,
    Party,
    PartyKind,
    RightState,
    TruckVisit,
    VesselVisit,
    Where,
)
from portops.model.base import pk, table
from portops.ops.core import Unmet
from portops.queries.customer_registry import CUSTOMER_QUERIES, with_caller  # noqa: F401 (re-exported)
from portops.scope import Caller, appointment_ids, booking_refs, box_ids, caller_of

#: The one word of a box's status, as shown (English, ``N_``).
STATUS_WORDS = {"ready": N_("ready to book"), "booked": N_("booked"), "waiting": N_("waiting"),
                "blocked": N_("blocked"), "out": N_("out"), "in": N_("in the yard")}
#: What a box waits for, by the rule that stops it.
WAITS_FOR = {"permission.customs_import": N_("customs"), "permission.line_release": N_("line"),
             "permission.customs_export": N_("customs")}
#: Who clears a hold the customer waits for.
HOLD_OWNER = {"XRAY": N_("customs"), "INSPECTION": N_("customs"), "DAMAGE": N_("terminal")}
#: Holds the customer itself must clear, and how.
CUSTOMER_FIXES = {"STORAGE": N_("settle the storage charges with the terminal")}


@dataclass(frozen=True)
class Wait:
    """One thing a box waits for: ``what`` (discharge, customs, line, a hold's title) and who
    clears it (``owner``), both English words to translate."""

    what: str
    owner: str = ""


@dataclass(frozen=True)
class BoxStatus:
    container_id: int
    number: str
    category: str
    size_type: str
    location: str
    visit: str
    bl_number: str
    #: ready | booked | waiting | blocked | out | in (see :data:`STATUS_WORDS`).
    status: str
    waits: tuple[Wait, ...] = ()
    #: What the customer must do (English, ``N_``), when blocked.
    fixes: tuple[str, ...] = ()
    #: Every rule a booking would be refused by now, with its sentence and remedy.
    lacks: tuple[Unmet, ...] = ()
    #: The party code holding the right to collect ('' if none); True if it is the caller.
    holder: str = ""
    mine: bool = False
    appointment: str = ""
    slot_start: datetime | None = None
    #: The EIR of its gate-out, once out (a haulier's: of its own truck).
    eir: str = ""


@dataclass(frozen=True)
class ApptRow:
    ref: str
    number: str
    state: str
    slot_start: datetime
    slot_end: datetime
    plate: str
    driver_name: str
    driver_id: str
    haulier: str


@dataclass(frozen=True)
class EirRow:
    number: str
    container: str
    size_type: str
    plate: str
    driver_name: str
    issued_at: datetime
    damage: str
    seals: str


@dataclass(frozen=True)
class HourRoom:
    start: datetime
    end: datetime
    capacity: int
    booked: int

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.booked)


@dataclass(frozen=True)
class BookingRow:
    ref: str
    visit: str
    pod: str
    size_type: str
    quantity: int
    received: int


@dataclass(frozen=True)
class CallRow:
    key: str
    vessel: str
    phase: str
    eta: datetime | None
    etd: datetime | None
    boxes: int


@dataclass(frozen=True)
class PartyRow:
    code: str
    name: str


def _judge(c: Container, lacks: list[Unmet], live: str) -> tuple[str, tuple, tuple]:
    if c.location in (Where.GONE, Where.TRUCK):
        return "out", (), ()
    if live:
        return "booked", (), ()
    if c.category != Category.IMPORT:
        pending = tuple(Wait(WAITS_FOR.get(u.rule, u.rule)) for u in lacks)
        return ("waiting" if pending else "in" if c.location == Where.YARD else "waiting",
                pending or ((Wait(N_("arrival")),) if c.location != Where.YARD else ()), ())
    waits: list[Wait] = []
    fixes: list[str] = []
    if c.location in (Where.ADVISED, Where.VESSEL):
        waits.append(Wait(N_("discharge"), N_("terminal")))
    for u in lacks:
        code = u.rule.partition(".")[2].upper()
        if u.rule.startswith("hold.") and code in CUSTOMER_FIXES:
            fixes.append(CUSTOMER_FIXES[code])
        elif u.rule.startswith("hold."):
            ft = FLAG_TYPES.get(code)
            waits.append(Wait(ft.title if ft else code, HOLD_OWNER.get(code, N_("terminal"))))
        else:
            waits.append(Wait(WAITS_FOR.get(u.rule, u.rule)))
    status = "blocked" if fixes else "waiting" if waits else "ready"
    return status, tuple(waits), tuple(fixes)


def _discharge_unmet(c: Container) -> list[Unmet]:
    if c.category == Category.IMPORT and c.location in (Where.ADVISED, Where.VESSEL):
        return [Unmet.of("appointment.not_discharged",
                         N_("container {number} is not discharged yet"),
                         N_("wait for the vessel's discharge"), number=c.number)]
    return []


def _statuses(s, me: Caller, boxes: list[Container]) -> list[BoxStatus]:
    ids = [pk(c) for c in boxes]
    imports = [c for c in boxes if c.category == Category.IMPORT]
    judged = blocking_many(s, Action.DELIVER, imports)
    judged.update(blocking_many(s, Action.LOAD, [c for c in boxes if c.category != Category.IMPORT]))
    holders = dict(s.exec(select(CollectRight.container_id, Party.code).join(
        Party, col(Party.id) == CollectRight.holder_party_id).where(
        col(CollectRight.container_id).in_(ids), CollectRight.state == RightState.ACTIVE)).all())
    live = {row[0]: row[1:] for row in s.exec(
        select(Appointment.container_id, Appointment.ref, AppointmentSlot.start)
        .join(AppointmentSlot, col(AppointmentSlot.id) == Appointment.slot_id)
        .where(col(Appointment.container_id).in_(ids), col(Appointment.state).in_(LIVE_APPTS),
               col(Appointment.id).in_(appointment_ids(me)))).all()}
    keys = dict(s.exec(select(VesselVisit.id, VesselVisit.key)).all())
    eir_q = select(Eir.container_id, Eir.number).where(col(Eir.container_id).in_(ids))
    if me.kind == PartyKind.HAULIER:
        eir_q = eir_q.join(TruckVisit, col(TruckVisit.id) == Eir.truck_visit_id).where(
            col(TruckVisit.appointment_id).in_(appointment_ids(me)))
    eir_of = dict(s.exec(eir_q.order_by(col(Eir.issued_at))).all())
    out = []
    for c in boxes:
        cid = pk(c)
        lacks = _discharge_unmet(c) + list(judged.get(cid, ()))
        ref, start = live.get(cid, ("", None))
        status, waits, fixes = _judge(c, list(judged.get(cid, ())), ref)
        visit = c.in_visit_id if c.category == Category.IMPORT else c.out_visit_id
        holder = holders.get(cid, "")
        out.append(BoxStatus(cid, c.number, str(c.category), c.size_type, str(c.location),
                             keys.get(visit, ""), c.bl_number or "", status, waits, fixes,
                             tuple(lacks), holder, holder == me.code, ref, start,
                             eir_of.get(cid, "")))
    return out


# The registry and the scoping wrapper are shared with the other customer query modules.
_with_caller = with_caller


@_with_caller(list)
def boxes(s, me: Caller) -> list[BoxStatus]:
    """The party's boxes with their status, those still here first, then by number."""
    rows = list(s.exec(select(Container).where(col(Container.id).in_(box_ids(me)))))
    out = _statuses(s, me, rows)
    return sorted(out, key=lambda b: (b.status == "out", b.number))


@_with_caller(None)
def box(s, me: Caller, number: str) -> BoxStatus | None:
    """One of the party's boxes by number (the one here, else the last), None if not its."""
    rows = list(s.exec(select(Container).where(
        Container.number == number.strip().upper(), col(Container.id).in_(box_ids(me)))
        .order_by(col(Container.id))))
    if not rows:
        return None
    here = [c for c in rows if c.location != Where.GONE]
    return _statuses(s, me, [(here or rows)[-1]])[0]


@_with_caller(list)
def appointments(s, me: Caller, live_only: bool = False) -> list[ApptRow]:
    """The party's appointments (a haulier's own), the soonest slot first."""
    hp = table(Party).alias("hp")
    q = (select(Appointment, AppointmentSlot, Container.number, hp.c.code)
         .join(AppointmentSlot, col(AppointmentSlot.id) == Appointment.slot_id)
         .join(Container, col(Container.id) == Appointment.container_id)
         .join(hp, hp.c.id == Appointment.haulier_id)
         .where(col(Appointment.id).in_(appointment_ids(me)))
         .order_by(col(AppointmentSlot.start)))
    if live_only:
        q = q.where(col(Appointment.state).in_(LIVE_APPTS))
    return [ApptRow(a.ref, number, str(a.state), slot.start, slot.end, a.plate, a.driver_name,
                    a.driver_id, code) for a, slot, number, code in s.exec(q)]


@_with_caller(list)
def eirs(s, me: Caller) -> list[EirRow]:
    """The EIRs of the party's boxes after gate-out (a haulier's: of its own trucks)."""
    q = select(Eir).order_by(col(Eir.issued_at).desc())
    if me.kind == PartyKind.HAULIER:
        q = q.join(TruckVisit, col(TruckVisit.id) == Eir.truck_visit_id).where(
            col(TruckVisit.appointment_id).in_(appointment_ids(me)))
    else:
        q = q.where(col(Eir.container_id).in_(box_ids(me)))
    return [EirRow(e.number, e.container_number, e.size_type, e.plate, e.driver_name,
                   e.issued_at, e.damage, e.seals) for e in s.exec(q)]


@_with_caller(list)
def availability(s, me: Caller, now: datetime, days: int | None = None) -> list[HourRoom]:
    """Every slot from now for ``days`` days (default: as far ahead as the terminal lets its
    customers book), with its places booked (a slot not yet booked has all its places). Only
    a haulier books, but every customer may see the room."""
    from portops.ops.customer import customer_rules
    from portops.ops.gate_checks import settings, slot_bounds

    cfg = settings(s)
    days = days or customer_rules(s).days_ahead
    start, _end = slot_bounds(now, cfg)
    until = start + timedelta(days=days)
    rows = {r.start: r for r in s.exec(select(AppointmentSlot).where(
        AppointmentSlot.start >= start, AppointmentSlot.start < until))}
    out, at = [], start
    while at < until:
        end = at + timedelta(minutes=cfg.minutes)
        row = rows.get(at)
        out.append(HourRoom(at, end, row.capacity if row else cfg.capacity,
                            row.booked if row else 0))
        at = end
    return out


@_with_caller(list)
def bookings(s, me: Caller) -> list[BookingRow]:
    """The party's export bookings (a shipper's, a line's) with the boxes received so far."""
    rows = s.exec(select(ExportBooking, VesselVisit.key).join(
        VesselVisit, col(VesselVisit.id) == ExportBooking.visit_id).where(
        col(ExportBooking.ref).in_(booking_refs(me))).order_by(col(ExportBooking.ref))).all()
    out = []
    for b, key in rows:
        received = len(s.exec(select(Container.id).where(
            Container.booking_ref == b.ref, col(Container.location).in_(
                (Where.YARD, Where.VESSEL, Where.GONE)))).all())
        out.append(BookingRow(b.ref, key, b.pod, b.size_type, b.quantity, received))
    return out


@_with_caller(list)
def calls(s, me: Caller) -> list[CallRow]:
    """The vessel calls that bring or take the party's boxes, with how many.

    A line's own live calls are listed too, with none yet (before its boxes are advised)."""
    counts: dict[int, int] = {}
    for c in s.exec(select(Container).where(col(Container.id).in_(box_ids(me)))):
        visit = c.in_visit_id if c.category == Category.IMPORT else c.out_visit_id
        if visit is not None:
            counts[visit] = counts.get(visit, 0) + 1
    if me.kind in (PartyKind.LINE, PartyKind.AGENT):
        # a line's own calls still to come or here, before any box of it is advised
        from portops.model.vessels import LIVE

        for vid in s.exec(select(VesselVisit.id).where(
                VesselVisit.line_operator == me.code,
                col(VesselVisit.phase).in_([p.value for p in LIVE]))):
            counts.setdefault(vid, 0)
    if not counts:
        return []
    from portops.model import Vessel

    rows = s.exec(select(VesselVisit, Vessel.name)
                  .join(Vessel, col(Vessel.id) == VesselVisit.vessel_id)
                  .where(col(VesselVisit.id).in_(counts)).order_by(col(VesselVisit.eta))).all()
    return [CallRow(v.key, name, str(v.phase), v.eta, v.etd, counts[pk(v)]) for v, name in rows]


@_with_caller(list)
def hauliers(s, me: Caller) -> list[PartyRow]:
    """The active hauliers, by code: whom a right to collect may be handed to (a registry of
    companies, not any party's own data)."""
    rows = s.exec(select(Party.code, Party.name).where(
        Party.kind == PartyKind.HAULIER, Party.active, Party.id != me.party_id)
        .order_by(Party.code)).all()
    return [PartyRow(c, n) for c, n in rows]


def who(engine, user: str) -> Caller | None:
    """The caller's party, for a screen's title (None: not a party's account)."""
    with read_session(engine) as s:
        return caller_of(s, user)


# The shipper's exports and the party's accounts register in the same CUSTOMER_QUERIES.
from portops.queries import customer_export, customer_platform  # noqa: E402,F401
