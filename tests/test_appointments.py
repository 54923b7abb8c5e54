"""Truck appointments: who may book, every reason a booking is refused, capacity, changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from portops import refs
from portops.model import Appointment, AppointmentSlot, Role
from portops.ops import Refused
from portops.ops.appointments import accept_late, book, cancel, change, no_show, sweep_no_shows
from portops.ops.flags import apply_hold
from tests.conftest import as_role
from tests.gate_world import CLERK, DISPATCHER, SLOT, booking, build, release


@pytest.fixture
def world(core, engine, small_terminal):
    return build(core, engine, small_terminal, capacity=2)


def test_holder_books_and_the_booking_names_haulier_plate_and_driver(core, engine, world):
    box = world["boxes"][0]
    release(core, box)
    got = core.run(CLERK, book, **booking(box, slot_start=SLOT + timedelta(minutes=25)))
    assert got["ref"].startswith("TA") and got["slot_start"] == SLOT
    with Session(engine) as s:
        a = s.exec(select(Appointment)).one()
        assert (a.plate, a.driver_id, a.on_behalf) == ("沪A12345", "D-310001", True)
        assert s.get(AppointmentSlot, a.slot_id).booked == 1
    # the reference is random, not the id (issue 16): it tells nothing of the next one
    assert got["id"] == a.id and a.ref == got["ref"] and refs.valid(got["ref"])
    second = world["boxes"][1]
    release(core, second)
    again = core.run(CLERK, book, **booking(second))
    assert again["id"] > got["id"] and refs.valid(again["ref"]) and again["ref"] != got["ref"]


def test_booking_refused_for_every_reason_at_once(core, world):
    box = world["boxes"][0]  # no releases at all, and a hold
    core.run(DISPATCHER, apply_hold, code="XRAY", reason="scan ordered", container=box)
    with pytest.raises(Refused) as exc:
        core.run(as_role(Role.TALLY_CLERK), book,
                 **booking(box, slot_start=SLOT - timedelta(hours=3), haulier="FWD1",
                           plate=" ", driver_name=""))
    assert exc.value.rules == [
        "role.not_permitted", "appointment.haulier", "appointment.no_right", "appointment.plate",
        "appointment.driver", "appointment.slot_past", "permission.customs_import",
        "permission.line_release", "hold.xray"]
    assert all(u.message and u.remedy for u in exc.value.unmet)


def test_booking_refused_when_booker_or_haulier_do_not_hold_the_right(core, world):
    box = world["boxes"][0]
    release(core, box, to="HAUL1")
    with pytest.raises(Refused) as exc:
        core.run(CLERK, book, **booking(box, haulier="HAUL2", by_party="FWD1"))
    assert exc.value.rules == ["appointment.haulier_not_holder", "appointment.not_holder"]


def test_box_not_yet_discharged_bookable_only_after_planned_discharge(core, world):
    box = world["advised"]
    release(core, box)
    with pytest.raises(Refused) as exc:
        core.run(CLERK, book, **booking(box))  # vessel's etd is tomorrow 08:00Z
    assert exc.value.rules == ["appointment.not_discharged"]
    got = core.run(CLERK, book, **booking(box, slot_start=SLOT + timedelta(days=1, hours=3)))
    assert got["slot_start"] == SLOT + timedelta(days=1, hours=3)


def test_one_live_appointment_per_box_and_slot_capacity(core, world):
    b = world["boxes"]
    for box in b[:3]:
        release(core, box)
    core.run(CLERK, book, **booking(b[0]))
    with pytest.raises(Refused) as exc:
        core.run(CLERK, book, **booking(b[0], slot_start=SLOT + timedelta(hours=2)))
    assert exc.value.rules == ["appointment.box_booked"]
    core.run(CLERK, book, **booking(b[1]))
    with pytest.raises(Refused) as exc:  # capacity 2
        core.run(CLERK, book, **booking(b[2]))
    assert exc.value.rules == ["appointment.slot_full"]
    core.run(CLERK, book, **booking(b[2], slot_start=SLOT + timedelta(hours=1)))


def test_cancel_frees_the_place_and_change_moves_it(core, engine, world):
    b = world["boxes"]
    for box in b[:3]:
        release(core, box)
    r0 = core.run(CLERK, book, **booking(b[0]))["ref"]
    r1 = core.run(CLERK, book, **booking(b[1]))["ref"]
    with pytest.raises(Refused) as exc:
        core.run(CLERK, cancel, ref=r0, reason="", by_party="FWD1")
    assert exc.value.rules == ["appointment.cancel.reason", "appointment.not_holder"]
    core.run(CLERK, cancel, ref=r0, reason="truck broke down", by_party="HAUL1")
    core.run(CLERK, book, **booking(b[2]))
    core.run(CLERK, change, ref=r1, by_party="HAUL1", slot_start=SLOT + timedelta(hours=4),
             plate="沪B99999")
    with Session(engine) as s:
        a = s.exec(select(Appointment).where(Appointment.ref == r1)).one()
        assert a.plate == "沪B99999" and a.changes == 1
        assert s.get(AppointmentSlot, a.slot_id).start == SLOT + timedelta(hours=4)
        slots = {x.start: x.booked for x in s.exec(select(AppointmentSlot))}
    assert slots[SLOT] == 1 and slots[SLOT + timedelta(hours=4)] == 1


def test_late_arrival_and_no_show_are_recorded(core, engine, clock, world):
    b = world["boxes"]
    for box in b[:2]:
        release(core, box)
    r0 = core.run(CLERK, book, **booking(b[0]))["ref"]
    r1 = core.run(CLERK, book, **booking(b[1]))["ref"]
    with pytest.raises(Refused) as exc:
        core.run(CLERK, no_show, ref=r0)
    assert exc.value.rules == ["appointment.window_open"]
    clock.advance(hours=1, minutes=31)
    core.run(CLERK, accept_late, ref=r1, reason="queue at the bridge")
    core.run(CLERK, no_show, ref=r0)
    assert core.run(CLERK, sweep_no_shows) == []  # r1's late arrival was accepted
    with Session(engine) as s:
        states = {a.ref: a.state for a in s.exec(select(Appointment))}
    assert states == {r0: "no_show", r1: "booked"}


def test_sweep_marks_every_expired_booking(core, engine, clock, world):
    b = world["boxes"]
    release(core, b[0])
    ref = core.run(CLERK, book, **booking(b[0]))["ref"]
    clock.advance(hours=2)
    assert core.run(CLERK, sweep_no_shows) == [ref]


def test_asking_why_not_for_a_new_slot_writes_nothing(core, engine, world, db_backend):
    """A check ("why not?") of a booking into a slot nobody booked yet judges an empty slot
    and makes no row: on SQLite it must not need the write lock another console holds."""
    import sqlite3

    box = world["boxes"][0]
    release(core, box)
    later = SLOT + timedelta(days=1)
    holder = None
    if db_backend == "sqlite":  # another console in the middle of a write
        holder = sqlite3.connect(engine.url.database, timeout=0.1, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
    try:
        assert core.check(CLERK, book, **booking(box, slot_start=later)) == []
    finally:
        if holder is not None:
            holder.execute("ROLLBACK")
            holder.close()
    with Session(engine) as s:
        assert s.exec(select(AppointmentSlot).where(AppointmentSlot.start == later)).first() \
            is None


def test_a_drawn_reference_already_taken_is_drawn_again(core, engine, world, monkeypatch):
    """The reference is drawn at random (on PostgreSQL the facts say whether it is taken, on
    SQLite too): one that is someone's already is never given twice nor refuses the
    booking."""
    from portops.ops import appointments

    b = world["boxes"]
    for box in b[:2]:
        release(core, box)
    first = core.run(CLERK, book, **booking(b[0]))
    drawn = iter([first["ref"], first["ref"]])  # the booking's draw, then unused_ref's first
    real = refs.new_ref
    monkeypatch.setattr(appointments, "new_ref", lambda prefix: next(drawn, None) or
                        real(prefix))
    monkeypatch.setattr(refs, "new_ref", lambda prefix: next(drawn, None) or real(prefix))
    second = core.run(CLERK, book, **booking(b[1]))
    assert second["ref"] != first["ref"] and refs.valid(second["ref"])
    with Session(engine) as s:
        assert s.get(Appointment, second["id"]).ref == second["ref"]


def test_asking_why_not_draws_no_reference(core, world):
    """On PostgreSQL a booking draws its id with its facts; a check ("why not?", asked as a
    clerk fills the form) must not, or the references would jump by every check."""
    b = world["boxes"]
    for box in b[:2]:
        release(core, box)
    first = core.run(CLERK, book, **booking(b[0]))
    for _ in range(3):
        assert core.check(CLERK, book, **booking(b[1])) == []
    assert core.run(CLERK, book, **booking(b[1]))["id"] == first["id"] + 1


def test_booking_after_the_slot_length_changed_cuts_the_new_grid(core, engine, world):
    """A booking reads the slot row the wanted time falls in with the box (one question); a
    row cut on the old grid (60 minutes) is not the new grid's slot (30 minutes)."""
    from portops.model import Terminal

    b = world["boxes"]
    for box in b[:3]:
        release(core, box)
    core.run(CLERK, book, **booking(b[0]))  # makes the 60-minute row 06:00-07:00
    with Session(engine) as s, s.begin():
        s.exec(select(Terminal)).one().appt_slot_minutes = 30
    half = core.run(CLERK, book, **booking(b[1], slot_start=SLOT + timedelta(minutes=40)))
    assert half["slot_start"] == SLOT + timedelta(minutes=30)
    same = core.run(CLERK, book, **booking(b[2], slot_start=SLOT + timedelta(minutes=10)))
    assert same["slot_start"] == SLOT  # the old row starts where the new grid's slot does
    with Session(engine) as s:
        rows = {r.start.replace(tzinfo=None): r.booked
                for r in s.exec(select(AppointmentSlot)).all()}
    assert rows == {SLOT.replace(tzinfo=None): 2,
                    (SLOT + timedelta(minutes=30)).replace(tzinfo=None): 1}


def test_a_refused_booking_into_a_new_slot_leaves_no_slot_row(core, engine, world):
    """The slot's row is made while the booking is judged; on PostgreSQL a booking reads
    outside a transaction until it writes (``late_begin``), so that write must begin one, or
    a refused booking would leave the row behind."""
    box = world["boxes"][0]  # not released: refused
    later = SLOT + timedelta(days=2)
    with pytest.raises(Refused) as refused:
        core.run(CLERK, book, **booking(box, slot_start=later))
    assert "appointment.no_right" in refused.value.rules
    with Session(engine) as s:
        assert s.exec(select(AppointmentSlot).where(AppointmentSlot.start == later)).first() \
            is None
