"""Berth planning operations: every refusal reason, all at once, and nothing changed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from portops.model import Event, Phase, Role, Vessel, VesselVisit
from portops.ops import Refused
from portops.ops.berthplan import assign, set_times, unassign
from portops.ops.visits import arrive, berth
from portops.planning.berths import BerthSpec, Placement, all_overlaps, conflicts
from tests.conftest import as_role

D = as_role(Role.DISPATCHER)
T0 = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


def add_visit(engine, key: str, loa: float, draft: float, *, berth_id=None, quay=None,
              etb=T0, hours=24, imo="9321483") -> int:
    """Test set-up: a second vessel and visit, written directly."""
    with Session(engine) as s, s.begin():
        v = s.exec(select(Vessel).where(Vessel.imo == imo)).first()
        if v is None:
            v = Vessel(imo=imo, name=f"{key} VESSEL", loa_m=loa, beam_m=32, max_draft_m=draft)
            s.add(v)
            s.flush()
        visit = VesselVisit(key=key, vessel_id=v.id, line_operator="MSCU", eta=etb,
                            etb=etb, etd=etb + timedelta(hours=hours), berth_id=berth_id,
                            quay_from_m=quay)
        s.add(visit)
        s.flush()
        return visit.id


def visit_row(engine, vid: int) -> VesselVisit:
    with Session(engine) as s:
        return s.get(VesselVisit, vid)


def test_assign_moves_the_visit_and_records_the_move(core, engine, small_terminal):
    vid = add_visit(engine, "SML-1", 180, 9.0)
    core.run(D, assign, visit_id=vid, berth_id=small_terminal["berth2"], quay_from_m=400)
    row = visit_row(engine, vid)
    assert (row.berth_id, row.quay_from_m) == (small_terminal["berth2"], 400)
    core.run(D, assign, visit_id=vid, berth_id=small_terminal["berth2"], quay_from_m=500)
    with Session(engine) as s:
        ev = s.exec(select(Event).order_by(Event.id.desc())).first()
    assert ev.operation == "berthplan.assign" and ev.subject_ref == "SML-1"
    assert ev.data["before"]["quay_from_m"] == 400 and ev.data["moved"] is True


def test_default_position_is_the_start_of_the_berth(core, engine, small_terminal):
    vid = add_visit(engine, "SML-1", 180, 9.0)
    core.run(D, assign, visit_id=vid, berth_id=small_terminal["berth2"])
    assert visit_row(engine, vid).quay_from_m == 350


def test_overlap_with_clearance_is_refused(core, engine, small_terminal):
    # TST-001 lies at 20..320 m on B1 for 24 h; clearance 20 m keeps the quay busy to 340 m.
    vid = add_visit(engine, "SML-1", 180, 9.0, etb=T0 + timedelta(hours=6))
    with pytest.raises(Refused) as exc:  # 10 m from TST-001's bow
        core.run(D, assign, visit_id=vid, berth_id=small_terminal["berth1"], quay_from_m=330)
    assert "berth.overlap" in exc.value.rules
    assert any("TST-001" in u.message for u in exc.value.unmet)
    assert visit_row(engine, vid).berth_id is None


def test_clear_of_the_other_vessel_in_space_or_time_is_fine(core, engine, small_terminal):
    vid = add_visit(engine, "SML-1", 180, 9.0)
    core.run(D, assign, visit_id=vid, berth_id=small_terminal["berth2"], quay_from_m=350)
    late = add_visit(engine, "SML-2", 280, 9.0, etb=T0 + timedelta(hours=24), imo="9074729")
    core.run(D, assign, visit_id=late, berth_id=small_terminal["berth1"], quay_from_m=0)


def test_every_reason_is_listed_at_once(core, engine, small_terminal):
    """LOA longer than the berth, too deep, overlapping: all three in one refusal."""
    vid = add_visit(engine, "BIG-1", 366, 15.5)
    with pytest.raises(Refused) as exc:
        core.run(D, assign, visit_id=vid, berth_id=small_terminal["berth1"], quay_from_m=0)
    assert exc.value.rules == ["berth.loa_too_long", "berth.draft_too_deep", "berth.overlap"]
    assert all(u.remedy for u in exc.value.unmet)
    draft = exc.value.unmet[1].message
    assert "15.5 m" in draft and "0.5 m under-keel clearance" in draft and "14.5 m" in draft


def test_running_off_the_end_of_the_berth(core, engine, small_terminal):
    vid = add_visit(engine, "SML-1", 180, 9.0)
    with pytest.raises(Refused) as exc:
        core.run(D, assign, visit_id=vid, berth_id=small_terminal["berth2"], quay_from_m=600)
    assert exc.value.rules == ["berth.off_end"]
    assert "between 350 m and 520 m" in exc.value.unmet[0].remedy


def test_draft_uses_the_arrival_draft_when_known(core, engine, small_terminal):
    vid = add_visit(engine, "SML-1", 180, 12.0)
    with pytest.raises(Refused) as exc:
        core.run(D, assign, visit_id=vid, berth_id=small_terminal["berth2"], quay_from_m=400)
    assert exc.value.rules == ["berth.draft_too_deep"]
    with Session(engine) as s, s.begin():
        s.get(VesselVisit, vid).arrival_draft_m = 11.0
    core.run(D, assign, visit_id=vid, berth_id=small_terminal["berth2"], quay_from_m=400)


def test_a_berthed_visit_cannot_be_moved_and_wrong_role_is_named(core, engine, small_terminal):
    v = small_terminal["visit"]
    core.run(D, arrive, visit_id=v)
    core.run(D, berth, visit_id=v)
    with pytest.raises(Refused) as exc:
        core.run(as_role(Role.LINE_HANDLER), assign, visit_id=v,
                 berth_id=small_terminal["berth1"], quay_from_m=40)
    assert exc.value.rules == ["role.not_permitted", "berthplan.phase"]
    with pytest.raises(Refused) as exc:
        core.run(D, unassign, visit_id=v)
    assert exc.value.rules == ["berthplan.phase"]


def test_unassign(core, engine, small_terminal):
    core.run(D, unassign, visit_id=small_terminal["visit"])
    assert visit_row(engine, small_terminal["visit"]).berth_id is None
    with pytest.raises(Refused) as exc:
        core.run(D, unassign, visit_id=small_terminal["visit"])
    assert exc.value.rules == ["berthplan.unassigned"]


def test_set_times_checks_order_and_overlap(core, engine, small_terminal):
    vid = add_visit(engine, "SML-1", 180, 9.0, etb=T0 + timedelta(hours=30))
    core.run(D, assign, visit_id=vid, berth_id=small_terminal["berth1"], quay_from_m=100)
    with pytest.raises(Refused) as exc:  # pulled forward onto TST-001
        core.run(D, set_times, visit_id=vid, etb=T0 + timedelta(hours=20))
    assert exc.value.rules == ["berth.times.eta_after_etb", "berth.overlap"]
    with pytest.raises(Refused) as exc:
        core.run(D, set_times, visit_id=vid, etd=T0 + timedelta(hours=29))
    assert exc.value.rules == ["berth.times.order"]
    with pytest.raises(Refused) as exc:
        core.run(D, set_times, visit_id=vid)
    assert exc.value.rules == ["berthplan.times.none"]
    new_etd = T0 + timedelta(hours=60)
    core.run(D, set_times, visit_id=vid, etd=new_etd)
    assert visit_row(engine, vid).etd == new_etd


def test_estimates_freeze_once_the_fact_is_known(core, engine, small_terminal):
    v = small_terminal["visit"]
    core.run(D, arrive, visit_id=v)
    core.run(D, berth, visit_id=v)
    with pytest.raises(Refused) as exc:
        core.run(D, set_times, visit_id=v, eta=T0, etb=T0, etd=T0 + timedelta(hours=30))
    assert exc.value.rules == ["berthplan.phase", "berthplan.phase"]
    assert "ETA" in exc.value.unmet[0].message and "ETB" in exc.value.unmet[1].message
    core.run(D, set_times, visit_id=v, etd=T0 + timedelta(hours=30))
    assert visit_row(engine, v).phase == Phase.BERTHED


def test_vessel_alongside_past_its_etd_still_holds_the_quay(core, engine, small_terminal, clock):
    v = small_terminal["visit"]
    core.run(D, arrive, visit_id=v)
    core.run(D, berth, visit_id=v)
    clock.advance(hours=30)  # TST-001 overstays its ETD of T0+24h
    vid = add_visit(engine, "SML-1", 180, 9.0, etb=clock.now() + timedelta(hours=1))
    with pytest.raises(Refused) as exc:
        core.run(D, assign, visit_id=vid, berth_id=small_terminal["berth1"], quay_from_m=100)
    assert exc.value.rules == ["berth.overlap"]


def test_pure_conflicts_and_sweep_agree():
    b = BerthSpec(1, "B1", 0, 400, 16)
    a = Placement(1, "A", 200, 10, 1, 0, T0, T0 + timedelta(hours=10))
    near = Placement(2, "B", 150, 10, 1, 210, T0 + timedelta(hours=5), T0 + timedelta(hours=8))
    far = Placement(3, "C", 150, 10, 1, 221, T0, T0 + timedelta(hours=8))
    later = Placement(4, "D", 200, 10, 1, 0, T0 + timedelta(hours=10), T0 + timedelta(hours=20))
    assert [c.rule for c in conflicts(near, b, [a], clearance_m=20, ukc_m=0.5)] == [
        "berth.overlap"]
    assert conflicts(far, b, [a], clearance_m=20, ukc_m=0.5) == []
    assert all_overlaps([a, near, far, later], 20) == {frozenset((1, 2)), frozenset((2, 3))}


def test_berth_chart_blocks_with_metres_time_phase_and_problems(core, engine, small_terminal,
                                                                 clock):
    from portops.queries.berths import berth_chart

    clash = add_visit(engine, "CLS-1", 200, 9.0, berth_id=small_terminal["berth1"], quay=150)
    add_visit(engine, "NEW-1", 200, 9.0, etb=T0 + timedelta(hours=30), imo="9074729")
    add_visit(engine, "OLD-1", 200, 9.0, etb=T0 - timedelta(days=9), imo="9074729",
              berth_id=small_terminal["berth2"], quay=400)
    with Session(engine) as s:
        chart = berth_chart(s, T0 - timedelta(hours=8), T0 + timedelta(days=7), clock.now())
    assert [b.name for b in chart.berths] == ["B1", "B2"]
    assert (chart.quay_start_m, chart.quay_end_m, chart.timezone) == (0, 700, "Asia/Shanghai")
    assert [b.key for b in chart.blocks] == ["TST-001", "CLS-1"]
    tst = chart.blocks[0]
    assert (tst.quay_from_m, tst.quay_to_m, tst.phase, tst.berth) == (20, 320, "planned", "B1")
    assert tst.start == T0 and tst.end == T0 + timedelta(days=1)
    assert chart.block(clash).problems == ("berth.overlap",)
    assert [u.key for u in chart.unplaced] == ["NEW-1"]


def test_an_arrived_vessel_s_etb_is_bounded_by_its_arrival_not_its_frozen_eta(
        core, engine, small_terminal, clock):
    """ETA freezes at arrival; a vessel that came early may berth before that stale ETA."""
    v = small_terminal["visit"]  # ETA = ETB = T0
    clock.set(T0 - timedelta(hours=6))
    core.run(D, arrive, visit_id=v)  # six hours early
    core.run(D, set_times, visit_id=v, etb=T0 - timedelta(hours=4))
    assert visit_row(engine, v).etb == T0 - timedelta(hours=4)
    with pytest.raises(Refused) as exc:  # but never before it actually arrived
        core.run(D, set_times, visit_id=v, etb=T0 - timedelta(hours=7))
    assert exc.value.rules == ["berth.times.arrived_after_etb"]


def test_a_vessel_that_never_came_is_named_overdue_with_the_remedy_that_frees_its_quay(
        core, engine, small_terminal, clock):
    clock.set(T0 + timedelta(hours=3))  # TST-001 was due alongside at T0; still only planned
    vid = add_visit(engine, "SML-1", 180, 9.0, etb=clock.now() + timedelta(hours=1))
    with pytest.raises(Refused) as exc:
        core.run(D, assign, visit_id=vid, berth_id=small_terminal["berth1"], quay_from_m=100)
    (u,) = exc.value.unmet
    assert u.rule == "berth.overlap" and "has not arrived" in u.message
    assert u.remedy.startswith("re-plan TST-001")
    core.run(D, unassign, visit_id=small_terminal["visit"])  # the remedy works
    core.run(D, assign, visit_id=vid, berth_id=small_terminal["berth1"], quay_from_m=100)
