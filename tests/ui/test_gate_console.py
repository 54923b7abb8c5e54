"""The gate clerk at the console: in and out, a lost release, a wrong plate, a no-show."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from portops.model import Appointment, Container, Eir, Flag, Role, TruckVisit
from portops.ops.appointments import book
from portops.ops.flags import revoke_permission
from portops.ui.screens.gate import GateScreen
from tests.gate_world import CLERK, DISPATCHER, booking, build, release
from tests.ui.conftest import sign_in, text_of, wait_for

PLATE = "SHA12345"


@pytest.fixture
def world(core, engine, small_terminal):
    w = build(core, engine, small_terminal)
    release(core, w["boxes"][0])
    w["ref"] = core.run(CLERK, book, **booking(w["boxes"][0], plate=PLATE))["ref"]
    return w


async def _gate(pilot) -> GateScreen:
    app = pilot.app
    await sign_in(pilot, Role.GATE_CLERK)
    await wait_for(pilot, lambda: isinstance(app.screen, GateScreen)
                   and app.screen.query("#lookup"), what="gate screen")
    return app.screen


async def _look_up(pilot, screen, text: str, plate: str | None = PLATE,
                   haulier: str = "HAUL1", driver: str = "D-310001") -> None:
    """Type the look-up, then what is at the gate, Enter after each (as a clerk does). A
    look-up by plate fills the plate field: ``plate=None`` keeps it."""
    screen.query_one("#lookup").focus()
    await pilot.press(*text, "enter")
    await wait_for(pilot, lambda: screen.focused is screen.query_one("#plate"), what="plate")
    if plate is not None:
        await pilot.press("ctrl+u", *plate)
    await pilot.press("enter", *haulier, "enter", *driver)
    screen.assessment = None
    await pilot.press("enter")
    await wait_for(pilot, lambda: screen.assessment is not None, what="the checks")


def _truck(engine) -> TruckVisit | None:
    with Session(engine) as s:
        return s.exec(select(TruckVisit)).first()


async def test_valid_appointment_in_and_out(console, engine, world) -> None:
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await _gate(pilot)
        await _look_up(pilot, screen, PLATE, plate=None)
        assert "All checks pass" in text_of(screen.query_one("#gate-outcome"))
        assert "A1 01-01-1" in text_of(screen.query_one("#gate-appt"))
        await pilot.press("a")
        await wait_for(pilot, lambda: "ADMITTED" in text_of(screen.query_one("#gate-outcome")),
                       what="admitted")
        assert "A1 01-01-1" in text_of(screen.query_one("#gate-outcome"))
        await pilot.press("q")  # trucks in the terminal
        await wait_for(pilot, lambda: app.screen.query("#rows")
                       and app.screen.query_one("#rows").row_count == 1, what="queue")
        await pilot.press("h")
        await wait_for(pilot, lambda: _truck(engine).state == "loaded", what="hand-over")
        await pilot.press("o")
        await wait_for(pilot, lambda: app.screen.query("#f-container")
                       and app.screen.focused is app.screen.query_one("#f-container"),
                       what="gate-out form")
        await pilot.press(*world["boxes"][0], "tab", *"SL0000", "enter")
        await wait_for(pilot, lambda: app.screen.query("#eir-text"), timeout=30, what="the EIR")
    with Session(engine) as s:
        c = s.exec(select(Container).where(Container.number == world["boxes"][0])).one()
        assert c.location == "gone"
        assert s.exec(select(Eir)).one().plate == PLATE


async def test_lost_customs_release_is_refused_at_the_gate(console, core, engine, world) -> None:
    with Session(engine) as s:
        fid = s.exec(select(Flag.id).where(Flag.type_code == "CUSTOMS_IMPORT")).one()
    core.run(DISPATCHER, revoke_permission, flag_id=fid, reason="re-examination")
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await _gate(pilot)
        await _look_up(pilot, screen, world["ref"])
        assert "1 problem(s)" in text_of(screen.query_one("#gate-outcome"))
        assert "customs release" in text_of(screen.query_one("#gate-checks"))
        await pilot.press("a")  # says why it cannot (it was greyed, silently)
        await wait_for(pilot, lambda: any("customs release" in n.message
                                          for n in app._notifications), what="why not")
        assert _truck(engine) is None
        await pilot.press("t")
        await wait_for(pilot, lambda: _truck(engine) is not None, what="trouble recorded")
    assert _truck(engine).state == "trouble"
    assert _truck(engine).trouble[0]["rule"] == "permission.customs_import"


async def test_wrong_plate_goes_to_trouble(console, engine, world) -> None:
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await _gate(pilot)
        await _look_up(pilot, screen, world["ref"], plate="SHB99999")
        assert [c.name for c in screen.assessment.checks if not c.ok] == ["plate"]
        assert PLATE not in text_of(screen.query_one("#gate-appt"))  # not shown to copy
        await pilot.press("t")
        await wait_for(pilot, lambda: _truck(engine) is not None, what="trouble recorded")
        await pilot.press("l")  # the trouble list shows it
        await wait_for(pilot, lambda: app.screen.query("#rows")
                       and app.screen.query_one("#rows").row_count == 1, what="trouble list")
    assert _truck(engine).trouble[0]["rule"] == "gate.plate"


async def test_the_gate_fields_are_seen_and_typed_into_at_80_columns(console, world) -> None:
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await _gate(pilot)
        for name in ("lookup", "plate", "haulier", "driver"):
            field = screen.query_one(f"#{name}")
            assert field.region.width >= 12 and field.region.right <= 80, name
        await pilot.press(*world["ref"], "tab")  # Tab leaves the look-up for the plate
        assert screen.focused is screen.query_one("#plate")
        await pilot.press(*"X" * 40)
        assert len(screen.query_one("#plate").value) == 16  # a plate's length at most


async def test_wrong_plate_is_refused_and_the_right_one_admitted(console, engine, world) -> None:
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await _gate(pilot)
        await _look_up(pilot, screen, world["ref"], plate="SHB99999")
        checks = text_of(screen.query_one("#gate-checks"))
        assert "SHB99999 is not the booked truck's" in checks and PLATE not in checks
        await pilot.press("a")
        await wait_for(pilot, lambda: any("cannot admit" in n.message and "plate" in n.message
                                          for n in app._notifications), what="why not")
        assert _truck(engine) is None
        screen.query_one("#plate").focus()
        await pilot.press("ctrl+u", *PLATE, "enter", "enter")
        screen.assessment = None
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.assessment is not None, what="re-checked")
        assert screen.assessment.admissible
        await pilot.press("a")
        await wait_for(pilot, lambda: "ADMITTED" in text_of(screen.query_one("#gate-outcome")),
                       what="admitted")
    assert _truck(engine).state == "admitted" and _truck(engine).plate == PLATE


async def test_no_show_is_recorded(console, clock, engine, world) -> None:
    clock.advance(hours=2)
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _gate(pilot)
        await pilot.press("escape", "b")
        await wait_for(pilot, lambda: app.screen.query("#rows")
                       and app.screen.query_one("#rows").row_count == 1, what="appointments")
        await pilot.press("s")

        def state():
            with Session(engine) as s:
                return s.exec(select(Appointment)).one().state

        await wait_for(pilot, lambda: state() == "no_show", what="no-show recorded")


async def test_an_unknown_reference_passes_nothing_it_could_not_check(console, world) -> None:
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await _gate(pilot)
        await _look_up(pilot, screen, "XYZ999")
        checks = text_of(screen.query_one("#gate-checks"))
        assert "✗ appointment" in checks
        assert "✓" not in checks  # no window, release or hold was judged without a box
        assert checks.count("not checked: no appointment") == len(screen.assessment.checks) - 1


async def test_a_refused_booking_keeps_the_form_and_puts_the_cursor_on_the_field(
        console, core, engine, world) -> None:
    """Issue 14: a refusal closed the form and the clerk typed all six fields again."""
    release(core, world["boxes"][1])
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _gate(pilot)
        await pilot.press("escape", "b")
        await wait_for(pilot, lambda: app.screen.query("#rows"), what="appointments")
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen.query("#f-container"), what="booking form")
        form = app.screen
        # HAUL2 does not hold the right to collect the box (HAUL1 does)
        await pilot.press(*world["boxes"][1], "tab", "tab", *"HAUL2", "tab", *"SHA1", "tab",
                          *"Wang Wei", "tab", *"D-310001", "enter")
        await wait_for(pilot, lambda: "appointment" in text_of(form.query_one("#form-error")),
                       what="the refusal in the form")
        assert app.screen is form  # still open, with every value typed
        assert form.query_one("#f-driver_name").value == "Wang Wei"
        assert form.focused is form.query_one("#f-haulier")
        await pilot.press("ctrl+u", *"HAUL1", "enter")
        await wait_for(pilot, lambda: app.screen is not form, what="booked")
    with Session(engine) as s:
        assert s.exec(select(Appointment).where(Appointment.plate == "SHA1")).one()


async def test_a_scanned_burst_fills_each_gate_field_and_judges_the_truck(console, engine,
                                                                          world) -> None:
    """Plate, Enter, haulier, Enter, driver ID, Enter in one burst (a scanner): the look-up
    is the whole plate (it was cut to its first letters: Enter acted before them)."""
    from tests.ui.test_burst_typing import burst

    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await _gate(pilot)
        screen.query_one("#lookup").focus()
        await pilot.pause()
        burst(app, f"{PLATE}\r\rHAUL1\rD-310001\r")
        await wait_for(pilot, lambda: screen.assessment is not None
                       and screen.value("driver") == "D-310001", what="the checks")
        await wait_for(pilot, lambda: screen.assessment.admissible, what="all pass")
        assert [screen.value(n) for n in ("lookup", "plate", "haulier", "driver")] == [
            PLATE, PLATE, "HAUL1", "D-310001"]
