"""A shipper's and a line's areas, and a party's own accounts (issue 18).

A shipper signs in to the receiving plan the terminal publishes for each call that takes its
bookings (集港计划: when receiving opens, the cut-offs), how far each booking is booked in and
received, and its delivery appointments: n books a truck to bring a box in on the highlighted
call's booking, x cancels the highlighted appointment. F4 is the arrival report (运抵) of its
boxes once inside. A line sees its calls, with the boxes on each and its bookings. Every
customer has F5, its party's accounts: the party's admin adds, disables and sets passwords,
anyone else sees and changes only its own password.

Reads go through ``portops.queries.customer`` (the registry the scoping test walks), changes
through ``portops.ops.customer`` / ``customer_export``; the delivery form is the gate clerk's
(``export_forms.receival_form``) sending ``customer.export_book``, so a refusal lists the
clerk's rules (the window, the cut-off) in the form, with the cursor at the field to mend.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from portops.clock import show
from portops.i18n import N_, _
from portops.queries import customer as q
from portops.queries import customer_export as qx
from portops.queries.events import high_water
from portops.ui.commands import Command
from portops.ui.live import Changes
from portops.ui.screens.admin_forms import FormField, Invalid, OperationForm
from portops.ui.screens.customer import _Customer
from portops.ui.widgets.table import Cell, Column, KeyedTable

CALL_COLUMNS = (Column("visit", N_("Call"), 14), Column("vessel", N_("Vessel"), 16),
                Column("etb", N_("Berths"), 11), Column("opens", N_("Opens"), 11),
                Column("cutoff", N_("Cut-off"), 11))
RECEIVAL_COLUMNS = (Column("ref", N_("Ref"), 11), Column("booking", N_("Booking"), 10),
                    Column("container", N_("Box"), 11), Column("slot", N_("Slot"), 11),
                    Column("plate", N_("Plate"), 10), Column("state", N_("State"), 9))
ARRIVAL_COLUMNS = (Column("container", N_("Box"), 11), Column("booking", N_("Booking"), 12),
                   Column("visit", N_("Call"), 14), Column("eir", N_("EIR"), 16),
                   Column("at", N_("In at"), 11))
LINE_CALL_COLUMNS = (Column("visit", N_("Call"), 14), Column("vessel", N_("Vessel"), 14),
                     Column("phase", N_("Phase"), 9), Column("eta", N_("ETA"), 11),
                     Column("etd", N_("ETD"), 11), Column("boxes", N_("Boxes"), 5))
BOOKING_COLUMNS = (Column("ref", N_("Booking"), 12), Column("visit", N_("Call"), 14),
                   Column("pod", N_("POD"), 6), Column("size", N_("Type"), 5),
                   Column("qty", N_("Boxes"), 5), Column("received", N_("In"), 5))
ACCOUNT_COLUMNS = (Column("name", N_("Account"), 16), Column("full", N_("Name"), 24),
                   Column("state", N_("State"), 10), Column("admin", N_("Admin"), 6))
#: A delivery appointment's state, as the customer reads it.
RECEIVAL_STATES = {"booked": N_("booked"), "received": N_("received"),
                   "cancelled": N_("cancelled")}

DELIVER = Command("customer.export_book", "n", N_("book delivery"),
                  N_("Book a truck to bring a box in on the highlighted call's booking, "
                     "inside its receiving window."), "deliver", N_("customer"))
UNDELIVER = Command("customer.export_cancel", "x", N_("cancel"),
                    N_("Cancel the highlighted delivery appointment, saying why."),
                    "cancel_delivery", N_("customer"))
NOMINATE = Command("customer.nominate", "h", N_("nominate haulier"),
                   N_("Nominate a haulier to deliver the highlighted call's booking: it then "
                      "books the deliveries itself."), "nominate", N_("customer"))
REVOKE = Command("customer.revoke_nomination", "v", N_("revoke"),
                 N_("Revoke a haulier's nomination on a booking, saying why; its open "
                    "delivery appointments on it are cancelled."), "revoke", N_("customer"))
ADD_USER = Command("customer.user_add", "n", N_("new account"),
                   N_("Add an account to your company (its admin only)."), "add_user",
                   N_("customer"))
DISABLE_USER = Command("customer.user_disable", "d", N_("disable"),
                       N_("Disable the highlighted account (its admin only)."), "disable_user",
                       N_("customer"))
PASSWORD = Command("customer.user_password", "p", N_("password"),
                   N_("Set the highlighted account's password (yours, or as its admin)."),
                   "set_password", N_("customer"))


def deliver(screen: _Customer, op: Any, booking_ref: str, haulier: bool = True) -> None:
    """The gate clerk's delivery form sending ``op`` for a customer: refusals in the form with
    the cursor on the field to mend; without ``haulier`` the field is left out (a haulier
    books as itself)."""
    from portops.ui.screens.export_forms import RECEIVAL_RULES, receival_form

    form = receival_form(screen.tz, screen.app.clock.now(), booking_ref)
    if not haulier:
        form.fields = [f for f in form.fields if f[0] != "haulier"]
        form.required = tuple(r for r in form.required if r != "haulier")
    form.op = op
    form.rule_fields = {**RECEIVAL_RULES, "customer.booking.": "booking_ref",
                        "customer.book.": "slot"}
    form.title_text = _("Book a delivery (times in {tz})").format(tz=screen.tz)
    screen.app.push_screen(form, screen.saved(_("delivery booked")))


def cancel_delivery(screen: _Customer, op: Any, table: str,
                    appts: dict[str, qx.ReceivalRow]) -> None:
    """Cancel the delivery appointment highlighted in ``table`` with ``op``, saying why."""
    key = screen.query_one(table, KeyedTable).cursor_row_key()
    a = appts.get(key) if key else None
    if a is None or a.state != "booked":
        screen.notify(_("No open delivery appointment highlighted"), severity="warning")
        return
    screen.app.push_screen(OperationForm(_("Cancel {ref}").format(ref=a.ref), [
        FormField("reason", _("Why"), max_length=256)], op,
        lambda v: {"ref": a.ref, "reason": v["reason"]}), screen.saved(_("cancelled")))


def _when(at, tz: str) -> str:
    return show(at, tz, "%m-%d %H:%M") if at else "—"


class ReceivingScreen(_Customer):
    TITLE = N_("Receiving plan")
    HELP = N_("The receiving plan the terminal publishes for each call that takes your "
              "bookings: when receiving opens and the cut-off (reefer and dangerous goods "
              "under the table), each booking's boxes booked in and received, and your "
              "delivery appointments. n books a truck on the highlighted call's booking "
              "inside the window; x cancels the highlighted appointment. h nominates a "
              "haulier on a booking, who then books its deliveries itself; v revokes it. "
              "The arrival report of your boxes is F4.")
    COMMANDS_DECLARED: ClassVar[tuple[Command, ...]] = (DELIVER, UNDELIVER, NOMINATE, REVOKE)
    DEFAULT_CSS = """
    #call-detail { height: auto; max-height: 4; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.plans: dict[str, qx.CallPlan] = {}
        self.appts: dict[str, qx.ReceivalRow] = {}
        self.hauliers: dict[str, list[str]] = {}

    def compose_body(self) -> ComposeResult:
        yield KeyedTable(id="calls")
        yield Static("", id="call-detail")
        yield KeyedTable(id="receivals")

    def on_mount(self) -> None:
        calls = self.query_one("#calls", KeyedTable)
        calls.set_columns(CALL_COLUMNS, _)
        calls.styles.height = 6  # a few calls; the app's sheet gives every table 1fr
        self.query_one("#receivals", KeyedTable).set_columns(RECEIVAL_COLUMNS, _)
        self.reload()

    def reload(self) -> None:
        def read(engine, user):
            return (high_water(engine), qx.receiving(engine, user),
                    qx.receivals(engine, user),
                    q.CUSTOMER_QUERIES["nominations"](engine, user, active_only=True))

        self.fetch(read, self.user, then=self._loaded)

    def _loaded(self, result) -> None:
        mark, plans, appts, nominations = result
        self.mark_seen(mark)
        self.hauliers = {}
        for n in nominations:
            self.hauliers.setdefault(n.booking_ref, []).append(n.haulier)
        tz = self.tz
        self.plans = {p.visit: p for p in plans}
        self.appts = {a.ref: a for a in appts}
        self.query_one("#calls", KeyedTable).fill((p.visit, {
            "visit": Cell(p.visit), "vessel": Cell(p.vessel), "etb": Cell(_when(p.etb, tz)),
            "opens": Cell(_when(p.opens, tz)), "cutoff": Cell(_when(p.cargo_cutoff, tz))})
            for p in plans)
        self.query_one("#receivals", KeyedTable).fill((a.ref, {
            "ref": Cell(a.ref), "booking": Cell(a.booking_ref), "container": Cell(a.container),
            "slot": Cell(_when(a.slot_start, tz)), "plate": Cell(a.plate),
            "state": Cell(_(RECEIVAL_STATES.get(a.state, a.state)))}) for a in appts)
        self.detail()

    def call(self) -> qx.CallPlan | None:
        key = self.query_one("#calls", KeyedTable).cursor_row_key()
        return self.plans.get(key) if key else None

    @on(DataTable.RowHighlighted, "#calls")
    def _highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self.detail()

    def detail(self) -> None:
        p = self.call()
        if p is None:
            text = _("No bookings of yours on a call yet: the line books them for you.")
        else:
            lines = [_("{visit}: reefers until {reefer}, dangerous goods until {dg}").format(
                visit=p.visit, reefer=_when(p.reefer_cutoff, self.tz),
                dg=_when(p.dg_cutoff, self.tz))]
            lines += [_("{ref} {pod} {size}: {qty} boxes, {booked} booked in, {received} "
                        "received").format(ref=b.ref, pod=b.pod, size=b.size_type,
                                           qty=b.quantity, booked=b.booked,
                                           received=b.received)
                      + (" · " + _("hauliers {codes}").format(
                          codes=" ".join(self.hauliers[b.ref]))
                         if b.ref in self.hauliers else "") for b in p.bookings[:3]]
            text = "\n".join(lines)
        self.query_one("#call-detail", Static).update(text)

    def action_deliver(self) -> None:
        from portops.ops.customer_export import export_book

        deliver(self, export_book, self._booking_ref())

    def action_cancel_delivery(self) -> None:
        from portops.ops.customer_export import export_cancel

        cancel_delivery(self, export_cancel, "#receivals", self.appts)

    def _booking_ref(self) -> str:
        p = self.call()
        return p.bookings[0].ref if p and p.bookings else ""

    def action_nominate(self) -> None:
        from portops.ops.export_haulier import nominate

        self.app.push_screen(OperationForm(_("Nominate a haulier"), [
            FormField("booking_ref", _("Booking"), self._booking_ref(), max_length=35),
            FormField("haulier", _("Haulier code"), max_length=16),
            FormField("reference", _("Your reference"), max_length=35)], nominate,
            lambda v: dict(v)), self.saved(_("haulier nominated")))

    def action_revoke(self) -> None:
        from portops.ops.export_haulier import revoke_nomination

        ref = self._booking_ref()
        named = self.hauliers.get(ref, [])
        self.app.push_screen(OperationForm(_("Revoke a nomination"), [
            FormField("booking_ref", _("Booking"), ref, max_length=35),
            FormField("haulier", _("Haulier code"), named[0] if len(named) == 1 else "",
                      max_length=16),
            FormField("reason", _("Why"), max_length=256)], revoke_nomination,
            lambda v: dict(v)), self.saved(_("nomination revoked")))


