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
