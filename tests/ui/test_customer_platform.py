"""A shipper nominates a haulier on its booking and the haulier books the delivery in its own
F4 Deliveries; the haulier's F6 Record shows its no-show rate, the terminal's rule and the
terminal's delays (issue 18), at 80x24 in English and Chinese: a refused step in the form
with its rule, then the step accepted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import Input

from portops.queries import customer as q
from portops.queries import customer_export as qx
from tests import customer_world
from tests.gate_world import SLOT, number
from tests.ui.conftest import text_of, wait_for
from tests.ui.test_customer_areas import _table_has, sign_in
from tests.ui.test_frame_80x24 import SIZE, check_frame, screen_lines


@pytest.fixture
def world(core, engine, small_terminal):
    return customer_world.build_receiving(core, engine, small_terminal)


def _error(app) -> str:
    return text_of(app.screen.query_one("#form-error"))


def _nominated(engine, user="shp1") -> list[str]:
    return [n.haulier for n in q.CUSTOMER_QUERIES["nominations"](engine, user,
                                                                 active_only=True)]


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_a_shipper_nominates_a_haulier_on_its_booking(console, engine, world, language):
    app = console(language=language)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "shp1")
        await pilot.press("f3")
        await wait_for(pilot, lambda: "HAUL1" in text_of(app.screen.query_one("#call-detail")),
                       what="the nominated haulier under the plan")
        check_frame(app, f"{language} receiving plan with hauliers")
        await pilot.press("h")
        await wait_for(pilot, lambda: app.screen.query("#f-haulier"), what="the form")
        assert app.screen.query_one("#f-booking_ref", Input).value == "BK-SHP1"
        await pilot.press("enter", *"HAUL1", "enter", "enter")  # HAUL1 is nominated already
        await wait_for(pilot, lambda: "customer.nominate.exists" in _error(app),
                       what="the refusal")
        assert _nominated(engine) == ["HAUL1"]
        app.screen.query_one("#f-haulier", Input).value = "HAUL2"
        app.screen.query_one("#f-haulier", Input).focus()
        await pilot.press("enter", "enter")
        await wait_for(pilot, lambda: _nominated(engine) == ["HAUL1", "HAUL2"], what="saved")
        await wait_for(pilot, lambda: "HAUL2" in text_of(app.screen.query_one("#call-detail")),
                       what="listed")
        await pilot.press("v")
        await wait_for(pilot, lambda: app.screen.query("#f-reason"), what="the revoke form")
        await pilot.press("enter", *"HAUL2", "enter", *"another haulier", "enter")
        await wait_for(pilot, lambda: _nominated(engine) == ["HAUL1"], what="revoked")


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_a_nominated_haulier_books_a_delivery_and_sees_its_record(console, engine, world,
                                                                       language):
    app = console(language=language)
    box = number("SHP", 7)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "haul1")
        await pilot.press("f4")
        await wait_for(pilot, lambda: _table_has(app, "nominated", "BK-SHP1"), what="nominated")
        assert _table_has(app, "deliveries", "RA-SHP1")
        check_frame(app, f"{language} deliveries")
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen.query("#f-booking_ref"), what="the form")
        assert not app.screen.query("#f-haulier")  # the haulier is the one signed in
        assert app.screen.query_one("#f-booking_ref", Input).value == "BK-SHP1"
        late = (SLOT + timedelta(days=2, hours=10)).strftime("%Y-%m-%d %H:%M")  # Shanghai
        await pilot.press("tab", *box, "tab", *"22G1", "tab", "ctrl+u", *late, "tab",
                          *"沪B55555", "tab", *"Zhang San", "tab", *"D-55", "enter")
        await wait_for(pilot, lambda: "export.window.closed" in _error(app), what="refusal")
        assert app.screen.focused.id == "f-slot"
        ok = (SLOT + timedelta(hours=10)).strftime("%Y-%m-%d %H:%M")
        await pilot.press("ctrl+u", *ok, "enter")
        await wait_for(pilot, lambda: box in {r.container for r in qx.receivals(
            engine, "haul1", live_only=True)}, what="booked")
        (mine,) = [r for r in qx.receivals(engine, "haul1") if r.container == box]
        await wait_for(pilot, lambda: _table_has(app, "deliveries", mine.ref), what="listed")
        # the reference is read whole at 80 columns (a clerk or driver quotes it)
        row = next(line for line in screen_lines(app) if box in line)
        assert mine.ref in row, row
        await pilot.press("f6")
        await wait_for(pilot, lambda: "%" in text_of(app.screen.query_one("#standing")),
                       what="the record")
        check_frame(app, f"{language} record")
