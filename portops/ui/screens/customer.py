"""The customer's areas (issue 18): a party's account signs in to its own boxes (F2), a
haulier to its appointments and the slots free in the next seven days (F3), a consignee or
forwarder to hand the right to collect on (F4).

Every read goes through ``portops.queries.customer`` with the signed-in account's name and
every change through ``portops.ops.customer``: what a customer may see and do is decided in
the core, never here. A refusal is the clerk's, rule and remedy, in the form that sent it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from portops.clock import TYPED_FORMS, TimeTextError, as_utc, local, parse_typed, show
from portops.i18n import N_, Message, _
from portops.queries import customer as q
from portops.queries.events import high_water
from portops.ui.commands import Command
from portops.ui.errors import rule_line
from portops.ui.live import Changes
from portops.ui.screens.admin_forms import FormField, Invalid, OperationForm
from portops.ui.screens.base import AreaScreen
from portops.ui.widgets.table import Cell, Column, KeyedTable

BOX_COLUMNS = (Column("number", N_("Box"), 11), Column("status", N_("Status"), 13),
               Column("why", N_("Waiting for / to fix"), 29), Column("appt", N_("Appt"), 9),
               Column("holder", N_("Right"), 8))
APPT_COLUMNS = (Column("ref", N_("Ref"), 11), Column("number", N_("Box"), 11),
                Column("slot", N_("Slot"), 11), Column("plate", N_("Plate"), 10),
                Column("driver", N_("Driver"), 14), Column("state", N_("State"), 10))
STATUS_STYLE = {"ready": "bold green", "booked": "cyan", "waiting": "yellow",
                "blocked": "bold red", "out": "dim", "in": ""}
#: A customer's view of a state word (the appointment states, as the gate names them).
STATES = {"booked": N_("booked"), "admitted": N_("admitted"), "completed": N_("completed"),
          "cancelled": N_("cancelled"), "no_show": N_("no show"), "refused": N_("refused")}

BOOK = Command("customer.book", "b", N_("book"),
               N_("Book a truck for the highlighted box: slot, plate, driver and ID."), "book",
               N_("customer"))
HAND = Command("customer.hand_over", "h", N_("pass the right"),
               N_("Hand the right to collect the highlighted box to a haulier."), "hand_over",
               N_("customer"))
CHANGE = Command("customer.change", "c", N_("change"),
                 N_("Change the highlighted appointment's slot, plate or driver."), "change",
                 N_("customer"))
CANCEL = Command("customer.cancel", "x", N_("cancel"),
                 N_("Cancel the highlighted appointment, saying why."), "cancel",
                 N_("customer"))
RELEASE = Command("customer.release", "r", N_("release"),
                  N_("Release the highlighted box (a line's): the right to collect goes to the "
                     "consignee or forwarder named."), "release", N_("customer"))
NEW = Command("customer.new", "n", N_("new"),
              N_("Book a truck for one of your boxes, typing its number."), "book",
              N_("customer"))


#: "ready" for whoever does not book: the box may be collected (by the holder's haulier).
READY_NOT_BOOKING = N_("ready")


def _status_word(b: q.BoxStatus, books: bool) -> str:
    if b.status == "ready" and not books:
        return _(READY_NOT_BOOKING)
    return _(q.STATUS_WORDS.get(b.status, b.status))


def _why(b: q.BoxStatus, books: bool) -> str:
    if b.fixes:
        return "; ".join(_(f) for f in b.fixes)
    if b.status == "out":
        if b.eir.upper().startswith("EIR"):  # portops numbers its EIRs EIR...
            return b.eir
        return _("EIR {number}").format(number=b.eir) if b.eir else ""
    parts = [f"{_(w.what)} ({_(w.owner)})" if w.owner else _(w.what) for w in b.waits]
    if b.status == "ready" and not b.mine and b.holder:
        return _("held by {holder}").format(holder=b.holder)
    if b.status == "ready" and b.mine and not books:
        return _("hand it to a haulier (h)")
    return ", ".join(parts)


def _read_boxes(engine, user: str) -> tuple[int, list[q.BoxStatus], str]:
    mark = high_water(engine)
    me = q.who(engine, user)
    return mark, q.boxes(engine, user), me.code if me else ""


def _change_cutoff(engine) -> int:
    """Minutes before its slot that a customer's appointment can last be changed."""
    from portops.db import read_session
    from portops.ops.customer import customer_rules

    with read_session(engine) as s:
        return customer_rules(s).change_cutoff_minutes


