"""The vessel (F6), yard (F7) and tally (F8) areas inside the console."""

from __future__ import annotations

from datetime import UTC, datetime

from portops.formats.edifact.baplie import read_baplie, write_baplie
from portops.formats.edifact.samples import bay_plan
from portops.model import Role
from portops.ops.bayplan import import_bayplan
from portops.ui.screens.discharge import BayPlanView
from portops.ui.screens.tally import TallyView
from portops.ui.screens.yard import YardView
from tests.conftest import as_role
from tests.discharge_fixtures import yard
from tests.ui.conftest import sign_in, text_of, wait_for


def _import(core, engine):
    yard(engine)
    text = write_baplie(bay_plan(30, seed=3), control_ref="1",
                        prepared=datetime(2026, 11, 27, tzinfo=UTC))
    core.run(as_role(Role.YARD_PLANNER), import_bayplan, plan=read_baplie(text),
             visit_key="TST-001", force=True)  # the sample is voyage 045E


async def test_yard_planner_plans_in_the_vessel_area(console, core, engine, small_terminal) -> None:
    _import(core, engine)
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await sign_in(pilot, Role.YARD_PLANNER)
        assert [a.id for a in app.areas][:2] == ["schedule", "vessel"]
        await pilot.press("f6")
        await wait_for(pilot, lambda: app.screen.query(BayPlanView), what="bay view")
        await pilot.press("p")
        await wait_for(pilot, lambda: "QC1" in text_of(app.screen.query_one("#bp-plan")),
                       what="discharge plan")
        await pilot.press("f7")
        await wait_for(pilot, lambda: app.screen.query(YardView), what="yard view")
        assert "block A" in text_of(app.screen.query_one("#yd-block"))


async def test_tally_clerk_sees_the_tally_area(console, core, engine, small_terminal) -> None:
    _import(core, engine)
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await sign_in(pilot, Role.TALLY_CLERK)
        await pilot.press("f8")
        await wait_for(pilot, lambda: app.screen.query(TallyView), what="tally view")
        await wait_for(pilot, lambda: "TST-001" in text_of(app.screen.query_one("#tl-head")),
                       what="the visit in the tally head")
