"""Console test helpers: an app on the test database, signed in as a role, with waits.

Tests run at a fixed size with the status clock stopped (``Settings(tick=False)``) and the
``FixedClock``; they wait for conditions (``wait_for``) rather than sleeping fixed times,
because workers finish when the machine gets to them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from portops.model import STAFF_ROLES, Role
from portops.ops.users import set_password
from portops.ui import Settings, make_app
from tests.conftest import as_role

PASSWORD = "correct horse"


async def wait_for(pilot, condition: Callable[[], object], timeout: float = 45.0,
                   what: str = "") -> None:
    """Let the app run until ``condition()`` holds (workers and messages need a few turns).

    The timeout is only a ceiling for a condition that never comes (a passing test returns
    as soon as it holds); it is generous because a 2-core CI machine running the console in
    threads next to a PostgreSQL server can take seconds for one worker's turn."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not condition():
        if loop.time() > end:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await pilot.pause(0.02)


@pytest.fixture
def console(bare_console, small_terminal):
    """``console(**settings)``: an app on the small terminal (every user has PASSWORD)."""
    return bare_console


@pytest.fixture
def bare_console(core, engine, clock):
    """``bare_console(**settings)``: an app on a database with users only (no terminal)."""
    for role in STAFF_ROLES:
        core.run("system", set_password, name=as_role(role), password=PASSWORD)

    def build(**settings):
        settings.setdefault("tick", False)
        settings.setdefault("poll_seconds", 0.1)
        return make_app(engine, clock=clock, settings=Settings(**settings))

    return build


async def sign_in(pilot, role: Role, password: str = PASSWORD) -> None:
    """Type the name and password as a person would, and wait for the first area."""
    app = pilot.app
    await wait_for(pilot, lambda: app.screen.query("#name"), what="sign-in screen")
    await pilot.click("#name")
    await pilot.press(*as_role(role), "enter", *password, "enter")
    await wait_for(pilot, lambda: app.user is not None or
                   str(app.screen.query_one("#signin-message").render()) not in ("", "Checking…"),
                   what="sign-in answer")


async def gate_queue(pilot, trucks: int) -> None:
    """Sign in as the gate clerk and open the trucks in the terminal (q) once it lists
    ``trucks`` of them."""
    from portops.ui.screens.gate import GateScreen

    app = pilot.app
    await sign_in(pilot, Role.GATE_CLERK)
    await wait_for(pilot, lambda: isinstance(app.screen, GateScreen)
                   and app.screen.query("#lookup"), what="gate screen")
    app.screen.set_focus(None)
    await pilot.press("q")  # trucks in the terminal
    await wait_for(pilot, lambda: app.screen.query("#rows")
                   and app.screen.query_one("#rows").row_count == trucks, what="queue")


def text_of(widget) -> str:
    """What a Static shows, as plain text (Rich tables and Text alike)."""
    from rich.console import Console

    content = getattr(widget, "content", None)
    if isinstance(content, str):
        return content
    console = Console(width=200, color_system=None, record=True)
    with console.capture() as captured:
        console.print(content)
    return captured.get()