class _Customer(AreaScreen):
    """What the customer's screens share: the account's party, the zone, booking forms."""

    @property
    def tz(self) -> str:
        terminal = getattr(self.app, "terminal", None)
        return getattr(terminal, "timezone", None) or "UTC"

    @property
    def user(self) -> str:
        return self.app.user.name

    def booking_form(self, number: str = "") -> None:
        from portops.ops.customer import book

        now = self.app.clock.now()
        start = (local(now, self.tz) + timedelta(hours=1)).replace(minute=0, second=0,
                                                                    microsecond=0)

        def build(v: dict[str, str]) -> dict[str, Any]:
            return {"container": _box_number(v["container"]),
                    "slot_start": _slot(v["slot"], self.tz, now), "plate": v["plate"],
                    "driver_name": v["driver_name"], "driver_id": v["driver_id"]}

        self.app.push_screen(OperationForm(_("Book a truck"), [
            FormField("container", _("Box"), number, max_length=11),
            FormField("slot", _("Slot"), start.strftime("%Y-%m-%d %H:%M"), max_length=20,
                      hint=_("{forms} ({tz} time)").format(forms=TYPED_FORMS, tz=self.tz)),
            FormField("plate", _("Plate"), max_length=16),
            FormField("driver_name", _("Driver"), max_length=64),
            FormField("driver_id", _("Driver ID"), max_length=32),
        ], book, build), self.booked())

    def booked(self):
        """After a booking, its ref; and when its slot is already inside the terminal's change
        cut-off (booked at 19:09 for the 20:00 slot, changeable "until 18:00"), that it can no
        longer be changed or cancelled: said at booking, not found out at the first change."""
        def after(result: Any) -> None:
            if result is not None:
                self.fetch(_change_cutoff, then=lambda minutes: self._say_booked(result,
                                                                                 minutes))
        return after

    def _say_booked(self, result: dict, minutes: int) -> None:
        until = as_utc(result["slot_start"]) - timedelta(minutes=minutes)
        if self.app.clock.now() < until:
            self.notify(f"{result['ref']}: {_('booked')}")
        else:
            self.notify(_("{ref}: booked; this appointment can no longer be changed or "
                          "cancelled without counting as late (changes until {until})").format(
                ref=result["ref"], until=show(until, self.tz)), severity="warning", timeout=12)
        self.reload()

    def saved(self, done: str):
        def after(result: Any) -> None:
            if result is None:
                return
            ref = result.get("ref") if isinstance(result, dict) else None
            self.notify(f"{ref}: {done}" if ref else done)
            self.reload()
        return after

    def reload(self) -> None:  # pragma: no cover - each screen has its own
        raise NotImplementedError

    #: What a change must be about for a customer's lists to be read again (they are short:
    #: read whole, not row by row).
    WATCHED = ("container", "appointment", "appointments", "truck", "flag", "bl", "feed",
               "visit", "booking", "receival", "inventory", "terminal")

    def apply_changes(self, changes: Changes) -> None:
        if any(changes.touches(kind) for kind in self.WATCHED):
            self.reload()


def _box_number(text: str) -> str:
    from portops.codes import CodeError, parse_container_number

    try:
        return parse_container_number(text)
    except CodeError as exc:
        raise Invalid("container", _("Box: {why}").format(why=Message(exc.template, **exc.params).text(_))) from None


def _slot(text: str, tz: str, now) -> Any:
    try:
        return parse_typed(text, tz, now)
    except TimeTextError as exc:
        raise Invalid("slot", _("Slot: {why}").format(why=exc.message.text(_))) from None


