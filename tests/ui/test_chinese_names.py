"""In 中文 the console names things in Chinese (issue 13): the checklist names the steps a step
waits for by number and title (it showed "之后 BERTH_CLEARED"), the visit's timeline names
each operation by its translated summary (it showed ``visit.arrive``), and the vessel area's
plan warning and legend are translated ("⚠ 5 cranes asked for…", "S short R rob")."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session

from portops.model import Role, VesselVisit
from portops.ops.visits import arrive
from portops.ui.screens.discharge import BayPlanView
from tests.conftest import as_role
from tests.ui.conftest import sign_in, text_of, wait_for
from tests.ui.test_cargo_areas import _import
from tests.ui.test_checklist_areas import _open_checklists

pytestmark = pytest.mark.sqlite_only  # about the screens


@pytest.fixture(autouse=True)
def english_after():
    """The console sets the process's language: back to English for the tests that follow."""
    yield
    from portops import i18n

    i18n.set_language("en")


#: An English word of three letters or more (ids such as BERTH_CLEARED, visit.arrive too).
ENGLISH = re.compile(r"[A-Za-z_.]{3,}")


async def test_checklist_and_timeline_name_steps_and_operations(console, core, engine,
                                                               small_terminal) -> None:
    vid = small_terminal["visit"]
    core.run(as_role(Role.DISPATCHER), arrive, visit_id=vid)
    app = console(language="zh_CN")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _open_checklists(pilot, engine, "TST-001")
        steps = app.screen.query_one("#cl-steps")
        prompts = [str(steps.get_option_at_index(i).prompt) for i in range(steps.option_count)]
        waiting = [p for p in prompts if "之后" in p]
        assert waiting, prompts
        assert not any("_" in p.split("之后", 1)[1] for p in waiting), waiting
        assert any(re.search(r"之后 \d+\. \S", p) for p in waiting), waiting
        await pilot.press("f2")
        await wait_for(pilot, lambda: app.current_mode == "schedule"
                       and getattr(app.screen, "loaded", False), what="schedule")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.query("#timeline") and "登记船舶已抵港" in
                       text_of(app.screen.query_one("#timeline")), what="the timeline")
        assert "visit.arrive" not in text_of(app.screen.query_one("#timeline"))


async def test_vessel_area_warning_and_legend_in_chinese(console, core, engine,
                                                        small_terminal) -> None:
    _import(core, engine)
    with Session(engine) as s, s.begin():
        s.get(VesselVisit, small_terminal["visit"]).cranes = 6  # more than its hatches allow
    app = console(language="zh_CN")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await sign_in(pilot, Role.YARD_PLANNER)
        await pilot.press("f6")
        await wait_for(pilot, lambda: app.screen.query(BayPlanView), what="bay view")
        await pilot.press("p")
        await wait_for(pilot, lambda: "⚠" in text_of(app.screen.query_one("#bp-plan")),
                       what="the plan's warning")
        plan = text_of(app.screen.query_one("#bp-plan"))
        warning = plan.split("⚠", 1)[1]
        assert not ENGLISH.findall(re.sub(r"[A-Z]{4}\d{7}", "", warning)), warning
        grid = text_of(app.screen.query_one("#bp-grid"))
        assert "短卸" in grid and "short" not in grid and " rob" not in grid, grid
