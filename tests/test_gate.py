"""The gate: in with every check re-made, trouble with every reason, hand-over, out with EIR."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from portops.formats.edifact.codeco import read_codeco
from portops.model import Appointment, Container, Eir, Event, Flag, TruckVisit
from portops.ops import Refused
from portops.ops.appointments import accept_late, book
from portops.ops.flags import apply_hold, revoke_permission
from portops.ops.gate import admit, gate_out, hand_over, trouble, turn_away
from tests.gate_world import CLERK, DISPATCHER, booking, build, release

ARRIVING = {"plate": "沪A 12345", "haulier": "HAUL1", "driver_id": "d-310001"}


@pytest.fixture
def world(core, engine, small_terminal):
    w = build(core, engine, small_terminal)
    release(core, w["boxes"][0])
    w["ref"] = core.run(CLERK, book, **booking(w["boxes"][0]))["ref"]
    return w


def _truck(engine, tv_id) -> TruckVisit:
    with Session(engine) as s:
        return s.get(TruckVisit, tv_id)


def test_valid_appointment_in_yard_and_out(core, engine, clock, world):
    box = world["boxes"][0]
    got = core.run(CLERK, admit, lookup="沪A12345", **ARRIVING)  # by plate
    assert got["yard_slot"] == "A1 01-01-1" and got["relocations_planned"] == 1
    clock.advance(minutes=20)
    moved = core.run(DISPATCHER, hand_over, truck_visit_id=got["truck_visit_id"])
    assert moved["relocations"] == 1 and moved["moves"][0]["container"] == world["top"]
    clock.advance(minutes=15)
    out = core.run(CLERK, gate_out, truck_visit_id=got["truck_visit_id"], container=box,
                   seal="SL0000", damage="dent left side")
    with Session(engine) as s:
        c = s.exec(select(Container).where(Container.number == box)).one()
        assert c.location == "gone" and c.time_out == clock.now()
        top = s.exec(select(Container).where(Container.number == world["top"])).one()
        assert top.location == "yard" and top.yard_row != 1 and top.yard_bay == 1
        eir = s.get(Eir, out["eir_id"])
        assert (eir.plate, eir.seals, eir.damage) == ("沪A12345", "SL0000", "dent left side")
        assert s.exec(select(Appointment)).one().state == "completed"
        tv = s.get(TruckVisit, got["truck_visit_id"])
        assert tv.state == "out" and tv.relocations == 1
    report = read_codeco(eir.codeco, "codeco")
    assert report.direction == "gate-out" and len(report.moves) == 1
    move = report.moves[0]
    assert (move.box.number, move.box.seals, move.truck_plate, move.haulier, move.eir) == (
        box, ["SL0000"], "沪A12345", "HAUL1", eir.number)
    assert move.at == clock.now() and move.damage[0].note == "dent left side"

def test_lost_customs_release_after_booking_is_refused_at_the_gate(core, engine, world):
    with Session(engine) as s:
        fid = s.exec(select(Flag.id).where(Flag.type_code == "CUSTOMS_IMPORT")).one()
    core.run(DISPATCHER, revoke_permission, flag_id=fid, reason="customs re-examination")
    with pytest.raises(Refused) as exc:
        core.run(CLERK, admit, lookup=world["ref"], **ARRIVING)
    assert exc.value.rules == ["permission.customs_import"]
    tv = core.run(CLERK, trouble, lookup=world["ref"], **ARRIVING)
    assert [r["rule"] for r in _truck(engine, tv).trouble] == ["permission.customs_import"]


def test_wrong_plate_haulier_and_driver_go_to_trouble_with_every_reason(core, engine, world):
    wrong = {"plate": "沪C00000", "haulier": "HAUL2", "driver_id": "X"}
    with pytest.raises(Refused) as exc:
        core.run(CLERK, admit, lookup=world["ref"], **wrong)
    # the right to collect is judged for the nominated haulier (naming its holder would tell
    # the clerk the expected code): the wrong haulier is its own rule
    assert exc.value.rules == ["gate.plate", "gate.haulier", "gate.driver"]
    texts = " ".join(u.message for u in exc.value.unmet)
    assert "沪C00000" in texts and "沪A12345" not in texts and "D-310001" not in texts
    assert "HAUL1" not in texts
    tv = core.run(CLERK, trouble, lookup=world["ref"], **wrong)
    assert _truck(engine, tv).state == "trouble"
    # the right truck shows up after all: admitted from the trouble list, same truck visit
    got = core.run(CLERK, admit, lookup=world["ref"], **ARRIVING)
    assert got["truck_visit_id"] == tv and _truck(engine, tv).state == "admitted"


def test_unknown_truck_goes_to_trouble_and_is_turned_away(core, engine, world):
    tv = core.run(CLERK, trouble, lookup="沪Z99999", plate="沪Z99999")
    assert _truck(engine, tv).trouble[0]["rule"] == "gate.no_appointment"
    with pytest.raises(Refused) as exc:
        core.run(CLERK, turn_away, truck_visit_id=tv, reason="")
    assert exc.value.rules == ["gate.turn_away.reason"]
    core.run(CLERK, turn_away, truck_visit_id=tv, reason="no appointment")
    assert _truck(engine, tv).state == "turned_away"


def test_trouble_needs_a_reason_when_every_check_passes(core, world):
    with pytest.raises(Refused) as exc:
        core.run(CLERK, trouble, lookup=world["ref"], **ARRIVING)
    assert exc.value.rules == ["gate.trouble.reason"]


def test_early_and_late_trucks(core, clock, world):
    clock.advance(minutes=-31)
    with pytest.raises(Refused) as exc:
        core.run(CLERK, admit, lookup=world["ref"], **ARRIVING)
    assert exc.value.rules == ["gate.early"]
    clock.advance(hours=2, minutes=2)
    with pytest.raises(Refused) as exc:
        core.run(CLERK, admit, lookup=world["ref"], **ARRIVING)
    assert exc.value.rules == ["gate.late"]
    core.run(CLERK, accept_late, ref=world["ref"], reason="accident on the bridge")
    core.run(CLERK, admit, lookup=world["ref"], **ARRIVING)


def test_gate_out_checks_box_seal_and_holds_again(core, engine, world):
    box = world["boxes"][0]
    tv = core.run(CLERK, admit, lookup=world["ref"], **ARRIVING)["truck_visit_id"]
    with pytest.raises(Refused) as exc:  # not yet loaded
        core.run(CLERK, gate_out, truck_visit_id=tv, container=box, seal="SL0000")
    assert exc.value.rules == ["gate.out.state"]
    core.run(DISPATCHER, hand_over, truck_visit_id=tv)
    core.run(DISPATCHER, apply_hold, code="INSPECTION", reason="customs exam", container=box)
    with pytest.raises(Refused) as exc:
        core.run(CLERK, gate_out, truck_visit_id=tv, container=world["boxes"][1], seal="SL9")
    assert exc.value.rules == ["gate.out.container", "gate.out.seal", "hold.inspection"]
    with Session(engine) as s:
        assert s.exec(select(Eir)).first() is None
        assert s.exec(select(Event).where(Event.operation == "gate.out")).first() is None
