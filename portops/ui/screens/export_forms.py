"""The export forms of F12: a line's booking (``export.booking``, ``add_booking``), a receiving
appointment on it (``export.appointment``) and its cancellation (``export.cancel``).

Before these, only the demo called the operations: at a new site no export box could be
booked, and the gate check, the arrival report and loading could not be reached. Each form
runs its operation itself (:class:`~portops.ui.screens.gate_forms.FieldsForm`): a refusal is
listed in the form with the values kept and the cursor in the first field a rule names; a
value the form cannot read (a quantity that is no number, a slot that is no time) is one
sentence there, and nothing is sent.
"""

from __future__ import annotations

from datetime import datetime

from portops.i18n import _
from portops.ops.export_bookings import add_booking
from portops.ops.receiving import book_receival, cancel_receival
from portops.textcheck import max_len
from portops.ui.screens.forms import parse_local, time_error
from portops.ui.screens.gate_forms import FieldError, FieldsForm

#: Refused rules whose id names no field of the booking form, and the field to mend.
BOOKING_RULES = {"export.booking.visit_phase": "visit_key", "export.booking.exists": "ref",
                 "export.booking.dangerous": "imdg_class"}
#: The same for the appointment form.
RECEIVAL_RULES = {"export.booking.not_found": "booking_ref",
                  "export.appointment.booking_full": "booking_ref",
                  "export.appointment.box_": "container", "export.appointment.truck": "plate",
                  "export.appointment.driver": "driver_name", "export.appointment.slot_": "slot",
                  "export.window.": "slot", "appointment.slot_": "slot"}
CANCEL_RULES = {"export.receive.no_appointment": "ref", "export.cancel.state": "ref"}


class CompactForm(FieldsForm):
    """A :class:`FieldsForm` with what to type as each empty field's hint: ten fields, the
    title and a refusal of several rules fit 24 lines (a label above a framed field each,
    the refusal scrolled out of sight when the cursor went to a field below)."""

    def __init__(self, title: str, fields: list[tuple[str, str, str]],
                 hints: dict[str, str] | None = None, **kw) -> None:
        super().__init__(title, fields, **kw)
        self.hints = hints or {}


def _number(values: dict, name: str, label: str, *, integer: bool) -> float | int | None:
    """A typed number (empty: None) or the sentence saying what to type."""
    text = values.pop(name).replace(",", "").strip()
    if not text:
        return None
    try:
        return int(text) if integer else float(text)
    except ValueError:
        what = _("a whole number") if integer else _("a number, e.g. -18 or 5.5")
        raise FieldError(name, _("{field}: {text!r} is not {what}").format(
            field=label, text=text[:12], what=what)) from None


def booking_form(visit_key: str = "", line: str = "") -> FieldsForm:
    """Key in a line's export booking; ``visit_key`` and ``line`` start filled in (the visit
    highlighted in the receiving plan)."""
    def build(v: dict) -> dict:
        v["quantity"] = _number(v, "quantity", _("boxes"), integer=True)
        v["reefer_temp_c"] = _number(v, "reefer_temp_c", _("reefer °C"), integer=False)
        v["imdg_class"] = v.pop("imdg_class") or None
        v["un_number"] = v.pop("un_number") or None
        return v

    return CompactForm(_("Export booking (the line's booking for a visit)"), [
        ("ref", _("booking number"), ""), ("visit_key", _("visit"), visit_key),
        ("line", _("shipping line"), line), ("shipper", _("shipper"), ""),
        ("pod", _("port of discharge"), ""), ("size_type", _("size/type"), ""),
        ("quantity", _("boxes"), ""), ("reefer_temp_c", _("reefer °C"), ""),
        ("imdg_class", _("IMDG class"), ""), ("un_number", _("UN number"), "")],
        hints={"pod": _("UN/LOCODE, e.g. NLRTM"), "size_type": _("ISO, e.g. 22G1, 45R1"),
               "reefer_temp_c": _("reefers only, e.g. -18"),
               "imdg_class": _("dangerous goods only, e.g. 3"),
               "un_number": _("dangerous goods only, e.g. 1203")},
        required=("ref", "visit_key", "line", "pod", "size_type", "quantity"),
        op=add_booking, build=build, rule_fields=BOOKING_RULES,
        max_lengths={"visit_key": 32, "pod": 5, "size_type": 4, "quantity": 5,
                     "reefer_temp_c": 6, "imdg_class": 4, "un_number": 4})


def receival_form(tz: str, now: datetime, booking_ref: str = "") -> FieldsForm:
    """Book a receiving (delivery) appointment for one export box on a booking; the slot is
    typed in the terminal's time ``tz``, read against the app's clock ``now``."""
    def build(v: dict) -> dict:
        try:
            v["slot_start"] = parse_local(v.pop("slot"), tz, now)
        except ValueError as exc:
            raise FieldError("slot", time_error(_("slot"), exc)) from None
        v["vgm_kg"] = _number(v, "vgm_kg", _("declared VGM kg"), integer=True)
        return v

    local = now.astimezone(_zone(tz))
    return CompactForm(_("Receiving appointment (times in {tz})").format(tz=tz), [
        ("booking_ref", _("booking number"), booking_ref),
        ("container", _("container"), ""), ("size_type", _("size/type"), ""),
        ("slot", _("slot"), f"{local:%Y-%m-%d %H}:00"),
        ("haulier", _("haulier"), ""), ("plate", _("truck plate"), ""),
        ("driver_name", _("driver's name"), ""), ("driver_id", _("driver ID"), ""),
        ("vgm_kg", _("declared VGM kg"), ""), ("seal", _("seal"), "")],
        hints={"slot": _("YYYY-MM-DD HH:MM or HH:MM"), "driver_id": _("licence or ID number"),
               "vgm_kg": _("if the shipper gave it"), "seal": _("if declared")},
        required=("booking_ref", "container", "size_type", "slot", "haulier", "plate",
                  "driver_name", "driver_id"),
        op=book_receival, build=build, rule_fields=RECEIVAL_RULES,
        max_lengths={"booking_ref": max_len("ref"), "container": 15, "size_type": 4,
                     "slot": 16, "vgm_kg": 6})


class _DoneForm(CompactForm):
    """A form whose operation returns nothing: closes with ``True`` when it is done (``None``
    is the form escaped)."""

    def perform(self, op, *, then=None, refused=None, **kwargs):
        return super().perform(op, then=lambda out: then(True if out is None else out),
                               refused=refused, **kwargs)


def cancel_form(ref: str = "") -> FieldsForm:
    """Cancel a receiving appointment (its slot's place is freed), with the reason."""
    return _DoneForm(_("Cancel a receiving appointment"), [
        ("ref", _("appointment ref or truck plate"), ref), ("reason", _("reason"), "")],
        required=("ref", "reason"), op=cancel_receival, rule_fields=CANCEL_RULES,
        max_lengths={"ref": max_len("lookup")})


def _zone(tz: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(tz)