class ArrivalsScreen(_Customer):
    TITLE = N_("Arrivals")
    HELP = N_("The arrival report (运抵) of your export boxes: each box the terminal has "
              "taken in, with its gate-in EIR and when it came. Customs clears the export "
              "against it.")

    def compose_body(self) -> ComposeResult:
        yield Static("", id="arrivals-heading")
        yield KeyedTable(id="arrivals")

    def on_mount(self) -> None:
        self.query_one(KeyedTable).set_columns(ARRIVAL_COLUMNS, _)
        self.reload()

    def reload(self) -> None:
        self.fetch(lambda engine, user: (high_water(engine), qx.arrivals(engine, user)),
                   self.user, then=self._loaded)

    def _loaded(self, result) -> None:
        mark, rows = result
        self.mark_seen(mark)
        self.query_one("#arrivals-heading", Static).update(
            _("{n} of your boxes reported arrived.").format(n=len(rows)) if rows else
            _("None of your boxes has arrived yet."))
        self.query_one(KeyedTable).fill((a.container, {
            "container": Cell(a.container), "booking": Cell(a.booking_ref),
            "visit": Cell(a.visit), "eir": Cell(a.eir),
            "at": Cell(_when(a.reported_at, self.tz))}) for a in rows)


class LineCallsScreen(_Customer):
    TITLE = N_("Calls")
    HELP = N_("Your line's calls with how many of your boxes each brings or takes, and your "
              "export bookings with the boxes received. Your import boxes and their release "
              "are in My boxes (F2).")
    def compose_body(self) -> ComposeResult:
        yield KeyedTable(id="line-calls")
        yield KeyedTable(id="line-bookings")

    def on_mount(self) -> None:
        self.query_one("#line-calls", KeyedTable).set_columns(LINE_CALL_COLUMNS, _)
        self.query_one("#line-bookings", KeyedTable).set_columns(BOOKING_COLUMNS, _)
        self.reload()

    def reload(self) -> None:
        def read(engine, user):
            return high_water(engine), q.calls(engine, user), q.bookings(engine, user)

        self.fetch(read, self.user, then=self._loaded)

    def _loaded(self, result) -> None:
        mark, calls, bookings = result
        self.mark_seen(mark)
        tz = self.tz
        self.query_one("#line-calls", KeyedTable).fill((c.key, {
            "visit": Cell(c.key), "vessel": Cell(c.vessel), "phase": Cell(_(c.phase)),
            "eta": Cell(_when(c.eta, tz)), "etd": Cell(_when(c.etd, tz)),
            "boxes": Cell(str(c.boxes))}) for c in calls)
        self.query_one("#line-bookings", KeyedTable).fill((b.ref, {
            "ref": Cell(b.ref), "visit": Cell(b.visit), "pod": Cell(b.pod),
            "size": Cell(b.size_type), "qty": Cell(str(b.quantity)),
            "received": Cell(str(b.received))}) for b in bookings)


