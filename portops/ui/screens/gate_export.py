"""The export gate check (验箱) inside the gate screen (F9): one gate, one screen for the clerk.

When the plate or reference typed at the gate belongs to an export (receiving) appointment,
the gate screen shows this panel instead of the pickup checks: the appointment, and fields for
what the clerk reads on the box (number, size/type, seal, VGM, damage). Enter on the last
field (Enter moves from field to field) asks ``export.receive`` "why not?" (``Core.check``: the operation's own rules, nothing
written) and lists every point passed or failed; then ``a`` admits (yard slot, in-gate EIR,
arrival report) or ``t`` stops the truck on the trouble list with the failed points
(``gate.trouble``), as for any truck at the gate.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static

from portops.clock import local
from portops.i18n import _
from portops.ops.receiving import receive
from portops.queries import export as q
from portops.textcheck import max_len
from portops.ui.screens.base import Working
from portops.ui.widgets.fields import FieldInput, focus_next_field

FIELDS = ("xc-container", "xc-size", "xc-seal", "xc-vgm", "xc-damage")


class ExportCheck(Working, Vertical):
    """The gate check of one export box; the gate screen owns the decision keys."""

    BINDINGS = [Binding("enter", "next_field", show=False, priority=True)]
    DEFAULT_CSS = """
    ExportCheck { height: auto; display: none; }
    ExportCheck .xc-form { height: 3; }
    ExportCheck .xc-form Input { width: 1fr; padding: 0 1; }
    ExportCheck Static { height: auto; }
    """

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.appt: q.AppointmentRow | None = None
        #: The rules ``export.receive`` would refuse with, once the box has been read.
        self.unmet: list | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="xc-appt")
        with Horizontal(classes="xc-form"):
            # Capped at what each can hold (a number with spaces, a few seals, a VGM in kg)
            yield FieldInput(placeholder=_("container no."), id="xc-container", max_length=15)
            yield FieldInput(placeholder=_("size/type"), id="xc-size", max_length=4)
            yield FieldInput(placeholder=_("seal"), id="xc-seal", max_length=max_len("seal"))
            yield FieldInput(placeholder=_("VGM kg"), id="xc-vgm", max_length=6)
            yield FieldInput(placeholder=_("damage"), id="xc-damage",
                             max_length=max_len("damage"))
        yield Static("", id="xc-checks")

    @property
    def ready(self) -> bool:
        """Read and judged: the clerk may decide."""
        return self.appt is not None and self.unmet is not None

    @property
    def admissible(self) -> bool:
        return self.ready and not self.unmet

    def failed_points(self) -> list[str]:
        """The points of the check that failed, translated (for "why can I not admit")."""
        return [_(c.name) for c in q.inspection(self.unmet or [], _) if not c.ok]

    def value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value.strip()

    def start(self, appt: q.AppointmentRow) -> None:
        """Show the appointment and wait for the box to be read."""
        self.appt, self.unmet = appt, None
        tz = self.app.terminal.timezone

        def when(at):
            shown = local(at, tz)
            return shown.strftime("%m-%d %H:%M") if shown else "—"

        t = Text()
        t.append(_("EXPORT {ref}  {box} {st}  booking {booking} → {visit}").format(
            ref=appt.ref, box=appt.container, st=appt.size_type, booking=appt.booking_ref,
            visit=appt.visit) + "\n", "bold")
        # The seal and the VGM are read on the box and judged against the booking: shown
        # here they would be copied, not read (a changed seal once went through).
        t.append(_("booked: {plate} · {haulier} · driver {driver}; slot {slot}; {vgm}").format(
            plate=appt.plate, haulier=appt.haulier, driver=appt.driver,
            slot=when(appt.slot_start),
            vgm=_("VGM declared") if appt.vgm_kg else _("no VGM declared: type it")) + "\n")
        t.append(_("receiving window: {state}, closes {closes}").format(
            state=_(appt.window), closes=when(appt.closes)))
        self.query_one("#xc-appt", Static).update(t)
        for name in FIELDS:
            self.query_one(f"#{name}", Input).value = ""
        self.query_one("#xc-checks", Static).update(
            _("Read the box: number, size/type, seal, VGM (if not declared), damage; Enter."))
        self.display = True
        self.query_one("#xc-container", Input).focus()

    def stop(self) -> None:
        self.appt, self.unmet = None, None
        self.display = False

    def action_next_field(self) -> None:
        """Enter: on to the next field, or judge the box after the last one.

        A priority key binding (see :mod:`portops.ui.widgets.fields`), so a fast typist's or
        a scanner's following keys land in the next field."""
        inputs = [self.query_one(f"#{n}", Input) for n in FIELDS]
        if not focus_next_field(self.screen, inputs):
            self._after_typing(inputs, self.judge)

    def _after_typing(self, inputs: list[Input], then) -> None:
        """Run ``then`` once every field has taken the keys already sent to it (each field
        handles its keys in its own queue; this waits in each queue in turn)."""
        if not inputs:
            then()
            return
        inputs[0].call_later(self._after_typing, inputs[1:], then)

    def read(self) -> dict[str, Any] | None:
        """What the clerk read, as ``export.receive`` takes it (None: the VGM is no number)."""
        vgm = self.value("xc-vgm")
        if vgm and not vgm.isdigit():
            self.query_one("#xc-checks", Static).update(Text(
                _("VGM: {text!r} is not a whole number of kilograms").format(text=vgm), "red"))
            self.query_one("#xc-vgm", Input).focus()
            return None
        return {"lookup": self.appt.ref, "container": self.value("xc-container"),
                "size_type": self.value("xc-size"), "seal": self.value("xc-seal"),
                "vgm_kg": int(vgm) if vgm else None, "damage": self.value("xc-damage")}

    def judge(self, then=None) -> None:
        """List every point of the check for what is read; ``then()`` once listed."""
        kwargs = self.read()
        if kwargs is None:
            return

        def judged(unmet: list) -> None:
            self._judged(unmet)
            if then is not None:
                then()

        self.why_not(receive, then=judged, **kwargs)

    def judge_typed(self, then) -> None:
        """The gate's ctrl+y or ctrl+t from a field: judge once every field has taken the
        keys typed before it, then ``then()`` decides."""
        inputs = [self.query_one(f"#{n}", Input) for n in FIELDS]
        self._after_typing(inputs, lambda: self.judge(then))

    def _judged(self, unmet: list) -> None:
        self.unmet = unmet
        # The points passed on one line, each failed one with what is wrong: the whole check
        # stays within 24 lines (the remedy is in the refusal, and in a's "why not").
        table = Table.grid(padding=(0, 1))
        points = q.inspection(unmet, _)
        passed = Text()
        if any(c.ok for c in points):
            passed.append("✓ ", "green")
            passed.append(" · ".join(_(c.name) for c in points if c.ok))
        for c in points:
            if not c.ok:
                table.add_row(Text("✗", "bold red"), _(c.name), Text(c.message, "red"))
        verdict = (Text(_("Inspection passed: a = admit, t = trouble list"), "bold green")
                   if not unmet else
                   Text(_("{n} problem(s): t = trouble list").format(n=len(unmet)),
                        "bold red"))
        self.query_one("#xc-checks", Static).update(Group(passed, table, verdict))
        self.screen.set_focus(None)  # the decision keys now reach the screen
        self.app.refresh_bindings()

    def admit(self, then) -> None:
        kwargs = self.read()
        if kwargs is not None:
            self.perform(receive, then=then, **kwargs)
