"""SVG snapshots of the berth chart, the work plan and a checklist at 80×24 and 160×50."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session, select
from textual.app import App

from portops.model import Role, VesselVisit
from portops.ops.checklists import tick
from portops.ops.visits import arrive
from portops.ui.screens.berths import BerthPlanScreen
from portops.ui.screens.checklists import ChecklistScreen
from portops.ui.screens.workplan import WorkPlanScreen
from tests.conftest import as_role
from tests.test_berthplan import T0, add_visit

pytestmark = pytest.mark.sqlite_only  # about the screens; the core tests cover PostgreSQL

D = as_role(Role.DISPATCHER)
SIZES = [(80, 24), (160, 50)]


class Host(App):
    def __init__(self, factory):
        super().__init__()
        self.factory = factory

    def on_mount(self) -> None:
        self.push_screen(self.factory())


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
    return core


@pytest.mark.parametrize("size", SIZES)
def test_berth_chart(scene, snap_compare, size):
    assert snap_compare(Host(lambda: BerthPlanScreen(scene, D)), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_work_plan(scene, snap_compare, size):
    async def settle(pilot):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(Host(lambda: WorkPlanScreen(scene, D, date(2026, 11, 27))),
                        terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_berthing_checklist(scene, snap_compare, size):
    assert snap_compare(Host(lambda: ChecklistScreen(scene, D)), terminal_size=size)
