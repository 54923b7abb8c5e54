"""Truck appointments: book, change, cancel, accept a late truck, record a no-show.

A slot is a row (``appointment_slot``) made the first time it is booked. A booking judges
its room as last committed and counts its place as its last statement, with the COMMIT; the
database refuses a count over the capacity (``ck_appointment_slot_room``), so a slot is never
booked over capacity however many clerks book at once, and on PostgreSQL the slot's row is
locked for no round trip. A change locks the slots it moves between (``FOR UPDATE``). A box's
second live appointment is stopped by a rule and, should two consoles race, by the partial
unique index ``uq_appointment_live_box``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import bindparam, or_
from sqlmodel import col, select

from portops.clock import as_utc
from portops.codes import CodeError, parse_container_number
from portops.db import insert_ignoring
from portops.i18n import N_
from portops.model import (
    SLOT_ROOM_CHECK,
    SYSTEM_USER,
    Appointment,
    AppointmentSlot,
    ApptState,
    CollectRight,
    Container,
    Party,
    PartyKind,
    Role,
)
from portops.model.base import pk, table
from portops.ops.booking_facts import NEW, TAKE_PLACE, Facts, SlotRow
from portops.ops.box_places import BOX_PLACE_INDEX, box_place, box_taken
from portops.ops.core import ConstraintMeans, Term, Tx, Write, operation
from portops.ops.gate_checks import (
    HeldRight,
    box_ready,
    normalise_plate,
    party_by_code,
    right_unmet,
    settings,
    slot_bounds,
    window,
)
from portops.prepared import Prepared
from portops.refs import canonical, mistyped, new_ref, unused_ref
from portops.textcheck import typed

_BOOKERS = (Role.DISPATCHER, Role.GATE_CLERK)

# Built once per process. A booking runs while it holds the database's write lock (SQLite)
# or its slot's row lock (PostgreSQL), and with many clerks on PostgreSQL its CPU decides the
# bookings per second: so everything it asks is asked in as few statements as possible, each
# compiled once and run on the driver's cursor (:class:`portops.prepared.Prepared`).
_slots = table(AppointmentSlot)
_appts = table(Appointment)
#: The haulier and the booker (often the same party): two codes, no expanding IN list.
_PARTIES = Prepared(select(Party.id, Party.code, Party.kind, Party.active).where(
    or_(col(Party.code) == bindparam("a"), col(Party.code) == bindparam("b"))))
_SLOT_Q = select(_slots.c.id, _slots.c.booked, _slots.c.capacity).where(
    _slots.c.start == bindparam("start"))
_SLOT = Prepared(_SLOT_Q)
_SLOT_LOCKED = Prepared(_SLOT_Q.with_for_update())
_COUNT = Prepared(_slots.update().where(_slots.c.id == bindparam("slot_id")).values(
    booked=_slots.c.booked + bindparam("delta")))


@dataclass(frozen=True)
class _Right:
    """The active right to collect, as booking reads it with the box."""

    id: int
    holder_party_id: int


def slot_row(tx: Tx, start: datetime, end: datetime, capacity: int, lock: bool) -> SlotRow:
    """The slot row for ``start``, made if new; with ``lock``, locked for this transaction.

    On PostgreSQL only this row is locked (``FOR UPDATE``), so bookings for other slots go
    on in parallel; on SQLite the transaction already holds the write lock.
    """
    q = _SLOT_LOCKED if lock and tx.locks_rows else _SLOT
    row = q(tx.conn, {"start": start}).first()
    if row is None and tx.checking:  # "why not?" asks without writing: an empty slot
        return SlotRow(0, start, 0, capacity)
    if row is None:  # the slot's first booking: made once, never in the hot path
        insert_ignoring(tx.session.connection(), _slots, ["start"], start=start, end=end,
                        capacity=capacity, booked=0)
        row = q(tx.conn, {"start": start}).one()
    return SlotRow(row.id, start, row.booked, row.capacity)


def count_place(tx: Tx, slot_id: int, delta: int) -> None:
    """Change a locked slot's count in the database (one UPDATE, no ORM object)."""
    _COUNT(tx.conn, {"slot_id": slot_id, "delta": delta})


