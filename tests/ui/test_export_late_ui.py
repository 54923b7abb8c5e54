"""F12 past a visit's receiving cut-off, as the QA walk found it (item 3): a booking keyed in
says that receiving has closed, and a box with no appointment is accepted late with a reason
(``l``) and taken in at the gate. Before, ``n`` was refused for the closed window and ``l``
for want of an appointment: the box had no way in."""

from __future__ import annotations

from sqlmodel import Session, select

from portops.model import Receival, Role
from tests.test_export import BOX1, export_terminal
from tests.ui.conftest import wait_for
from tests.ui.test_export_ui import export_area, form_error, gate_check, notified, shown

FIXTURES = (export_terminal,)


async def _plan(app, pilot) -> None:
    await wait_for(pilot, lambda: app.screen.tab == "plan", what="dispatcher's tab")
    await wait_for(pilot, lambda: "TST-001" in shown(app, "#pl-arrival"), what="the plan")
    app.screen.query_one("#pl-table").focus()


async def test_booking_on_a_closed_visit_says_so(console, engine, export_terminal, clock):
    clock.advance(days=2, minutes=10)  # past TST-001's 24 h cargo cut-off
    async with export_area(console, Role.DISPATCHER) as (app, pilot):
        await _plan(app, pilot)
        await pilot.press("b")
        await wait_for(pilot, lambda: app.screen.query("#f-ref"), what="booking form")
        await pilot.press(*"BK9", "tab", "tab", "tab", "tab", *"NLRTM", "tab", *"45G1", "tab",
                          "2", "enter")
        await wait_for(pilot, lambda: notified(app, "Export booking recorded"), what="booked")
        await wait_for(pilot, lambda: notified(app, "Receiving for TST-001 closed"),
                       what="the notice")


async def test_late_box_without_appointment_accepted_and_gated_in(console, engine,
                                                                  export_terminal, clock):
    clock.advance(days=2, minutes=10)
    async with export_area(console, Role.DISPATCHER) as (app, pilot):
        await _plan(app, pilot)
        await pilot.press("l")
        await wait_for(pilot, lambda: app.screen.query("#f-booking_ref"), what="late form")
        await pilot.press(*"BK1", "tab", *BOX1, "tab", "tab", *"45G1", "tab", *"HAUL1", "tab",
                          *"沪A55555", "tab", *"Li Lei", "tab", *"D9", "tab", *"heavy", "tab",
                          *"SL9", "enter")
        # bad input: a VGM that is no number is one sentence, nothing sent
        await wait_for(pilot, lambda: "heavy" in form_error(app), what="the VGM's sentence")
        app.screen.query_one("#f-vgm_kg").value = "21000"
        app.screen.query_one("#f-reason").focus()
        await pilot.press("enter")  # no reason: the rule, in the form
        await wait_for(pilot, lambda: "export.accept_late.reason" in form_error(app),
                       what="the reason's rule")
        with Session(engine) as s:
            assert s.exec(select(Receival)).all() == []
        await pilot.press(*"vessel delayed, line agreed", "enter")
        await wait_for(pilot, lambda: notified(app, "Late box accepted: RA"), what="accepted")
    with Session(engine) as s:
        assert s.exec(select(Receival.late_reason)).one() == "vessel delayed, line agreed"

    async with export_area(console, Role.GATE_CLERK) as (app, pilot):
        await gate_check(pilot, "沪A55555", BOX1, "45G1", "SL9")
        await wait_for(pilot, lambda: "Admitted" in shown(app, "#rc-result"), what="admitted")
