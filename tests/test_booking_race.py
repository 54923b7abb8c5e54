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
