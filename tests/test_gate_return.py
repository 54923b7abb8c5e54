"""A refused gate-out: the box goes back to the yard with the reason, the truck leaves empty."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from portops.model import Appointment, Container, Event, TruckVisit
from portops.ops import Refused
from portops.ops.appointments import book
from portops.ops.flags import apply_hold
from portops.ops.gate import admit, gate_out, hand_over
from portops.ops.gate_return import out_empty, return_to_yard
from tests.gate_world import CLERK, DISPATCHER, booking, build, release

ARRIVING = {"plate": "沪A12345", "haulier": "HAUL1", "driver_id": "D-310001"}


@pytest.fixture
def loaded(core, engine, small_terminal):
    """A truck with box 0 on it (box 'top' was moved off it), refused at the out-gate."""
    w = build(core, engine, small_terminal)
    release(core, w["boxes"][0])
    ref = core.run(CLERK, book, **booking(w["boxes"][0]))["ref"]
    w["tv"] = core.run(CLERK, admit, lookup=ref, **ARRIVING)["truck_visit_id"]
    core.run(DISPATCHER, hand_over, truck_visit_id=w["tv"])
    core.run(DISPATCHER, apply_hold, code="INSPECTION", reason="customs exam",
             container=w["boxes"][0])
    with pytest.raises(Refused):
        core.run(CLERK, gate_out, truck_visit_id=w["tv"], container=w["boxes"][0],
                 seal="SL0000")
    w["ref"] = ref
    return w


def _state(engine, number):
    with Session(engine) as s:
        c = s.exec(select(Container).where(Container.number == number)).one()
        appt = s.exec(select(Appointment)).one()
        tv = s.exec(select(TruckVisit)).one()
        return c, appt, tv


def test_box_goes_back_to_its_old_slot_and_the_truck_leaves_empty(core, engine, loaded):
    box = loaded["boxes"][0]
    got = core.run(CLERK, return_to_yard, truck_visit_id=loaded["tv"],
                   reason="inspection hold put on after hand-over")
    assert got == {"container": box, "yard_slot": "A1 01-01-1", "slot_chosen": "old",
                   "appointment": loaded["ref"]}
    c, appt, tv = _state(engine, box)
    assert (c.location, c.yard_bay, c.yard_row, c.yard_tier) == ("yard", 1, 1, 1)
    assert appt.state == "refused" and "inspection hold" in appt.end_reason
    assert tv.state == "returned"
    with pytest.raises(Refused) as exc:  # the box is back: nothing left to return
        core.run(CLERK, return_to_yard, truck_visit_id=loaded["tv"], reason="again")
    assert exc.value.rules == ["gate.return.state"]
    out = core.run(CLERK, out_empty, truck_visit_id=loaded["tv"])
    assert out == {"plate": "沪A12345", "container_left_in_yard": box}
    c, appt, tv = _state(engine, box)
    assert tv.state == "out" and c.location == "yard"
    with Session(engine) as s:
        ev = s.exec(select(Event).where(Event.operation == "gate.out_empty")).one()
        assert ev.data["empty"] is True and ev.data["container_left_in_yard"] == box
        ev = s.exec(select(Event).where(Event.operation == "gate.return_to_yard")).one()
        assert ev.data["reason"] == "inspection hold put on after hand-over"


def test_old_slot_taken_the_planner_chooses_and_a_named_slot_is_checked(core, engine, loaded):
    box = loaded["boxes"][0]
    with Session(engine) as s, s.begin():  # another box was put into the old slot meanwhile
        top = s.exec(select(Container).where(Container.number == loaded["top"])).one()
        top.yard_row, top.yard_tier = 1, 1
    with pytest.raises(Refused) as exc:
        core.run(CLERK, return_to_yard, truck_visit_id=loaded["tv"], reason="seal broken",
                 block="A1", bay=1, row=1, tier=3)
    assert exc.value.rules == ["yard.slot.floating"]
    with pytest.raises(Refused) as exc:
        core.run(CLERK, return_to_yard, truck_visit_id=loaded["tv"], reason=" ")
    assert exc.value.rules == ["gate.return.reason"]
    got = core.run(CLERK, return_to_yard, truck_visit_id=loaded["tv"], reason="seal broken")
    assert got["slot_chosen"] == "planned" and got["yard_slot"] != "A1 01-01-1"
    c, _appt, _tv = _state(engine, box)
    assert c.location == "yard"


def test_a_truck_admitted_but_never_loaded_leaves_empty_with_a_reason(core, engine,
                                                                      small_terminal):
    w = build(core, engine, small_terminal)
    release(core, w["boxes"][0])
    ref = core.run(CLERK, book, **booking(w["boxes"][0]))["ref"]
    tv = core.run(CLERK, admit, lookup=ref, **ARRIVING)["truck_visit_id"]
    with pytest.raises(Refused) as exc:
        core.run(CLERK, out_empty, truck_visit_id=tv)
    assert exc.value.rules == ["gate.out_empty.reason"]
    core.run(CLERK, out_empty, truck_visit_id=tv, reason="X-ray hold found in the yard")
    c, appt, truck = _state(engine, w["boxes"][0])
    assert appt.state == "refused" and truck.state == "out" and c.location == "yard"
