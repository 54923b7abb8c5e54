"""The lines under F2's table stay within their room at 80x24 (issue 14): a step the role
may never take is said in that one rule, not beside every rule of the visit."""

from __future__ import annotations

import pytest

from portops.model import Role
from portops.ops import visits as visit_ops
from tests.conftest import as_role
from tests.ui.conftest import sign_in, text_of, wait_for

pytestmark = pytest.mark.sqlite_only  # the console is the same on either database


async def test_a_step_the_role_may_not_take_is_said_in_one_rule(console, core,
                                                                 small_terminal) -> None:
    core.run(as_role(Role.DISPATCHER), visit_ops.arrive, visit_id=small_terminal["visit"])
    app = console()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, Role.TALLY_CLERK)
        screen = app.screen
        await wait_for(pilot, lambda: getattr(screen, "loaded", False), what="schedule")
        why = screen.query_one("#why")
        await wait_for(pilot, lambda: text_of(why).count("role.not_permitted") == 2,
                       what="arrive and times refused to the role")
        text = text_of(why)
        assert "visit.phase" not in text  # (arriving again is refused too: not said here)
        assert why.region.height < 5  # below its most (5 lines): nothing cut off


async def test_port_entry_says_whose_step_it_is_instead_of_opening_its_form(
        console, small_terminal) -> None:
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await sign_in(pilot, Role.YARD_PLANNER)
        screen = app.screen
        await wait_for(pilot, lambda: getattr(screen, "loaded", False)
                       and screen.selected() is not None, what="schedule")
        await pilot.press("p")
        await wait_for(pilot, lambda: any("role.not_permitted" in str(n.message)
                                          and "dispatcher" in str(n.message)
                                          for n in app._notifications), what="whose step")
        await pilot.pause(0.3)
        assert app.screen is screen  # the port-entry form stayed shut
