"""The gate clerk records a truck's arrival from the appointments list (F9, b, w): its wait
until admitted is the terminal's delay when it came in time (issue 18)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from portops.model import GateArrival
from portops.ops.appointments import book
from portops.queries.delays import terminal_delays
from tests.gate_world import CLERK, SLOT, booking, build, release
from tests.ui.conftest import wait_for
from tests.ui.test_gate_console import PLATE, _gate


@pytest.fixture
def world(core, engine, small_terminal):
    w = build(core, engine, small_terminal)
    release(core, w["boxes"][0])
    w["ref"] = core.run(CLERK, book, **booking(w["boxes"][0], plate=PLATE))["ref"]
    return w


async def test_the_clerk_records_an_arrival_and_the_delay_is_counted(console, clock, core,
                                                                     engine, world) -> None:
    from portops.ops.gate import admit

    clock.advance(minutes=5)
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _gate(pilot)
        await pilot.press("escape", "b")
        await wait_for(pilot, lambda: app.screen.query("#rows")
                       and app.screen.query_one("#rows").row_count == 1, what="appointments")
        await pilot.press("w")

        def arrived():
            with Session(engine) as s:
                return s.exec(select(GateArrival.arrived_at)).first()

        await wait_for(pilot, lambda: arrived() is not None, what="arrival recorded")
        assert arrived() == SLOT + timedelta(minutes=5)
        await pilot.press("w")  # the first arrival counts: refused, nothing changed
        await wait_for(pilot, lambda: any("gate.arrive.recorded" in str(n.message)
                                          for n in app._notifications), what="refusal")
    clock.advance(minutes=30)
    core.run(CLERK, admit, lookup=world["ref"], plate=PLATE, haulier="HAUL1",
             driver_id="D-310001")
    rows = terminal_delays(engine, SLOT, SLOT + timedelta(hours=1))
    assert [(r.ref, r.minutes) for r in rows] == [(world["ref"], 30)]