class MyBoxesScreen(_Customer):
    TITLE = N_("My boxes")
    HELP = N_("Your boxes at or expected at the terminal, each with its status in one word: "
              "ready to book, booked, waiting (for discharge, customs, the line or a hold, "
              "and who clears it), blocked (what you must fix) or out. The lines under the "
              "table say, for the highlighted box, every rule a booking would be refused by "
              "now. A haulier books with b; a consignee hands the right on with h; a line "
              "releases its box with r.")
    COMMANDS_DECLARED: ClassVar[tuple[Command, ...]] = (BOOK, HAND, RELEASE)
    TABLE = "boxes"

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, q.BoxStatus] = {}
        self.party = ""

    def compose_body(self) -> ComposeResult:
        yield Static("", id="customer-party")
        yield KeyedTable(id=self.TABLE)
        yield Static("", id="box-detail")

    def on_mount(self) -> None:
        self.query_one(KeyedTable).set_columns(BOX_COLUMNS, _)
        self.reload()

    def reload(self) -> None:
        self.fetch(_read_boxes, self.user, then=self._loaded)

    def shown(self, rows: list[q.BoxStatus]) -> list[q.BoxStatus]:
        return rows

    def _loaded(self, result: tuple[int, list[q.BoxStatus], str]) -> None:
        mark, rows, self.party = result
        self.mark_seen(mark)
        rows = self.shown(rows)
        table = self.query_one(KeyedTable)
        current = table.cursor_row_key()
        self.rows = {b.number: b for b in rows}
        books = self.books
        table.fill((b.number, {
            "number": Cell(b.number),
            "status": Cell(_status_word(b, books), style=STATUS_STYLE.get(b.status, "")),
            "why": Cell(_why(b, books)), "appt": Cell(b.appointment or "—"),
            "holder": Cell(b.holder or "—")}) for b in rows)
        if current and table.has_row(current):
            table.move_cursor(row=table.get_row_index(current))
        self.query_one("#customer-party", Static).update(self.heading(rows))
        self.detail()

    def heading(self, rows: list[q.BoxStatus]) -> str:
        if not rows:
            return _("No boxes of yours at the terminal yet.")
        ready = sum(b.status == "ready" for b in rows)
        return _("{party} · {user}: {n} boxes, {ready} ready").format(
            party=self.party, user=self.user, n=len(rows), ready=ready)

    @property
    def books(self) -> bool:
        """Does the signed-in account book trucks (a haulier's)?"""
        return bool(self.app.user) and str(self.app.user.role) == "haulier"

    def current(self) -> q.BoxStatus | None:
        key = self.query_one(KeyedTable).cursor_row_key()
        return self.rows.get(key) if key else None

    @on(DataTable.RowHighlighted)
    def _highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self.detail()

    def detail(self) -> None:
        b = self.current()
        text = ""
        if b is not None:
            lines = [rule_line(u) for u in b.lacks[:4]]
            if b.appointment and b.slot_start:
                lines.insert(0, _("{ref}: slot {slot}").format(
                    ref=b.appointment, slot=show(b.slot_start, self.tz)))
            text = "\n".join(lines)
        self.query_one("#box-detail", Static).update(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        role = str(self.app.user.role) if self.app.user else ""
        if action == "book":
            return role == "haulier"
        if action == "hand_over":
            return role in ("haulier", "consignee")
        if action == "release":
            return role == "line"
        return True

    def action_release(self) -> None:
        from portops.ops.customer import release

        b = self.current()
        if b is None:
            self.notify(_("No box highlighted"), severity="warning")
            return
        self.app.push_screen(OperationForm(
            _("Release {number} to").format(number=b.number), [
                FormField("to_party", _("Consignee or forwarder"), max_length=16,
                          hint=_("the party's code, as registered with the terminal")),
                FormField("reference", _("Release (D/O) no."), max_length=64)],
            release, lambda v: {"container": b.number, "to_party": v["to_party"],
                                "reference": v["reference"]}),
            self.saved(_("released")))

    def action_book(self) -> None:
        b = self.current()
        self.booking_form(b.number if b else "")

    def action_hand_over(self) -> None:
        from portops.ops.customer import pass_on

        b = self.current()
        if b is None:
            self.notify(_("No box highlighted"), severity="warning")
            return
        self.fetch(q.hauliers, self.user, then=lambda hs: self.app.push_screen(OperationForm(
            _("Hand over the right to collect {number}").format(number=b.number), [
                FormField("to_party", _("To haulier"), max_length=16,
                          hint=" · ".join(h.code for h in hs[:8])),
                FormField("reference", _("Reference"), max_length=64)],
            pass_on, lambda v: {"container": b.number, "to_party": v["to_party"],
                                "reference": v["reference"]}),
            self.saved(_("handed over"))))


class HandOverScreen(MyBoxesScreen):
    TITLE = N_("Hand over")
    HELP = N_("The boxes whose right to collect you hold. h hands the highlighted box's right "
              "to a haulier, who can then book its truck; the right then follows the box in "
              "My boxes (F2).")
    COMMANDS_DECLARED: ClassVar[tuple[Command, ...]] = (HAND,)
    TABLE = "held"

    def shown(self, rows: list[q.BoxStatus]) -> list[q.BoxStatus]:
        return [b for b in rows if b.mine and b.status != "out"]

    def heading(self, rows: list[q.BoxStatus]) -> str:
        return (_("You hold the right to collect {n} boxes: h hands one to a haulier.")
                .format(n=len(rows)) if rows else
                _("You hold no right to collect: the line's release names you when it comes."))


class AppointmentsScreen(_Customer):
    TITLE = N_("Appointments")
    HELP = N_("Places free in each hour of the next seven days (· = none, the hour is over "
              "or full), and your appointments. n books a truck for one of your boxes, c "
              "changes the highlighted appointment's slot, plate or driver, x cancels it. A "
              "booking is judged as the terminal's clerk's would be: a box not released by "
              "customs or the line is refused, with what is missing.")
    COMMANDS_DECLARED: ClassVar[tuple[Command, ...]] = (NEW, CHANGE, CANCEL)

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, q.ApptRow] = {}

    def compose_body(self) -> ComposeResult:
        yield Static("", id="availability")
        yield KeyedTable(id="appointments")

    def on_mount(self) -> None:
        self.query_one(KeyedTable).set_columns(APPT_COLUMNS, _)
        self.reload()

    def reload(self) -> None:
        now = self.app.clock.now()

        def read(engine, user):
            mark = high_water(engine)
            return (mark, q.availability(engine, user, now=now),
                    q.appointments(engine, user, live_only=True))

        self.fetch(read, self.user, then=self._loaded)

    def _loaded(self, result) -> None:
        mark, hours, appts = result
        self.mark_seen(mark)
        self.query_one("#availability", Static).update(availability_grid(hours, self.tz))
        table = self.query_one(KeyedTable)
        self.rows = {a.ref: a for a in appts}
        table.fill((a.ref, {
            "ref": Cell(a.ref), "number": Cell(a.number),
            "slot": Cell(show(a.slot_start, self.tz, "%m-%d %H:%M")), "plate": Cell(a.plate),
            "driver": Cell(a.driver_name), "state": Cell(_(STATES.get(a.state, a.state)))})
            for a in appts)

    def current(self) -> q.ApptRow | None:
        key = self.query_one(KeyedTable).cursor_row_key()
        return self.rows.get(key) if key else None

    def action_book(self) -> None:
        self.booking_form()

    def action_change(self) -> None:
        from portops.ops.customer import change

        a = self.current()
        if a is None:
            self.notify(_("No appointment highlighted"), severity="warning")
            return
        now = self.app.clock.now()

        def build(v: dict[str, str]) -> dict[str, Any]:
            slot = _slot(v["slot"], self.tz, now)
            return {"ref": a.ref, "slot_start": None if slot == a.slot_start else slot,
                    "plate": v["plate"] or None, "driver_name": v["driver_name"] or None,
                    "driver_id": v["driver_id"] or None}

        self.app.push_screen(OperationForm(_("Change {ref}").format(ref=a.ref), [
            FormField("slot", _("Slot"), show(a.slot_start, self.tz), max_length=20,
                      hint=_("{forms} ({tz} time)").format(forms=TYPED_FORMS, tz=self.tz)),
            FormField("plate", _("Plate"), a.plate, max_length=16),
            FormField("driver_name", _("Driver"), a.driver_name, max_length=64),
            FormField("driver_id", _("Driver ID"), a.driver_id, max_length=32),
        ], change, build), self.saved(_("changed")))

    def action_cancel(self) -> None:
        from portops.ops.customer import cancel

        a = self.current()
        if a is None:
            self.notify(_("No appointment highlighted"), severity="warning")
            return
        self.app.push_screen(OperationForm(_("Cancel {ref}").format(ref=a.ref), [
            FormField("reason", _("Why"), max_length=256)], cancel,
            lambda v: {"ref": a.ref, "reason": v["reason"]}), self.saved(_("cancelled")))


def availability_grid(hours: list[q.HourRoom], tz: str) -> str:
    """Seven lines, one a day, of the places free in each hour (``·``: none), under a line
    of the hours: 4 + 24 x 3 columns, whole at 80 wide."""
    days: dict[str, dict[int, int]] = {}
    for h in hours:
        at = local(h.start, tz)
        days.setdefault(at.strftime("%m-%d"), {})[at.hour] = h.free
    head = "      " + "".join(f"{n:>3}" for n in range(24))
    lines = [head]
    for day, free in days.items():
        cells = "".join(f"{free[n]:>3}" if free.get(n) else "  ·" for n in range(24))
        lines.append(f"{day} {cells}")
    return "\n".join(lines[:8])
