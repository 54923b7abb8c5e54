"""The dispatcher's port-entry form (靠港手续): clearance reference, authority, time cleared.

Opened with ``p`` from the schedule (the selected visit) or from a visit's screen. Enter moves
to the next field and on the last one records the clearance (``port_entry.record``, which
grants the PORT_ENTRY permission that discharge and loading wait for). A time it cannot read,
or a refusal, is shown in the form with every rule and its remedy, what was typed still there
to correct; Esc closes it without a change. The form itself is the admin's
:class:`~portops.ui.screens.admin_forms.OperationForm`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from portops.clock import TYPED_FORMS
from portops.i18n import N_, _
from portops.ui.commands import Command
from portops.ui.screens.admin_forms import FormField, Invalid, OperationForm
from portops.ui.screens.forms import parse_local, time_error

#: ``p`` on the schedule and on a visit's screen.
PORT_ENTRY = Command("visit.port_entry", "p", N_("port entry"), N_("Record the visit's "
                     "port-entry clearance (靠港手续): reference, authority and time cleared. "
                     "Discharge and loading wait for it."), "port_entry", N_("visit"))

FIELDS = (("reference", N_("Clearance reference"), 35), ("authority", N_("Authority"), 80),
          ("cleared", N_("Cleared at"), 35))


class PortEntryForm(OperationForm):
    """Three fields, then ``port_entry.record`` as the signed-in dispatcher; dismisses with
    the permission's id."""

    ID_PREFIX = "pe-"
    FORM_CLASSES = "form"
    NOTIFY_REFUSAL = True

    def __init__(self, visit_id: int, visit_key: str, tz: str, now: datetime) -> None:
        from portops.ops.port_entry import record

        self.visit_id, self.tz, self.now = visit_id, tz, now
        super().__init__(
            _("{visit} — port-entry clearance (靠港手续)").format(visit=visit_key),
            [FormField(name, _(label), max_length=size) for name, label, size in FIELDS],
            record, self._arguments,
            note=_("Authority: e.g. Shanghai MSA / customs. Cleared at: {forms} "
                   "({tz} time); blank = now.").format(forms=TYPED_FORMS, tz=tz))

    def _arguments(self, v: dict[str, str]) -> dict[str, Any]:
        try:
            parse_local(v["cleared"], self.tz, self.now)  # the shape, said at once
        except ValueError as exc:
            raise Invalid("cleared", time_error(_("Cleared at"), exc)) from None
        return {"visit_id": self.visit_id, "reference": v["reference"],
                "authority": v["authority"], "cleared_at": v["cleared"] or None}
