"""The gate's keys while the cursor is in a field (issue 14): the letters go into the plate,
the haulier's code and the driver's ID (``n`` on F9 once went into the look-up), and each
screen key has a Ctrl key that works from the field, shown in the footer then."""

from __future__ import annotations

from sqlmodel import Session, select

from portops.model import Receival, TruckVisit
from portops.ops.appointments import book
from portops.ui.screens.gate_lists import AppointmentsScreen, GateQueueScreen, TroubleScreen
from tests.gate_world import CLERK, booking, build, release
from tests.test_export import BOX1, _book
from tests.test_export import export_terminal as export_terminal  # (a fixture)
from tests.ui.conftest import text_of, wait_for
from tests.ui.test_gate_console import PLATE, _gate
from tests.ui.test_keystrokes import footer_keys


def _world(core, engine, small_terminal) -> dict:
    w = build(core, engine, small_terminal)
    release(core, w["boxes"][0])
    w["ref"] = core.run(CLERK, book, **booking(w["boxes"][0], plate=PLATE))["ref"]
    return w


def _truck(engine) -> TruckVisit | None:
    with Session(engine) as s:
        return s.exec(select(TruckVisit)).first()


async def test_letters_go_into_the_look_up_and_ctrl_keys_give_the_commands(
        console, core, engine, small_terminal) -> None:
    _world(core, engine, small_terminal)
    app = console()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _gate(pilot)
        lookup = screen.query_one("#lookup")
        await wait_for(pilot, lambda: screen.focused is lookup, what="look-up focused")
        # in the field the footer names the keys that work there, not the letters (on its
        # two pages at 80 columns: ^O turns from the truck in hand to the lists)
        keys = footer_keys(app)
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: "ctrl+r" in footer_keys(app), what="the other keys")
        keys |= footer_keys(app)
        await pilot.press("ctrl+o")
        assert {keys.get(k) for k in ("ctrl+y", "ctrl+t", "ctrl+n", "ctrl+g", "ctrl+r",
                                      "ctrl+b")} == {"admit", "trouble", "next", "queue",
                                                     "troubles", "bookings"}
        assert not {"a", "t", "n", "q", "l", "b"} & keys.keys()
        await pilot.press("n", "b")  # part of a plate
        assert lookup.value == "nb"
        await pilot.press("ctrl+n")  # the next truck: cleared, the cursor back in the look-up
        await wait_for(pilot, lambda: lookup.value == "", what="cleared")
        assert screen.focused is lookup
        for key, kind in (("ctrl+b", AppointmentsScreen), ("ctrl+r", TroubleScreen),
                          ("ctrl+g", GateQueueScreen)):
            await pilot.press(key)
            await wait_for(pilot, lambda kind=kind: isinstance(app.screen, kind), what=key)
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is screen, what="back at the gate")
            assert lookup.value == ""  # the key was not typed
        # out of the field the letters are the keys again
        await pilot.press("escape")
        assert footer_keys(app).get("n") == "next"
        assert "ctrl+n" not in footer_keys(app)


async def test_ctrl_y_in_the_driver_field_judges_what_is_typed_and_admits(
        console, core, engine, small_terminal) -> None:
    _world(core, engine, small_terminal)
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await _gate(pilot)
        await pilot.press(*PLATE, "enter")
        await wait_for(pilot, lambda: screen.focused is screen.query_one("#plate"),
                       what="plate")
        await pilot.press("enter", *"HAUL1", "enter", *"D-31000")
        await pilot.press("a")  # a letter of an ID: typed, nothing admitted
        driver = screen.query_one("#driver")
        assert driver.value == "D-31000a" and _truck(engine) is None
        await pilot.press("backspace", "1", "ctrl+y")  # no Enter: judged, then admitted
        await wait_for(pilot, lambda: "ADMITTED" in text_of(screen.query_one("#gate-outcome")),
                       what="admitted")
        assert _truck(engine).state == "admitted"


async def test_ctrl_t_in_the_haulier_field_stops_the_truck_with_every_reason(
        console, core, engine, small_terminal) -> None:
    _world(core, engine, small_terminal)
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await _gate(pilot)
        await pilot.press(*PLATE, "enter")
        await wait_for(pilot, lambda: screen.focused is screen.query_one("#plate"),
                       what="plate")
        await pilot.press("enter", *"HAUL2")
        await pilot.press("ctrl+y")  # the wrong haulier and no driver: says why, admits not
        await wait_for(pilot, lambda: any("cannot admit" in n.message
                                          for n in app._notifications), what="why not")
        assert _truck(engine) is None
        screen.query_one("#haulier").focus()
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: "TROUBLE" in text_of(screen.query_one("#gate-outcome")),
                       what="stopped")
        assert _truck(engine).state == "trouble"


