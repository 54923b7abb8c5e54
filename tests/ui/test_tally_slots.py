"""Walker item 5 on the screen: F8's "Next off the vessel" shows the slot each box will
really go to, and a box set down below its planned tier says so, in English and Chinese."""

from __future__ import annotations

import pytest

from portops.model import Role
from portops.ops.tally import short_land
from portops.ui.screens.tally import TallyView
from tests.conftest import as_role
from tests.test_yard_discharge_order import stow_three
from tests.ui.conftest import sign_in, text_of, wait_for
from tests.ui.test_tally_keys import notified

SAYS = {"en": "not {planned} as planned", "zh_CN": "未放入计划箱位 {planned}"}


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_the_list_shows_the_real_slot_and_the_tally_says_when_it_differs(
        console, core, engine, small_terminal, language) -> None:
    visit = small_terminal["visit"]
    a, b, c = stow_three(core, engine, visit)
    core.run(as_role(Role.TALLY_CLERK), short_land, visit_id=visit, number=a)
    app = console(language=language)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await sign_in(pilot, Role.TALLY_CLERK)
        await pilot.press("f8")
        await wait_for(pilot, lambda: b in text_of(app.screen.query_one("#tl-queue")),
                       what="the list")
        rows = {line.split()[2]: line for line in text_of(
            app.screen.query_one("#tl-queue")).splitlines()[1:] if line.strip()}
        # a is short: b and c will take tiers 1 and 2
        assert rows[b].endswith("-1") and rows[c].endswith("-2")
        stack = rows[b].split("→")[1].strip()[:-2]
        assert app.screen.query(TallyView)
        # c comes off first: set down at tier 1, and the clerk is told it is not the plan
        await pilot.press(*c, "enter")
        await wait_for(pilot, lambda: notified(app, f"{stack}-1"), what="tallied")
        assert notified(app, SAYS[language].format(planned=f"{stack}-2"))
        await wait_for(pilot, lambda: c not in text_of(app.screen.query_one("#tl-queue")),
                       what="the list again")
        assert text_of(app.screen.query_one("#tl-queue")).rstrip().endswith(f"→ {stack}-2")
