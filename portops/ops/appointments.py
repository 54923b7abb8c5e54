"""Truck appointments: book, change, cancel, accept a late truck, record a no-show.

A slot is a row (``appointment_slot``) made the first time it is booked; booking locks it
(SQLite: the write lock taken at BEGIN IMMEDIATE; PostgreSQL: ``SELECT ... FOR UPDATE``) and
counts it, so a slot is never booked over capacity however many clerks book at once. A box's
second live appointment is stopped by a rule and, should two consoles race, by the partial
unique index ``uq_appointment_live_box``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import select

from portops.clock import as_utc
from portops.i18n import N_
from portops.model import (
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
from portops.ops.core import Term, Tx, operation
from portops.ops.gate_checks import (
    active_container,
    box_ready,
    normalise_plate,
    party_by_code,
    right_unmet,
    settings,
    slot_bounds,
    window,
)

_BOOKERS = (Role.DISPATCHER, Role.GATE_CLERK)


def _locked_slot(tx: Tx, start: datetime, end: datetime, capacity: int) -> AppointmentSlot:
    """The slot row for ``start``, made if new, locked for this transaction."""
    table = AppointmentSlot.__table__
    insert = sqlite_insert if not tx.locks_rows else pg_insert
    tx.session.execute(insert(table).values(start=start, end=end, capacity=capacity, booked=0)
                       .on_conflict_do_nothing(index_elements=["start"]))
    q = select(AppointmentSlot).where(AppointmentSlot.start == start)
    return tx.session.exec(q.with_for_update() if tx.locks_rows else q).one()


def _appointment(tx: Tx, ref: str) -> Appointment:
    appt = tx.session.exec(select(Appointment).where(
        Appointment.ref == ref.strip().upper())).first()
    if appt is None:
        tx.fail("appointment.not_found", N_("there is no appointment {ref!r}"),
                N_("check the reference"), ref=ref)
    c = tx.session.get(Container, appt.container_id)
    tx.about("appointment", appt.id, appt.ref)
    tx.record(container=c.number)
    return appt


def _judge_slot(tx: Tx, c: Container, when: datetime, own_slot_id: int | None = None
                ) -> tuple[AppointmentSlot, datetime]:
    """State the rules of the slot containing ``when`` (future, ready, room) and lock it."""
    cfg = settings(tx.session)
    start, end = slot_bounds(as_utc(when), cfg)
    tx.rule(end + cfg.tolerance > tx.now(), "appointment.slot_past",
            N_("the slot starting {start:%Y-%m-%d %H:%M}Z is over"), N_("choose a later slot"),
            start=start)
    for u in box_ready(tx.session, c, start):
        tx.add(u)
    slot = _locked_slot(tx, start, end, cfg.capacity)
    tx.rule(slot.id == own_slot_id or slot.booked < slot.capacity, "appointment.slot_full",
            N_("the slot {start:%Y-%m-%d %H:%M}Z is full ({booked} of {capacity})"),
            N_("choose another slot"), start=start, booked=slot.booked, capacity=slot.capacity)
    return slot, start


def _judge_people(tx: Tx, c: Container, by_party: str, haulier: str, plate: str,
                  driver_name: str, driver_id: str):
    """The booker must hold the right, and so must the haulier named."""
    hp = party_by_code(tx.session, haulier)
    tx.rule(hp is not None and hp.kind == PartyKind.HAULIER and hp.active, "appointment.haulier",
            N_("{haulier!r} is not a registered haulier"),
            N_("register the haulier with its identity"), haulier=haulier)
    right, unmet = right_unmet(tx.session, c, hp, "appointment")
    for u in unmet:
        tx.add(u)
    booker = party_by_code(tx.session, by_party or haulier)
    tx.rule(right is None or (booker is not None and booker.id == right.holder_party_id),
            "appointment.not_holder", N_("{by_party} does not hold the right to collect {number}"),
            N_("only the current holder (or the terminal on its behalf) may book"),
            by_party=by_party or haulier, number=c.number)
    tx.rule(normalise_plate(plate), "appointment.plate", N_("the booking needs the truck's plate"),
            N_("enter the plate"))
    tx.rule(driver_name.strip() and driver_id.strip(), "appointment.driver",
            N_("the booking needs the driver's name and licence/ID number"),
            N_("enter the driver"))
    return hp, booker, right


@operation("appointment.book", *_BOOKERS)
def book(tx: Tx, container: str, slot_start: datetime, haulier: str, plate: str,
         driver_name: str, driver_id: str, by_party: str = "") -> dict:
    """Book a truck appointment to collect an import box."""
    c = active_container(tx.session, container)
    if c is None:
        tx.fail("container.not_found",
                N_("container {container} is not at or expected at the terminal"),
                N_("check the number"), container=container)
    tx.about("container", c.id, c.number)
    hp, booker, right = _judge_people(tx, c, by_party, haulier, plate, driver_name, driver_id)
    live = tx.session.exec(select(Appointment.ref).where(
        Appointment.container_id == c.id,
        Appointment.state.in_([ApptState.BOOKED, ApptState.ADMITTED]))).first()
    tx.rule(live is None, "appointment.box_booked",
            N_("container {number} already has appointment {live}"),
            N_("change or cancel that appointment"), number=c.number, live=live)
    slot, start = _judge_slot(tx, c, slot_start)
    tx.ensure()
    slot.booked += 1
    on_behalf = tx.actor.name != SYSTEM_USER
    appt = Appointment(ref=f"TMP{tx.now().timestamp()}"[:16], container_id=c.id,
                       slot_id=slot.id, right_id=right.id, booked_by_party_id=booker.id,
                       on_behalf=on_behalf, haulier_id=hp.id, plate=normalise_plate(plate),
                       driver_name=driver_name.strip(), driver_id=driver_id.strip().upper(),
                       created_at=tx.now(), created_by=tx.actor.name)
    tx.session.add(appt)
    tx.session.flush()
    appt.ref = f"TA{appt.id:07d}"
    tx.about("appointment", appt.id, appt.ref)
    tx.record(container=c.number, slot=start, haulier=hp.code, on_behalf=on_behalf)
    return {"id": appt.id, "ref": appt.ref, "slot_start": start}


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
    haulier = tx.session.get(Party, appt.haulier_id)
    _judge_people(tx, c, by_party, haulier.code, plate or appt.plate,
                  driver_name or appt.driver_name, driver_id or appt.driver_id)
    old = tx.session.get(AppointmentSlot, appt.slot_id, with_for_update=tx.locks_rows)
    new = old
    if slot_start is not None:
        new, _ = _judge_slot(tx, c, slot_start, own_slot_id=old.id)
    tx.ensure()
    if new.id != old.id:
        old.booked -= 1
        new.booked += 1
        appt.slot_id = new.id
    appt.plate = normalise_plate(plate) if plate else appt.plate
    appt.driver_name = driver_name.strip() if driver_name else appt.driver_name
    appt.driver_id = driver_id.strip().upper() if driver_id else appt.driver_id
    appt.changes += 1
    tx.record(slot_from=old.start, slot_to=new.start)


@operation("appointment.cancel", *_BOOKERS)
def cancel(tx: Tx, ref: str, reason: str, by_party: str = "") -> None:
    """Cancel an appointment (by its holder, or closed by the terminal when no party is named)."""
    appt = _appointment(tx, ref)
    tx.rule(appt.state == ApptState.BOOKED, "appointment.not_booked",
            N_("appointment {appt} is {state}"), N_("only a booked appointment can be cancelled"),
            appt=appt.ref, state=Term(appt.state))
    tx.rule(reason.strip(), "appointment.cancel.reason", N_("a cancellation needs a reason"),
            N_("write why"))
    if by_party:
        right = tx.session.get(CollectRight, appt.right_id)
        p = party_by_code(tx.session, by_party)
        tx.rule(p is not None and p.id == right.holder_party_id, "appointment.not_holder",
                N_("{by_party} does not hold the right to collect this box"),
                N_("only the holder may cancel; the terminal may close it without naming a party"),
                by_party=by_party)
    tx.ensure()
    _end(tx, appt, ApptState.CANCELLED, ("customer: " if by_party else "terminal: ") + reason)
    tx.record(by=("customer" if by_party else "terminal"))


def _end(tx: Tx, appt: Appointment, state: ApptState, reason: str) -> None:
    slot = tx.session.get(AppointmentSlot, appt.slot_id, with_for_update=tx.locks_rows)
    slot.booked -= 1
    appt.state, appt.ended_at, appt.end_reason = state, tx.now(), reason.strip()[:256]


def _window_closed(tx: Tx, appt: Appointment) -> datetime:
    slot = tx.session.get(AppointmentSlot, appt.slot_id)
    closes = window(slot, settings(tx.session))[1]
    tx.rule(appt.state == ApptState.BOOKED, "appointment.not_booked",
            N_("appointment {appt} is {state}"), N_("nothing to record"), appt=appt.ref,
            state=Term(appt.state))
    tx.rule(tx.now() > closes, "appointment.window_open",
            N_("the window of {appt} is open until {closes:%H:%M}Z"), N_("wait until it closes"),
            appt=appt.ref, closes=closes)
    return closes


@operation("appointment.accept_late", Role.GATE_CLERK, Role.DISPATCHER)
def accept_late(tx: Tx, ref: str, reason: str) -> None:
    """Record a late arrival and let the truck through the in-gate checks despite its window."""
    appt = _appointment(tx, ref)
    closes = _window_closed(tx, appt)
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
        AppointmentSlot, AppointmentSlot.id == Appointment.slot_id).where(
        Appointment.state == ApptState.BOOKED, Appointment.late_accepted_at.is_(None),
        AppointmentSlot.end < tx.now() - cfg.tolerance)).all()
    for appt, _slot in rows:
        _end(tx, appt, ApptState.NO_SHOW, "no show")
    refs = sorted(a.ref for a, _ in rows)
    tx.record(count=len(refs), refs=refs)
    return refs
