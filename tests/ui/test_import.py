"""Importing an updated schedule from the console: a worker with progress, then what changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from portops.formats import registry
from portops.model import Role
from tests.ui.conftest import sign_in, text_of, wait_for

pytestmark = pytest.mark.sqlite_only
DEMO = Path(__file__).parents[2] / "schedules" / "demo"


async def test_import_schedule_shows_what_changed(bare_console, core, tmp_path) -> None:
    registry.apply(core, "admin", registry.prepare([DEMO / "layout.yaml"]))
    app = bare_console()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        schedule = app.screen
        await wait_for(pilot, lambda: getattr(schedule, "loaded", False))
        assert schedule.table.row_count == 0
        await pilot.press("i")
        await wait_for(pilot, lambda: app.screen.query("#path"))
        app.screen.query_one("#path").value = str(DEMO / "schedule.yaml")
        await pilot.press("enter")
        result = app.screen.query_one("#import-result")
        await wait_for(pilot, lambda: "added" in text_of(result), what="import summary")
        assert "27 added" in text_of(result)
        await pilot.press("escape")
        await wait_for(pilot, lambda: schedule.table.row_count > 0, what="schedule reloaded")
        # The same file again: nothing changes, and the console says so.
        await pilot.press("i")
        await wait_for(pilot, lambda: app.screen.query("#path"))
        app.screen.query_one("#path").value = str(DEMO / "schedule.yaml")
        await pilot.press("enter")
        result = app.screen.query_one("#import-result")
        await wait_for(pilot, lambda: "unchanged" in text_of(result))
        assert "0 added, 0 changed" in text_of(result)


async def test_a_bad_file_says_where(console, tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: schedule\nversion: 1\nvessels: [\n", encoding="utf-8")
    app = console()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        await wait_for(pilot, lambda: getattr(app.screen, "loaded", False))
        await pilot.press("i")
        await wait_for(pilot, lambda: app.screen.query("#path"))
        app.screen.query_one("#path").value = str(bad)
        await pilot.press("enter")
        result = app.screen.query_one("#import-result")
        await wait_for(pilot, lambda: "bad.yaml" in text_of(result))


async def test_bay_plan_imported_for_the_selected_visit_from_an_empty_terminal(
        bare_console, core, engine) -> None:
    """Issue 13: a new terminal (layout and schedule only) imports a line's bay plan in the
    console, for the visit under the schedule's cursor; without a visit the file's voyage
    names none, and the refusal says so and puts the cursor on the visit; a file whose vessel
    differs from the visit's is imported onto it only on a second Enter."""
    from sqlmodel import Session, select

    from portops.model import Container, VesselVisit

    registry.apply(core, "admin", registry.prepare([DEMO / "layout.yaml",
                                                    DEMO / "schedule.yaml"]))
    bayplan = Path(__file__).parents[1] / "data" / "bayplan.edi"
    app = bare_console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        schedule = app.screen
        await wait_for(pilot, lambda: getattr(schedule, "loaded", False)
                       and schedule.selected() is not None, what="schedule")
        key = schedule.selected().key
        await pilot.press("i")
        await wait_for(pilot, lambda: app.screen.query("#path"), what="import form")
        assert app.screen.query_one("#visit").value == key
        await pilot.press(*"no-such-file.edi", "enter")  # bad input: says where, no change
        result = app.screen.query_one("#import-result")
        await wait_for(pilot, lambda: "no-such-file.edi" in text_of(result), what="bad path")
        app.screen.query_one("#path").value = str(bayplan)
        app.screen.query_one("#visit").value = ""
        app.screen.query_one("#path").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: "edi.visit.not_found" in text_of(result),
                       what="refusal without a visit")
        await wait_for(pilot, lambda: app.screen.focused is app.screen.query_one("#visit"),
                       what="cursor on the visit")
        await pilot.press(*key, "enter")  # the file's vessel is another: refused, then confirm
        await wait_for(pilot, lambda: "edi.visit.mismatch" in text_of(result), what="mismatch")
        assert "Enter again" in text_of(result) and "24 discharge" not in text_of(result)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "24 discharge" in text_of(result), what="bay plan")
        assert key in text_of(result)
    with Session(engine) as s:
        visit = s.exec(select(VesselVisit).where(VesselVisit.key == key)).one()
        boxes = s.exec(select(Container).where(Container.in_visit_id == visit.id)).all()
    assert len(boxes) == 24
