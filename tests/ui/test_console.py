"""The console's shell: sign-in, role-limited areas, help, idle sign-out, errors."""

from __future__ import annotations

import pytest

from portops.model import Role
from portops.ops.users import disable_user
from tests.conftest import as_role
from tests.ui.conftest import sign_in, text_of, wait_for

pytestmark = pytest.mark.sqlite_only  # the console is the same on either database


async def test_sign_in_opens_the_areas_of_the_role(console) -> None:
    app = console()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        assert app.user.name == "dispatcher"
        assert app.current_mode == "schedule"
        ids = [a.id for a in app.areas]  # other areas join between the two as they land
        assert ids[0] == "schedule" and {"activity", "gate", "export"} <= set(ids)
        assert {"berths", "workplan", "checklists"} <= set(ids)
        await pilot.press("f11")
        assert app.current_mode == "activity"
        await pilot.press("f2")
        assert app.current_mode == "schedule"


async def test_wrong_password_and_disabled_user_are_refused(console, core) -> None:
    core.run("system", disable_user, name=as_role(Role.GATE_CLERK))
    app = console()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, Role.DISPATCHER, password="wrong password")
        assert app.user is None
        assert "wrong password" in str(app.screen.query_one("#signin-message").render())
        assert app.screen.query_one("#password").value == ""
        app.screen.query_one("#name").value = ""
        await sign_in(pilot, Role.GATE_CLERK)
        assert app.user is None
        assert "disabled" in str(app.screen.query_one("#signin-message").render())


async def test_a_role_sees_only_its_areas(console) -> None:
    app = console()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, Role.GATE_CLERK)
        assert app.user.role == Role.GATE_CLERK
        assert "schedule" not in [a.id for a in app.areas]
        await pilot.press("f2")  # not the gate clerk's: nothing happens
        assert app.current_mode != "schedule"
        await pilot.press("f10")
        assert app.user is None and app.current_mode == "signin"


async def test_idle_console_signs_out(console, clock) -> None:
    app = console(idle_minutes=5)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        clock.advance(minutes=4)
        app.check_idle_sign_out()
        assert app.user is not None
        await pilot.press("s")  # activity resets the idle time
        clock.advance(minutes=4)
        app.check_idle_sign_out()
        assert app.user is not None
        clock.advance(minutes=2)
        await wait_for(pilot, lambda: app.user is None, what="idle sign-out")
        assert app.current_mode == "signin"
        await wait_for(pilot, lambda: any("5 minutes" in n.message for n in app._notifications),
                       what="the sign-out notice")


async def test_help_lists_the_screen_commands(console) -> None:
    app = console()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        await pilot.press("f1")
        await wait_for(pilot, lambda: app.screen.query("#help-text"))
        text = text_of(app.screen.query_one("#help-text"))
        assert "edit times" in text and "sign out" in text
        await pilot.press("escape")
        assert app.screen.query("#visits")


@pytest.mark.parametrize("key", ["f2", "f3", "f4", "f5", "f9"])
async def test_no_line_of_a_screen_runs_under_the_status_line(console, key) -> None:
    """At 80x24 every line of an area's body is seen: the status line and the keys (a second
    line when they wrap) take the last lines, and nothing of the body lies under them (the why-not line's last line,
    its remedy, was hidden there)."""
    from textual.widget import Widget
    from textual.widgets import Footer

    from portops.ui.widgets.frame import StatusLine

    app = console()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        await wait_for(pilot, lambda: app.screen.query(StatusLine), what="first area")
        first = app.screen
        await pilot.press(key)
        await wait_for(pilot, lambda: (app.screen is not first or key == "f2")
                       and app.screen.query(StatusLine)
                       and not any(w.is_running for w in app.workers), what="area loaded")
        await pilot.pause()
        status = app.screen.query_one(StatusLine).region
        keys = app.screen.query_one(Footer).region  # wraps between keys when they do not fit
        assert status.bottom == keys.y and keys.bottom == 24 and keys.height in (1, 2)
        scrolled = [w for w in app.screen.walk_children(Widget) if w.is_scrollable]

        def frame(w: Widget) -> bool:  # the status line, the keys, or what holds them
            return (any(isinstance(a, StatusLine | Footer) for a in w.ancestors_with_self)
                    or bool(w.query(StatusLine)))

        body = [w for w in app.screen.walk_children(Widget) if w.display and w.region
                and not frame(w)  # and in a scroll, a widget is clipped to the scroll
                and not any(s in w.ancestors for s in scrolled)]
        assert body and all(w.region.bottom <= status.y for w in body), [
            (w, w.region) for w in body if w.region.bottom > status.y]