async def test_export_check_ctrl_t_from_the_box_fields(console, core, engine, clock,
                                                       export_terminal) -> None:
    appt = _book(core, clock, BOX1, vgm_kg=None)
    clock.advance(minutes=20)
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await _gate(pilot)
        await pilot.press(*appt["ref"], "enter")
        await wait_for(pilot, lambda: screen.focused is screen.query_one("#xc-container"),
                       what="the box number field")
        assert footer_keys(app).get("ctrl+t") == "trouble"
        await pilot.press(*BOX1, "enter", *"45G1", "enter", *"SL1", "enter", "t")
        assert screen.query_one("#xc-vgm").value == "t"  # typed: no VGM is a 't'
        await pilot.press("backspace", "ctrl+t")  # judged (no VGM), stopped with the point
        await wait_for(pilot, lambda: "TROUBLE" in text_of(screen.query_one("#gate-outcome")),
                       what="stopped")
        with Session(engine) as s:
            assert s.exec(select(Receival).where(Receival.ref == appt["ref"])).one().state \
                == "booked"
            tv = s.exec(select(TruckVisit)).one()
            assert tv.state == "trouble" and len(tv.trouble) == 1


async def test_the_whole_box_number_is_seen_in_the_export_check_at_80x24(
        console, core, engine, clock, export_terminal) -> None:
    appt = _book(core, clock, BOX1)
    app = console()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _gate(pilot)
        await pilot.press(*appt["ref"], "enter")
        field = screen.query_one("#xc-container")
        await wait_for(pilot, lambda: screen.focused is field, what="the box number field")
        await pilot.press(*BOX1)
        # the number and the cursor after it (it showed 'HU3054383': the owner code cut off)
        assert field.content_region.width > len(BOX1)
        assert field.scroll_offset.x == 0


async def test_the_trouble_list_shows_the_highlighted_trucks_reasons_in_full(
        console, core, engine, small_terminal) -> None:
    from portops.ops.gate import trouble

    w = _world(core, engine, small_terminal)
    core.run(CLERK, trouble, lookup=w["ref"], plate=PLATE, haulier="HAUL2",
             driver_id="D-310001", note="")
    app = console()
    async with app.run_test(size=(80, 24)) as pilot:
        await _gate(pilot)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, TroubleScreen)
                       and "HAUL2" in text_of(app.screen.query_one("#detail")),
                       what="the reasons under the list")
        detail = app.screen.query_one("#detail")
        assert "is not the nominated haulier" in text_of(detail)  # cut in the table's column
        assert detail.region.bottom <= 22  # above the status line and the keys


async def test_a_field_typed_while_the_checks_are_read_is_still_to_type_not_failed(
        console, core, engine, small_terminal) -> None:
    _world(core, engine, small_terminal)
    app = console()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _gate(pilot)
        await pilot.press(*PLATE, "enter")
        await wait_for(pilot, lambda: screen.assessment is not None, what="the checks")
        screen.assessment = None
        screen.look_up(keep_focus=True)  # Enter after the haulier: judged without an ID
        screen.query_one("#driver").value = "D-310001"  # typed while it was read
        await wait_for(pilot, lambda: screen.assessment is not None, what="the checks")
        checks = text_of(screen.query_one("#gate-checks"))
        assert "no driver ID typed" not in checks and "type it" in checks


async def test_an_open_booking_form_shows_its_own_keys_not_the_lists(
        console, core, engine, small_terminal) -> None:
    _world(core, engine, small_terminal)
    app = console()
    async with app.run_test(size=(80, 24)) as pilot:
        await _gate(pilot)
        await pilot.press("ctrl+b")
        await wait_for(pilot, lambda: isinstance(app.screen, AppointmentsScreen)
                       and app.screen.query_one("#rows").row_count == 1, what="appointments")
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen.query("#f-container"), what="the form")
        keys = app.screen.query_one("#form-keys")
        # the bottom two lines, where the list's keys (n book, s no-show) stood
        assert keys.region.y == 22 and keys.region.height == 2 and keys.region.width == 80
        assert "Esc" in text_of(keys) and "Enter" in text_of(keys)
        await pilot.press("s")
        assert app.screen.query_one("#f-container").value == "s"


async def test_a_truck_taken_again_from_the_trouble_list_has_the_cursor_in_the_plate(
        console, core, engine, small_terminal) -> None:
    from portops.ops.gate import trouble

    w = _world(core, engine, small_terminal)
    core.run(CLERK, trouble, lookup=w["ref"], plate=PLATE, haulier="HAUL2",
             driver_id="D-310001", note="")
    app = console()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _gate(pilot)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, TroubleScreen)
                       and app.screen.query_one("#rows").row_count == 1, what="the list")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen and screen.assessment is not None,
                       what="the truck looked up again")
        assert screen.focused is screen.query_one("#plate")
        await pilot.press(*PLATE, "enter", *"HAUL1", "enter", *"D-310001", "enter")
        await wait_for(pilot, lambda: "All checks pass" in text_of(
            screen.query_one("#gate-outcome")), what="the checks pass")
