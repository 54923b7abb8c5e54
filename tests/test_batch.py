"""Core.run_all: several operations in one transaction, each with its event; all or none."""

from __future__ import annotations

import pytest
from sqlmodel import Session, func, select

from portops.model import Event, Phase, Role, VesselVisit
from portops.ops import Refused, Step
from portops.ops.visits import arrive, berth, cancel
from tests.conftest import as_role


def _events(engine) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(Event)).one()


def test_all_steps_commit_with_one_event_each(core, engine, small_terminal):
    before = _events(engine)
    visit = small_terminal["visit"]
    core.run_all(as_role(Role.DISPATCHER), [Step(arrive, {"visit_id": visit}),
                                            Step(berth, {"visit_id": visit})])
    with Session(engine) as s:
        assert s.get(VesselVisit, visit).phase == Phase.BERTHED
    assert _events(engine) == before + 2


def test_a_refused_step_writes_nothing_and_every_refusal_is_listed(core, engine, small_terminal):
    before = _events(engine)
    visit = small_terminal["visit"]
    with pytest.raises(Refused) as exc:
        core.run_all(as_role(Role.DISPATCHER), [
            Step(arrive, {"visit_id": visit}, where="one.yaml"),
            Step(cancel, {"visit_id": visit, "reason": ""}, where="two.yaml"),
            Step(arrive, {"visit_id": 999}, where="three.yaml"),
        ])
    got = [(u.where, u.rule) for u in exc.value.unmet]
    assert got == [("two.yaml", "visit.phase.arrived_to_cancelled"),
                   ("two.yaml", "visit.cancel.reason"), ("three.yaml", "visit.not_found")]
    with Session(engine) as s:
        assert s.get(VesselVisit, visit).phase == Phase.PLANNED
    assert _events(engine) == before


def test_dry_run_judges_against_earlier_steps_and_rolls_back(core, engine, small_terminal):
    visit = small_terminal["visit"]
    before = _events(engine)
    core.run_all(as_role(Role.DISPATCHER), [Step(arrive, {"visit_id": visit}),
                                            Step(berth, {"visit_id": visit})], dry_run=True)
    with Session(engine) as s:
        assert s.get(VesselVisit, visit).phase == Phase.PLANNED
    assert _events(engine) == before
