"""Releases & holds (⇧F9) at the console: the boxes waiting, a box looked up by number, a
customs and a line release keyed in, a hold applied and released, by keyboard alone."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from portops.model import CollectRight, Flag, Role
from portops.ops.flags import apply_hold
from portops.ui.screens.releases import ReleasesScreen
from portops.ui.screens.releases_box import BoxScreen
from tests.gate_world import DISPATCHER, build
from tests.ui.conftest import sign_in, text_of, wait_for


@pytest.fixture
def world(core, engine, small_terminal):
    return build(core, engine, small_terminal)


def _flags(engine, code: str) -> list[Flag]:
    with Session(engine) as s:
        return list(s.exec(select(Flag).where(Flag.type_code == code)))


async def _area(pilot, role: Role) -> ReleasesScreen:
    app = pilot.app
    await sign_in(pilot, role)
    # Shift+F9: a terminal sends ESC [20;2~, which Textual 8 reads as shift+f9 (older: f21)
    await pilot.press("shift+f9" if role != Role.TALLY_CLERK else "f21")
    await wait_for(pilot, lambda: isinstance(app.screen, ReleasesScreen)
                   and app.screen.query_one("#rel-waiting").row_count > 0, what="the list")
    return app.screen


async def _open(pilot, number: str) -> BoxScreen:
    app = pilot.app
    await pilot.press("slash", *number, "enter")
    await wait_for(pilot, lambda: isinstance(app.screen, BoxScreen), what="the box")
    return app.screen


def _notes(app) -> str:
    return "\n".join(f"{n.title}: {n.message}" for n in app._notifications)


async def test_dispatcher_keys_in_customs_and_line_release(console, engine, world) -> None:
    box = world["boxes"][0]
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await _area(pilot, Role.DISPATCHER)
        table = screen.query_one("#rel-waiting")
        assert table.row_count == 5  # every import box in the yard (not the advised one)
        assert "customs imp., line release" in str(table.get_row(box)[3])
        assert "5 boxes waiting" in text_of(screen.query_one("#rel-head"))
        boxscreen = await _open(pilot, box.lower())
        assert "customs release (import)" in text_of(boxscreen.query_one("#box-blocking"))
        # c, then Enter through the fields with no reference: the core refuses and the form
        # names the rule, with the cursor still in it; nothing is written
        await pilot.press("c")
        await wait_for(pilot, lambda: app.screen.query("#f-reference"), what="customs form")
        form = app.screen
        await pilot.press("enter", "enter", "enter")
        await wait_for(pilot, lambda: "permission.reference" in text_of(
            form.query_one("#form-error")), what="refusal")
        assert _flags(engine, "CUSTOMS_IMPORT") == []
        await pilot.press("shift+tab", "shift+tab", *"223120261234567890", "enter", "enter",
                          "enter")
        await wait_for(pilot, lambda: len(_flags(engine, "CUSTOMS_IMPORT")) == 1, what="grant")
        await wait_for(pilot, lambda: app.screen is boxscreen, what="form closed")
        await pilot.press("l")
        await wait_for(pilot, lambda: app.screen.query("#f-to_party"), what="line form")
        await pilot.press("enter", *"FWD1", "enter", *"DO-77", "enter", "enter")
        await wait_for(pilot, lambda: "line (freight) release" not in text_of(
            boxscreen.query_one("#box-blocking")) and "no hold" in text_of(
            boxscreen.query_one("#box-blocking")), what="released")
        with Session(engine) as s:
            assert s.exec(select(CollectRight)).one().holder_party_id is not None
        assert _flags(engine, "LINE_RELEASE")[0].reference == "DO-77"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ReleasesScreen)
                       and app.screen.query_one("#rel-waiting").row_count == 4,
                       what="the box leaves the list")


async def test_bad_container_number_says_what_is_wrong(console, engine, world) -> None:
    app = console()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _area(pilot, Role.GATE_CLERK)
        good = world["boxes"][0]
        bad = good[:-1] + str((int(good[-1]) + 1) % 10)
        await pilot.press(*bad, "enter")
        await wait_for(pilot, lambda: "check digit" in text_of(screen.query_one("#rel-message")),
                       what="the message")
        assert f"expected {good[-1]}" in text_of(screen.query_one("#rel-message"))
        await pilot.press("ctrl+u", *"nonsense", "enter")
        await wait_for(pilot, lambda: "ISO 6346" in text_of(screen.query_one("#rel-message")),
                       what="the message")
        assert isinstance(app.screen, ReleasesScreen)


async def test_tally_clerk_releases_a_damage_hold_but_not_an_xray_hold(console, engine,
                                                                       world) -> None:
    box = world["boxes"][1]
    app = console()
    app.core.run(DISPATCHER, apply_hold, code="XRAY", reason="scan ordered", container=box,
                 reference="XR-1")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _area(pilot, Role.TALLY_CLERK)
        boxscreen = await _open(pilot, box)
        # h: the hold types the tally clerk owns are the only ones that can be picked
        await pilot.press("h")
        await wait_for(pilot, lambda: app.screen.query("#choices"), what="hold types")
        options = app.screen.query_one("#choices")
        enabled = [options.get_option_at_index(i).id for i in range(options.option_count)
                   if not options.get_option_at_index(i).disabled]
        assert enabled == ["o-DAMAGE"]
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.query("#f-reason"), what="hold form")
        await pilot.press(*"dent in door", "enter", *"TL-5", "enter", "enter")
        await wait_for(pilot, lambda: len(_flags(engine, "DAMAGE")) == 1, what="damage hold")
        await wait_for(pilot, lambda: boxscreen.query_one("#box-flags").row_count == 2,
                       what="two holds shown")
        # the X-ray hold (first row) is read-only for a tally clerk: r names the rule
        await pilot.press("r")
        await wait_for(pilot, lambda: "hold.xray.role" in _notes(app), what="role refusal")
        assert "ask a" in _notes(app)
        assert _flags(engine, "XRAY")[0].state == "active"
        await pilot.press("down", "r")
        await wait_for(pilot, lambda: app.screen.query("#f-reference"), what="release form")
        await pilot.press(*"SURVEY-9", "enter", *"repaired", "enter")
        await wait_for(pilot, lambda: _flags(engine, "DAMAGE")[0].state == "released",
                       what="released")
        assert _flags(engine, "DAMAGE")[0].clear_reference == "SURVEY-9"
        await wait_for(pilot, lambda: "damage hold" not in text_of(
            boxscreen.query_one("#box-blocking")), what="no longer blocking")
