"""The gate clerk's in-gate: one truck per screen, every check shown, a decision in one key.

Type the plate (or the appointment reference) and Enter: the appointment and its checks
appear and the cursor goes on to the plate, haulier and driver ID fields, where the clerk
types or scans what is at the gate (the truck's plate, the haulier on the driver's papers,
the ID on the driver's card; Enter after each, Tab moves too). Nothing is filled in from the
booking: the plate was once compared with itself. A mismatch names what was typed, never the
booked value. Then ``a`` admits (the driver is told the yard slot; with problems outstanding
it says which) or ``t`` sends the truck to the trouble list with every reason. ``n`` starts
the next truck.

A truck bringing an export box in (a receiving appointment's plate or reference) gets the
export gate check instead (``gate_export.ExportCheck``): the clerk types what is read on the
box, Enter lists every point of the inspection, then ``a`` admits or ``t`` stops the truck on
the trouble list with the failed points.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Static

from portops.db import read_session
from portops.i18n import N_, _
from portops.queries import export as export_q
from portops.queries.gate import Assessment, assess
from portops.refs import shaped
from portops.textcheck import max_len
from portops.ui.commands import Command
from portops.ui.key_pages import PALETTE
from portops.ui.screens.base import AreaScreen
from portops.ui.screens.gate_decision import GateDecision
from portops.ui.screens.gate_export import ExportCheck
from portops.ui.widgets.fields import FieldInput, focus_next_field

# Each key is a letter, which the gate's fields take (a plate, a haulier's code, a driver's
# ID), so each has a Ctrl key too that works while the cursor is in a field; the footer shows
# that one then. ^Y admits and ^N is the next one as on F12's gate tab and in tally.
ADMIT = Command("gate.admit", "a", N_("admit"), N_("Admit the truck: every check passes."),
                "admit", N_("gate"), field_key="ctrl+y")
TROUBLE = Command("gate.trouble", "t", N_("trouble"),
                  N_("Stop the truck and put it on the trouble list with every reason."),
                  "trouble", N_("gate"), field_key="ctrl+t")
NEXT = Command("gate.next", "n", N_("next truck"), N_("Clear the screen for the next truck."),
               "next", N_("gate"), field_key="ctrl+n")
QUEUE = Command("gate.queue", "q", N_("in terminal"),
                N_("Trucks in the terminal with their turn time: hand-over and gate-out."),
                "queue", N_("gate"), field_key="ctrl+g")
TROUBLES = Command("gate.troubles", "l", N_("trouble list"),
                   N_("Trucks stopped at the gate, with their reasons."), "troubles", N_("gate"),
                   field_key="ctrl+r")
BOOKINGS = Command("gate.bookings", "b", N_("appointments"),
                   N_("Today's appointments: book, cancel, late arrival, no-show."),
                   "bookings", N_("gate"), field_key="ctrl+b")

MORE = Command("gate.more", "m", N_("more"),
               N_("Show the gate's other keys in the footer, and again the first ones (every "
                  "key works whichever are shown)."), "more", N_("gate"), field_key="ctrl+o")
KEYS = Command("gate.keys", "escape", N_("keys"),
               N_("Leave the typing fields so that the letter keys give commands."), "keys",
               N_("gate"))

FIELDS = ("lookup", "plate", "haulier", "driver")
#: The check each typed field answers (``queries.gate.CHECKS``' names).
TYPED = {"plate": "plate", "haulier": "haulier", "driver": "driver"}


def _assess(engine, now, lookup: str, plate: str, haulier: str, driver: str
            ) -> tuple[Assessment, export_q.AppointmentRow | None]:
    """The pickup assessment, and the export (receiving) appointment when there is no pickup."""
    with read_session(engine) as s:
        a = assess(s, now, lookup, plate, haulier, driver)
        export = export_q.appointment(s, lookup, now) if a.appointment is None else None
        if export is not None and export.state != "booked":
            export = None  # received or cancelled: nothing to check at the gate
        return a, export


class GateScreen(GateDecision, AreaScreen):
    TITLE = N_("Gate in")
    HELP = N_("Type the truck's plate or its appointment reference and press Enter. Then type "
              "or scan what is at the gate, Enter after each: the truck's plate, the haulier's "
              "code from the driver's papers and the ID on the driver's card (Tab moves between "
              "the fields too). Every check is listed; a mismatch names what you typed. Then a "
              "admits the truck (tell the driver the yard slot; with problems outstanding a "
              "says which) or t sends it to the trouble list. A truck bringing an export box in "
              "gets the export check (验箱): type what you read on the box (number, size/type, "
              "seal, VGM, damage) with Enter after each; every point is listed, then a admits "
              "or t stops the truck on the trouble list. Esc leaves the fields: q trucks "
              "inside, l trouble list, b appointments, n next truck. While the cursor is in a "
              "field the letters are typed: there ctrl+y admits, ctrl+t stops the truck (both "
              "judge what is typed first), ctrl+n next truck, ctrl+g trucks inside, ctrl+r "
              "trouble list, ctrl+b appointments. The footer shows the keys for the truck in "
              "hand; m (ctrl+o in a field) shows the others.")
    COMMANDS_DECLARED = (ADMIT, TROUBLE, NEXT, QUEUE, TROUBLES, BOOKINGS, MORE, KEYS)
    # One footer line at 80 columns (it took two, issue 14): the truck in hand first, and
    # m (^O) turns to the lists and the palette; every key works on either page.
    KEY_PAGES = (frozenset({"admit", "trouble", "next", "queue", "app.help", "app.sign_out"}),
                 frozenset({"troubles", "bookings", "keys", "app.help", PALETTE}))
    # Enter goes on to the next field at once (a scanner's or fast typist's next keys land
    # there), and judges the truck after the driver's ID.
    BINDINGS = [Binding("enter", "next_field", show=False, priority=True)]
    # The four fields share the width (the look-up took it all once, and the plate, haulier
    # and driver fields were never seen); the appointment and checks stand under them.
    DEFAULT_CSS = """
    #gate-fields { height: auto; }
    #gate-fields Input { width: 1fr; }
    #gate-fields #lookup { width: 1.5fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.assessment: Assessment | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="gate-fields"):
            yield FieldInput(placeholder=_("plate or appointment"), id="lookup",
                             max_length=max_len("lookup"))
            yield FieldInput(placeholder=_("plate"), id="plate",
                             max_length=max_len("plate"))
            yield FieldInput(placeholder=_("haulier"), id="haulier",
                             max_length=max_len("haulier"))
            yield FieldInput(placeholder=_("driver ID"), id="driver",
                             max_length=max_len("driver_id"))
        yield Static("", id="gate-appt")
        yield Static("", id="gate-checks")
        yield ExportCheck(id="gate-export")
        yield Static("", id="gate-outcome")

    def on_mount(self) -> None:
        self.query_one("#lookup", Input).focus()

    def value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value.strip()

    def _inputs(self) -> list[Input]:
        return [self.query_one(f"#{n}", Input) for n in FIELDS]

    def action_next_field(self) -> None:
        """Enter in a gate field: a new truck's look-up, then on from field to field; after
        the driver's ID the truck is judged and the decision keys reach the screen.

        The focus moves at once (a priority binding: the keys typed behind Enter land in the
        next field), and the fields are read once the field left has taken the keys typed
        before Enter (its own queue; read at once, a scanned plate was cut to its first
        letters: seen in tmux)."""
        focused = self.focused
        inputs = self._inputs()
        if focused not in inputs:
            raise SkipAction()  # the export check's fields: their own Enter
        if focused.id == "lookup":
            for field in inputs[1:]:  # a new truck: nothing of the last one stays
                field.value = ""
            self.assessment = None
            self.export.stop()
            self._pickup_fields(True)
            focus_next_field(self, inputs)
            focused.call_later(self._looked_up)
            return
        if focused is not inputs[-1]:
            focus_next_field(self, inputs)
            focused.call_later(self.look_up, True)
            return
        focused.call_later(self.look_up)

    def _looked_up(self) -> None:
        lookup = self.value("lookup").upper()
        if not lookup:
            self.query_one("#lookup", Input).focus()
            return
        plate = self.query_one("#plate", Input)
        if not shaped(lookup) and not plate.value.strip():
            plate.value = lookup  # looked up by the plate read on the truck
        self.look_up(keep_focus=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()

    def look_up(self, keep_focus: bool = False, then=None) -> None:
        """Judge the truck from what the fields hold; ``then()`` after it is shown."""
        if not self.value("lookup"):
            return
        self.query_one("#gate-outcome", Static).update("")
        # what was judged: a field typed into while the look-up ran is still "to type", not
        # a failure ("no driver ID typed" stood beside the ID just typed)
        typed = {n: self.value(n) for n in TYPED}

        def shown(found) -> None:
            self.show(found, keep_focus, typed)
            if then is not None:
                then()

        self.fetch(_assess, self.app.core.clock.now(), self.value("lookup"), self.value("plate"),
                   self.value("haulier"), self.value("driver"), then=shown)

    @property
    def export(self) -> ExportCheck:
        return self.query_one(ExportCheck)

    def _pickup_fields(self, shown: bool) -> None:
        for name in ("#plate", "#haulier", "#driver", "#gate-appt", "#gate-checks"):
            self.query_one(name).display = shown

    def show(self, found: tuple[Assessment, export_q.AppointmentRow | None],
             keep_focus: bool = False, typed: dict[str, str] | None = None) -> None:
        a, export = found
        if export is not None:
            self.assessment = None
            self._pickup_fields(False)
            if self.export.appt is None or self.export.appt.ref != export.ref:
                self.export.start(export)
            self.app.refresh_bindings()
            return
        self.export.stop()
        self._pickup_fields(True)
        self.assessment = a
        appt = a.appointment
        if appt is not None:
            t = Text()
            t.append(f"{appt.ref}  {appt.container} {appt.size_type}  ", "bold")
            t.append(_("slot {start}–{end} (window {opens}–{closes})").format(
                start=f"{appt.slot_start:%H:%M}", end=f"{appt.slot_end:%H:%M}",
                opens=f"{appt.opens:%H:%M}", closes=f"{appt.closes:%H:%M}") + "\n")
            t.append(_("type or scan what is at the gate: plate, haulier, driver ID") + "\n",
                     "dim")
            t.append(_("yard slot {slot}, {n} box(es) on top").format(
                slot=appt.yard_slot or "—", n=appt.blockers))
        else:
            # a reference with a character mistyped (its check character) says so
            mistyped = [u for u in a.unmet if u.rule == "gate.ref_invalid"]
            t = Text("{} — {}".format(*mistyped[0].localized(_)) if mistyped else
                     _("No appointment for {what}.").format(what=a.lookup), "bold red")
            if mistyped:  # the cursor back on it, to mend
                self.query_one("#lookup", Input).focus()
        self.query_one("#gate-appt", Static).update(t)
        typed = typed if typed is not None else {n: self.value(n) for n in TYPED}
        untyped = {TYPED[n] for n in TYPED if not typed[n]}
        table = Table.grid(padding=(0, 1))
        for c in a.checks:
            if c.ok and appt is None:  # nothing to check it against: not a pass
                table.add_row(Text("·", "dim"), Text(_(c.name), "dim"),
                              Text(_("not checked: no appointment"), "dim"))
                continue
            if not c.ok and c.name in untyped:  # not typed yet: to do, not a failure
                table.add_row(Text("·", "dim"), Text(_(c.name), "dim"),
                              Text(_("type it"), "dim"))
                continue
            mark = Text("✓", "green") if c.ok else Text("✗", "bold red")
            table.add_row(mark, _(c.name), Text(c.message, "red") if c.message else "")
        self.query_one("#gate-checks", Static).update(table)
        self.query_one("#gate-outcome", Static).update(self._verdict())
        if not keep_focus:
            self.set_focus(None)  # the decision keys now reach the screen
        self.app.refresh_bindings()

    def _verdict(self) -> Text:
        a = self.assessment
        if a.admissible:
            return Text(_("All checks pass: a = admit, t = trouble"), "bold green")
        return Text(_("{n} problem(s): t = trouble").format(n=len(a.unmet)), "bold red")

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "trouble" and isinstance(self.focused, Input):
            return True  # ctrl+t judges what is typed first
        if action == "trouble" and self.export.appt is not None:
            return True if self.export.ready else None
        if action == "trouble" and self.assessment is None:
            return None
        return True  # admit says why not when it cannot (it was greyed, silently)

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
        """From the trouble list: take the stopped truck again, the cursor in the plate
        field for what is at the gate now (it was in no field: the next letters gave
        commands)."""
        self.action_next()
        self.query_one("#lookup", Input).value = plate
        self.query_one("#plate", Input).focus()
        self.look_up(keep_focus=True)
