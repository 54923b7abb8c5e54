"""The console's sign-in under guessing (issue 16): it says how long to wait during the
back-off and that the account is locked after the site's count; the admin's Users screen
(⇧F10) shows it locked and ``u`` unlocks it, after which the right password works."""

from __future__ import annotations

import pytest

from portops.model import Role
from portops.ops.signin import backoff
from tests.ui.conftest import sign_in, text_of, wait_for

pytestmark = pytest.mark.sqlite_only


def _message(app) -> str:
    return text_of(app.screen.query_one("#signin-message"))


async def _answer(pilot, role, password, clock) -> str:  # noqa: ARG001
    app = pilot.app
    app.screen.query_one("#signin-message").update("")
    app.screen.query_one("#name").value = ""  # the form keeps the name after a refusal
    await sign_in(pilot, role, password)
    return _message(app)


async def test_the_sign_in_says_to_wait_then_locked_and_the_admin_unlocks(bare_console,
                                                                          clock) -> None:
    app = bare_console()
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(3):
            said = await _answer(pilot, Role.GATE_CLERK, "a wrong guess", clock)
            assert said == "Unknown user name or wrong password."
        said = await _answer(pilot, Role.GATE_CLERK, "correct horse", clock)
        assert said == "Too many wrong passwords: wait 1 s and try again."
        assert app.user is None
        for _ in range(7):
            clock.advance(seconds=backoff(99) + 1)
            said = await _answer(pilot, Role.GATE_CLERK, "a wrong guess", clock)
        assert said.startswith("This account is locked after too many wrong passwords")
        clock.advance(seconds=backoff(99) + 1)
        said = await _answer(pilot, Role.GATE_CLERK, "correct horse", clock)
        assert said.startswith("This account is locked")  # the right password too

        clock.advance(seconds=backoff(99) + 1)  # this console's own back-off (by source)
        app.screen.query_one("#name").value = ""
        await sign_in(pilot, Role.ADMIN)
        await pilot.press("f22")
        await wait_for(pilot, lambda: getattr(app.screen, "rows", None), what="users screen")
        screen = app.screen
        assert screen.rows["gate-clerk"].locked
        table = screen.query_one("#users")
        await pilot.press(*["down"] * table.get_row_index("gate-clerk"))
        await pilot.press("u")
        await wait_for(pilot, lambda: not screen.rows["gate-clerk"].locked, what="unlocked")
        app.action_sign_out()
        await wait_for(pilot, lambda: app.screen.query("#name"), what="sign-in screen")
        app.screen.query_one("#name").value = ""
        await sign_in(pilot, Role.GATE_CLERK)
        assert app.user is not None and app.user.name == "gate-clerk", _message(app)
