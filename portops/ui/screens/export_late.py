"""F12's late box (``l`` on the receiving plan): the dispatcher accepts an export box past its
visit's receiving cut-off with a written reason (``export.accept_late_box``).

The form asked for an appointment's ref and a reason; past the cut-off no appointment could
be booked, so a box without one was refused both ways. It now names the booking and the box:
a box with an appointment on the booking gets the reason on it (the truck's fields may stay
empty), any other gets its appointment made now, with the reason, for the gate to take in.
"""

from __future__ import annotations

from portops.i18n import _
from portops.ops.export_late import accept_late_box
from portops.textcheck import max_len
from portops.ui.screens.export_forms import RECEIVAL_RULES, CompactForm, _number
from portops.ui.screens.gate_forms import FieldsForm

#: Refused rules whose id names no field of the form, and the field to mend.
LATE_RULES = dict(RECEIVAL_RULES, **{"export.accept_late.visit": "booking_ref"})


def late_form() -> FieldsForm:
    """Accept a late box: the booking, the box, its truck (when it has no appointment yet)
    and the reason."""
    def build(v: dict) -> dict:
        v["vgm_kg"] = _number(v, "vgm_kg", _("declared VGM kg"), integer=True)
        return v

    return CompactForm(_("Accept a late box (past the receiving cut-off)"), [
        ("booking_ref", _("booking number"), ""), ("container", _("container"), ""),
        ("reason", _("reason"), ""), ("size_type", _("size/type"), ""),
        ("haulier", _("haulier"), ""), ("plate", _("truck plate"), ""),
        ("driver_name", _("driver's name"), ""), ("driver_id", _("driver ID"), ""),
        ("vgm_kg", _("declared VGM kg"), ""), ("seal", _("seal"), "")],
        hints={"reason": _("why it is accepted late (required)"),
               "size_type": _("if no appointment yet, e.g. 22G1"),
               "haulier": _("if no appointment yet"), "plate": _("if no appointment yet"),
               "driver_name": _("if no appointment yet"),
               "driver_id": _("if no appointment yet"), "vgm_kg": _("if the shipper gave it"),
               "seal": _("if declared")},
        required=("booking_ref", "container"), op=accept_late_box, build=build,
        rule_fields=LATE_RULES,
        max_lengths={"booking_ref": max_len("ref"), "container": 15, "size_type": 4,
                     "vgm_kg": 6, "reason": 256})
