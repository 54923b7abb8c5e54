"""The gate clerk's in-gate: one truck per screen, every check shown, a decision in one key.

Type the plate (or the appointment reference) and Enter: the appointment and every check
appear, the plate, haulier and driver fields are filled from the booking for the clerk to
confirm against the truck and the driver's card (overwrite what differs, Enter again). Then
``a`` admits (the driver is told the yard slot) or ``t`` sends the truck to the trouble list
with every reason. ``n`` starts the next truck.

A truck bringing an export box in (a receiving appointment's plate or reference) gets the
export gate check instead (``gate_export.ExportCheck``): the clerk types what is read on the
box, Enter lists every point of the inspection, then ``a`` admits or ``t`` turns it away.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Static

from portops.db import read_session
from portops.i18n import N_, _
from portops.ops.gate import admit, trouble
from portops.queries import export as export_q
from portops.queries.gate import Assessment, assess
from portops.ui.commands import Command
from portops.ui.screens.base import AreaScreen
from portops.ui.screens.gate_export import ExportCheck
from portops.ui.widgets.fields import FieldInput

ADMIT = Command("gate.admit", "a", N_("admit"), N_("Admit the truck: every check passes."),
                "admit", N_("gate"))
TROUBLE = Command("gate.trouble", "t", N_("trouble"),
                  N_("Stop the truck and put it on the trouble list with every reason."),
                  "trouble", N_("gate"))
NEXT = Command("gate.next", "n", N_("next truck"), N_("Clear the screen for the next truck."),
               "next", N_("gate"))
QUEUE = Command("gate.queue", "q", N_("in terminal"),
                N_("Trucks in the terminal with their turn time: hand-over and gate-out."),
                "queue", N_("gate"))
TROUBLES = Command("gate.troubles", "l", N_("trouble list"),
                   N_("Trucks stopped at the gate, with their reasons."), "troubles", N_("gate"))
BOOKINGS = Command("gate.bookings", "b", N_("appointments"),
                   N_("Today's appointments: book, cancel, late arrival, no-show."),
                   "bookings", N_("gate"))

KEYS = Command("gate.keys", "escape", N_("keys"),
               N_("Leave the typing fields so that the letter keys give commands."), "keys",
               N_("gate"))

FIELDS = ("lookup", "plate", "haulier", "driver")


def _assess(engine, now, lookup: str, plate: str, haulier: str, driver: str
            ) -> tuple[Assessment, export_q.AppointmentRow | None]:
    """The pickup assessment, and the export (receiving) appointment when there is no pickup."""
    with read_session(engine) as s:
        a = assess(s, now, lookup, plate, haulier, driver)
        export = export_q.appointment(s, lookup, now) if a.appointment is None else None
        if export is not None and export.state != "booked":
            export = None  # received or cancelled: nothing to check at the gate
        return a, export


class GateScreen(AreaScreen):
    TITLE = N_("Gate in")
    HELP = N_("Type the truck's plate or its appointment reference and press Enter. Check the "
              "plate, haulier and driver the screen fills in against the truck and the "
              "driver's card, overwrite what differs and press Enter again. Then a admits the "
              "truck (tell the driver the yard slot) or t sends it to the trouble list. A truck "
              "bringing an export box in gets the export check (验箱): type what you read on "
              "the box (number, size/type, seal, VGM, damage) with Enter after each; every "
              "point is listed, then a admits or t turns the truck away. Esc leaves the "
              "fields: q trucks inside, l trouble list, b appointments.")
    COMMANDS_DECLARED = (ADMIT, TROUBLE, NEXT, QUEUE, TROUBLES, BOOKINGS, KEYS)
    # The fields take their own height: the appointment, checks and outcome stand under them.
    DEFAULT_CSS = "#gate-fields { height: auto; }"

    def __init__(self) -> None:
        super().__init__()
        self.assessment: Assessment | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="gate-fields"):
            yield FieldInput(placeholder=_("plate or appointment"), id="lookup")
            yield FieldInput(placeholder=_("plate"), id="plate")
            yield FieldInput(placeholder=_("haulier"), id="haulier")
            yield FieldInput(placeholder=_("driver ID"), id="driver")
        yield Static("", id="gate-appt")
        yield Static("", id="gate-checks")
        yield ExportCheck(id="gate-export")
        yield Static("", id="gate-outcome")

    def on_mount(self) -> None:
        self.query_one("#lookup", Input).focus()

    def value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value.strip()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "lookup":  # a new truck: the booking fills in the rest
            for name in FIELDS[1:]:
                self.query_one(f"#{name}", Input).value = ""
        self.look_up()

    def look_up(self) -> None:
        if not self.value("lookup"):
            return
        self.query_one("#gate-outcome", Static).update("")
        self.fetch(_assess, self.app.core.clock.now(), self.value("lookup"), self.value("plate"),
                   self.value("haulier"), self.value("driver"), then=self.show)

    @property
    def export(self) -> ExportCheck:
        return self.query_one(ExportCheck)

    def _pickup_fields(self, shown: bool) -> None:
        for name in ("#plate", "#haulier", "#driver", "#gate-appt", "#gate-checks"):
            self.query_one(name).display = shown

    def show(self, found: tuple[Assessment, export_q.AppointmentRow | None]) -> None:
        a, export = found
        if export is not None:
            self.assessment = None
            self._pickup_fields(False)
            self.export.start(export)
            self.app.refresh_bindings()
            return
        self.export.stop()
        self._pickup_fields(True)
        self.assessment = a
        appt = a.appointment
        if appt is not None:
            typed = self.value("lookup").upper()
            fill = {"plate": typed if typed != appt.ref else appt.plate,
                    "haulier": appt.haulier, "driver": appt.driver_id}
            for name, default in fill.items():
                field = self.query_one(f"#{name}", Input)
                if not field.value.strip():
                    field.value = default
            t = Text()
            t.append(f"{appt.ref}  {appt.container} {appt.size_type}  ", "bold")
            t.append(_("slot {start}–{end} (window {opens}–{closes})").format(
                start=f"{appt.slot_start:%H:%M}", end=f"{appt.slot_end:%H:%M}",
                opens=f"{appt.opens:%H:%M}", closes=f"{appt.closes:%H:%M}") + "\n")
            t.append(_("booked: {plate} · {haulier} {name} · driver {driver} ({id})").format(
                plate=appt.plate, haulier=appt.haulier, name=appt.haulier_name,
                driver=appt.driver_name, id=appt.driver_id) + "\n")
            t.append(_("yard slot {slot}, {n} box(es) on top").format(
                slot=appt.yard_slot or "—", n=appt.blockers))
        else:
            t = Text(_("No appointment for {what}.").format(what=a.lookup), "bold red")
        self.query_one("#gate-appt", Static).update(t)
        table = Table.grid(padding=(0, 1))
        for c in a.checks:
            if c.ok and appt is None:  # nothing to check it against: not a pass
                table.add_row(Text("·", "dim"), Text(_(c.name), "dim"),
                              Text(_("not checked: no appointment"), "dim"))
                continue
            mark = Text("✓", "green") if c.ok else Text("✗", "bold red")
            table.add_row(mark, _(c.name), Text(c.message, "red") if c.message else "")
        self.query_one("#gate-checks", Static).update(table)
        verdict = (Text(_("All checks pass: a = admit, t = trouble"), "bold green")
                   if a.admissible else
                   Text(_("{n} problem(s): t = trouble").format(n=len(a.unmet)), "bold red"))
        self.query_one("#gate-outcome", Static).update(verdict)
        self.set_focus(None)  # the decision keys now reach the screen
        self.app.refresh_bindings()

    def check_action(self, action: str, parameters) -> bool | None:
        if action in ("admit", "trouble") and self.export.appt is not None:
            if not self.export.ready or isinstance(self.focused, Input):
                return None
            return action == "trouble" or self.export.admissible or None
        if action in ("admit", "trouble"):
            if self.assessment is None or isinstance(self.focused, Input):
                return None
            if action == "admit" and not self.assessment.admissible:
                return None
        return True

    def _args(self) -> dict:
        return {"lookup": self.value("lookup"), "plate": self.value("plate"),
                "haulier": self.value("haulier"), "driver_id": self.value("driver")}

    def action_admit(self) -> None:
        if self.export.appt is not None:
            self.export.admit(then=self.received)
            return
        self.perform(admit, then=self.admitted, **self._args())

    def received(self, result: dict) -> None:
        box = self.export.appt.container if self.export.appt else ""
        self.query_one("#gate-outcome", Static).update(Text(
            _("ADMITTED {box}: drive to {slot}; EIR {eir}, arrival reported").format(
                box=box, slot=result["yard_slot"], eir=result["eir"]), "bold reverse green"))
        self.export.stop()
        self.app.refresh_bindings()

    def admitted(self, result: dict) -> None:
        t = Text(_("ADMITTED {ref}: drive to {slot}").format(
            ref=result["ref"], slot=result["yard_slot"] or "—"), "bold reverse green")
        self.query_one("#gate-outcome", Static).update(t)
        self.assessment = None
        self.app.refresh_bindings()

    def action_trouble(self) -> None:
        if self.export.appt is not None:  # an export box: turned away, the appointment stays
            n = len(self.export.unmet or [])
            self.query_one("#gate-outcome", Static).update(Text(
                _("TURNED AWAY {box} ({n} problem(s)); the appointment stays booked").format(
                    box=self.export.appt.container, n=n), "bold reverse red"))
            self.export.stop()
            self.app.refresh_bindings()
            return
        self.perform(trouble, then=self.troubled, note="", **self._args())

    def troubled(self, truck_visit_id: int) -> None:
        n = len(self.assessment.unmet) if self.assessment else 0
        self.query_one("#gate-outcome", Static).update(Text(
            _("TROUBLE: truck {plate} on the trouble list ({n} reason(s))").format(
                plate=self.value("plate") or self.value("lookup"), n=n), "bold reverse red"))
        self.assessment = None
        self.app.refresh_bindings()

    def action_keys(self) -> None:
        self.set_focus(None)
        self.app.refresh_bindings()

    def action_next(self) -> None:
        for name in FIELDS:
            self.query_one(f"#{name}", Input).value = ""
        for name in ("#gate-appt", "#gate-checks", "#gate-outcome"):
            self.query_one(name, Static).update("")
        self.assessment = None
        self.export.stop()
        self._pickup_fields(True)
        self.query_one("#lookup", Input).focus()

    def action_queue(self) -> None:
        from portops.ui.screens.gate_lists import GateQueueScreen

        self.app.push_screen(GateQueueScreen())

    def action_troubles(self) -> None:
        from portops.ui.screens.gate_lists import TroubleScreen

        self.app.push_screen(TroubleScreen())

    def action_bookings(self) -> None:
        from portops.ui.screens.gate_lists import AppointmentsScreen

        self.app.push_screen(AppointmentsScreen())

    def reopen(self, plate: str) -> None:
        """From the trouble list: take the stopped truck again."""
        self.action_next()
        self.query_one("#lookup", Input).value = plate
        self.look_up()