def _appointment(tx: Tx, ref: str) -> Appointment:
    appt = tx.session.exec(select(Appointment).where(
        Appointment.ref == canonical(ref))).first()
    if appt is None and mistyped(ref):
        tx.fail("appointment.ref_invalid", N_("{ref!r} is not a valid reference"),
                N_("a character is mistyped: read the reference again"), ref=ref)
    if appt is None:
        tx.fail("appointment.not_found", N_("there is no appointment {ref!r}"),
                N_("check the reference"), ref=ref)
    c = tx.get(Container, appt.container_id)
    tx.about("appointment", appt.id, appt.ref)
    tx.record(container=c.number)
    return appt


def _judge_slot(tx: Tx, c, when: datetime, own_slot_id: int | None = None, lock: bool = True,
                facts: Facts | None = None) -> SlotRow:
    """State the rules of the slot containing ``when`` (future, ready, room) and lock it.

    Without ``lock`` the room is judged on the row as last committed, and the caller counts
    its place last (``Tx.write_last``): the database settles a race for the last place. ``facts``: what
    a booking read in one question (settings, flags, the slot's row if it has one).
    """
    cfg = facts.settings if facts else settings(tx.session)
    start, end = slot_bounds(as_utc(when), cfg)
    tx.rule(end + cfg.tolerance > tx.now(), "appointment.slot_past",
            N_("the slot starting {start:%Y-%m-%d %H:%M} is over"), N_("choose a later slot"),
            start=start)
    read = {} if facts is None else {"flags": facts.flags, "visit_etd": c.visit_etd}
    for u in box_ready(tx.session, c, start, **read):
        tx.add(u)
    if facts is not None and facts.slot is not None and facts.slot.start == start and not lock:
        slot = facts.slot
    else:  # not read yet, a new slot, or a slot row cut on another grid before a change
        slot = slot_row(tx, start, end, cfg.capacity, lock)
    room_rule(tx, slot.id == own_slot_id or slot.booked < slot.capacity, slot)
    return slot


def room_rule(tx: Tx, ok: bool, slot: SlotRow) -> None:
    tx.rule(ok, "appointment.slot_full",
            N_("the slot {start:%Y-%m-%d %H:%M} is full ({booked} of {capacity})"),
            N_("choose another slot"), start=slot.start, booked=slot.booked,
            capacity=slot.capacity)


def _slot_filled(tx: Tx, slot: SlotRow) -> None:
    """Refuse: the slot's last place went to another booking meanwhile. The database refused
    the count (the transaction is undone), so the slot was full: its capacity is its count."""
    room_rule(tx, False, SlotRow(slot.id, slot.start, slot.capacity, slot.capacity))
    tx.ensure()


def _judge_people(tx: Tx, c, by_party: str, haulier: str, plate: str,
                  driver_name: str, driver_id: str,
                  right: HeldRight | None | Literal[False] = False,
                  parties: dict | None = None):
    """The booker must hold the right, and so must the haulier named (``parties``: the two,
    by code, when the caller read them already)."""
    if parties is None:
        codes = sorted({code.strip().upper() for code in (haulier, by_party) if code}) or [""]
        parties = {p.code: p for p in _PARTIES(tx.conn, {"a": codes[0], "b": codes[-1]})}
    hp = parties.get(haulier.strip().upper()) if haulier else None
    tx.rule(hp is not None and hp.kind == PartyKind.HAULIER and hp.active, "appointment.haulier",
            N_("{haulier!r} is not a registered haulier"),
            N_("register the haulier with its identity"), haulier=haulier)
    held, unmet = right_unmet(tx.session, c, hp, "appointment", right)
    for u in unmet:
        tx.add(u)
    booker = parties.get((by_party or haulier).strip().upper()) if by_party or haulier else None
    tx.rule(held is None or (booker is not None and booker.id == held.holder_party_id),
            "appointment.not_holder", N_("{by_party} does not hold the right to collect {number}"),
            N_("only the current holder (or the terminal on its behalf) may book"),
            by_party=by_party or haulier, number=c.number)
    tx.rule(normalise_plate(plate), "appointment.plate", N_("the booking needs the truck's plate"),
            N_("enter the plate"))
    tx.rule(driver_name.strip() and driver_id.strip(), "appointment.driver",
            N_("the booking needs the driver's name and licence/ID number"),
            N_("enter the driver"))
    return hp, booker, held


