"""Cargo work completes when its last part is declared complete (walker item 4): discharge
complete, loading complete, or both; the vessel then unberths with no override."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from portops.model import (
    Category,
    ChecklistStep,
    Container,
    Event,
    Phase,
    Role,
    VesselVisit,
    Where,
)
from portops.ops import Refused
from portops.ops.checklists import tick
from portops.ops.flags import grant_permission
from portops.ops.loading import complete as load_complete
from portops.ops.loading import confirm as load_confirm
from portops.ops.loading import make_plan as load_plan
from portops.ops.receiving import receive
from portops.ops.tally import complete, confirm, short_land
from tests.conftest import as_role
from tests.discharge_fixtures import number
from tests.test_export import BOX1, _book
from tests.test_export import export_terminal as export_terminal  # the fixture
from tests.test_tally_ops import planned as planned  # the fixture
from tests.test_tally_ops import ready

D, L = as_role(Role.DISPATCHER), as_role(Role.LINE_HANDLER)
CLERK, G = as_role(Role.TALLY_CLERK), as_role(Role.GATE_CLERK)


def _phase(engine, vid) -> str:
    with Session(engine) as s:
        return s.get(VesselVisit, vid).phase


def _unberth(core, engine, vid) -> None:
    """The unberthing checklist, no override anywhere; the visit departs."""
    for step, user in [("UNBERTHING_CONFIRMED", D), ("PILOT_ORDER_RECEIVED", D),
                       ("LINES_LET_GO", L)]:
        core.run(user, tick, visit_id=vid, checklist="unberthing", step=step)
    with Session(engine) as s:
        assert s.get(VesselVisit, vid).phase == Phase.DEPARTED
        assert [r.override for r in s.exec(select(ChecklistStep))] == [None] * 3


def test_discharge_complete_completes_cargo_work_and_the_vessel_sails(core, engine, planned):
    vid, numbers = planned["visit"], planned["numbers"]
    ready(core, vid)
    core.run(CLERK, confirm, visit_id=vid, number=numbers[0])
    core.run(CLERK, short_land, visit_id=vid, number=numbers[1], note="not in slot")
    assert _phase(engine, vid) == Phase.WORKING
    core.run(CLERK, complete, visit_id=vid)  # numbers[2] left: short-landed by completion
    assert _phase(engine, vid) == Phase.COMPLETED
    with Session(engine) as s:
        ev = s.exec(select(Event).where(Event.operation == "discharge.complete")).one()
    assert (ev.data["phase_from"], ev.data["phase_to"]) == ("working", "completed")
    assert ev.dcsa == "CMPL-ACT-CARGO" and ev.data["short_landed"] == 2
    with pytest.raises(Refused) as exc:  # said once, not also for the completed visit's phase
        core.run(CLERK, complete, visit_id=vid)
    assert exc.value.rules == ["discharge.completed"]
    _unberth(core, engine, vid)  # the short-landed boxes are not "still to discharge"


def test_loading_complete_completes_an_export_only_visit(core, engine, export_terminal, clock):
    vid = export_terminal["visit"]
    appt = _book(core, clock, BOX1)
    core.run(G, receive, lookup=appt["ref"], container=BOX1, size_type="45G1", seal="SL1")
    core.run(D, grant_permission, code="CUSTOMS_EXPORT", reference="CN-EXP-1", container=BOX1)
    core.run(D, load_plan, visit_id=vid)
    ready(core, vid)
    core.run(CLERK, load_confirm, visit_id=vid, number=BOX1, seal="SL1")
    assert _phase(engine, vid) == Phase.WORKING
    core.run(CLERK, load_complete, visit_id=vid)
    assert _phase(engine, vid) == Phase.COMPLETED
    _unberth(core, engine, vid)


def test_discharge_complete_leaves_work_open_while_boxes_wait_to_load(core, engine, planned):
    """A visit that also loads stays working after discharge; unberthing names what is open."""
    vid, numbers = planned["visit"], planned["numbers"]
    with Session(engine) as s, s.begin():  # set-up: a box in the yard, due out on the visit
        s.add(Container(number=number("EXP", 1), size_type="22G1", category=Category.EXPORT,
                        out_visit_id=vid, location=Where.YARD))
    ready(core, vid)
    for n in numbers:
        core.run(CLERK, confirm, visit_id=vid, number=n)
    core.run(CLERK, complete, visit_id=vid)
    assert _phase(engine, vid) == Phase.WORKING  # one box still due on board
    with pytest.raises(Refused) as exc:
        core.run(D, tick, visit_id=vid, checklist="unberthing", step="UNBERTHING_CONFIRMED")
    assert exc.value.rules == ["checklist.cargo_unfinished"]
