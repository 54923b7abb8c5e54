"""Journey 3b: an export box booked in by the haulier its shipper nominated, at a new site, by
keyboard only (issue 18; seed II.(2) 2, "the customer applies through an appointment platform
to bring containers in").

The dispatcher registers the line, a haulier and the shipper (⇧F2), moves the week's last call
a day later and imports the line's bookings (F2), as in journey 3. The terminal's admin gives
the shipper and the haulier their first accounts at the console (⇧F10), choosing each one's
party. The shipper signs in to its receiving plan (F3) and nominates the haulier on its booking (h); the
haulier, which saw no booking before, signs in to its Deliveries (F4) and books the delivery
(n): a slot after the cut-off is refused in the form with the clerk's rule, then one inside the
window is booked. The gate clerk looks the haulier's appointment up at the in-gate (F9) and
the box is admitted after the export check; the shipper's Arrivals (F4) then lists it.
"""

from __future__ import annotations

from sqlmodel import Session, select

from portops.model import Container, Where
from tests.journeys.conftest import ADMIN, USERS
from tests.journeys.driver import Desk
from tests.journeys.steps import export_gate_in, find_in_schedule, register_parties
from tests.journeys.test_export import (
    BOOKING,
    BOX,
    DATA,
    DRIVER_ID,
    EXPORT_VISIT,
    HAULIER,
    HAULIER_USCI,
    PLATE,
    SEAL,
    VGM,
)

SHIPPER, SHIPPER_USCI = "NBEXP", "91310000MA1FL8XQ37"  # the bookings file's "Ningbo Demo Exports"
CUSTOMERS = {"nbx": ("shipper", "pw-nbx-12345"), "shtrk": ("haulier", "pw-shtrk-12345")}


async def _accounts(desk: Desk) -> None:
    """The terminal's admin gives each customer its first account at the console (⇧F10, a):
    the party chosen among the registered ones, the role left empty (the party's kind says
    it), the password typed twice."""
    await desk.sign_in(ADMIN[0])
    await desk.area("f22", "users")
    for (name, (_role, password)), party in zip(CUSTOMERS.items(), (SHIPPER, HAULIER),
                                                strict=True):
        await desk.press("a")
        await desk.wait(lambda: desk.app.screen.query("#f-party"), "the user form")
        await desk.press(f"type:{name}", "enter", "enter", "enter", f"type:{party}", "enter",
                         f"type:{password}", "enter", f"type:{password}", "enter")
        await desk.wait(lambda n=name: n in getattr(desk.app.screen, "rows", {}),
                        f"{name}'s account listed")
    await desk.sign_out()


async def test_a_nominated_haulier_books_the_delivery(console, site, size, language,
                                                      monkeypatch):
    engine, clock = site
    app = console()
    async with app.run_test(size=size, notifications=True) as pilot:
        desk = Desk(pilot, clock, {**USERS, **CUSTOMERS, ADMIN[0]: ("admin", ADMIN[1])})
        await desk.sign_in("dispatcher")
        await register_parties(desk, [(EXPORT_VISIT[:4], "MSC", "line", ""),
                                      (HAULIER, "Shanghai Trucking", "haulier", HAULIER_USCI),
                                      (SHIPPER, "Ningbo Demo Exports", "shipper",
                                       SHIPPER_USCI)])
        await find_in_schedule(desk, EXPORT_VISIT)  # the call a day later, as in journey 3
        await desk.press("t")
        await desk.wait(lambda: desk.app.screen.query("#etb"), "times form")
        await desk.press("end", "ctrl+u", "type:2026-11-29 04:00", "tab", "end", "ctrl+u",
                         "type:2026-11-29 08:00", "tab", "end", "ctrl+u",
                         "type:2026-11-30 08:00")
        await desk.answer("enter", )
        await desk.press("i")
        await desk.wait(lambda: desk.app.screen.query("#path"), "import form")
        await desk.shows(f"type:{DATA / 'export-bookings.yaml'}", "enter", text=BOOKING)
        await desk.press("escape")
        await desk.sign_out()
        await _accounts(desk)

        # the haulier is not nominated yet: no booking to deliver on
        await desk.sign_in("shtrk")
        await desk.area("f4", "deliveries")
        await desk.wait(lambda: desk.app.screen.query("#nominated"), "deliveries")
        assert not desk.app.screen.query_one("#nominated").row_count
        assert desk.showing(desk.t("No shipper has nominated you on a booking yet: ask the "
                                   "shipper to."))
        await desk.sign_out()

        # the shipper nominates its haulier on the booking (F3, h)
        await desk.sign_in("nbx")
        await desk.area("f3", "receiving_plan")
        await desk.wait(lambda: desk.showing(BOOKING), "the booking in the receiving plan")
        await desk.press("h")
        await desk.wait(lambda: desk.app.screen.query("#f-haulier"), "nomination form")
        await desk.answer("enter", f"type:{HAULIER}", "enter", "type:PO-7731", "enter")
        await desk.wait(lambda: desk.showing(HAULIER), "the haulier named on the booking")
        await desk.sign_out()

        # the haulier books the delivery (F4, n): after the cut-off refused, then in the window
        await desk.sign_in("shtrk")
        await desk.area("f4", "deliveries")
        await desk.wait(lambda: desk.app.screen.query_one("#nominated").row_count == 1,
                        "the nominated booking")
        await desk.press("n")
        await desk.wait(lambda: desk.app.screen.query("#f-booking_ref"), "delivery form")
        await desk.press("tab", f"type:{BOX}", "tab", "type:22G1", "tab", "ctrl+u",
                         "type:2026-11-29 10:00", "tab", f"type:{PLATE}", "tab",
                         "type:Wang Wei", "tab", f"type:{DRIVER_ID}", "tab", f"type:{VGM}",
                         "tab", f"type:{SEAL}", "enter")
        await desk.wait(lambda: "export.window.closed" in desk.text("#form-error"),
                        "the cut-off's refusal")
        await desk.press("ctrl+u", "type:2026-11-27 16:00", "enter")  # the cursor is on the slot
        await desk.wait(lambda: not desk.app.screen.query("#f-booking_ref"), "booked")
        await desk.wait(lambda: desk.app.screen.query_one("#deliveries").row_count == 1,
                        "the delivery listed")
        ref = desk.app.screen.query_one("#deliveries").cursor_row_key()
        await desk.sign_out()

        # at the in-gate the clerk finds the haulier's appointment and takes the box in
        desk.later(hours=9, minutes=30)  # 16:00 at the terminal
        await export_gate_in(desk, ref, BOX, SEAL, VGM)

        # the shipper's arrival report lists it
        await desk.sign_in("nbx")
        await desk.area("f4", "arrivals")
        await desk.wait(lambda: desk.app.screen.query_one("#arrivals").has_row(BOX),
                        "the box in the shipper's arrivals")
    with Session(engine) as s:
        box = s.exec(select(Container).where(Container.number == BOX)).one()
        assert box.location == Where.YARD
