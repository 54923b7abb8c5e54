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


@pytest.fixture
def deliveries(core, engine, small_terminal, clock):
    """The customer world: HAUL1's export delivery RA-SHP1 in the 11:00 slot (UTC)."""
    from sqlmodel import Session, col, select

    from portops.model import Container, YardBlock
    from tests import customer_world

    w = customer_world.build_receiving(core, engine, small_terminal)
    with Session(engine) as s, s.begin():  # set-up: the export box in stands in a yard slot
        here = s.exec(select(Container).where(Container.number == w["export"])).one()
        here.yard_block_id = s.exec(select(YardBlock.id).order_by(col(YardBlock.id))).first()
        here.yard_bay, here.yard_row, here.yard_tier = 1, 1, 1
    return w


async def test_a_delivery_truck_kept_waiting_is_listed(console, core, deliveries,
                                                        clock) -> None:
    from portops.ops.receiving import receive
    from tests.gate_world import number

    ra = deliveries["receival"]
    clock.advance(minutes=5)
    core.run(CLERK, arrive, lookup=ra)
    clock.advance(minutes=45)
    core.run(CLERK, receive, lookup=ra, container=number("COSU", 501), size_type="22G1",
             seal="SL1", vgm_kg=20000)
    clock.advance(minutes=10)
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await sign_in(pilot, Role.GATE_CLERK)
        await pilot.press("f20")
        await wait_for(pilot, lambda: app.screen.query("#delays")
                       and app.screen.query_one("#delays").has_row(ra),
                       what="the delivery's delay")
        row = app.screen.query_one("#delays").get_row(ra)
        assert "HAUL1" in [str(c) for c in row] and "45" in str(row[-1])


async def test_the_sweep_counts_a_delivery_no_show(console, deliveries, clock) -> None:
    clock.advance(hours=2)  # the 11:00 slot and its tolerance are past, no truck came
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        await pilot.press("f20")
        await wait_for(pilot, lambda: app.screen.query("#standings")
                       and app.screen.query_one("#standings").row_count >= 2, what="report")
        await pilot.press("s")
        await wait_for(pilot, lambda: [str(c) for c in app.screen.query_one("#standings")
                                       .get_row("HAUL1")[1:3]] == ["2", "1"],
                       what="the delivery's no-show counted")
        assert str(list(app._notifications)[-1].message).startswith("1 no-show")
