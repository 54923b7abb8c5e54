"""The customer's areas at 80x24 (issue 18): a haulier and a consignee sign in to their own
boxes; a haulier's booking before customs release is refused in the form with the clerk's
rule, bad input is said in one sentence, a booking is made; a consignee hands the right on."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from portops.model import Role
from portops.ops.flags import grant_permission
from portops.ops.releases import line_release, pass_on
from portops.queries import customer as q
from portops.ui.areas import areas_for
from tests import customer_world
from tests.customer_world import PASSWORD
from tests.gate_world import DISPATCHER
from tests.ui.conftest import text_of, wait_for
from tests.ui.test_frame_80x24 import SIZE, check_frame, screen_lines


@pytest.fixture
def world(core, engine, small_terminal):
    w = customer_world.build(core, engine, small_terminal)
    box = w["boxes"][3]  # released by the line and handed to HAUL1; customs not yet
    core.run(DISPATCHER, line_release, line="COSU", to_party="FWD1", reference="DO-3",
             container=box)
    core.run(DISPATCHER, pass_on, container=box, by_party="FWD1", to_party="HAUL1")
    return w


async def sign_in(pilot, name: str) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: app.screen.query("#name"), what="sign-in screen")
    await pilot.click("#name")
    await pilot.press(*name, "enter", *PASSWORD, "enter")
    await wait_for(pilot, lambda: app.user is not None, what="signed in")


def _table_has(app, table_id: str, key: str) -> bool:
    tables = app.screen.query(f"#{table_id}")
    return bool(tables) and tables.first().has_row(key)


def _screen(app) -> str:
    return "\n".join(screen_lines(app))


@pytest.mark.parametrize("language", ["en", "zh_CN"])
@pytest.mark.parametrize("user,role", [("haul1", Role.HAULIER), ("fwd1", Role.CONSIGNEE),
                                       ("shp1", Role.SHIPPER), ("cosu", Role.LINE)])
async def test_each_customer_area_is_whole_at_80x24(console, world, user, role, language):
    app = console(language=language)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, user)
        assert app.areas == areas_for(role) and app.areas
        for area in app.areas:
            await pilot.press(area.key)
            await wait_for(pilot, lambda a=area: app.current_mode == a.id, what=area.id)
            await pilot.pause(0.3)
            check_frame(app, f"{language} {user} {area.id}")


async def test_a_haulier_is_refused_before_customs_then_books(console, engine, world):
    refused_box, ready_box = world["boxes"][3], world["boxes"][1]
    app = console()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "haul1")
        await wait_for(pilot, lambda: _table_has(app, "boxes", refused_box), what="my boxes")
        screen = app.screen
        table = screen.query_one("#boxes")
        table.move_cursor(row=table.get_row_index(refused_box))
        await pilot.pause(0.1)
        assert "permission.customs_import" in text_of(screen.query_one("#box-detail"))
        await pilot.press("b")
        await wait_for(pilot, lambda: app.screen.query("#f-plate"), what="booking form")
        form = app.screen
        assert form.query_one("#f-container", Input).value == refused_box
        # the box and the next hour are filled in: Enter past them to the plate
        await pilot.press("enter", "enter", *"沪A12345", "enter", *"Li Lei", "enter", *"D-77",
                          "enter")
        await wait_for(pilot, lambda: "permission.customs_import" in
                       text_of(form.query_one("#form-error")), what="the refusal")
        # a remedy the haulier can act on, not the staff's "record or import" (walk item 17)
        assert "wait for customs to release the box" in text_of(form.query_one("#form-error"))
        # bad input: an hour that is not one is one sentence on the form; nothing is sent
        form.query_one("#f-slot", Input).value = "25:99"
        form.submit()
        await pilot.pause(0.1)
        assert text_of(form.query_one("#form-error")).startswith("Slot:")
        assert q.appointments(engine, "haul1", live_only=True) == []
        await pilot.press("escape")
        # the customs release comes in; the same box is booked
        app.core.run(DISPATCHER, grant_permission, code="CUSTOMS_IMPORT", reference="C-3",
                     container=refused_box)
        await pilot.press("f3")
        await wait_for(pilot, lambda: app.current_mode == "my_appointments"
                       and app.screen.query("#availability"), what="appointments")
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen.query("#f-plate"), what="booking form")
        await pilot.press(*ready_box, "enter", "enter", *"沪A12345", "enter", *"Li Lei",
                          "enter", *"D-77", "enter")
        await wait_for(pilot, lambda: q.appointments(engine, "haul1", live_only=True),
                       what="the booking")
        (appt,) = q.appointments(engine, "haul1", live_only=True)
        await wait_for(pilot, lambda: _table_has(app, "appointments", appt.ref),
                       what="the booking listed")
        # the next hour's slot is inside the 2 h change cut-off: said at booking (walk item 17)
        await wait_for(pilot, lambda: any("can no longer be changed or cancelled" in n.message
                                          and appt.ref in n.message
                                          for n in app._notifications), what="the notice")
        grid = text_of(app.screen.query_one("#availability"))
        assert len(grid.splitlines()) == 8 and all(len(x) <= 80 for x in grid.splitlines())


async def test_a_consignee_hands_the_right_to_a_haulier(console, engine, world):
    box = world["boxes"][2]
    app = console()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "fwd1")
        await pilot.press("f4")
        await wait_for(pilot, lambda: _table_has(app, "held", box), what="hand over list")
        await pilot.pause(0.2)
        row = next(x for x in screen_lines(app) if box in x)
        assert "ready" in row and "hand it to a haulier (h)" in row  # it does not book
        await pilot.press("h")
        await wait_for(pilot, lambda: app.screen.query("#f-to_party"), what="hand-over form")
        assert "HAUL2" in _screen(app)  # the hauliers it may name
        await pilot.press(*"HAUL2", "enter", *"ORDER-7", "enter")
        await wait_for(pilot, lambda: q.box(engine, "fwd1", box).holder == "HAUL2",
                       what="handed over")
        await wait_for(pilot, lambda: app.screen.query("#held")
                       and not app.screen.query_one("#held").has_row(box), what="list updated")
        assert q.box(engine, "haul2", box).status == "ready"


async def test_a_line_releases_its_box_to_the_consignee(console, engine, world):
    from sqlmodel import Session

    from portops.model import Category, Container, Where
    from tests.gate_world import number

    fresh = number("COSU", 200)
    with Session(engine) as s, s.begin():  # set-up: one more box of COSU's in the yard
        s.add(Container(number=fresh, size_type="22G1", operator="COSU",
                        category=Category.IMPORT, location=Where.YARD))
    app = console()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot, "cosu")
        await wait_for(pilot, lambda: _table_has(app, "boxes", fresh), what="the line's boxes")
        table = app.screen.query_one("#boxes")
        table.move_cursor(row=table.get_row_index(fresh))
        await pilot.press("r")
        await wait_for(pilot, lambda: app.screen.query("#f-to_party"), what="release form")
        await pilot.press(*"FWD1", "enter", "enter")  # no reference: refused in the form
        form = app.screen
        await wait_for(pilot, lambda: "release.reference" in text_of(form.query_one("#form-error")),
                       what="the refusal")
        await pilot.press(*"DO-99", "enter")
        await wait_for(pilot, lambda: q.box(engine, "fwd1", fresh) is not None, what="released")
        assert q.box(engine, "fwd1", fresh).holder == "FWD1"
