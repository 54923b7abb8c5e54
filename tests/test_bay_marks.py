"""The bay view keeps each box's reefer and dangerous-goods marks once the discharge plan is
made (issue 14: after ``p`` the plan's items were drawn without them)."""

from __future__ import annotations

from portops.db import read_session
from portops.model import Role
from portops.ops.discharge import make_plan
from portops.queries.views import vessel_bay
from tests.conftest import as_role
from tests.discharge_fixtures import yard


def _marks(engine, visit_id) -> dict[str, tuple[bool, bool]]:
    marks = {}
    with read_session(engine) as s:
        for bay in vessel_bay(s, visit_id).bays:
            for cells in vessel_bay(s, visit_id, bay).cells.values():
                for c in cells:
                    marks[c.number] = (c.reefer, c.dangerous)
    return marks


def test_reefer_and_dg_marks_stay_after_the_discharge_plan(core, engine, small_terminal):
    from datetime import UTC, datetime

    from portops.formats.edifact.baplie import read_baplie, write_baplie
    from portops.formats.edifact.samples import bay_plan
    from portops.ops.bayplan import import_bayplan

    yard(engine)
    text = write_baplie(bay_plan(30, seed=6), control_ref="1",  # reefers and a DG box
                        prepared=datetime(2026, 11, 27, tzinfo=UTC))
    core.run(as_role(Role.YARD_PLANNER), import_bayplan, plan=read_baplie(text),
             visit_key="TST-001", force=True)
    vid = small_terminal["visit"]
    before = _marks(engine, vid)
    assert any(r for r, _d in before.values()) and any(d for _r, d in before.values())
    core.run(as_role(Role.YARD_PLANNER), make_plan, visit_id=vid)
    assert _marks(engine, vid) == before
