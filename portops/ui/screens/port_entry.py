"""The dispatcher's port-entry form (靠港手续): clearance reference, authority, time cleared.

Opened with ``p`` from the schedule (the selected visit) or from a visit's screen. Enter moves
to the next field and on the last one records the clearance (``port_entry.record``, which
grants the PORT_ENTRY permission that discharge and loading wait for). A time it cannot read,
or a refusal, is shown in the form with every rule and its remedy, what was typed still there
to correct; Esc closes it without a change.
"""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from portops.clock import TYPED_FORMS
from portops.i18n import N_, _
from portops.ui.commands import Command
from portops.ui.errors import rules_text
from portops.ui.screens.base import Working
from portops.ui.screens.forms import parse_local, time_error
from portops.ui.widgets.fields import FieldInput, focus_next_field

#: ``p`` on the schedule and on a visit's screen.
PORT_ENTRY = Command("visit.port_entry", "p", N_("port entry"), N_("Record the visit's "
                     "port-entry clearance (靠港手续): reference, authority and time cleared. "
                     "Discharge and loading wait for it."), "port_entry", N_("visit"))

FIELDS = (("reference", N_("Clearance reference")), ("authority", N_("Authority")),
          ("cleared", N_("Cleared at")))


class PortEntryForm(Working, ModalScreen[int | None]):
    """Three fields, then ``port_entry.record`` as the signed-in dispatcher."""

    BINDINGS = [Binding("enter", "next_field", show=False, priority=True),
                Binding("escape", "cancel", "cancel")]
    DEFAULT_CSS = """
    PortEntryForm .pe-row { height: 1; margin: 0 0 1 0; }
    PortEntryForm .pe-label { width: 22; }
    PortEntryForm .pe-row Input { background: $boost; }
    PortEntryForm .pe-hint { color: $text-muted; height: auto; }
    """

    def __init__(self, visit_id: int, visit_key: str, tz: str, now: datetime) -> None:
        super().__init__()
        self.visit_id, self.visit_key, self.tz, self.now = visit_id, visit_key, tz, now
        self.sending = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="form"):
            yield Static(_("{visit} — port-entry clearance (靠港手续)").format(
                visit=self.visit_key), classes="form-title")
            for name, label in FIELDS:
                with Horizontal(classes="pe-row"):
                    yield Label(_(label), classes="pe-label")
                    yield FieldInput(id=f"pe-{name}", compact=True,
                                     max_length=80 if name == "authority" else 35)
            yield Static(_("Authority: e.g. Shanghai MSA / customs. Cleared at: {forms} "
                           "({tz} time); blank = now.").format(forms=TYPED_FORMS, tz=self.tz),
                         classes="pe-hint")
            yield Static(_("Enter: next field, and on the last one save · Esc: cancel"),
                         classes="pe-hint")
            yield Static("", id="form-error", classes="form-error")

    def on_mount(self) -> None:
        self.inputs[0].focus()

    @property
    def inputs(self) -> list[Input]:
        return [self.query_one(f"#pe-{name}", Input) for name, _label in FIELDS]

    def action_next_field(self) -> None:
        if not focus_next_field(self, self.inputs):
            # Enter is a priority key: it runs before the field has taken the characters typed
            # just ahead of it (a burst: "25:99⏎" sent the form with the field still empty).
            # Submit from the field's own queue, after those characters.
            (self.focused or self).call_later(self.submit)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _error(self, text: str, field: str | None = None) -> None:
        self.query_one("#form-error", Static).update(text)
        if field is not None:
            self.set_focus(self.query_one(f"#pe-{field}", Input))

    def submit(self) -> None:
        if self.sending:
            return
        reference, authority, cleared = (i.value for i in self.inputs)
        try:
            parse_local(cleared, self.tz, self.now)  # the shape, said at once under the field
        except ValueError as exc:
            self._error(time_error(_("Cleared at"), exc), "cleared")
            return
        self.sending = True
        self._error(_("saving…"))
        app, visit_id = self.app, self.visit_id

        def job() -> None:
            from portops.ops import Refused
            from portops.ops.port_entry import record

            try:
                flag_id = app.core.run(app.user.name, record, visit_id=visit_id,
                                       reference=reference, authority=authority,
                                       cleared_at=cleared or None)
            except Refused as exc:
                app.call_from_thread(self._refused, exc)
                return
            except Exception as exc:  # noqa: BLE001 - the console's one error policy
                app.call_from_thread(self._failed, exc)
                return
            app.call_from_thread(app.poll_now)
            app.call_from_thread(self.dismiss, flag_id)

        self.run_worker(job, thread=True, exit_on_error=False, group="perform",
                        name="port_entry.record")

    def _refused(self, exc: Exception) -> None:
        self.sending = False
        self._error(rules_text(exc.unmet))
        self.app.report_error(exc)

    def _failed(self, exc: Exception) -> None:
        self.sending = False
        self._error("")
        self.app.report_error(exc)
