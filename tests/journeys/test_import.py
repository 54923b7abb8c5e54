"""Journey 2: an import box from the vessel's bay plan to the consignee's truck, at a new site,
by keyboard only (seed II.(1) 1-6).

The dispatcher imports the bay plan at the console, records the port-entry clearance and
registers the shipping line and a haulier; the yard planner makes the discharge and yard
plans; the vessel is berthed (journey 1's steps); the tally clerk tallies every box but one,
which is short-landed, completes the discharge and issues the tally report. A booking for a
box is refused before its releases and accepted once the dispatcher has keyed in the customs
and the line release; at the gate a wrong plate is refused, the right one admitted; the box is
handed over (boxes stowed on it are moved first) and the truck leaves with its EIR. The
database is read only at the end.
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, select

from portops.model import Container, Event, Phase, TruckVisit, VesselVisit
from portops.ui.screens.confirm import ConfirmDialog
from tests.journeys.conftest import USERS
from tests.journeys.driver import Desk
from tests.journeys.steps import VISIT, berth, find_in_schedule, register_parties

DATA = Path(__file__).parent / "data"
#: The boxes the bay plan discharges here; the last is not found on board.
BOXES = ["HLXU1000012", "HLXU1000028", "HLXU1000033", "HLXU1000049"]
SHORT = BOXES[-1]
HAULIER, HAULIER_USCI = "SHTRK", "91310115MA1K4ABC18"  # USCI with its check character
#: The operations of the chain, in the order the journey runs them (read from the audit log).
CHAIN = ["cargo.import_bayplan", "port_entry.record", "party.register", "discharge.plan",
         "yard.plan", "workplan.issue", "visit.arrive", "checklist.tick", "discharge.confirm",
         "discharge.short_land", "discharge.complete", "discharge.report", "permission.grant",
         "release.line", "appointment.book", "gate.admit", "gate.hand_over", "gate.out"]
NOT_THE_CHAIN = {"user.sign_in", "user.sign_out"}
PLATE, WRONG_PLATE, DRIVER_ID = "沪A12345", "沪B99999", "310101199001011234"


async def prepare_cargo(desk: Desk) -> None:
    """II.(1) 1 and 3: the bay plan, the port entry, the parties; the planner's plans."""
    await desk.sign_in("dispatcher")
    await find_in_schedule(desk)
    await desk.press("i")  # import, for the visit under the cursor
    await desk.wait(lambda: desk.app.screen.query("#path"), "import form")
    await desk.shows(f"type:{DATA / 'bayplan-hlcu.edi'}", "enter", text=VISIT)  # what it did
    assert any(VISIT in t and " 4" in t for t in desk.screen_texts()), desk.screen_texts()
    await desk.press("escape")
    await desk.press("enter")  # the visit
    await desk.wait(lambda: desk.showing(VISIT) and desk.showing("HAPAG DEMO BERLIN"),
                    "the visit")
    await desk.press("p")
    await desk.wait(lambda: desk.app.screen.query("#pe-reference"), "port-entry form")
    await desk.answer("type:CIQ-2026-055", "enter", "type:Shanghai MSA", "enter", "enter",
                      contains=VISIT)
    await desk.press("escape")
    await register_parties(desk, [(VISIT[:4], "Hapag-Lloyd", "line", ""),
                                  (HAULIER, "Shanghai Trucking", "haulier", HAULIER_USCI)])
    await desk.sign_out()
    await desk.sign_in("yard-planner")
    await desk.area("f6", "vessel")
    await desk.answer("p", contains="4")  # discharge plan
    await desk.answer("y", contains="4")  # yard plan
    await desk.sign_out()


async def tally(desk: Desk) -> list[str]:
    """II.(1) 3: every box tallied, one short-landed, discharge complete, report issued."""
    said = []
    await desk.sign_in("tally-clerk")
    await desk.area("f8", "tally")
    await desk.wait(lambda: desk.app.screen.query("#tl-number"), "tally form")
    for number in BOXES[:-1]:
        desk.later(minutes=3)
        said.append(await desk.answer(f"type:{number}", "enter", contains=number))
    await desk.press(f"type:{SHORT}", "ctrl+s")  # it asks first, naming the box: y
    await desk.wait(lambda: isinstance(desk.app.screen, ConfirmDialog), "short-landed question")
    said.append(await desk.answer("y", contains=SHORT))
    desk.later(minutes=10)
    said.append(await desk.answer("ctrl+e"))
    await desk.wait(lambda: desk.showing(desk.t("complete; ctrl+r issues the tally report")),
                    "discharge complete")
    await desk.press("ctrl+r")
    await desk.wait(lambda: len(desk.app.screen_stack) > 1, "tally report form")
    said.append(await desk.answer("type:TR-055-01", "enter", contains=VISIT))
    await desk.sign_out()
    return said


async def book(desk: Desk, number: str) -> str:
    """The gate clerk books a pickup for ``number``: F9, b, n, the form; what it answered."""
    await desk.area("f9", "gate")
    await desk.press("escape", "b")  # Esc: from the look-up field to the keys
    await desk.wait(lambda: "Appointments" in type(desk.app.screen).__name__, "appointments")
    await desk.settle()
    await desk.press("n")
    await desk.wait(lambda: desk.app.screen.query("#f-container"), "booking form")
    # Tab from field to field, Enter sends; the slot is filled in with this hour
    await desk.press(f"type:{number}", "tab", "tab", f"type:{HAULIER}", "tab",
                     f"type:{PLATE}", "tab", "type:Wang Wei", "tab", f"type:{DRIVER_ID}",
                     "enter")
    await desk.wait(lambda: not desk.app.screen.query("#f-container") or
                    desk.text("#form-error").strip(), "the booking's answer")
    await desk.settle()
    if desk.app.screen.query("#f-container"):
        said = desk.text("#form-error")
        await desk.press("escape")
    else:
        said = desk.heard[-1][2]
    await desk.press("escape")
    return said