@operation("appointment.book", *_BOOKERS, late_begin=True)
def book(tx: Tx, container: str, slot_start: datetime, haulier: str, plate: str,
         driver_name: str, driver_id: str, by_party: str = "") -> dict:
    """Book a truck appointment to collect an import box."""
    typed(tx, "appointment", haulier=haulier, by_party=by_party, plate=plate,
          driver_name=driver_name, driver_id=driver_id)  # listed even if the box is unknown
    drawn = new_ref("TA")  # random, not the id: a reference must not tell the next one
    facts = Facts.read(tx.conn, container.strip().upper(), haulier.strip().upper(),
                       (by_party or haulier).strip().upper(), as_utc(slot_start),
                       draw_id=not tx.checking, ref=drawn)
    if facts is None:
        try:  # a number that cannot be one says so, as the tally does (not "not here")
            parse_container_number(container)
        except CodeError as exc:
            tx.fail("container.number", exc.template, N_("correct the container number"),
                    **exc.params)
        tx.fail("container.not_found",
                N_("container {container} is not at or expected at the terminal"),
                N_("check the number"), container=container)
    c = facts.box
    right = None if c.right_id is None else _Right(c.right_id, c.holder_party_id)
    tx.about("container", c.id, c.number)
    hp, booker, right = _judge_people(tx, c, by_party, haulier, plate, driver_name, driver_id,
                                      right, facts.parties)
    place = box_place(tx, c)  # one open appointment per box, or the terminal's setting
    slot = _judge_slot(tx, c, slot_start, lock=False, facts=facts)
    tx.ensure()
    on_behalf = tx.actor.name != SYSTEM_USER and not tx.actor.role.is_customer
    values = dict(
        container_id=c.id, slot_id=slot.id, right_id=right.id, state=ApptState.BOOKED,
        booked_by_party_id=booker.id, on_behalf=on_behalf, haulier_id=hp.id,
        plate=normalise_plate(plate), driver_name=driver_name.strip(),
        driver_id=driver_id.strip().upper(), created_at=tx.now(), created_by=tx.actor.name,
        changes=0, end_reason="", live_seq=place, late_cancel=False)
    ref = unused_ref(tx.conn, _appts.c.ref, "TA") if facts.ref_taken else drawn
    new_id = facts.new_id  # drawn with the facts (a booking being made, not a check)
    assert new_id is not None
    # The appointment, then its place counted, last: the database refuses the count if the
    # last place went meanwhile, which means the slot is full (an ending may send both with
    # the COMMIT, so the slot's row is locked for no round trip).
    tx.write_last(Write(NEW, dict(values, id=new_id, ref=ref)),
                  Write(TAKE_PLACE, {"slot_id": slot.id}),
                  unless=(ConstraintMeans(SLOT_ROOM_CHECK, lambda: _slot_filled(tx, slot)),
                          ConstraintMeans(BOX_PLACE_INDEX, lambda: box_taken(tx, c))))
    tx.about("appointment", new_id, ref)
    tx.record(container=c.number, slot=slot.start, haulier=hp.code, on_behalf=on_behalf)
    return {"id": new_id, "ref": ref, "slot_start": slot.start}


@operation("appointment.change", *_BOOKERS)
def change(tx: Tx, ref: str, by_party: str, slot_start: datetime | None = None,
           plate: str | None = None, driver_name: str | None = None,
           driver_id: str | None = None) -> None:
    """Change a booked appointment's slot, truck or driver."""
    appt = _appointment(tx, ref)
    c = tx.session.get(Container, appt.container_id)
    tx.rule(appt.state == ApptState.BOOKED, "appointment.not_booked",
            N_("appointment {appt} is {state}"), N_("only a booked appointment can change"),
            appt=appt.ref, state=Term(appt.state))
    haulier = tx.get(Party, appt.haulier_id)
    typed(tx, "appointment", by_party=by_party, plate=plate, driver_name=driver_name,
          driver_id=driver_id)
    _judge_people(tx, c, by_party, haulier.code, plate or appt.plate,
                  driver_name or appt.driver_name, driver_id or appt.driver_id)
    old = tx.get(AppointmentSlot, appt.slot_id, what="slot", for_update=True)
    new_id, new_start = pk(old), old.start
    if slot_start is not None:
        new = _judge_slot(tx, c, slot_start, own_slot_id=old.id)
        new_id, new_start = new.id, new.start
    tx.ensure()
    if new_id != old.id:
        count_place(tx, pk(old), -1)
        count_place(tx, new_id, +1)
        appt.slot_id = new_id
    appt.plate = normalise_plate(plate) if plate else appt.plate
    appt.driver_name = driver_name.strip() if driver_name else appt.driver_name
    appt.driver_id = driver_id.strip().upper() if driver_id else appt.driver_id
    appt.changes += 1
    tx.record(slot_from=old.start, slot_to=new_start)


