"""Races are settled by the database: several processes, one winner, a clear refusal for the
rest, nothing lost. Runs on one SQLite file and (with PORTOPS_TEST_PG_URL) on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, func, select

from portops.model import Event, Flag, FlagState, Phase, Role, VesselVisit
from tests.conftest import as_role
from tests.racing import Call, one_winner, race

pytestmark = pytest.mark.slow

WORKERS = 4
ROUNDS = 3


def _new_visit(engine, small_terminal, n: int) -> int:
    """Another planned visit of the test vessel (set-up data, written directly)."""
    with Session(engine) as s, s.begin():
        v = VesselVisit(key=f"RACE-{n:03d}", vessel_id=small_terminal["vessel"],
                        line_operator="COSU", voyage_in=f"{n}W", voyage_out=f"{n}E",
                        eta=datetime(2026, 11, 27, 4, 0, tzinfo=UTC),
                        etb=datetime(2026, 11, 27, 8, 0, tzinfo=UTC),
                        etd=datetime(2026, 11, 28, 8, 0, tzinfo=UTC))
        s.add(v)
        s.flush()
        return v.id


def _events(engine, operation: str, ref: str) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(Event).where(
            Event.operation == operation, Event.subject_ref == ref)).one()


def test_dispatchers_granting_the_same_permission(db_url, engine, core, small_terminal):
    engine.dispose()  # the workers open their own connections
    d = as_role(Role.DISPATCHER)
    for n in range(ROUNDS):
        visit = _new_visit(engine, small_terminal, n)
        calls = [Call(d, "permission.grant", {"code": "PORT_ENTRY", "reference": f"MSA-{i}",
                                               "visit_id": visit}) for i in range(WORKERS)]
        flag_id = one_winner(race(db_url, calls), {"permission.already_granted"})
        with Session(engine) as s:
            granted = s.exec(select(Flag).where(Flag.visit_id == visit,
                                                Flag.state == FlagState.GRANTED)).all()
        assert [f.id for f in granted] == [flag_id]
        assert _events(engine, "permission.grant", f"RACE-{n:03d}") == 1


def test_clerks_granting_the_same_release_on_a_bill_of_lading(db_url, engine, core):
    """No row to lock yet: the advisory lock (PostgreSQL) / write lock (SQLite) settles it."""
    engine.dispose()
    for n in range(ROUNDS):
        bl = f"BLRACE{n}"
        calls = [Call(as_role(Role.DISPATCHER) if i % 2 else "admin", "permission.grant",
                      {"code": "CUSTOMS_IMPORT", "reference": f"C-{i}", "bl_number": bl})
                 for i in range(WORKERS)]
        one_winner(race(db_url, calls), {"permission.already_granted"})
        with Session(engine) as s:
            assert s.exec(select(func.count()).select_from(Flag).where(
                Flag.bl_number == bl, Flag.state == FlagState.GRANTED)).one() == 1
        assert _events(engine, "permission.grant", bl) == 1


def test_transitions_of_one_visit(db_url, engine, core, small_terminal):
    engine.dispose()
    d = as_role(Role.DISPATCHER)
    for n in range(ROUNDS):
        visit = _new_visit(engine, small_terminal, 100 + n)
        # half try to arrive it, half to cancel it: exactly one of the two changes happens
        calls = [Call(d, "visit.arrive", {"visit_id": visit}) if i % 2 else
                 Call(d, "visit.cancel", {"visit_id": visit, "reason": "race"})
                 for i in range(WORKERS)]
        one_winner(race(db_url, calls), {"visit.phase.arrived_to_arrived",
                                         "visit.phase.arrived_to_cancelled",
                                         "visit.phase.cancelled_to_arrived",
                                         "visit.phase.cancelled_to_cancelled"})
        with Session(engine) as s:
            phase = s.get(VesselVisit, visit).phase
            ops = s.exec(select(Event.operation).where(
                Event.subject_ref == f"RACE-{100 + n:03d}")).all()
        assert phase in (Phase.ARRIVED, Phase.CANCELLED)
        assert ops == ["visit.arrive" if phase == Phase.ARRIVED else "visit.cancel"]


def test_gate_clerks_admitting_the_same_truck(db_url, engine, core, small_terminal):
    """Two lanes, one truck: one admits it, the other is told it is admitted already."""
    from portops.model import TruckVisit
    from portops.ops.appointments import book
    from tests.gate_world import CLERK, SLOT, booking, build, release

    world = build(core, engine, small_terminal, boxes=ROUNDS)
    for n, box in enumerate(world["boxes"]):
        release(core, box)
        plate = f"沪A{n:05d}"
        ref = core.run(CLERK, book, **booking(box, plate=plate))["ref"]
        engine.dispose()
        arriving = {"lookup": ref, "plate": plate, "haulier": "HAUL1", "driver_id": "D-310001"}
        calls = [Call(CLERK if i % 2 else "admin", "gate.admit", arriving, at=SLOT)
                 for i in range(WORKERS)]
        one_winner(race(db_url, calls), {"gate.appointment_state", "db.conflict"})
        with Session(engine) as s:
            visits = s.exec(select(TruckVisit).where(TruckVisit.plate == plate)).all()
        assert len(visits) == 1 and visits[0].state == "admitted"
        assert _events(engine, "gate.admit", ref) == 1


def test_planners_moving_two_boxes_into_the_same_yard_slot(db_url, engine, core,
                                                           small_terminal):
    """Planners moving different boxes into one free slot: one gets it, the others are told."""
    from portops.model import DischargeItem
    from portops.ops.discharge import make_plan
    from portops.ops.yard import move_slot
    from tests.discharge_fixtures import stow, yard

    planner = as_role(Role.YARD_PLANNER)
    yard(engine)
    visit = small_terminal["visit"]
    stow(engine, visit, [dict(slot=(1 + 2 * (k // 10), 1 + k % 10, 82), size_type="22G1",
                              gross_kg=12000) for k in range(WORKERS * ROUNDS)])
    core.run(planner, make_plan, visit_id=visit)  # no yard plan yet: the whole yard is free
    with Session(engine) as s:
        items = [i.id for i in s.exec(select(DischargeItem).order_by(DischargeItem.id))]
    free = _free_ground_slots(core, planner, items[0], items[1], move_slot)
    for n in range(ROUNDS):
        boxes = items[WORKERS * n:WORKERS * (n + 1)]
        block, bay, row = free[n]
        target = {"block": block, "bay": bay, "row": row, "tier": 1}
        engine.dispose()
        calls = [Call(planner, "yard.move_slot", {"item_id": box, **target}) for box in boxes]
        one_winner(race(db_url, calls), {"yard.slot.taken", "db.conflict"})
        with Session(engine) as s:
            there = s.exec(select(DischargeItem).where(
                DischargeItem.yard_bay == bay, DischargeItem.yard_row == row,
                DischargeItem.yard_tier == 1, DischargeItem.status == "planned")).all()
        assert len([i for i in there if i.id in boxes]) == 1


def _free_ground_slots(core, planner, a, b, move_slot) -> list[tuple[str, int, int]]:
    """Ground slots either box may take now (``core.check`` says nothing stands in the way)."""
    found = []
    for block in ("A", "B", "C"):
        for bay in range(1, 20, 2):
            for row in range(1, 6):
                target = {"block": block, "bay": bay, "row": row, "tier": 1}
                if not core.check(planner, move_slot, item_id=a, **target) and \
                        not core.check(planner, move_slot, item_id=b, **target):
                    found.append((block, bay, row))
                    if len(found) == ROUNDS:
                        return found
    raise AssertionError(f"no {ROUNDS} free ground slots in the test yard")
