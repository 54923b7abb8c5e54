"""A haulier's export deliveries and its record at the terminal (issue 18).

F4 Deliveries: the export bookings a shipper nominated the haulier on, each call's receiving
window and cut-off, and the haulier's own delivery appointments; n books a truck to bring a
box in on the highlighted booking (the gate clerk's form, the haulier fixed to itself), x
cancels the highlighted appointment up to the change cut-off.

F6 Record: the haulier's no-shows and late cancels over the terminal's rolling window, its
rate against the terminal's limit and what being over it costs (no more than so many
appointments a day in the peak hours), and its trucks the terminal kept waiting past their
slot (the terminal's delay).

Reads go through ``portops.queries.customer`` (the scoped registry), changes through
``portops.ops.export_haulier``.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.widgets import Static

from portops.clock import show
from portops.i18n import N_, _
from portops.queries import customer as q
from portops.queries import customer_export as qx
from portops.queries.events import high_water
from portops.ui.commands import Command
from portops.ui.screens.customer import _Customer
from portops.ui.screens.customer_exports import (
    RECEIVAL_COLUMNS,
    RECEIVAL_STATES,
    cancel_delivery,
    deliver,
)
from portops.ui.widgets.table import Cell, Column, KeyedTable

NOMINATED_COLUMNS = (Column("booking", N_("Booking"), 12), Column("visit", N_("Call"), 14),
                     Column("by", N_("Shipper"), 8), Column("opens", N_("Opens"), 11),
                     Column("cutoff", N_("Cut-off"), 11))
DELAY_COLUMNS = (Column("ref", N_("Ref"), 11), Column("plate", N_("Plate"), 10),
                 Column("slot", N_("Slot"), 11), Column("arrived", N_("Came"), 6),
                 Column("admitted", N_("In"), 6), Column("minutes", N_("Waited"), 7))

DELIVER = Command("customer.haulier_export_book", "n", N_("book delivery"),
                  N_("Book a truck to bring a box in on the highlighted booking, inside its "
                     "call's receiving window."), "deliver", N_("customer"))
UNDELIVER = Command("customer.haulier_export_cancel", "x", N_("cancel"),
                    N_("Cancel the highlighted delivery appointment, saying why (up to the "
                       "change cut-off)."), "cancel_delivery", N_("customer"))


def _when(at, tz: str) -> str:
    return show(at, tz, "%m-%d %H:%M") if at else "—"


class DeliveriesScreen(_Customer):
    TITLE = N_("Deliveries")
    HELP = N_("The export bookings shippers have nominated you on, with each call's "
              "receiving window and cut-off, and your delivery appointments. n books a truck "
              "on the highlighted booking inside the window; x cancels the highlighted "
              "appointment up to the change cut-off. A booking whose nomination the shipper "
              "revoked is gone from here, and its open appointments with it.")
    COMMANDS_DECLARED: ClassVar[tuple[Command, ...]] = (DELIVER, UNDELIVER)

    def __init__(self) -> None:
        super().__init__()
        self.appts: dict[str, qx.ReceivalRow] = {}

    def compose_body(self) -> ComposeResult:
        yield Static("", id="deliveries-heading")
        yield KeyedTable(id="nominated")
        yield KeyedTable(id="deliveries")

    def on_mount(self) -> None:
        nominated = self.query_one("#nominated", KeyedTable)
        nominated.set_columns(NOMINATED_COLUMNS, _)
        nominated.styles.height = 6
        self.query_one("#deliveries", KeyedTable).set_columns(RECEIVAL_COLUMNS, _)
        self.reload()

    def reload(self) -> None:
        def read(engine, user):
            return (high_water(engine), q.CUSTOMER_QUERIES["nominations"](engine, user),
                    qx.receiving(engine, user), qx.receivals(engine, user))

        self.fetch(read, self.user, then=self._loaded)

    def _loaded(self, result) -> None:
        mark, nominations, plans, appts = result
        self.mark_seen(mark)
        tz = self.tz
        window = {b.ref: p for p in plans for b in p.bookings}
        self.query_one("#deliveries-heading", Static).update(
            _("Nominated on {n} booking(s). n books a delivery on the highlighted one.")
            .format(n=len(nominations)) if nominations else
            _("No shipper has nominated you on a booking yet: ask the shipper to."))
        self.query_one("#nominated", KeyedTable).fill((n.booking_ref, {
            "booking": Cell(n.booking_ref), "visit": Cell(n.visit), "by": Cell(n.by),
            "opens": Cell(_when(window[n.booking_ref].opens, tz)
                          if n.booking_ref in window else "—"),
            "cutoff": Cell(_when(window[n.booking_ref].cargo_cutoff, tz)
                           if n.booking_ref in window else "—")}) for n in nominations)
        self.appts = {a.ref: a for a in appts}
        self.query_one("#deliveries", KeyedTable).fill((a.ref, {
            "ref": Cell(a.ref), "booking": Cell(a.booking_ref), "container": Cell(a.container),
            "slot": Cell(_when(a.slot_start, tz)), "plate": Cell(a.plate),
            "state": Cell(_(RECEIVAL_STATES.get(a.state, a.state)))}) for a in appts)

    def action_deliver(self) -> None:
        from portops.ops.export_haulier import haulier_export_book

        booking = self.query_one("#nominated", KeyedTable).cursor_row_key() or ""
        deliver(self, haulier_export_book, booking, haulier=False)

    def action_cancel_delivery(self) -> None:
        from portops.ops.export_haulier import haulier_export_cancel

        cancel_delivery(self, haulier_export_cancel, "#deliveries", self.appts)


class RecordScreen(_Customer):
    TITLE = N_("Record")
    HELP = N_("Your no-shows and late cancels over the terminal's window, your rate against "
              "the terminal's limit and what being over it costs you: no more than so many "
              "appointments a day in the peak hours. Below, your trucks the terminal kept "
              "waiting past their slot after they came in time: the terminal's delay.")

    def compose_body(self) -> ComposeResult:
        yield Static("", id="standing")
        yield KeyedTable(id="delays")

    def on_mount(self) -> None:
        self.query_one("#delays", KeyedTable).set_columns(DELAY_COLUMNS, _)
        self.reload()

    def reload(self) -> None:
        now = self.app.clock.now()

        def read(engine, user):
            return (high_water(engine), q.CUSTOMER_QUERIES["standing"](engine, user, now=now),
                    q.CUSTOMER_QUERIES["delays"](engine, user, now=now))

        self.fetch(read, self.user, then=self._loaded)

    def _loaded(self, result) -> None:
        mark, st, delays = result
        self.mark_seen(mark)
        self.query_one("#standing", Static).update(standing_text(st))
        tz = self.tz
        self.query_one("#delays", KeyedTable).fill((d.ref, {
            "ref": Cell(d.ref), "plate": Cell(d.plate), "slot": Cell(_when(d.slot_start, tz)),
            "arrived": Cell(show(d.arrived_at, tz, "%H:%M")),
            "admitted": Cell(show(d.admitted_at, tz, "%H:%M")),
            "minutes": Cell(_("{n} min").format(n=d.minutes), d.minutes)}) for d in delays)


def standing_text(st) -> str:
    """The haulier's record and the terminal's rule, in a few lines."""
    if st is None:
        return ""
    r = st.rules
    lines = [_("Last {days} days: {due} appointment(s) due, {no_shows} no-show(s), {late} "
               "late cancel(s): {rate:.0f}%.").format(days=r.window_days, due=st.due,
                                                      no_shows=st.no_shows,
                                                      late=st.late_cancels, rate=st.rate_pct)]
    if not r.rate_pct or not r.peak_hours:
        lines.append(_("The terminal sets no limit on no-shows."))
    else:
        rule = _("Over {limit}% (with at least {least} due), at most {cap} appointment(s) a "
                 "day in the peak hours {peak}.").format(
            limit=r.rate_pct, least=r.min_appointments, cap=r.peak_cap,
            peak=", ".join(r.peak_hours))
        lines.append(rule)
        lines.append(_("You are over the limit: book outside the peak hours.")
                     if st.penalised else _("You are within the limit."))
    lines.append(_("Trucks the terminal kept waiting past their slot (the terminal's delay):"))
    return "\n".join(lines)
