"""The gate clerk at the console: a refused gate-out, the box back to the yard, out empty."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from portops.model import Appointment, Container, Eir, TruckVisit
from portops.ops.appointments import book
from portops.ops.gate import admit, hand_over
from portops.ui.screens.gate_lists import parse_slot
from tests.gate_world import CLERK, DISPATCHER, booking, build, release
from tests.ui.conftest import gate_queue, text_of, wait_for

PLATE = "SHA12345"


@pytest.fixture
def loaded(core, engine, small_terminal):
    w = build(core, engine, small_terminal)
    release(core, w["boxes"][1])  # another truck in the queue first: the cursor must stay put
    other = core.run(CLERK, book, **booking(w["boxes"][1], plate="SHA99999"))["ref"]
    core.run(CLERK, admit, lookup=other, plate="SHA99999", haulier="HAUL1",
             driver_id="D-310001")
    release(core, w["boxes"][0])
    ref = core.run(CLERK, book, **booking(w["boxes"][0], plate=PLATE))["ref"]
    tv = core.run(CLERK, admit, lookup=ref, plate=PLATE, haulier="HAUL1",
                  driver_id="D-310001")["truck_visit_id"]
    core.run(DISPATCHER, hand_over, truck_visit_id=tv)
    return w


def _truck(engine) -> TruckVisit:
    with Session(engine) as s:
        return s.exec(select(TruckVisit).where(TruckVisit.plate == PLATE)).one()


def test_a_slot_is_typed_as_block_bay_row_tier() -> None:
    assert parse_slot("") == {}
    assert parse_slot("a1 3-2 1") == {"block": "a1", "bay": 3, "row": 2, "tier": 1}
    assert parse_slot("A1 3 x 1") is None and parse_slot("A1 3") is None


async def test_refused_gate_out_then_back_to_yard_and_out_empty(console, engine,
                                                                loaded) -> None:
    box = loaded["boxes"][0]
    app = console()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await gate_queue(pilot, 2)
        queue = app.screen
        await pilot.press("down")  # the second truck: ours
        await pilot.press("o")  # gate out: the seal read at the gate is not the one handed over
        await wait_for(pilot, lambda: app.screen.query("#f-container"), what="gate-out form")
        await pilot.press(*box, "tab", *"SL9999", "enter")
        form = app.screen
        # refused: the form stays open with what was typed, the cursor on the seal
        await wait_for(pilot, lambda: "gate.out.seal" in text_of(form.query_one("#form-error"))
                       and form.focused is form.query_one("#f-seal"), what="refusal")
        assert form.query_one("#f-container").value == box
        assert _truck(engine).state == "loaded"
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is queue, what="back to the queue")
        await pilot.press("r")  # back to the yard, with the reason; its old slot
        await wait_for(pilot, lambda: app.screen.query("#f-reason"), what="return form")
        await pilot.press(*"seal mismatch", "enter")
        await wait_for(pilot, lambda: _truck(engine).state == "returned", what="returned")
        await wait_for(pilot, lambda: [r.state for r in queue.rows.values()] == ["admitted", "returned"],
                       what="queue shows the returned truck")
        await pilot.press("e")  # the truck leaves empty
        await wait_for(pilot, lambda: _truck(engine).state == "out", what="out empty")
    with Session(engine) as s:
        c = s.exec(select(Container).where(Container.number == box)).one()
        assert (c.location, c.yard_bay, c.yard_row, c.yard_tier) == ("yard", 1, 1, 1)
        appt = s.exec(select(Appointment).where(Appointment.plate == PLATE)).one()
        assert appt.state == "refused" and appt.end_reason == "seal mismatch"
        assert s.exec(select(Eir)).first() is None
