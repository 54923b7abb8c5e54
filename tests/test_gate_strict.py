# ruff: noqa: F401, F811 (export_terminal is a fixture imported from test_export)
"""Checks at the gate and at booking that once passed when they had to fail (issue 13): the
export gate check's seal and VGM, a booking's check digit, the in-gate EIR's title, the pickup
plan's labels, and the length and shape of what is typed."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from portops.model import AppointmentSlot, Container, Terminal, TruckVisit
from portops.ops import Refused
from portops.ops.appointments import book
from portops.ops.gate import admit, gate_out, hand_over, trouble
from portops.ops.receiving import receive
from portops.queries.gate import eir, eir_markdown
from portops.queries.pickup_plan import pickup_plan, pickup_plan_markdown
from tests.gate_world import CLERK, DISPATCHER, booking, build, release
from tests.test_export import BOX1, G, _book, export_terminal

ARRIVING = {"plate": "沪A12345", "haulier": "HAUL1", "driver_id": "D-310001"}


# -- the export gate check (验箱) ---------------------------------------------------------------

def test_a_changed_seal_is_refused_without_naming_the_declared_one(core, export_terminal, clock):
    appt = _book(core, clock, BOX1, seal="CN7300140")
    clock.advance(minutes=20)
    with pytest.raises(Refused) as exc:
        core.run(G, receive, lookup=appt["ref"], container=BOX1, size_type="45G1",
                 seal="CN7300999")
    assert exc.value.rules == ["export.inspection.seal.mismatch"]
    assert "CN7300999" in exc.value.unmet[0].message
    assert "CN7300140" not in exc.value.unmet[0].message
    core.run(G, receive, lookup=appt["ref"], container=BOX1, size_type="45G1",
             seal="cn7300140")  # read in small letters: the same seal


@pytest.mark.parametrize("vgm, rules", [
    (99_999, ["export.inspection.vgm.range", "export.inspection.vgm.declared"]),
    (1_000, ["export.inspection.vgm.range", "export.inspection.vgm.declared"]),
    (23_500, ["export.inspection.vgm.declared"]),  # 1,500 kg off 22,000: over 1 t
    (22_900, []),  # 900 kg: within min(5 %, 1 t)
])
def test_the_vgm_must_be_possible_and_near_the_declared_one(core, export_terminal, clock, vgm,
                                                           rules):
    appt = _book(core, clock, BOX1, seal="SL1")  # declared 22,000 kg
    clock.advance(minutes=20)
    args = dict(lookup=appt["ref"], container=BOX1, size_type="45G1", seal="SL1", vgm_kg=vgm)
    assert [u.rule for u in core.check(G, receive, **args)] == rules


def test_a_declared_vgm_no_box_can_weigh_is_refused(core, export_terminal, clock):
    # Since the booking form (cd11b93) the appointment refuses it when it is declared, so no
    # such box reaches the gate; a box booked without one and weighed at the gate still must be.
    with pytest.raises(Refused) as exc:
        _book(core, clock, BOX1, seal="SL1", vgm_kg=99_999)
    assert exc.value.rules == ["export.appointment.vgm_kg"]
    assert "30480" in exc.value.unmet[0].message
    appt = _book(core, clock, BOX1, seal="SL1", vgm_kg=None)
    clock.advance(minutes=20)
    with pytest.raises(Refused) as exc:
        core.run(G, receive, lookup=appt["ref"], container=BOX1, size_type="45G1", seal="SL1",
                 vgm_kg=99_999)
    assert exc.value.rules == ["export.inspection.vgm.range"]
    assert "30480" in exc.value.unmet[0].message


def test_the_vgm_tolerance_is_the_terminals(core, engine, export_terminal, clock):
    appt = _book(core, clock, BOX1, seal="SL1")
    clock.advance(minutes=20)
    args = dict(lookup=appt["ref"], container=BOX1, size_type="45G1", seal="SL1", vgm_kg=23_500)
    with Session(engine) as s, s.begin():
        t = s.exec(select(Terminal)).one()
        t.vgm_tolerance_pct, t.vgm_tolerance_kg = 10.0, 2000
    assert core.check(G, receive, **args) == []  # 1,500 kg: within 10 % of 22,000 and 2 t


def test_a_box_failing_its_check_goes_to_trouble_with_the_reasons_then_in(core, engine,
                                                                         export_terminal, clock):
    appt = _book(core, clock, BOX1, seal="CN7300140")
    clock.advance(minutes=20)
    read = {"container": BOX1, "size_type": "45G1", "seal": "CN7300999", "vgm_kg": 99_999,
            "damage": ""}
    tv_id = core.run(G, trouble, lookup=appt["ref"], plate="沪A12345", box=read)
    with Session(engine) as s:
        tv = s.get(TruckVisit, tv_id)
        assert tv.state == "trouble" and tv.note == appt["ref"]
        assert [r["rule"] for r in tv.trouble] == [
            "export.inspection.seal.mismatch", "export.inspection.vgm.range",
            "export.inspection.vgm.declared"]
    got = core.run(G, receive, lookup=appt["ref"], container=BOX1, size_type="45G1",
                   seal="CN7300140")
    assert got["truck_visit_id"] == tv_id  # the stopped truck, not a second one
    with Session(engine) as s:
        assert s.get(TruckVisit, tv_id).state == "admitted"


def test_the_readable_eir_of_an_export_in_gate_says_in_gate(core, engine, export_terminal, clock):
    appt = _book(core, clock, BOX1)
    clock.advance(minutes=20)
    got = core.run(G, receive, lookup=appt["ref"], container=BOX1, size_type="45G1", seal="SL1")
    with Session(engine) as s:
        text = eir_markdown(eir(s, number=got["eir"]), "Test Terminal")
    assert "in-gate (进场)" in text and "out-gate" not in text


# -- pickups ---------------------------------------------------------------------------------

@pytest.fixture
def world(core, engine, small_terminal):
    w = build(core, engine, small_terminal)
    for box in (w["boxes"][0], w["boxes"][1]):
        release(core, box)
    w["ref"] = core.run(CLERK, book, **booking(w["boxes"][0]))["ref"]
    return w


def test_a_bad_check_digit_in_a_booking_says_so(core, world):
    wrong = world["boxes"][1][:-1] + str((int(world["boxes"][1][-1]) + 1) % 10)
    with pytest.raises(Refused) as exc:
        core.run(CLERK, book, **booking(wrong))
    assert exc.value.rules == ["container.number"]
    assert "check digit" in exc.value.unmet[0].message
    assert "not at or expected" not in exc.value.unmet[0].message


def test_pickup_plan_says_where_a_box_without_yard_slot_is(core, engine, world):
    tv = core.run(CLERK, admit, lookup=world["ref"], **ARRIVING)["truck_visit_id"]
    core.run(DISPATCHER, hand_over, truck_visit_id=tv)
    with Session(engine) as s:
        plan = pickup_plan(s, date(2026, 11, 27))
    row = plan.slots[0].rows[0]
    assert row.where == "truck" and "on the truck" in row.place
    assert "not discharged" not in pickup_plan_markdown(plan)
    core.run(CLERK, gate_out, truck_visit_id=tv, container=world["boxes"][0], seal="SL0000")
    with Session(engine) as s:
        assert "gone out" in pickup_plan(s, date(2026, 11, 27)).slots[0].rows[0].place


def test_pickup_plan_heading_counts_what_it_lists(core, engine, world):
    with Session(engine) as s, s.begin():  # two export deliveries share the slot
        s.exec(select(AppointmentSlot)).one().booked += 2
    with Session(engine) as s:
        heading = pickup_plan(s, date(2026, 11, 27)).slots[0].heading
    assert heading == "14:00–15:00: 1 pickup(s); 3/20 places taken, 2 by export deliveries"


# -- what is typed -----------------------------------------------------------------------------

def test_a_400_character_plate_is_refused_and_named(core, engine, world):
    with pytest.raises(Refused) as exc:
        core.run(CLERK, book, **booking(world["boxes"][1], plate="沪A" + "1" * 400,
                                        driver_name="<b>Wang</b>"))
    assert exc.value.rules == ["appointment.plate.shape", "appointment.driver_name.shape"]
    plate, name = (u.message for u in exc.value.unmet)
    assert plate == "plate is 402 characters long; at most 16 fit"
    assert "'<'" in name and "driver's name" in name
    with Session(engine) as s:
        assert s.exec(select(Container).where(Container.number == world["boxes"][1])).one()


def test_a_typed_value_with_a_control_character_is_refused_at_the_gate(core, world):
    with pytest.raises(Refused) as exc:
        core.run(CLERK, admit, lookup=world["ref"], **dict(ARRIVING, driver_id="D-31\x1b0001"))
    assert exc.value.rules == ["gate.driver_id.shape"]


def test_a_reason_longer_than_a_note_is_refused_at_the_gate(core, world):
    from portops.ops.gate_return import out_empty

    tv = core.run(CLERK, admit, lookup=world["ref"], **ARRIVING)["truck_visit_id"]
    unmet = core.check(CLERK, out_empty, truck_visit_id=tv, reason="r" * 300)
    assert [u.rule for u in unmet] == ["gate.out_empty.reason.shape"]
