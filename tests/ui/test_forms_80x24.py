"""Every modal form whole at 80x24, in English and 中文: each field, its hint and the
buttons on screen, nothing to scroll to (the Users' add form scrolled: "Password again" sat on
the bottom edge, below it nothing; the role's hint took four lines)."""

from __future__ import annotations

import pytest
from textual.containers import ScrollableContainer
from textual.geometry import Region
from textual.widgets import Button, OptionList, Static

from portops.model import Role
from portops.ui.widgets.frame import KeysFooter
from tests.ui.conftest import sign_in, wait_for
from tests.ui.test_frame_80x24 import SIZE, screen_lines

pytestmark = pytest.mark.sqlite_only  # the console is the same on either database

SCREEN = Region(0, 0, *SIZE)


def check_form(app, where: str) -> None:
    """Every focusable widget, button and hint of the form inside the screen, and no
    container of it that scrolls (what does not fit is hidden there)."""
    form = app.screen
    where = where + "\n" + "\n".join(screen_lines(app))
    for widget in form.query("*"):
        if not widget.display:
            continue
        shown = widget.focusable or isinstance(widget, Button) or (
            isinstance(widget, Static) and widget.has_class("op-form-hint"))
        if shown:
            region = widget.region
            assert region.width and region.height, f"{where}: {widget!r} not on screen"
            assert SCREEN.contains_region(region), f"{where}: {widget!r} at {region}"
        if isinstance(widget, ScrollableContainer) and not isinstance(widget, OptionList):
            assert widget.max_scroll_y == 0, (
                f"{where}: {widget!r} scrolls ({widget.virtual_size.height} lines in "
                f"{widget.scrollable_content_region.height})")


async def open_form(pilot, app, *keys: str) -> None:
    before = app.screen
    await pilot.press(*keys)
    await wait_for(pilot, lambda: app.screen is not before and app.screen.is_modal,
                   what=f"the form of {keys}")
    await pilot.pause(0.3)


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_users_forms_whole_at_80x24(console, language):
    app = console(language=language)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.ADMIN)
        await pilot.press("shift+f10")
        await wait_for(pilot, lambda: app.current_mode == "users"
                       and app.screen.query("#users") and app.screen.query_one("#users").row_count,
                       what="users")
        await _each_form(pilot, app, ("a", "r", "p"), f"{language} users")


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_parties_forms_whole_at_80x24(console, language):
    app = console(language=language)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.ADMIN)
        await pilot.press("shift+f2")
        await wait_for(pilot, lambda: app.current_mode == "parties"
                       and app.screen.query("#parties"), what="parties")
        await pilot.pause(0.3)
        await open_form(pilot, app, "a")
        check_form(app, f"{language} parties a")


async def _each_form(pilot, app, keys: tuple[str, ...], where: str) -> None:
    """Open each key's form from the screen shown, check it whole, close it again."""
    screen = app.screen
    for key in keys:
        await open_form(pilot, app, key)
        check_form(app, f"{where} {key}")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, what=f"back from {where} {key}")


async def _schedule(pilot, app) -> None:
    await wait_for(pilot, lambda: app.current_mode == "schedule" and app.screen.query("#visits")
                   and app.screen.query_one("#visits").row_count, what="the schedule")
    await pilot.pause(0.3)


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_schedule_forms_whole_at_80x24(console, language):
    """F2's times (t), berth (b) and port-entry (p) forms, as the dispatcher."""
    app = console(language=language)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        await _schedule(pilot, app)
        await _each_form(pilot, app, ("t", "b", "p"), f"{language} schedule")


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_gate_booking_form_whole_at_80x24(console, language):
    """F9's appointments (^B), n books one: six fields (the plate and driver were below the
    edge, the form scrolled)."""
    app = console(language=language)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.GATE_CLERK)
        await wait_for(pilot, lambda: app.screen.query("#lookup"), what="the gate")
        await pilot.press("ctrl+b")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "AppointmentsScreen",
                       what="appointments")
        await pilot.pause(0.3)
        assert app.screen.query_one(KeysFooter).region.height == 1, f"{language} appointments"
        await open_form(pilot, app, "n")
        check_form(app, f"{language} gate book")


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_export_booking_form_whole_at_80x24(console, language):
    """F12's receiving plan: b keys in an export booking (ten fields), n books a receiving
    appointment."""
    app = console(language=language)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        await pilot.press("f12")
        await wait_for(pilot, lambda: app.current_mode == "export"
                       and app.screen.query("#ex-tabs"), what="export")
        while app.screen.tab != "plan":
            await pilot.press("ctrl+t")
            await pilot.pause(0.2)
        app.screen.set_focus(None)
        await pilot.pause(0.3)
        # a booking; a receiving appointment
        await _each_form(pilot, app, ("b", "n"), f"{language} export")


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_releases_forms_whole_at_80x24(console, core, engine, small_terminal, language):
    """⇧F9, a box looked up: the customs release (c), the line release (l) and a hold (h,
    its type chosen first); the box's footer on one line too."""
    from portops.ui.screens.releases_box import BoxScreen, ChoiceForm
    from tests.gate_world import build

    box = build(core, engine, small_terminal)["boxes"][0]
    app = console(language=language)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        await pilot.press("shift+f9")
        await wait_for(pilot, lambda: app.current_mode == "releases"
                       and app.screen.query("#rel-waiting")
                       and app.screen.query_one("#rel-waiting").row_count, what="releases")
        await pilot.press("slash", *box.lower(), "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, BoxScreen), what="the box")
        await pilot.pause(0.3)
        boxscreen = app.screen
        assert boxscreen.query_one(KeysFooter).region.height == 1, f"{language} box footer"
        for key in ("c", "l", "h"):
            await open_form(pilot, app, key)
            check_form(app, f"{language} releases {key}")
            if isinstance(app.screen, ChoiceForm):  # the hold's type, then its form
                await open_form(pilot, app, "enter")
                check_form(app, f"{language} releases {key}, its form")
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is boxscreen, what="back at the box")


async def test_a_mistyped_role_lists_the_roles_in_chinese_punctuation(console):
    """中文: 角色：请输入以下之一：生产调度、系解缆工… (the list read '生产调度, 系解缆工')."""
    from tests.ui.conftest import text_of

    app = console(language="zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.ADMIN)
        await pilot.press("shift+f10")
        await wait_for(pilot, lambda: app.current_mode == "users"
                       and app.screen.query("#users") and app.screen.query_one("#users").row_count,
                       what="users")
        await open_form(pilot, app, "a")
        await pilot.press(*"wangwei", "enter", "enter", *"船长", "enter", "enter",
                          *"longenough1", "enter", *"longenough1", "enter")
        form = app.screen
        await wait_for(pilot, lambda: "角色" in text_of(form.query_one("#form-error")),
                       what="the role's line")
        said = text_of(form.query_one("#form-error"))
        assert "生产调度、系解缆工" in said and ", " not in said, said
        check_form(app, "zh_CN users a, the role refused")
