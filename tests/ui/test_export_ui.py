"""The export area (F12) walked by the people who work it: the gate clerk checks a box in,
the dispatcher reads the receiving plan and arrival report and accepts a late box, the
planner makes the load plan, the tally clerk confirms loading, the dispatcher rolls a box and
completes. Each refusal shows as a notification naming its rule; data changes only through
the operations."""

from __future__ import annotations

from contextlib import asynccontextmanager
from datetime import timedelta

from sqlmodel import Session, select

from portops.clock import local
from portops.model import Container, LoadItem, LoadState, Role, Where
from portops.ops.flags import grant_permission
from portops.ops.visits import arrive, berth
from portops.queries.export import load_report
from portops.ui.screens.export import ExportScreen
from tests.conftest import as_role
from tests.test_export import BOX1, BOX2, _book, export_terminal
from tests.ui.conftest import sign_in, text_of, wait_for

D = as_role(Role.DISPATCHER)
#: The export fixture of the core tests, used here by name.
FIXTURES = (export_terminal,)


@asynccontextmanager
async def export_area(console, role: Role):
    """A console signed in as ``role``, on the export area (F12)."""
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await sign_in(pilot, role)
        await pilot.press("f12")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen), what="export area")
        await pilot.pause()
        yield app, pilot


def shown(app, selector: str) -> str:
    return text_of(app.screen.query_one(selector))


def form_error(app) -> str:
    found = app.screen.query("#form-error")
    return text_of(found.first()) if found else ""


def notified(app, text: str) -> bool:
    return any(text in n.message or text in n.title for n in app._notifications)


async def type_into(pilot, selector: str, text: str) -> None:
    pilot.app.screen.query_one(selector).value = ""
    pilot.app.screen.query_one(selector).focus()
    await pilot.pause()
    await pilot.press(*text) if text else None


async def gate_check(pilot, lookup: str, number: str, size: str, seal: str, damage: str = ""):
    app = pilot.app
    await type_into(pilot, "#rc-lookup", lookup)
    await pilot.press("enter")
    await wait_for(pilot, lambda: "BK1" in shown(app, "#rc-appt"), what="appointment")
    for sel, text in (("#rc-container", number), ("#rc-size", size), ("#rc-seal", seal),
                      ("#rc-damage", damage)):
        await type_into(pilot, sel, text)
    await pilot.press("ctrl+y")


