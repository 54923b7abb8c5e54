"""Discharge execution and the tally: port-entry rule, confirmations, over/short, report."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from portops.model import Container, DischargeItem, Event, Flag, Role, VesselVisit, Where
from portops.ops import Refused
from portops.ops.discharge import make_plan
from portops.ops.flags import grant_permission
from portops.ops.tally import complete, confirm, report_sent, short_land
from portops.ops.visits import arrive, berth
from portops.ops.yard import plan as yard_plan
from portops.queries.discharge import late_tally_reports, render_tally_report, tally_report
from tests.conftest import as_role
from tests.discharge_fixtures import number, stow, yard

PLANNER, CLERK, DISPATCHER = (as_role(r) for r in (Role.YARD_PLANNER, Role.TALLY_CLERK,
                                                   Role.DISPATCHER))


@pytest.fixture
def planned(core, engine, small_terminal):
    yard(engine)
    visit = small_terminal["visit"]
    numbers = stow(engine, visit, [
        dict(slot=(2, 1, 82), size_type="42G1", gross_kg=25000, bl_number="BL1", seals="S1"),
        dict(slot=(2, 2, 82), size_type="42G1", gross_kg=20000, bl_number="BL1", seals="S2"),
        dict(slot=(1, 1, 4), size_type="22G1", gross_kg=12000, seals="S3"),
    ])
    core.run(PLANNER, make_plan, visit_id=visit)
    core.run(PLANNER, yard_plan, visit_id=visit)
    return {"visit": visit, "numbers": numbers}


def ready(core, visit):
    core.run(DISPATCHER, arrive, visit_id=visit)
    core.run(DISPATCHER, berth, visit_id=visit)
    core.run(DISPATCHER, grant_permission, code="PORT_ENTRY", reference="MSA-2026-0815",
             visit_id=visit)


def phase(engine, visit) -> str:
    with Session(engine) as s:
        return s.get(VesselVisit, visit).phase


def box(engine, num) -> Container:
    with Session(engine) as s:
        return s.exec(select(Container).where(Container.number == num)).one()


def test_discharge_refused_before_berthing_and_port_entry(core, engine, planned):
    with pytest.raises(Refused) as exc:
        core.run(CLERK, confirm, visit_id=planned["visit"], number=planned["numbers"][0])
    assert set(exc.value.rules) == {"discharge.visit.phase", "permission.port_entry"}
    core.run(DISPATCHER, arrive, visit_id=planned["visit"])
    core.run(DISPATCHER, berth, visit_id=planned["visit"])
    with pytest.raises(Refused) as exc:
        core.run(CLERK, confirm, visit_id=planned["visit"], number=planned["numbers"][0])
    assert exc.value.rules == ["permission.port_entry"]
    assert core.check(CLERK, confirm, visit_id=planned["visit"], number=planned["numbers"][0])


def test_confirm_puts_the_box_in_its_planned_slot_and_starts_work(core, engine, planned):
    ready(core, planned["visit"])
    n = planned["numbers"][1]  # the lighter box of B/L BL1: planned on tier 2
    out = core.run(CLERK, confirm, visit_id=planned["visit"], number=n.lower(), seal="S2")
    assert out["status"] == "discharged"
    assert phase(engine, planned["visit"]) == "working"
    c = box(engine, n)
    assert c.location == Where.YARD and c.visit_id is None and c.time_in is not None
    assert c.yard_tier == 1  # its planned tier 2 would float: lowest free tier of the stack
    with Session(engine) as s:
        ev = s.exec(select(Event).where(Event.operation == "discharge.confirm")).one()
        item = s.exec(select(DischargeItem).where(DischargeItem.number == n)).one()
    assert ev.subject_ref == n and ev.data["status"] == "discharged"
    assert ev.data["phase_to"] == "working"
    assert item.seal_ok is True and item.tallied_by == CLERK
    heavy = planned["numbers"][0]
    core.run(CLERK, confirm, visit_id=planned["visit"], number=heavy, seal="S1")
    assert box(engine, heavy).yard_tier == 2


def test_confirm_refusals_are_listed_together(core, engine, planned):
    ready(core, planned["visit"])
    with pytest.raises(Refused) as exc:
        core.run(CLERK, confirm, visit_id=planned["visit"], number="TSTU0000013",
                 damage="DT, XX")
    assert set(exc.value.rules) == {"discharge.number.invalid", "discharge.damage.code"}
    with pytest.raises(Refused) as exc:
        core.run(CLERK, confirm, visit_id=planned["visit"], number=number("OVR", 1),
                 damage_note="dent")
    assert set(exc.value.rules) == {"discharge.not_on_plan", "discharge.damage.note_only"}
    core.run(CLERK, confirm, visit_id=planned["visit"], number=planned["numbers"][2])
    with pytest.raises(Refused) as exc:
        core.run(CLERK, confirm, visit_id=planned["visit"], number=planned["numbers"][2])
    assert exc.value.rules == ["discharge.already"]


def test_damage_and_seal_discrepancy_are_recorded_with_a_damage_hold(core, engine, planned):
    ready(core, planned["visit"])
    n = planned["numbers"][2]
    core.run(CLERK, confirm, visit_id=planned["visit"], number=n, seal="X9",
             damage="dt ho", damage_note="door panel")
    c = box(engine, n)
    assert c.damage == "DT dented, HO holed: door panel"
    with Session(engine) as s:
        hold = s.exec(select(Flag).where(Flag.container_id == c.id)).one()
        item = s.exec(select(DischargeItem).where(DischargeItem.number == n)).one()
    assert (hold.type_code, hold.state) == ("DAMAGE", "active")
    assert item.seal_ok is False and item.damage_codes == "DT,HO"


def test_over_landed_box_is_recorded_and_placed(core, engine, planned):
    ready(core, planned["visit"])
    n = number("OVR", 7)
    with pytest.raises(Refused) as exc:
        core.run(CLERK, confirm, visit_id=planned["visit"], number=n, over_landed=True)
    assert exc.value.rules == ["discharge.over.size_type"]
    core.run(CLERK, confirm, visit_id=planned["visit"], number=n, over_landed=True,
             size_type="22G1", block="A", bay=5, row=3, tier=1)
    c = box(engine, n)
    assert (c.location, c.yard_bay, c.yard_row, c.yard_tier) == ("yard", 5, 3, 1)
    n2 = number("OVR", 8)
    out = core.run(CLERK, confirm, visit_id=planned["visit"], number=n2, over_landed=True,
                   size_type="22G1")  # no slot given: the yard planner's rules choose one
    assert out["status"] == "over" and box(engine, n2).location == "yard"


def test_actual_slot_given_is_checked_like_a_plan(core, engine, planned):
    ready(core, planned["visit"])
    with pytest.raises(Refused) as exc:
        core.run(CLERK, confirm, visit_id=planned["visit"], number=planned["numbers"][0],
                 block="E", bay=3, row=1, tier=2)
    assert set(exc.value.rules) == {"yard.slot.purpose", "yard.slot.even_bay"}


def test_short_landed_complete_and_the_tally_report(core, engine, planned, clock):
    ready(core, planned["visit"])
    a, b, c = planned["numbers"]
    core.run(CLERK, confirm, visit_id=planned["visit"], number=c, damage="DT")
    core.run(CLERK, short_land, visit_id=planned["visit"], number=b, note="not found in bay 02")
    core.run(CLERK, confirm, visit_id=planned["visit"], number=number("OVR", 3),
             over_landed=True, size_type="22G1")
    with pytest.raises(Refused) as exc:
        core.run(CLERK, short_land, visit_id=planned["visit"], number=b)
    assert exc.value.rules == ["discharge.short.not_planned"]
    out = core.run(CLERK, complete, visit_id=planned["visit"])
    # box a was never discharged, box b was recorded short before: two short in all
    assert out == {"short_landed": 2, "left_short": 1}
    with pytest.raises(Refused) as exc:
        core.run(CLERK, confirm, visit_id=planned["visit"], number=a)
    assert exc.value.rules == ["discharge.completed"]
    with Session(engine) as s:
        rep = tally_report(s, planned["visit"])
        assert late_tally_reports(s, clock.now() + timedelta(hours=5)) == []
        late = late_tally_reports(s, clock.now() + timedelta(hours=7))
    assert [ln.number for ln in rep.of("short")] == sorted([a, b]) or \
        {ln.number for ln in rep.of("short")} == {a, b}
    assert [ln.number for ln in rep.of("over")] == [number("OVR", 3)]
    assert [ln.number for ln in rep.damaged] == [c]
    text = render_tally_report(rep, "Asia/Shanghai")
    assert "short-landed 2" in text and "not found in bay 02" in text and "DT dented" in text
    assert [x.visit_key for x in late] == ["TST-001"]
    clock.advance(hours=7)
    core.run(CLERK, report_sent, visit_id=planned["visit"], reference="COARRI 1")
    with Session(engine) as s:
        assert late_tally_reports(s, clock.now()) == []
        ev = s.exec(select(Event).where(Event.operation == "discharge.report")).one()
    assert ev.data["late"] is True


def test_report_refused_before_completion(core, engine, planned):
    with pytest.raises(Refused) as exc:
        core.run(CLERK, report_sent, visit_id=planned["visit"])
    assert exc.value.rules == ["discharge.report.incomplete"]
