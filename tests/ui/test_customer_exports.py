"""A shipper's receiving plan and delivery bookings, a line's calls, a party admin's accounts
(issue 18), at 80x24: refused steps in the form with the clerk's rule, bad input in one
sentence, then the step accepted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import Input

from portops.queries import customer_export as qx
from tests import customer_world
from tests.gate_world import SLOT, number
from tests.ui.conftest import text_of, wait_for
from tests.ui.test_customer_areas import _table_has, sign_in
from tests.ui.test_frame_80x24 import SIZE, check_frame


@pytest.fixture
def world(core, engine, small_terminal):
    return customer_world.build_receiving(core, engine, small_terminal)


def _error(app) -> str:
    return text_of(app.screen.query_one("#form-error"))


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_a_shipper_books_a_delivery_in_its_receiving_window(console, engine, world,
                                                                  language):
    app = console(language=language)
    box = number("SHP", 7)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "shp1")
        await pilot.press("f3")
        await wait_for(pilot, lambda: _table_has(app, "calls", "TST-001"), what="the plan")
        await wait_for(pilot, lambda: "BK-SHP1" in text_of(app.screen.query_one("#call-detail")),
                       what="the booking under the plan")
        check_frame(app, f"{language} receiving plan")
        assert _table_has(app, "receivals", "RA-SHP1")
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen.query("#f-booking_ref"), what="the form")
        assert app.screen.query_one("#f-booking_ref", Input).value == "BK-SHP1"
        # after the cut-off (ETB - 24 h): the clerk's window rule, the cursor on the slot
        late = (SLOT + timedelta(days=2, hours=10)).strftime("%Y-%m-%d %H:%M")  # Shanghai
        await pilot.press("tab", *box, "tab", *"22G1", "tab", "ctrl+u", *late, "tab",
                          *"HAUL1", "tab", *"沪B55555", "tab", *"Zhang San", "tab", *"D-55",
                          "enter")
        await wait_for(pilot, lambda: "export.window.closed" in _error(app), what="refusal")
        assert app.screen.focused.id == "f-slot"
        # bad input: a slot that is no time is one sentence; nothing is sent
        await pilot.press("ctrl+u", *"soon", "enter")
        await wait_for(pilot, lambda: "soon" in _error(app), what="the slot's sentence")
        assert [r.ref for r in qx.receivals(engine, "shp1", live_only=True)] == ["RA-SHP1"]
        assert "export.window.closed" not in _error(app)  # the sentence replaced it
        ok = (SLOT + timedelta(hours=10)).strftime("%Y-%m-%d %H:%M")
        await pilot.press("ctrl+u", *ok, "enter")
        await wait_for(pilot, lambda: len(qx.receivals(engine, "shp1", live_only=True)) == 2,
                       what="booked")
        (new,) = [r for r in qx.receivals(engine, "shp1") if r.container == box]
        await wait_for(pilot, lambda: _table_has(app, "receivals", new.ref), what="listed")
        # x on the new appointment cancels it
        table = app.screen.query_one("#receivals")
        table.focus()
        table.move_cursor(row=table.get_row_index(new.ref))
        await pilot.press("x")
        await wait_for(pilot, lambda: app.screen.query("#f-reason"), what="cancel form")
        await pilot.press(*"truck broke down", "enter")
        await wait_for(pilot, lambda: len(qx.receivals(engine, "shp1", live_only=True)) == 1,
                       what="cancelled")
        # the arrival report of its box in the yard
        await pilot.press("f4")
        await wait_for(pilot, lambda: _table_has(app, "arrivals", world["export"]),
                       what="arrivals")
        assert [a.eir for a in qx.arrivals(engine, "shp1")] == ["EIR-IN-1"]
        check_frame(app, f"{language} arrivals")


async def test_a_line_sees_its_calls_and_bookings(console, world):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "cosu")
        await pilot.press("f3")
        await wait_for(pilot, lambda: _table_has(app, "line-calls", "TST-001")
                       and _table_has(app, "line-bookings", "BK-SHP1"), what="calls")
        check_frame(app, "line calls")


async def test_a_party_admin_manages_its_accounts(console, engine, world):
    app = console()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "haul1")
        await pilot.press("f5")
        await wait_for(pilot, lambda: _table_has(app, "accounts", "haul1"), what="accounts")
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen.query("#f-name"), what="new account form")
        # refused: a password too short (the rule, in the form)
        await pilot.press(*"driver.li", "enter", *"Li Ming", "enter", *"short", "enter",
                          "enter")
        await wait_for(pilot, lambda: "user.password.short" in _error(app), what="refusal")
        # bad input: admin neither y nor n
        app.screen.query_one("#f-password", Input).value = "li-ming-pw-1"
        app.screen.query_one("#f-admin", Input).value = "maybe"
        app.screen.submit()
        await pilot.pause(0.1)
        assert "y or n" in _error(app)
        app.screen.query_one("#f-admin", Input).value = "n"
        app.screen.submit()
        await wait_for(pilot, lambda: _table_has(app, "accounts", "driver.li"), what="added")
        table = app.screen.query_one("#accounts")
        table.move_cursor(row=table.get_row_index("driver.li"))
        await pilot.press("d")
        await wait_for(pilot, lambda: app.screen.query("#f-confirm"), what="disable form")
        await pilot.press(*"driver.li", "enter")
        await wait_for(pilot, lambda: not [a for a in qx.accounts(engine, "haul1")
                                           if a.name == "driver.li" and a.active],
                       what="disabled")
        check_frame(app, "accounts")
    # the account itself signs in no more; the admin's own account sees all of HAUL1's
    assert {a.name for a in qx.accounts(engine, "haul1")} == {"haul1", "driver.li"}


async def test_an_account_that_is_not_its_partys_admin_is_refused(console, core, engine,
                                                                   world):
    from portops.ops.customer import user_add

    core.run("shp1", user_add, name="clerk.shp", password="clerk-pw-123")
    app = console()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(pilot, lambda: app.screen.query("#name"), what="sign-in")
        await pilot.click("#name")
        await pilot.press(*"clerk.shp", "enter", *"clerk-pw-123", "enter")
        await wait_for(pilot, lambda: app.user is not None, what="signed in")
        await pilot.press("f5")
        await wait_for(pilot, lambda: _table_has(app, "accounts", "clerk.shp"), what="own")
        assert not _table_has(app, "accounts", "shp1")
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen.query("#f-name"), what="form")
        await pilot.press(*"other", "enter", "enter", *"other-pw-123", "enter", "enter")
        await wait_for(pilot, lambda: "customer.user.not_admin" in _error(app),
                       what="refusal")
