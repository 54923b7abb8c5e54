"""F12's keys for a step the role may not take say whose step it is instead of opening a
form the operation refuses once typed (issue 14: a tally clerk's ^o opened the roll form)."""

from __future__ import annotations

import pytest

from portops.model import Role
from tests.ui.conftest import sign_in, wait_for

pytestmark = pytest.mark.sqlite_only  # the console is the same on either database


def _notified(app, text: str) -> bool:
    return any(text in str(n.message) for n in app._notifications)


async def test_a_tally_clerk_is_told_rolling_is_a_dispatchers_step(console, small_terminal
                                                                    ) -> None:
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await sign_in(pilot, Role.TALLY_CLERK)
        await pilot.press("f12")
        await wait_for(pilot, lambda: app.screen.query("#ld-number"), what="export area")
        screen = app.screen
        await wait_for(pilot, lambda: screen.tab == "load", what="loading tab")
        assert screen.check_action("roll", ()) is None  # greyed
        assert screen.check_action("make_plan", ()) is None
        assert screen.check_action("complete", ()) is True  # the tally clerk's own step
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: _notified(app, "role.not_permitted"), what="whose step")
        assert _notified(app, "dispatcher")
        await pilot.pause(0.3)
        assert app.screen is screen  # no roll form
        await pilot.press("ctrl+t", "ctrl+t")  # the receiving plan: b books, a dispatcher's
        await wait_for(pilot, lambda: screen.tab == "plan", what="plan tab")
        app._notifications.clear()
        await pilot.press("b")
        await wait_for(pilot, lambda: _notified(app, "role.not_permitted"), what="whose step")
        assert app.screen is screen  # no booking form