@operation("appointment.cancel", *_BOOKERS)
def cancel(tx: Tx, ref: str, reason: str, by_party: str = "") -> None:
    """Cancel an appointment (by its holder, or closed by the terminal when no party is named)."""
    appt = _appointment(tx, ref)
    tx.rule(appt.state == ApptState.BOOKED, "appointment.not_booked",
            N_("appointment {appt} is {state}"), N_("only a booked appointment can be cancelled"),
            appt=appt.ref, state=Term(appt.state))
    typed(tx, "appointment", reason=reason)
    tx.rule(reason.strip(), "appointment.cancel.reason", N_("a cancellation needs a reason"),
            N_("write why"))
    if by_party:
        right = tx.session.get(CollectRight, appt.right_id)
        p = party_by_code(tx.session, by_party)
        tx.rule(p is not None and right is not None and p.id == right.holder_party_id,
                "appointment.not_holder",
                N_("{by_party} does not hold the right to collect this box"),
                N_("only the holder may cancel; the terminal may close it without naming a party"),
                by_party=by_party)
    tx.ensure()
    _end(tx, appt, ApptState.CANCELLED, ("customer: " if by_party else "terminal: ") + reason)
    tx.record(by=("customer" if by_party else "terminal"))


def _end(tx: Tx, appt: Appointment, state: ApptState, reason: str) -> None:
    count_place(tx, appt.slot_id, -1)  # the UPDATE locks the slot row itself
    appt.state, appt.ended_at, appt.end_reason = state, tx.now(), reason.strip()[:256]


def _window_closed(tx: Tx, appt: Appointment) -> datetime:
    slot = tx.get(AppointmentSlot, appt.slot_id, what="slot")
    closes = window(slot, settings(tx.session))[1]
    tx.rule(appt.state == ApptState.BOOKED, "appointment.not_booked",
            N_("appointment {appt} is {state}"), N_("nothing to record"), appt=appt.ref,
            state=Term(appt.state))
    tx.rule(tx.now() > closes, "appointment.window_open",
            N_("the window of {appt} is open until {closes:%H:%M}"), N_("wait until it closes"),
            appt=appt.ref, closes=closes)
    return closes


@operation("appointment.accept_late", Role.GATE_CLERK, Role.DISPATCHER)
def accept_late(tx: Tx, ref: str, reason: str) -> None:
    """Record a late arrival and let the truck through the in-gate checks despite its window."""
    appt = _appointment(tx, ref)
    closes = _window_closed(tx, appt)
    typed(tx, "appointment", reason=reason)
    tx.rule(reason.strip(), "appointment.late.reason", N_("accepting a late truck needs a reason"),
            N_("write why (traffic, queue at the gate, ...)"))
    tx.ensure()
    appt.late_accepted_at = tx.now()
    tx.record(minutes_late=int((tx.now() - closes).total_seconds() // 60))


@operation("appointment.no_show", Role.GATE_CLERK, Role.DISPATCHER)
def no_show(tx: Tx, ref: str) -> None:
    """Record that the truck did not come within its window."""
    appt = _appointment(tx, ref)
    _window_closed(tx, appt)
    tx.ensure()
    _end(tx, appt, ApptState.NO_SHOW, "no show")


@operation("appointment.sweep_no_shows", Role.GATE_CLERK, Role.DISPATCHER)
def sweep_no_shows(tx: Tx) -> list[str]:
    """Record every booked appointment whose window has closed as a no-show."""
    cfg = settings(tx.session)
    tx.about("appointments", None, "no-show sweep")
    tx.ensure()
    rows = tx.session.exec(select(Appointment, AppointmentSlot).join(
        AppointmentSlot, col(AppointmentSlot.id) == Appointment.slot_id).where(
        Appointment.state == ApptState.BOOKED, col(Appointment.late_accepted_at).is_(None),
        AppointmentSlot.end < tx.now() - cfg.tolerance)).all()
    for appt, _slot in rows:
        _end(tx, appt, ApptState.NO_SHOW, "no show")
    refs = sorted(a.ref for a, _ in rows)
    tx.record(count=len(refs), refs=refs)
    return refs
