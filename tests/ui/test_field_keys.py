"""Screen keys that work while the cursor is in a field (issue 14): the letter goes into the
field, the Ctrl key the footer shows does what the letter does outside it."""

from __future__ import annotations

import pytest

from portops.model import Role
from tests.ui.conftest import sign_in, wait_for
from tests.ui.test_keystrokes import footer_keys

pytestmark = pytest.mark.sqlite_only  # the console is the same on either database


async def test_schedule_filter_takes_letters_and_the_ctrl_keys_act(console, small_terminal
                                                                    ) -> None:
    app = console()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        screen = app.screen
        await wait_for(pilot, lambda: getattr(screen, "loaded", False), what="schedule")
        await wait_for(pilot, lambda: screen.check_action("edit_times", ()) is True,
                       what="times allowed")
        await pilot.press("slash")
        box = screen.query_one("#filter")
        assert screen.focused is box
        # the letters are the filter's, and the footer shows the keys that work here
        shown = footer_keys(app)
        for key, action in (("ctrl+s", "sort"), ("ctrl+t", "edit_times"),
                            ("ctrl+b", "assign_berth"), ("ctrl+y", "arrive")):
            assert shown.get(key) == action, key
        assert not {"s", "t", "b", "a", "slash"} & shown.keys()
        await pilot.press("s", "t")
        assert box.value == "st" and screen.table.sort_column == "etb"
        await pilot.press("ctrl+s")
        assert screen.table.sort_column == "vessel"
        assert screen.focused is box and box.value == "st"
        await pilot.press("ctrl+r")
        assert screen.table.sort_reverse and box.value == "st"
        await pilot.press("ctrl+t")  # the times form of the highlighted visit
        await wait_for(pilot, lambda: app.screen.query("#etb"), what="times form")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, what="back on the schedule")
        assert box.value == "st"


async def test_export_next_tab_works_from_the_load_tally_number(console, small_terminal
                                                                ) -> None:
    """ctrl+t from F12 Loading's number field: the focus stayed in the hidden pane and went
    on to its seal field, which switched the tabs back, so the plan's b went into the
    number."""
    app = console()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, Role.TALLY_CLERK)
        await pilot.press("f12")
        await wait_for(pilot, lambda: app.screen.query("#ld-number"), what="export area")
        screen, number = app.screen, app.screen.query_one("#ld-number")
        tabs = screen.query_one("#ex-tabs")
        await wait_for(pilot, lambda: screen.focused is number, what="cursor in the number")
        assert footer_keys(app).get("ctrl+t") == "next_tab"
        await pilot.press("b")
        assert number.value == "b" and tabs.active == "load"
        await pilot.press("ctrl+t")
        await pilot.pause(0.2)
        assert tabs.active == "gate" and screen.focused.id == "rc-lookup"
        await pilot.press("ctrl+t")
        await pilot.pause(0.2)
        assert tabs.active == "plan" and screen.focused.id == "pl-table"
        assert number.value == "b"
        await pilot.press("ctrl+t")
        await pilot.pause(0.2)
        assert tabs.active == "load" and screen.focused is number
