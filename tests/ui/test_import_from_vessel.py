"""Importing a first bay plan from the vessel area (F6) of a new terminal: the area shows the
visit as soon as the dialog closes, and Enter after a finished import closes the dialog
instead of importing the same file again (found walking the console: two imports, the second
reporting the boxes just created as '0 added, 6 updated')."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from portops.formats import registry
from portops.model import Event, Role
from tests.ui.conftest import sign_in, text_of, wait_for

pytestmark = pytest.mark.sqlite_only
DEMO = Path(__file__).parents[2] / "schedules" / "demo"
BAYPLAN = Path(__file__).parents[1] / "data" / "bayplan.edi"


def _drawn(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def _imports(engine) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(Event).where(
            Event.operation == "cargo.import_bayplan")).one()


async def test_a_first_bay_plan_imported_from_f6_shows_at_once(bare_console, core,
                                                               engine) -> None:
    registry.apply(core, "admin", registry.prepare([DEMO / "layout.yaml",
                                                    DEMO / "schedule.yaml"]))
    app = bare_console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await sign_in(pilot, Role.YARD_PLANNER)
        await pilot.press("f6")
        vessel = app.screen
        await wait_for(pilot, lambda: "import a bay plan first" in _drawn(app),
                       what="the empty vessel area")
        await pilot.press("i")
        await wait_for(pilot, lambda: app.screen.query("#path"), what="import form")
        form = app.screen
        form.query_one("#path").value = str(BAYPLAN)
        form.query_one("#visit").value = "CMDU-FAL3-083"
        form.query_one("#path").focus()
        result = form.query_one("#import-result")
        await pilot.press("enter")  # the file names another vessel: refused, Enter confirms
        await wait_for(pilot, lambda: "edi.visit.mismatch" in text_of(result), what="mismatch")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "24 discharge" in text_of(result), what="bay plan")
        assert _imports(engine) == 1
        assert "Enter closes" in text_of(result)
        await pilot.press("enter")  # done: Enter closes, it does not import again
        await wait_for(pilot, lambda: app.screen is vessel, what="the dialog closed")
        assert _imports(engine) == 1
        await wait_for(pilot, lambda: "import a bay plan first" not in _drawn(app)
                       and "CMDU-FAL3-083" in _drawn(app), what="the visit shown")
