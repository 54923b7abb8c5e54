"""Several processes book the last places of one slot, and the same box, at the same moment.

Real processes on one database (SQLite: WAL, BEGIN IMMEDIATE; PostgreSQL: the slot row
locked FOR UPDATE): the slot row is the lock, the partial
unique index the last word. No overbooking, no double booking, and the slot's counter agrees
with the appointments.
"""

from __future__ import annotations

import multiprocessing as mp

from sqlmodel import Session, func, select

from portops.clock import FixedClock
from portops.db import make_engine
from portops.model import Appointment, AppointmentSlot
from portops.ops import Core, Refused
from portops.ops.appointments import book
from tests.gate_world import CLERK, SLOT, booking, build, release


def _book(db: str, box: str, plate: str, barrier, results) -> None:
    engine = make_engine(db)
    core = Core(engine, FixedClock(SLOT))
    barrier.wait()
    try:
        core.run(CLERK, book, **booking(box, plate=plate))
        results.put((box, "booked"))
    except Refused as exc:
        results.put((box, ",".join(exc.rules)))
    finally:
        engine.dispose()


def test_processes_never_overbook_a_slot_nor_double_book_a_box(core, engine, db_url,
                                                              small_terminal):
    world = build(core, engine, small_terminal, boxes=5, capacity=3)
    boxes = world["boxes"]
    for b in boxes:
        release(core, b)
    core.run(CLERK, book, **booking(boxes[4]))  # one place taken: two left
    # four different boxes race for two places; boxes[0] is booked by three trucks at once
    wanted = [boxes[0], boxes[0], boxes[0], boxes[1], boxes[2], boxes[3]]
    ctx = mp.get_context("fork")
    barrier, results = ctx.Barrier(len(wanted)), ctx.Queue()
    procs = [ctx.Process(target=_book, args=(db_url, b, f"沪A{i:05d}", barrier, results))
             for i, b in enumerate(wanted)]
    for p in procs:
        p.start()
    outcome = [results.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    booked = [b for b, r in outcome if r == "booked"]
    assert len(booked) == 2 and len(set(booked)) == 2
    refusals = {r for _, r in outcome if r != "booked"}
    assert refusals <= {"appointment.slot_full", "appointment.box_booked",
                        "appointment.box_booked,appointment.slot_full", "db.conflict"}
    with Session(engine) as s:
        slot = s.exec(select(AppointmentSlot)).one()
        live = s.exec(select(func.count()).select_from(Appointment).where(
            Appointment.state == "booked")).one()
        per_box = s.exec(select(Appointment.container_id, func.count()).group_by(
            Appointment.container_id)).all()
    assert slot.booked == live == 3 == slot.capacity
    assert all(n == 1 for _, n in per_box)


def test_the_database_refuses_a_count_over_the_capacity(core, engine, small_terminal):
    """The slot's count is kept within its capacity by the database itself, whatever writes."""
    import pytest
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    world = build(core, engine, small_terminal, boxes=1, capacity=1)
    release(core, world["boxes"][0])
    core.run(CLERK, book, **booking(world["boxes"][0]))
    with pytest.raises(IntegrityError, match="ck_appointment_slot_room"), \
            Session(engine) as s, s.begin():
        s.execute(text("UPDATE appointment_slot SET booked = booked + 1"))
    with Session(engine) as s:
        assert s.exec(select(AppointmentSlot)).one().booked == 1


def test_last_place_taken_while_a_booking_was_judged_is_refused_as_full(
        core, engine, db_backend, small_terminal):
    """PostgreSQL: the booking judged the slot with a place left (as last committed), and
    another clerk's booking holds the last place uncommitted; the count, the booking's last
    statement, waits for it and the database refuses it. Nothing of the booking is kept."""
    import threading

    import pytest
    from sqlalchemy import text

    if db_backend != "postgresql":
        pytest.skip("SQLite has one writer at a time: the booking would judge the full slot")
    world = build(core, engine, small_terminal, boxes=2, capacity=2)
    for b in world["boxes"]:
        release(core, b)
    core.run(CLERK, book, **booking(world["boxes"][0]))  # one place left
    other = engine.connect()
    other.begin()
    other.execute(text("UPDATE appointment_slot SET booked = booked + 1"))  # not committed
    events_before = core_events(engine)
    outcome: list = []

    def clerk() -> None:
        try:
            outcome.append(core.run(CLERK, book, **booking(world["boxes"][1])))
        except Refused as exc:
            outcome.append(exc)

    t = threading.Thread(target=clerk)
    t.start()
    try:
        waiting = False
        for _ in range(500):  # the count waits for the other clerk's lock on the slot row
            with engine.connect() as probe:
                waiting = probe.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND query LIKE '%UPDATE appointment_slot SET booked%'")).scalar() == 1
            if waiting:
                break
            t.join(0.01)
        assert waiting, "the booking's count did not wait for the slot's row"
    finally:
        other.commit()
        other.close()
    t.join(30)
    (got,) = outcome
    assert isinstance(got, Refused) and got.rules == ["appointment.slot_full"]
    assert got.unmet[0].params["booked"] == got.unmet[0].params["capacity"] == 2
    with Session(engine) as s:
        assert s.exec(select(AppointmentSlot)).one().booked == 2
        assert s.exec(select(func.count()).select_from(Appointment)).one() == 1
    assert core_events(engine) == events_before


def core_events(engine) -> int:
    from portops.model import Event

    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(Event)).one()
