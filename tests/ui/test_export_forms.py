"""F12's export booking and receiving appointment forms at a new site (issue 13): the
dispatcher keys in a line's booking (b), the gate clerk books a box in (ctrl+b on the gate
tab, n on the receiving plan) and cancels it (x). A value the form cannot read and a refused
step keep the form open with the values and the cursor on the field to mend.

The site is the journeys' new site (``portops init``, the demo layout and schedule, one user
per role; no demo data). Its last visit's ETB is moved three days on first, as the dispatcher
would with ``t`` in F2: no visit of the demo schedule is still inside its receiving window.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from portops.model import ExportBooking, Receival, ReceivalState, VesselVisit
from portops.ops import Core
from portops.ops.berthplan import set_times
from portops.ops.export_bookings import add_booking
from portops.ui import Settings, make_app
from tests.journeys.conftest import USERS, new_site, site  # noqa: F401 (fixtures)
from tests.journeys.driver import Desk

VISIT = "MSCU-PEARL-042"
#: A visit whose cargo cut-off is over at the journeys' start.
CLOSED = "HLCU-FE2-055"
BOX = "CSQU3054383"


@pytest.fixture
def open_site(site):  # noqa: F811 (the journeys' fixture)
    """The new site with VISIT berthing in three days: its receiving window open now."""
    engine, clock = site
    core = Core(engine, clock)
    with Session(engine) as s:
        v = s.exec(select(VesselVisit).where(VesselVisit.key == VISIT)).one()
        vid, etb = v.id, clock.now() + timedelta(days=3)
    core.run("dispatcher", set_times, visit_id=vid, eta=etb - timedelta(hours=4), etb=etb,
             etd=etb + timedelta(hours=20))
    return engine, clock, core


def _app(engine, clock, language: str):
    return make_app(engine, clock=clock, settings=Settings(
        language=language, tick=False, poll_seconds=0.1, idle_minutes=0))


def _bookings(engine) -> dict[str, ExportBooking]:
    with Session(engine) as s:
        return {b.ref: b for b in s.exec(select(ExportBooking))}


def _error(desk: Desk) -> str:
    return desk.text("#form-error")


async def _focused(desk: Desk, field: str) -> None:
    await desk.wait(lambda: desk.app.focused is not None and desk.app.focused.id == f"f-{field}",
                    what=f"the cursor in {field}")


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_dispatcher_keys_in_a_booking_refused_then_accepted(open_site, language):
    engine, clock, _core = open_site
    app = _app(engine, clock, language)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        desk = Desk(pilot, clock, USERS)
        await desk.sign_in("dispatcher")
        await desk.area("f12", "export")
        await desk.press("b")
        await desk.wait(lambda: desk.app.screen.query("#f-ref"), "the booking form")
        # the visit highlighted in the plan and its line are filled in: typed over here
        await desk.press("type:msc0001", "tab", "ctrl+u", f"type:{VISIT}", "tab", "ctrl+u",
                         "type:MSCU", "tab", "type:Ningbo Exports", "tab", "type:NLRTM", "tab",
                         "type:99ZZ", "tab", "type:many", "enter")
        # bad input: one sentence on the form, nothing sent
        await _focused(desk, "quantity")
        assert "'many'" in _error(desk)
        assert _bookings(engine) == {}
        # refused: the size/type; the form stays with the values, the cursor on it
        await desk.press("ctrl+u", "type:2", "enter")
        await desk.wait(lambda: "export.booking.size_type" in _error(desk), "the refusal")
        await _focused(desk, "size_type")
        assert desk.app.screen.query_one("#f-ref").value == "msc0001"
        assert _bookings(engine) == {}
        await desk.answer("ctrl+u", "type:45G1", "enter", contains=desk.t("Export booking recorded"))
        got = _bookings(engine)["MSC0001"]
        assert (got.pod, got.size_type, got.quantity, got.line_operator, got.shipper) == \
            ("NLRTM", "45G1", 2, "MSCU", "Ningbo Exports")
        # the receiving plan lists the visit's booking
        await desk.press("tab", "ctrl+end")  # the cursor into the plan, on its last visit
        await desk.wait(lambda: desk.showing("MSC0001"), "the booking in the plan")


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_gate_clerk_books_a_box_in_and_cancels_it(open_site, language):
    engine, clock, core = open_site
    core.run("dispatcher", add_booking, ref="MSC0001", visit_key=VISIT, line="MSCU",
             pod="NLRTM", size_type="45G1", quantity=2)
    core.run("dispatcher", add_booking, ref="HLC0001", visit_key=CLOSED, line="HLCU",
             pod="DEHAM", size_type="22G1", quantity=1)
    app = _app(engine, clock, language)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        desk = Desk(pilot, clock, USERS)
        await desk.sign_in("gate-clerk")
        await desk.area("f12", "export")
        await desk.press("ctrl+b")  # the gate tab's look-up field has the cursor
        await desk.wait(lambda: desk.app.screen.query("#f-booking_ref"), "the appointment form")
        # a box on a visit whose cut-off is over: refused, the cursor on the slot
        await desk.press("type:HLC0001", "tab", f"type:{BOX}", "tab", "type:22G1", "tab", "tab",
                         "type:ZJYD2", "tab", "type:浙B52100", "tab", "type:Wang Wei", "tab",
                         "type:310110000001", "enter")
        await desk.wait(lambda: "export.window.closed" in _error(desk), "the cut-off refusal")
        await _focused(desk, "slot")
        # bad input: a slot that is no time
        await desk.press("ctrl+u", "type:tomorrow", "enter")
        await desk.wait(lambda: desk.t("slot") in _error(desk) and "tomorrow" in _error(desk),
                        "the slot's sentence")
        await _focused(desk, "slot")
        # the right booking, the next hour, a declared VGM no 45' box weighs: refused
        for field, value in (("booking_ref", "MSC0001"), ("size_type", "45G1"),
                             ("slot", "08:00"), ("vgm_kg", "500")):
            desk.app.screen.query_one(f"#f-{field}").value = value
        await desk.press("enter")
        await desk.wait(lambda: "export.appointment.vgm_kg" in _error(desk), "the VGM refusal")
        await _focused(desk, "vgm_kg")
        with Session(engine) as s:
            assert s.exec(select(Receival)).first() is None
        await desk.answer("ctrl+u", "type:24500", "tab", "type:CN7300100", "enter",
                          contains="RA")
        with Session(engine) as s:
            r = s.exec(select(Receival)).one()
        assert (r.container_number, r.vgm_kg, r.seals, r.plate) == \
            (BOX, 24500, "CN7300100", "浙B52100")
        assert r.slot_start == clock.now() + timedelta(minutes=90)  # 08:00 at the terminal
        # the receiving plan lists it; x cancels it with the reason
        await desk.press("ctrl+t")
        await desk.wait(lambda: desk.app.screen.tab == "plan", "the plan tab")
        await desk.press("x")
        await desk.wait(lambda: desk.app.screen.query("#f-reason"), "the cancel form")
        await desk.press("enter")  # both are needed
        await _focused(desk, "ref")
        await desk.answer(f"type:{r.ref}", "tab", "type:shipper cancelled", "enter",
                          contains=desk.t("Receiving appointment cancelled"))
        with Session(engine) as s:
            assert s.get(Receival, r.id).state == ReceivalState.CANCELLED