async def test_export_box_from_appointment_to_load_report(
        console, core, engine, export_terminal, clock) -> None:
    visit = export_terminal["visit"]
    appt = _book(core, clock, BOX1)
    clock.advance(minutes=20)

    async with export_area(console, Role.GATE_CLERK) as (app, pilot):
        assert app.screen.tab == "gate"
        await gate_check(pilot, appt["ref"], "CSQU3054384", "22G1", "", "hole in roof")
        await wait_for(pilot, lambda: notified(app, "export.inspection.check_digit"),
                       what="failed inspection")
        assert all(notified(app, r) for r in ("export.inspection.size_type",
                                              "export.inspection.seal",
                                              "export.inspection.damage"))
        assert "open" in shown(app, "#rc-appt") and BOX1 in shown(app, "#rc-appt")
        await gate_check(pilot, appt["ref"], BOX1, "45G1", "SL1")
        await wait_for(pilot, lambda: "Admitted" in shown(app, "#rc-result"), what="admitted")
        assert "E1 " in shown(app, "#rc-result") and "EIRI" in shown(app, "#rc-result")

    async with export_area(console, Role.DISPATCHER) as (app, pilot):
        await wait_for(pilot, lambda: app.screen.tab == "plan", what="dispatcher's tab")
        await wait_for(pilot, lambda: BOX1 in shown(app, "#pl-arrival"), what="arrival report")
        table = app.screen.query_one("#pl-table")
        with Session(engine) as s:
            from portops.model import VesselVisit
            etb = s.get(VesselVisit, visit).etb
        # day and time in the table (whole at 80 columns), like the schedule's
        cutoff = local(etb - timedelta(hours=24), app.terminal.timezone).strftime("%d %H:%M")
        assert str(table.get_cell("TST-001", "cargo")) == cutoff

    async with export_area(console, Role.YARD_PLANNER) as (app, pilot):
        await wait_for(pilot, lambda: app.screen.tab == "load", what="planner's tab")
        await wait_for(pilot, lambda: "Not plannable" in shown(app, "#ld-plan"), what="plan")
        assert BOX1 in shown(app, "#ld-plan")
        await pilot.press("ctrl+g")  # no customs release yet: nothing can be planned
        await wait_for(pilot, lambda: notified(app, "load.plan.nothing"), what="refusal")
        core.run(D, grant_permission, code="CUSTOMS_EXPORT", reference="CN-EXP-1",
                 container=BOX1)
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: "QC1" in shown(app, "#ld-plan"), what="load plan")
        assert "1 to load" in shown(app, "#ld-head")

    async with export_area(console, Role.TALLY_CLERK) as (app, pilot):
        await wait_for(pilot, lambda: "QC1" in shown(app, "#ld-plan"), what="load plan")
        await type_into(pilot, "#ld-number", BOX1)
        await pilot.press("tab", *"SL1", "enter")  # not berthed, no port-entry formalities
        await wait_for(pilot, lambda: notified(app, "load.visit.phase"), what="refusal")
        assert notified(app, "permission.port_entry")
        core.run(D, arrive, visit_id=visit)
        core.run(D, berth, visit_id=visit)
        core.run(D, grant_permission, code="PORT_ENTRY", reference="MSA-1", visit_id=visit)
        await type_into(pilot, "#ld-number", BOX1)
        await pilot.press("tab", *"SL1", "enter")
        await wait_for(pilot, lambda: "1 loaded" in shown(app, "#ld-head"), what="loaded")
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: notified(app, "Loading complete"), what="complete")

    with Session(engine) as s:
        c = s.exec(select(Container).where(Container.number == BOX1)).one()
        assert c.location == Where.VESSEL
        assert [m.box.number for m in load_report(s, visit).moves] == [BOX1]


async def test_late_box_accepted_then_rolled(
        console, core, engine, export_terminal, clock) -> None:
    appt = _book(core, clock, BOX2)
    clock.advance(days=2, minutes=10)  # past the 24 h cargo cut-off

    async with export_area(console, Role.GATE_CLERK) as (app, pilot):
        await gate_check(pilot, appt["ref"], BOX2,
                         "45G1", "SL1")
        await wait_for(pilot, lambda: notified(app, "export.window.closed"), what="late")
        assert "closed" in shown(app, "#rc-appt")

    async with export_area(console, Role.DISPATCHER) as (app, pilot):
        await wait_for(pilot, lambda: app.screen.tab == "plan", what="dispatcher's tab")
        app.screen.query_one("#pl-table").focus()
        await pilot.press("l")
        await wait_for(pilot, lambda: app.screen.query("#f-booking_ref"), what="late form")
        await pilot.press(*"BK1", "tab", *BOX2, "enter")  # no reason: refused, in the form
        await wait_for(pilot, lambda: "export.accept_late.reason" in form_error(app),
                       what="reason")
        assert app.screen.focused.id == "f-reason"
        await pilot.press(*"line agreed", "enter")
        await wait_for(pilot, lambda: notified(app, "Late box accepted: " + appt["ref"]),
                       what="accepted")

    async with export_area(console, Role.GATE_CLERK) as (app, pilot):
        await gate_check(pilot, appt["ref"], BOX2, "45G1", "SL1")
        await wait_for(pilot, lambda: "Admitted" in shown(app, "#rc-result"), what="admitted")

    async with export_area(console, Role.DISPATCHER) as (app, pilot):
        await wait_for(pilot, lambda: app.screen.tab == "plan", what="dispatcher's tab")
        await pilot.press("ctrl+t")  # plan → loading
        await wait_for(pilot, lambda: app.screen.tab == "load", what="loading tab")
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: app.screen.query("#v-number"), what="roll form")
        await pilot.press(*BOX2, "enter", *"TST-002", "enter", *"no customs release", "enter")
        await wait_for(pilot, lambda: notified(app, "rolled to TST-002"), what="rolled")

    with Session(engine) as s:
        assert not s.exec(select(LoadItem).where(LoadItem.state == LoadState.LOADED)).all()