async def release(desk: Desk, number: str) -> None:
    """The dispatcher keys in the customs release and the line's release (⇧F9)."""
    await desk.area("f21", "releases")
    await desk.press(f"type:{number}", "enter")
    await desk.wait(lambda: desk.showing(number) and type(desk.app.screen).__name__ == "BoxScreen",
                    f"box {number}")
    await desk.settle()
    await desk.press("c")
    await desk.wait(lambda: desk.app.screen.query("#f-reference"), "customs form")
    # Enter from field to field; on the last (the B/L: empty, this box only) it records
    await desk.answer("type:310120261234567890", "enter", "enter", "enter", contains=number)
    await desk.press("l")
    await desk.wait(lambda: desk.app.screen.query("#f-to_party"), "line release form")
    await desk.answer("enter", f"type:{HAULIER}", "enter", "type:DO-HLCU-0551", "enter",
                      "enter", contains=number)


async def gate_in(desk: Desk, ref: str) -> str:
    """II.(1) 5: the truck at the in-gate; a wrong plate is refused, the right one admitted.

    The clerk types the appointment, then what is at the gate: plate, haulier, driver ID
    (Enter after each); ``a`` admits. Returns the outcome line."""
    await desk.area("f9", "gate")
    await desk.wait(lambda: desk.app.screen.query_one("#lookup").has_focus, "look-up field")
    await desk.press(f"type:{ref}", "enter", f"type:{WRONG_PLATE}", "enter",
                     f"type:{HAULIER}", "enter", f"type:{DRIVER_ID}", "enter")
    await desk.wait(lambda: desk.app.screen.assessment is not None and
                    desk.app.screen.focused is None, "the truck judged")
    assert WRONG_PLATE in desk.text("#gate-checks")
    said = await desk.answer("a", contains=desk.t("plate"))  # why not: the plate
    assert desk.heard[-1][0] == "warning", desk.heard[-1]
    # back to the plate field: Tab from the keys to the look-up, Tab again to the plate
    await desk.press("tab", "tab")
    assert desk.app.screen.focused.id == "plate"
    await desk.press("ctrl+u", f"type:{PLATE}", "enter", "enter", "enter")
    await desk.wait(lambda: desk.app.screen.focused is None and
                    desk.app.screen.assessment.admissible, "the truck judged again")
    await desk.shows("a", text=ref)
    await desk.wait(lambda: ref in desk.text("#gate-outcome"), "admitted")
    return said + "\n" + desk.text("#gate-outcome")


async def test_import_chain(console, site, size):
    engine, clock = site
    app = console()
    async with app.run_test(size=size, notifications=True) as pilot:
        desk = Desk(pilot, clock, USERS)
        await prepare_cargo(desk)
        await berth(desk)
        await tally(desk)

        # II.(1) 4: the pickup booked, refused until the box is released
        picked = BOXES[0]
        desk.later(minutes=30)
        await desk.sign_in("gate-clerk")
        refused = await book(desk, picked)
        assert "[" in refused, refused
        await desk.sign_out()
        await desk.sign_in("dispatcher")
        await release(desk, picked)
        await desk.sign_out()
        await desk.sign_in("gate-clerk")
        booked = await book(desk, picked)
        ref = booked.split()[-1]
        # II.(1) 5 and 6: in at the gate, the box handed over, out with the EIR
        desk.later(minutes=20)
        at_gate = await gate_in(desk, ref)
        await desk.press("escape", "q")  # the trucks in the terminal
        await desk.wait(lambda: any(r.container == picked for r in
                                    getattr(desk.app.screen, "rows", {}).values()),
                        "the truck in the terminal")
        await desk.settle()
        desk.later(minutes=15)
        handed = await desk.answer("h", contains=picked)  # blockers moved first
        desk.later(minutes=10)
        await desk.press("o")
        await desk.wait(lambda: desk.app.screen.query("#f-container"), "gate-out form")
        await desk.press(f"type:{picked}", "enter")
        await desk.wait(lambda: desk.showing("EIR"), "the EIR")
        eir = " | ".join(desk.screen_texts())

    assert picked in handed
    assert picked in eir and ref in at_gate
    with Session(engine) as s:
        visit = s.exec(select(VesselVisit).where(VesselVisit.key == VISIT)).one()
        done = [(e.operation, e.user) for e in s.exec(select(Event).order_by(Event.id))
                if e.user != "system" and e.operation not in NOT_THE_CHAIN]
        truck = s.exec(select(TruckVisit)).one()
        box = s.exec(select(Container).where(Container.number == picked)).one()
    assert visit.phase == Phase.COMPLETED  # discharge started its work; completing it ended it
    ran = [op for op, _u in done if op in CHAIN]
    assert list(dict.fromkeys(ran)) == CHAIN, done  # each first done in the chain's order
    assert {op: u for op, u in done}["port_entry.record"] == "dispatcher"
    assert (truck.plate, truck.state, truck.relocations) == (PLATE, "out", 2)  # 2 on top of it
    assert box.number == picked
