"""Processes book the same box round after round on their own connection.

A losing booking on PostgreSQL ends in an aborted pipeline (its last write refused by the
database). Whatever psycopg believed prepared in that pipeline must not outlive it: the next
booking on the same connection once failed with ``prepared statement "_pg3_N" does not
exist`` instead of booking or being refused.
"""

from __future__ import annotations

import multiprocessing as mp

from portops.clock import FixedClock
from portops.db import make_engine
from portops.ops import Core, Refused
from portops.ops.appointments import book
from tests.gate_world import CLERK, SLOT, booking, build, release

ROUNDS = 12
RACERS = 8


def _rounds(db: str, me: int, boxes: list[str], barrier, results) -> None:
    engine = make_engine(db)
    core = Core(engine, FixedClock(SLOT))
    try:
        for box in boxes:
            barrier.wait()
            try:
                core.run(CLERK, book, **booking(box, plate=f"沪A{me:02d}{len(box):03d}"))
                results.put("booked")
            except Refused as exc:
                results.put(",".join(exc.rules))
            except Exception as exc:  # noqa: BLE001 - the defect: reported, not raised
                results.put(f"error: {type(exc).__name__}: {exc}")
    finally:
        engine.dispose()


def test_losing_a_race_leaves_the_connection_fit_for_the_next_booking(core, engine, db_url,
                                                                      small_terminal):
    world = build(core, engine, small_terminal, boxes=ROUNDS, capacity=ROUNDS * RACERS)
    for b in world["boxes"]:
        release(core, b)
    ctx = mp.get_context("fork")
    barrier, results = ctx.Barrier(RACERS), ctx.Queue()
    procs = [ctx.Process(target=_rounds, args=(db_url, i, world["boxes"], barrier, results))
             for i in range(RACERS)]
    for p in procs:
        p.start()
    outcome = [results.get(timeout=120) for _ in range(ROUNDS * RACERS)]
    for p in procs:
        p.join(timeout=60)
    errors = [o for o in outcome if o.startswith("error")]
    assert errors == []
    assert outcome.count("booked") == ROUNDS
    assert set(outcome) <= {"booked", "appointment.box_booked", "db.conflict"}
