"""No-shows & delays (⇧F8): the dispatcher and the gate clerk see each haulier's standing and
the terminal's delays in the console, and run the sweep with s (issue 18; before, the command
line only). At 80x24 in English and Chinese, the whole screen."""

from __future__ import annotations

import pytest

from portops.model import Role
from portops.ops.appointments import book
from portops.ops.gate import admit
from portops.ops.gate_arrival import arrive
from tests.gate_world import CLERK, booking, build, release
from tests.ui.conftest import sign_in, wait_for

PLATES = ("沪A12345", "沪B67890")


@pytest.fixture
def world(core, engine, small_terminal, clock):
    """Two pickups of HAUL1's in one slot: the first truck came in time and was kept waiting
    30 minutes (the terminal's delay), the second never came (a no-show once swept)."""
    w = build(core, engine, small_terminal)
    refs = []
    for box, plate in zip(w["boxes"][:2], PLATES, strict=True):
        release(core, box)
        refs.append(core.run(CLERK, book, **booking(box, plate=plate))["ref"])
    clock.advance(minutes=5)
    core.run(CLERK, arrive, lookup=refs[0], plate=PLATES[0])
    clock.advance(minutes=30)
    core.run(CLERK, admit, lookup=refs[0], plate=PLATES[0], haulier="HAUL1",
             driver_id="D-310001")
    clock.advance(hours=3)  # the slot and its tolerance are past: the second is a no-show
    w["refs"] = refs
    return w


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("role", [Role.DISPATCHER, Role.GATE_CLERK])
async def test_standings_delays_and_the_sweep(console, world, lang, role) -> None:
    from portops.i18n import _

    app = console(language=lang)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await sign_in(pilot, role)
        await pilot.press("f20")
        await wait_for(pilot, lambda: app.screen.query("#standings")
                       and app.screen.query_one("#standings").row_count == 2  # HAUL1, HAUL2
                       and app.screen.query_one("#delays").row_count == 1, what="the report")
        screen = app.screen
        delays = screen.query_one("#delays")
        assert delays.cursor_row_key() == world["refs"][0]
        assert "30" in str(delays.get_row(world["refs"][0])[-1])
        row = screen.query_one("#standings").get_row("HAUL1")
        assert [str(c) for c in row[1:3]] == ["1", "0"]  # due, no-shows: the second not judged yet
        # whole at 80x24: every region inside the screen, the footer shows the sweep
        for widget in screen.query("#rule, #standings, #delays-title, #delays"):
            assert widget.region.bottom <= 22 and widget.region.height > 0, widget
        assert _("sweep") in app.export_screenshot()
        await pilot.press("s")
        await wait_for(pilot, lambda: [str(c) for c in screen.query_one("#standings")
                                       .get_row("HAUL1")[1:3]] == ["2", "1"],
                       what="the no-show counted")
        assert any("1" in str(n.message) for n in app._notifications)


async def test_the_sweep_twice_marks_nothing_more(console, world, clock) -> None:
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        await pilot.press("f20")
        await wait_for(pilot, lambda: app.screen.query("#standings")
                       and app.screen.query_one("#standings").row_count == 2, what="report")
        for n in (1, 2):
            await pilot.press("s")
            await wait_for(pilot, lambda n=n: len(app._notifications) >= n, what="swept")
        messages = [str(n.message) for n in app._notifications]
        assert messages[0].startswith("1 no-show") and messages[1].startswith("0 no-show")
