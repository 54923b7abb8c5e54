"""SVG snapshots of the berth chart, the work plan and a checklist at 80×24 and 160×50."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from portops.model import Role, VesselVisit
from portops.ops.checklists import tick
from portops.ops.visits import arrive
from tests.test_berthplan import T0, add_visit
from tests.ui.conftest import sign_in, text_of, wait_for

pytestmark = pytest.mark.sqlite_only
D = "dispatcher"
SIZES = [(80, 24), (160, 50)]


@pytest.fixture
def scene(core, engine, small_terminal):
    """Three calls over two days, one of them part way through its berthing checklist."""
    add_visit(engine, "MSCU-12W", 180, 9.0, berth_id=small_terminal["berth2"], quay=380,
              etb=T0 + timedelta(hours=10), hours=30)
    add_visit(engine, "OOLU-77E", 290, 11.0, berth_id=small_terminal["berth1"], quay=30,
              etb=T0 + timedelta(hours=30), hours=20, imo="9074729")
    with Session(engine) as s, s.begin():
        for v in s.exec(select(VesselVisit)):
            v.cranes, v.moves_discharge, v.moves_load = 3, 900, 700
    vid = small_terminal["visit"]
    core.run(D, arrive, visit_id=vid)
    core.run(D, tick, visit_id=vid, checklist="berthing", step="PARTICULARS_CONFIRMED")
    core.run(D, tick, visit_id=vid, checklist="berthing", step="BERTH_CLEARED")


def _area(key: str, ready):
    mode = {"f3": "berths", "f4": "workplan", "f5": "checklists"}[key]

    async def run_before(pilot) -> None:
        await sign_in(pilot, Role.DISPATCHER)
        await pilot.press(key)
        await wait_for(pilot, lambda: pilot.app.current_mode == mode
                       and ready(pilot.app.screen), what=key)
        await pilot.pause()
    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_berth_chart(console, scene, snap_compare, size):
    assert snap_compare(console(), terminal_size=size,
                        run_before=_area("f3", lambda s: getattr(s, "loaded", False)))


@pytest.mark.parametrize("size", SIZES)
def test_work_plan(console, scene, snap_compare, size):
    assert snap_compare(console(), terminal_size=size,
                        run_before=_area("f4", lambda s: getattr(s, "plan", None)))


@pytest.mark.parametrize("size", SIZES)
def test_berthing_checklist(console, scene, snap_compare, size):
    assert snap_compare(console(), terminal_size=size,
                        run_before=_area("f5", lambda s: getattr(s, "loaded", False)
                                         and text_of(s.query_one("#cl-why"))))
