"""What the gate and yard read: the checks of one truck, trouble list, queue, EIR, pickup plan."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session

from portops.cli import main
from portops.formats.edifact.codeco import read_codeco
from portops.ops.appointments import book
from portops.ops.gate import admit, gate_out, hand_over, trouble
from portops.queries.gate import assess, gate_queue, trouble_list
from portops.queries.pickup_plan import pickup_plan
from tests.gate_world import CLERK, DISPATCHER, SLOT, booking, build, release

ARRIVING = {"plate": "沪A12345", "haulier": "HAUL1", "driver_id": "D-310001"}


@pytest.fixture
def world(core, engine, small_terminal):
    w = build(core, engine, small_terminal)
    for box in (w["boxes"][0], w["boxes"][1], w["top"]):
        release(core, box)
    w["ref"] = core.run(CLERK, book, **booking(w["boxes"][0]))["ref"]
    w["ref_top"] = core.run(CLERK, book, **booking(w["top"], plate="沪A55555",
                                                   slot_start=SLOT + timedelta(hours=3)))["ref"]
    return w


def test_assessment_lists_every_check_and_names_the_failed_ones(core, engine, clock, world):
    with Session(engine) as s:
        ok = assess(s, clock.now(), world["ref"], **ARRIVING)
        bad = assess(s, clock.now(), world["ref"], **dict(ARRIVING, plate="沪C1"))
        untyped = assess(s, clock.now(), world["ref"])
        none = assess(s, clock.now(), "沪Z0")
    assert ok.admissible and all(c.ok for c in ok.checks)
    assert ok.appointment.yard_slot == "A1 01-01-1" and ok.appointment.blockers == 1
    assert ok.appointment.slot_start.strftime("%H:%M") == "14:00"  # Shanghai time
    assert [c.name for c in bad.checks if not c.ok] == ["plate"]
    # nothing typed is nothing checked: the booking is not compared with itself
    assert [c.name for c in untyped.checks if not c.ok] == ["plate", "haulier", "driver"]
    assert not untyped.admissible
    assert not none.admissible and not none.checks[0].ok


def test_trouble_list_and_gate_queue_with_turn_times(core, engine, clock, world):
    core.run(CLERK, trouble, lookup="沪Z99999", plate="沪Z99999")
    core.run(CLERK, admit, lookup=world["ref"], **ARRIVING)
    clock.advance(minutes=42)
    with Session(engine) as s:
        t = trouble_list(s, clock.now())
        q = gate_queue(s, clock.now())
    assert [(r.plate, r.minutes) for r in t] == [("沪Z99999", 42)]
    assert "no appointment" in t[0].reasons[0]
    assert [(r.plate, r.minutes, r.yard_slot) for r in q] == [("沪A12345", 42, "A1 01-01-1")]


def test_pickup_plan_by_slot_with_relocations(core, engine, world, db_url, capsys):
    with Session(engine) as s:
        plan = pickup_plan(s, date(2026, 11, 27))
    assert [len(s.rows) for s in plan.slots] == [1, 1]
    first = plan.slots[0].rows[0]
    # the box on top leaves later, so collecting the one below costs a relocation
    assert (first.ref, first.yard_slot, first.relocations) == (world["ref"], "A1 01-01-1", 1)
    assert plan.relocations_before == 1
    capsys.readouterr()
    assert main(["--db", db_url, "export", "pickup-plan", "--date", "2026-11-27"]) == 0
    text = capsys.readouterr().out
    assert "# Pickup plan 提箱计划 — 2026-11-27" in text and "## 14:00–15:00: 1 pickup(s); 1/20 places taken" in text
    assert main(["--db", db_url, "export", "pickup-plan", "--date", "2026-11-27",
                 "--format", "csv"]) == 0
    assert capsys.readouterr().out.count("\n") == 3


def test_every_gate_out_gives_a_printable_eir_and_a_codeco(core, engine, world, db_url, capsys):
    tv = core.run(CLERK, admit, lookup=world["ref"], **ARRIVING)["truck_visit_id"]
    core.run(DISPATCHER, hand_over, truck_visit_id=tv)
    out = core.run(CLERK, gate_out, truck_visit_id=tv, container=world["boxes"][0],
                   seal="SL0000")
    capsys.readouterr()
    assert main(["--db", db_url, "export", "eir", "--id", str(out["eir_id"])]) == 0
    text = capsys.readouterr().out
    for expected in (world["boxes"][0], "22G1", "SL0000", "沪A12345", "Wang Wei", "HAUL1",
                     "intact", "2026-11-27 14:00"):
        assert expected in text
    assert main(["--db", db_url, "export", "eir", "--id", out["eir"], "--format", "edi"]) == 0
    report = read_codeco(capsys.readouterr().out)
    assert report.moves[0].box.number == world["boxes"][0]
    assert main(["--db", db_url, "export", "eir", "--id", "999"]) == 1
    assert "there is no EIR" in capsys.readouterr().err
