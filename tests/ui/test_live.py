"""Live refresh: what one console changes shows in another console on the same database file."""

from __future__ import annotations

import pytest

from portops.db import make_engine
from portops.model import Phase, Role
from portops.ui import Settings, make_app
from tests.ui.conftest import sign_in, wait_for

pytestmark = pytest.mark.sqlite_only


async def test_a_change_in_one_console_shows_in_the_other(console, db_url, clock,
                                                          small_terminal) -> None:
    visit = str(small_terminal["visit"])
    watcher = console()
    other_engine = make_engine(db_url)  # a second console opens the file on its own
    worker = make_app(other_engine, clock=clock, settings=Settings(tick=False, poll_seconds=0.1))
    try:
        async with watcher.run_test(size=(80, 24)) as p1, worker.run_test(size=(80, 24)) as p2:
            for pilot in (p1, p2):
                await sign_in(pilot, Role.DISPATCHER)
                await wait_for(pilot, lambda a=pilot.app: getattr(a.screen, "loaded", False))
            table = watcher.screen.table
            assert "planned" in str(table.get_cell(visit, "phase"))
            seen = []
            table.add_row = lambda *a, **k: seen.append(k)  # a refresh by key adds no row
            await wait_for(p2, lambda: worker.screen.check_action("arrive", ()) is True)
            await p2.press("a")
            await wait_for(p1, lambda: "arrived" in str(table.get_cell(visit, "phase")),
                           what="the other console's change")
            assert watcher.screen.rows[int(visit)].phase == Phase.ARRIVED
            # only that row is repainted: its drawn line (not just the cell data) is new
            y = table.get_row_index(visit) + 1  # under the header
            await wait_for(p1, lambda: "arrived" in table.render_line(y).text,
                           what="the row repainted")
            assert "planned" not in table.render_line(y).text
            assert not seen
            assert watcher.high_water == worker.high_water
    finally:
        other_engine.dispose()
