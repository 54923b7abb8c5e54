"""F9's footer on one line at 80x24 (issue 14: it took two, a line less for the truck in
hand): the keys for the truck in hand first, m (^O in a field) turns to the lists, the
palette and the way out of the fields; every key works whichever page is shown."""

from __future__ import annotations

import pytest
from textual.widgets._footer import FooterKey

from portops.model import Role
from portops.ui.screens.gate_lists import TroubleScreen
from portops.ui.widgets.frame import KeysFooter
from tests.ui.conftest import sign_in, wait_for
from tests.ui.test_frame_80x24 import check_frame, screen_lines
from tests.ui.test_keystrokes import footer_keys

pytestmark = pytest.mark.sqlite_only  # the console is the same on either database

FIRST = {"admit", "trouble", "next", "queue", "more", "app.help", "app.sign_out"}
OTHERS = {"troubles", "bookings", "keys", "more", "app.help"}


def footer(app) -> tuple[int, set[str], bool]:
    """The footer's height, the actions it shows, whether the palette's key is there."""
    bar = app.screen.query_one(KeysFooter)
    keys = list(bar.query(FooterKey))
    palette = any(k.has_class("-command-palette") for k in keys)
    return bar.region.height, {k.action for k in keys} - {"app.command_palette"}, palette


async def _settled(pilot, app, actions: set[str]) -> None:
    await wait_for(pilot, lambda: app.screen.query(KeysFooter)
                   and footer(app)[1] == actions, what=f"footer {sorted(actions)}")
    await pilot.pause(0.2)


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_gate_footer_is_one_line_and_more_shows_the_other_keys(
        console, small_terminal, language) -> None:
    app = console(language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, Role.GATE_CLERK)
        await wait_for(pilot, lambda: app.screen.query("#lookup")
                       and app.screen.focused is app.screen.query_one("#lookup"),
                       what="gate, cursor in the look-up")
        gate = app.screen
        for in_field in (True, False):
            await _settled(pilot, app, FIRST)
            assert footer(app)[0] == 1 and not footer(app)[2]
            check_frame(app, f"{language} gate first keys, in a field: {in_field}")
            if in_field:
                assert footer_keys(app).get("ctrl+o") == "more"
            await pilot.press("ctrl+o" if in_field else "m")
            await _settled(pilot, app, OTHERS)
            height, _shown, palette = footer(app)
            assert height == 1 and palette
            check_frame(app, f"{language} gate other keys, in a field: {in_field}")
            # a key of the first page works on the other: ^N clears the look-up
            if in_field:
                await pilot.press("x", "y")
                assert gate.query_one("#lookup").value == "xy"
                await pilot.press("ctrl+n")
                await wait_for(pilot, lambda: gate.query_one("#lookup").value == "",
                               what="next truck from the other page")
            await pilot.press("ctrl+o" if in_field else "m")
            await _settled(pilot, app, FIRST)
            # and one of the other page's on the first: the trouble list
            await pilot.press("ctrl+r" if in_field else "l")
            await wait_for(pilot, lambda: isinstance(app.screen, TroubleScreen),
                           what="trouble list")
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is gate, what="back at the gate")
            if in_field:
                gate.query_one("#lookup").focus()
                await pilot.pause(0.2)
                await pilot.press("escape")  # out of the fields: the letters are keys
                await wait_for(pilot, lambda: gate.focused is None, what="out of the fields")


async def test_gate_footer_shows_every_key_at_once_when_there_is_room(console, small_terminal
                                                                      ) -> None:
    app = console()
    async with app.run_test(size=(160, 30)) as pilot:
        await sign_in(pilot, Role.GATE_CLERK)
        await wait_for(pilot, lambda: app.screen.query("#lookup"), what="gate")
        await _settled(pilot, app, (FIRST | OTHERS) - {"more"})
        assert footer(app)[0] == 1 and footer(app)[2]


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_gate_look_up_says_what_it_takes_whole_at_80x24(console, small_terminal,
                                                              language) -> None:
    """The look-up's placeholder read 'plate or' (the field one cell too narrow for 'plate
    or appointment')."""
    from portops.i18n import _

    app = console(language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, Role.GATE_CLERK)
        await wait_for(pilot, lambda: app.screen.query("#lookup"), what="gate")
        await pilot.pause(0.3)
        placeholder = _("plate or appointment")
        assert any(placeholder in line for line in screen_lines(app)), screen_lines(app)[:4]
