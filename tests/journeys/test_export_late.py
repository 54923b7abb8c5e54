"""Journey 3, its late box: at a new site, by keyboard only, a box for a call whose receiving
has closed (seed II.(2) 2: a late box comes in only with the dispatcher's written reason).

The dispatcher keys in the line's booking on the first call of the week (F12, the receiving
plan, ``b``) and is told that the call's receiving has closed; accepts the late box with no
appointment (``l``): first without a reason, refused, then with one; the gate clerk checks
the box in (F9) on the truck's plate. Before, the box had no way in: the appointment was
refused for the closed window and the late acceptance for want of an appointment (QA walk,
item 3). The end is read from the database: the box in the yard, the reason and who accepted
it in the events.
"""

from __future__ import annotations

from sqlmodel import Session, select

from portops.model import Container, Event, Where
from tests.journeys.conftest import USERS
from tests.journeys.driver import Desk
from tests.journeys.steps import export_gate_in

BOOKING, BOX, SEAL, VGM = "LATEEXP001", "HLXU2000017", "CN7300140", "18200"
PLATE, REASON = "沪A77777", "vessel delayed at the previous port; line agreed"


async def test_late_box_accepted_and_gated_in(console, site, size):
    engine, clock = site
    app = console()
    async with app.run_test(size=size, notifications=True) as pilot:
        desk = Desk(pilot, clock, USERS)
        await desk.sign_in("dispatcher")
        await desk.area("f12", "export")
        await desk.wait(lambda: desk.app.screen.query_one("#pl-table").cursor_row_key(),
                        "the receiving plan")
        visit = desk.app.screen.query_one("#pl-table").cursor_row_key()  # the week's first
        await desk.press("b")
        await desk.wait(lambda: desk.app.screen.query("#f-ref"), "booking form")
        await desk.press(f"type:{BOOKING}", "tab", "tab", "tab", "type:Ningbo Demo Exports",
                         "tab", "type:SGSIN", "tab", "type:22G1", "tab", "type:1")
        notice = await desk.answer("enter", contains=visit)  # recorded, and: receiving closed
        # the late box, no appointment: l, the booking and the box; no reason first
        await desk.press("l")
        await desk.wait(lambda: desk.app.screen.query("#f-booking_ref"), "late box form")
        await desk.press(f"type:{BOOKING}", "tab", f"type:{BOX}", "tab", "tab", "type:22G1",
                         "tab", "type:SHTRK", "tab", f"type:{PLATE}", "tab", "type:Wang Wei",
                         "tab", "type:310101199001011234", "tab", f"type:{VGM}", "tab",
                         f"type:{SEAL}", "enter")
        await desk.wait(lambda: "export.accept_late.reason" in desk.text("#form-error"),
                        "the reason's refusal")
        accepted = await desk.answer(f"type:{REASON}", "enter", contains="RA")
        await desk.sign_out()

        desk.later(minutes=20)
        admitted = await export_gate_in(desk, PLATE, BOX, SEAL, VGM)
    assert visit in notice, notice
    assert BOX in admitted, admitted
    with Session(engine) as s:
        box = s.exec(select(Container).where(Container.number == BOX)).one()
        late = s.exec(select(Event).where(Event.operation == "export.accept_late_box")).one()
        received = s.exec(select(Event).where(Event.operation == "export.receive")).one()
    assert box.location == Where.YARD and box.booking_ref == BOOKING, box
    assert (late.user, late.data["reason"]) == ("dispatcher", REASON), late
    assert received.data["late"] == REASON, received.data
    assert "accepted" in accepted or "接受" in accepted, accepted
