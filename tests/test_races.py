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
