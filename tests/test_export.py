"""Export, seed II.(2): receiving window, appointment, gate check, arrival report, customs
release, load plan, loading with tally, rolling, and the reports — through the operations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from portops.formats.edifact.baplie import read_baplie, write_baplie
from portops.formats.edifact.coarri import read_coarri
from portops.formats.edifact.codeco import read_codeco
from portops.formats.tally import coarri_text
from portops.model import (
    ArrivalEntry,
    Container,
    Eir,
    LoadItem,
    Role,
    VesselVisit,
    Where,
    YardBlock,
)
from portops.ops import Refused
from portops.ops.flags import grant_permission
from portops.ops.loading import complete, confirm, make_plan, roll
from portops.ops.receiving import accept_late, add_booking, book_receival, receive
from portops.ops.visits import arrive, berth
from portops.planning.receiving import CutOffs, window
from portops.queries.bayplan import on_board
from portops.queries.export import arrival_report, load_report, receiving_plan
from tests.conftest import as_role

D, G, T = as_role(Role.DISPATCHER), as_role(Role.GATE_CLERK), as_role(Role.TALLY_CLERK)
BOX1, BOX2 = "CSQU3054383", "MSKU9070323"


@pytest.fixture
def export_terminal(core, engine, small_terminal, clock):
    """The small terminal with an export block and a second visit; the first visit berths in
    three days, so its receiving window is open now."""
    with Session(engine) as s, s.begin():
        s.add(YardBlock(name="E1", bays=10, rows=6, tiers=5, purpose="export", quay_m=100))
        s.add(YardBlock(name="I1", bays=10, rows=6, tiers=5, purpose="import", quay_m=90))
        v = s.get(VesselVisit, small_terminal["visit"])
        v.etb = clock.now() + timedelta(days=3)
        v.etd = v.etb + timedelta(hours=20)
        later = VesselVisit(key="TST-002", vessel_id=v.vessel_id, line_operator="COSU",
                            voyage_out="002E", etb=v.etb + timedelta(days=7), berth_id=v.berth_id)
        s.add(later)
    core.run(D, add_booking, ref="BK1", visit_key="TST-001", line="COSU", pod="NLRTM",
             size_type="45G1", quantity=3)
    return small_terminal


def _book(core, clock, number, **kw):
    args = dict(booking_ref="BK1", container=number, size_type="45G1",
                slot_start=clock.now() + timedelta(minutes=30), haulier="HAUL1", plate="沪A12345",
                driver_name="Wang Wei", driver_id="D123", vgm_kg=22000, seal="SL1")
    args.update(kw)
    return core.run(G, book_receival, **args)


def test_receiving_window_follows_the_etb_and_cutoffs_differ():
    from datetime import UTC, datetime

    etb = datetime(2026, 12, 10, 8, tzinfo=UTC)
    w = window(etb, CutOffs(7, 24, 24, 36))
    assert w.opens == etb - timedelta(days=7)
    assert w.state_at(etb - timedelta(hours=30)) == "open"
    assert w.state_at(etb - timedelta(hours=30), dangerous=True) == "closed"
    assert w.state_at(etb - timedelta(days=8)) == "not_open"
    assert window(etb + timedelta(days=1)).opens == w.opens + timedelta(days=1)


def test_booking_refuses_every_bad_field(core, export_terminal):
    with pytest.raises(Refused) as exc:
        core.run(G, add_booking, ref="BK1", visit_key="NOPE", line="COSU", pod="XX", size_type="99Q9",
                 quantity=0)
    assert exc.value.rules == ["role.not_permitted", "export.booking.visit",
                               "export.booking.exists", "export.booking.pod",
                               "export.booking.size_type", "export.booking.quantity"]


def test_box_walks_from_appointment_to_tally_report(core, engine, export_terminal, clock):
    appt = _book(core, clock, BOX1)
    clock.advance(minutes=20)
    # the gate check fails on every point at once, and nothing changes
    with pytest.raises(Refused) as exc:
        core.run(G, receive, lookup="沪A12345", container="CSQU3054384", size_type="22G1",
                 seal="", vgm_kg=None, damage="hole in roof")
    assert set(exc.value.rules) >= {"export.inspection.check_digit", "export.inspection.size_type",
                                    "export.inspection.seal", "export.inspection.damage"}
    result = core.run(G, receive, lookup=appt["ref"], container=BOX1, size_type="45G1",
                      seal="SL1")
    assert result["yard_slot"].startswith("E1 ")  # an export block, never the import one
    with Session(engine) as s:
        c = s.exec(select(Container).where(Container.number == BOX1)).one()
        assert (c.location, c.category, c.pod, c.vgm_kg) == (Where.YARD, "export", "NLRTM", 22000)
        eir = s.exec(select(Eir).where(Eir.container_id == c.id)).one()
        assert eir.direction == "in"
        gate_in = read_codeco(eir.codeco)
        assert gate_in.direction == "gate-in" and gate_in.moves[0].box.number == BOX1
        assert [r.container for r in arrival_report(s, export_terminal["visit"])] == [BOX1]
    # not released: nothing can be planned
    with pytest.raises(Refused) as exc:
        core.run(D, make_plan, visit_id=export_terminal["visit"])
    assert exc.value.rules == ["load.plan.nothing"]
    core.run(D, grant_permission, code="CUSTOMS_EXPORT", reference="CN-EXP-1", container=BOX1)
    planned = core.run(as_role(Role.YARD_PLANNER), make_plan, visit_id=export_terminal["visit"])
    assert planned["planned"] == 1
    # loading needs the vessel berthed and port-entry formalities
    with pytest.raises(Refused) as exc:
        core.run(T, confirm, visit_id=export_terminal["visit"], number=BOX1, seal="SL1")
    assert exc.value.rules == ["load.visit.phase", "permission.port_entry"]
    core.run(D, arrive, visit_id=export_terminal["visit"])
    core.run(D, berth, visit_id=export_terminal["visit"])
    core.run(D, grant_permission, code="PORT_ENTRY", reference="MSA-1",
             visit_id=export_terminal["visit"])
    core.run(T, confirm, visit_id=export_terminal["visit"], number=BOX1, seal="SL1")
    assert core.run(D, complete, visit_id=export_terminal["visit"]) == {"loaded": 1, "rolled": 0}
    with Session(engine) as s:
        report = load_report(s, export_terminal["visit"])
        assert [m.box.number for m in report.moves] == [BOX1]
        back = read_coarri(coarri_text(report, clock.now()))
        assert [(m.box.number, m.box.slot) for m in back.moves] == \
            [(m.box.number, m.box.slot) for m in report.moves]
        # the departure bay plan reads back with the same box in the same slot
        plan = on_board(s, export_terminal["visit"])
        again = read_baplie(write_baplie(plan, control_ref="1", prepared=clock.now()))
        assert [(b.number, b.slot) for b in again.boxes] == [(b.number, b.slot) for b in plan.boxes]
        item = s.exec(select(LoadItem)).one()
        assert (again.boxes[0].slot.bay, again.boxes[0].slot.row) == (item.bay, item.row)


def test_late_box_needs_a_dispatcher_and_unreleased_box_must_be_rolled(core, engine,
                                                                     export_terminal, clock):
    appt = _book(core, clock, BOX2)
    clock.advance(days=2, minutes=10)  # the truck comes two days late, past the 24 h cut-off
    with pytest.raises(Refused) as exc:
        core.run(G, receive, lookup=appt["ref"], container=BOX2, size_type="45G1", seal="SL1")
    assert exc.value.rules == ["export.window.closed"]
    with pytest.raises(Refused):
        core.run(G, accept_late, ref=appt["ref"], reason="vessel delayed")  # not a gate clerk
    core.run(D, accept_late, ref=appt["ref"], reason="shipper's truck broke down; line agreed")
    core.run(G, receive, lookup=appt["ref"], container=BOX2, size_type="45G1", seal="SL1")
    with Session(engine) as s:
        assert s.exec(select(ArrivalEntry)).one().container_number == BOX2
    # no customs release: it cannot be loaded; it must be rolled, with a reason
    with pytest.raises(Refused) as exc:
        core.run(D, roll, visit_id=export_terminal["visit"], number=BOX2, to_visit="TST-002",
                 reason="")
    assert exc.value.rules == ["load.roll.reason"]
    core.run(D, roll, visit_id=export_terminal["visit"], number=BOX2, to_visit="TST-002",
             reason="no customs release by cut-off")
    with Session(engine) as s:
        c = s.exec(select(Container).where(Container.number == BOX2)).one()
        later = s.exec(select(VesselVisit).where(VesselVisit.key == "TST-002")).one()
        assert c.out_visit_id == later.id


def test_appointment_rules(core, export_terminal, clock):
    _book(core, clock, BOX1)
    with pytest.raises(Refused) as exc:
        _book(core, clock, BOX1, size_type="22G1", plate="", driver_id="",
              slot_start=clock.now() + timedelta(days=6))
    assert exc.value.rules == ["export.appointment.size_type", "export.appointment.box_booked",
                               "export.appointment.truck", "export.appointment.driver",
                               "export.window.closed"]


def test_receiving_plan_moves_with_the_etb(core, engine, export_terminal):
    with Session(engine) as s:
        before = {r.visit: r for r in receiving_plan(s)}["TST-001"]
    with Session(engine) as s, s.begin():
        v = s.get(VesselVisit, export_terminal["visit"])
        v.etb = v.etb + timedelta(hours=12)
    with Session(engine) as s:
        after = {r.visit: r for r in receiving_plan(s)}["TST-001"]
    assert after.cargo_cutoff - before.cargo_cutoff == timedelta(hours=12)
