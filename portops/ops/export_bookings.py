"""Export bookings (seed II.(2) step 1): the line's booking of so many boxes of a size/type
for a visit and a port of discharge, keyed in at the console (F12) or imported from the line's
list (``kind: export_bookings``), before any receiving appointment can be made on it.

The form, the import and the demo judge a booking by the same rules (:func:`_judge_booking`):
an import names each refused booking by its file and line, and writes none of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from sqlmodel import select

from portops.codes import CodeError, parse_locode, parse_size_type
from portops.i18n import N_
from portops.model import ExportBooking, Role, VesselVisit
from portops.model.base import pk
from portops.model.vessels import LIVE
from portops.ops.core import Term, Tx, operation
from portops.ops.report import ImportReport
from portops.textcheck import typed

#: An IMDG class as the line writes it (``3``, ``2.1``, ``4.3``, ``5.2``, ``6.1``...).
_IMDG = re.compile(r"[1-9](\.[1-6])?")
#: The reefer set points a booking may ask for (°C): what a reefer box holds.
REEFER_RANGE = (-40.0, 40.0)


def _judge_booking(tx: Tx, ref: str, visit_key: str, line: str, pod: str, size_type: str,
                   quantity: int, shipper: str, reefer_temp_c: float | None,
                   imdg_class: str | None, un_number: str | None) -> VesselVisit | None:
    """State every rule a booking must meet (the console's form, the import and the demo
    judge alike); returns the visit it is for."""
    typed(tx, "export.booking", ref=ref, line=line, shipper=shipper)
    visit = tx.session.exec(select(VesselVisit).where(VesselVisit.key == visit_key)).first()
    tx.rule(visit is not None, "export.booking.visit", N_("there is no visit {visit_key!r}"),
            N_("check the visit key in the schedule"), visit_key=visit_key)
    tx.rule(visit is None or visit.phase in LIVE, "export.booking.visit_phase",
            N_("visit {visit_key} is {phase}; it takes no more bookings"),
            N_("book on a later visit"), visit_key=visit_key, phase=Term(visit.phase) if visit else '')
    tx.rule(ref, "export.booking.ref", N_("a booking needs its reference"),
            N_("enter the booking number"))
    tx.rule(line.strip(), "export.booking.line", N_("a booking needs the shipping line"),
            N_("enter the line's code, e.g. COSU"))
    exists = tx.session.exec(select(ExportBooking.id).where(ExportBooking.ref == ref)).first()
    tx.rule(exists is None, "export.booking.exists", N_("booking {ref} exists already"),
            N_("use another reference"), ref=ref)
    for fn, value, rule in ((parse_locode, pod, "export.booking.pod"),
                            (parse_size_type, size_type, "export.booking.size_type")):
        try:
            fn(value)
        except CodeError as exc:
            tx.rule(False, rule, exc.template, N_("correct it"), **exc.params)
    tx.rule(int(quantity) > 0, "export.booking.quantity", N_("a booking needs at least one box"),
            N_("enter the number of boxes"))
    low, high = REEFER_RANGE
    tx.rule(reefer_temp_c is None or low <= reefer_temp_c <= high,
            "export.booking.reefer_temp", N_("a reefer set point of {temp} °C is not possible"),
            N_("use a temperature from {low:g} to {high:g} °C"), temp=reefer_temp_c, low=low,
            high=high)
    tx.rule(not imdg_class or _IMDG.fullmatch(imdg_class.strip()), "export.booking.imdg_class",
            N_("{imdg!r} is not an IMDG class"), N_("write the class as 3, 2.1 or 6.1"),
            imdg=(imdg_class or "")[:8])
    tx.rule(not un_number or re.fullmatch(r"\d{4}", un_number.strip()),
            "export.booking.un_number", N_("{un!r} is not a UN number"),
            N_("write its four digits, e.g. 1203"), un=(un_number or "")[:8])
    tx.rule(bool(imdg_class) == bool(un_number), "export.booking.dangerous",
            N_("dangerous goods need both the IMDG class and the UN number"),
            N_("enter both, or neither"))
    return visit


@operation("export.booking", Role.DISPATCHER)
def add_booking(tx: Tx, ref: str, visit_key: str, line: str, pod: str, size_type: str,
                quantity: int, shipper: str = "", reefer_temp_c: float | None = None,
                imdg_class: str | None = None, un_number: str | None = None) -> int:
    """Record a line's export booking for a visit."""
    ref = ref.strip().upper()
    tx.about("booking", None, ref)
    visit = _judge_booking(tx, ref, visit_key, line, pod, size_type, quantity, shipper,
                           reefer_temp_c, imdg_class, un_number)
    tx.ensure()
    assert visit is not None  # export.booking.visit held
    b = _new_booking(tx, ref, visit, line, pod, size_type, quantity, shipper, reefer_temp_c,
                     imdg_class, un_number)
    tx.about("booking", b.id, ref)
    return pk(b)


def _new_booking(tx: Tx, ref: str, visit: VesselVisit, line: str, pod: str, size_type: str,
                 quantity: int, shipper: str, reefer_temp_c: float | None,
                 imdg_class: str | None, un_number: str | None) -> ExportBooking:
    b = ExportBooking(ref=ref, visit_id=pk(visit), line_operator=line.strip().upper(),
                      pod=parse_locode(pod), size_type=parse_size_type(size_type),
                      quantity=int(quantity), shipper=shipper.strip(),
                      reefer_temp_c=reefer_temp_c,
                      imdg_class=(imdg_class or "").strip() or None,
                      un_number=(un_number or "").strip() or None,
                      created_at=tx.now(), created_by=tx.actor.name)
    tx.session.add(b)
    tx.session.flush()
    return b


@dataclass(frozen=True)
class BookingSpec:
    """One booking as a file lists it (``where`` = ``FILE:LINE``)."""

    where: str
    ref: str
    visit_key: str
    line: str
    pod: str
    size_type: str
    quantity: int
    shipper: str = ""
    reefer_temp_c: float | None = None
    imdg_class: str | None = None
    un_number: str | None = None


@operation("export.booking_import", Role.DISPATCHER, log_args=["source"])
def import_bookings(tx: Tx, bookings: list[BookingSpec], source: str = "") -> ImportReport:
    """Record a line's list of export bookings (a file), all of them or none.

    Every refused booking is named by its file and line."""
    tx.about("booking", None, source[-64:])  # the column is 64 long; data has it all
    judged = []
    for spec in bookings:
        ref = spec.ref.strip().upper()
        first = len(tx.unmet)
        visit = _judge_booking(tx, ref, spec.visit_key, spec.line, spec.pod, spec.size_type,
                               spec.quantity, spec.shipper, spec.reefer_temp_c,
                               spec.imdg_class, spec.un_number)
        tx.unmet[first:] = [u if u.where else replace(u, where=spec.where)
                            for u in tx.unmet[first:]]
        judged.append((ref, visit, spec))
    tx.ensure()
    report = ImportReport(N_("export bookings"))
    for ref, visit, s in judged:
        assert visit is not None  # export.booking.visit held
        b = _new_booking(tx, ref, visit, s.line, s.pod, s.size_type, s.quantity, s.shipper,
                         s.reefer_temp_c, s.imdg_class, s.un_number)
        report.add(N_("booking"), b.ref, None, {"visit": visit.key, "pod": b.pod,
                                                 "size_type": b.size_type,
                                                 "quantity": b.quantity})
    tx.record(**report.event_data())
    return report
