"""Processes race to book one box where the terminal allows two open appointments per box.

Real processes on one database (SQLite and PostgreSQL): each booking reads the box's live
appointments and takes the lowest free place; the partial unique index over (box, place)
lets each place go to one appointment, so however many book at once, the box has at most the
setting's number of open appointments, each in its own place.
"""

from __future__ import annotations

import multiprocessing as mp
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from portops.clock import FixedClock
from portops.db import make_engine
from portops.model import Appointment, AppointmentSlot, Terminal
from portops.ops import Core, Refused
from portops.ops.appointments import book
from tests.gate_world import CLERK, SLOT, booking, build, release


def _book(db: str, box: str, hour: int, barrier, results) -> None:
    engine = make_engine(db)
    core = Core(engine, FixedClock(SLOT))
    barrier.wait()
    try:
        core.run(CLERK, book, **booking(box, plate=f"沪A{hour:05d}",
                                        slot_start=SLOT + timedelta(hours=hour)))
        results.put("booked")
    except Refused as exc:
        results.put(",".join(exc.rules))
    finally:
        engine.dispose()


@pytest.mark.parametrize(("per_box", "rule"), [(1, "appointment.box_booked"),
                                               (2, "appointment.box_max_open")])
def test_racing_bookings_never_give_a_box_more_open_appointments_than_allowed(
        core, engine, db_url, small_terminal, per_box, rule):
    """The losers are refused by the box's own rule, never a generic conflict: the index's
    refusal means the rule (``box_places.box_taken``)."""
    world = build(core, engine, small_terminal, boxes=1)
    box = world["boxes"][0]
    release(core, box)
    with Session(engine) as s, s.begin():  # set-up: the terminal allows so many per box
        s.exec(select(Terminal)).one().appt_max_open_per_box = per_box
    ctx = mp.get_context("fork")
    n = 6
    barrier, results = ctx.Barrier(n), ctx.Queue()
    procs = [ctx.Process(target=_book, args=(db_url, box, h, barrier, results))
             for h in range(1, n + 1)]
    for p in procs:
        p.start()
    outcome = [results.get(timeout=90) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert outcome.count("booked") == per_box, outcome
    assert {r for r in outcome if r != "booked"} <= {rule}, outcome
    with Session(engine) as s:
        live = s.exec(select(Appointment.live_seq, Appointment.slot_id).where(
            Appointment.state == "booked")).all()
        counted = sum(s.exec(select(AppointmentSlot.booked)).all())
    assert sorted(seq for seq, _ in live) == list(range(1, per_box + 1))
    assert counted == per_box  # a refused booking counted no place