class AccountsScreen(_Customer):
    TITLE = N_("Accounts")
    HELP = N_("Your company's accounts at the terminal. Its admin adds one (n), disables one "
              "(d) and sets a password (p); anyone else sees only its own account and sets "
              "its own password.")
    COMMANDS_DECLARED: ClassVar[tuple[Command, ...]] = (ADD_USER, DISABLE_USER, PASSWORD)

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, qx.AccountRow] = {}

    def compose_body(self) -> ComposeResult:
        yield Static("", id="accounts-heading")
        yield KeyedTable(id="accounts")

    def on_mount(self) -> None:
        self.query_one(KeyedTable).set_columns(ACCOUNT_COLUMNS, _)
        self.reload()

    def reload(self) -> None:
        def read(engine, user):
            me = q.who(engine, user)
            return high_water(engine), qx.accounts(engine, user), me

        self.fetch(read, self.user, then=self._loaded)

    def _loaded(self, result) -> None:
        mark, rows, me = result
        self.mark_seen(mark)
        self.rows = {a.name: a for a in rows}
        heading = ""
        if me is not None:
            heading = (_("{party}: you are its admin (n adds an account).") if me.party_admin
                       else _("{party}: your own account (p sets its password).")).format(
                party=me.code)
        self.query_one("#accounts-heading", Static).update(heading)
        self.query_one(KeyedTable).fill((a.name, {
            "name": Cell(a.name), "full": Cell(a.full_name),
            "state": Cell(_("active") if a.active else _("disabled"),
                          style="" if a.active else "dim"),
            "admin": Cell(_("yes") if a.party_admin else "")}) for a in rows)

    def apply_changes(self, changes: Changes) -> None:
        if changes.touches("user"):  # only the accounts are listed here
            self.reload()

    def current(self) -> qx.AccountRow | None:
        key = self.query_one(KeyedTable).cursor_row_key()
        return self.rows.get(key) if key else None

    def action_add_user(self) -> None:
        from portops.ops.customer import user_add

        def build(v: dict[str, str]) -> dict[str, Any]:
            admin = v["admin"].strip().lower()
            if admin not in ("", "y", "n", "yes", "no", "是", "否"):
                raise Invalid("admin", _("Admin: type y or n"))
            return {"name": v["name"], "password": v["password"],
                    "full_name": v["full_name"], "party_admin": admin in ("y", "yes", "是")}

        self.app.push_screen(OperationForm(_("New account"), [
            FormField("name", _("Account"), max_length=32,
                      hint=_("2-32 lower-case letters, digits, . _ -")),
            FormField("full_name", _("Name"), max_length=128),
            FormField("password", _("Password"), password=True, max_length=128),
            FormField("admin", _("Admin (y/n)"), "n", max_length=3)], user_add, build),
            self.saved(_("account added")))

    def _highlighted_or_warn(self) -> qx.AccountRow | None:
        a = self.current()
        if a is None:
            self.notify(_("No account highlighted"), severity="warning")
        return a

    def action_disable_user(self) -> None:
        from portops.ops.customer import user_disable

        a = self._highlighted_or_warn()
        if a is None:
            return
        self.app.push_screen(OperationForm(_("Disable {name}").format(name=a.name), [
            FormField("confirm", _("Type the name"), max_length=32)], user_disable,
            lambda v: _confirmed(v, a.name)), self.saved(_("disabled")))

    def action_set_password(self) -> None:
        from portops.ops.customer import user_password

        a = self._highlighted_or_warn()
        if a is None:
            return
        self.app.push_screen(OperationForm(_("Password of {name}").format(name=a.name), [
            FormField("password", _("New password"), password=True, max_length=128)],
            user_password, lambda v: {"name": a.name, "password": v["password"]}),
            self.saved(_("password set")))


def _confirmed(values: dict[str, str], name: str) -> dict[str, Any]:
    if values["confirm"].strip().lower() != name:
        raise Invalid("confirm", _("Type {name} to confirm").format(name=name))
    return {"name": name}
