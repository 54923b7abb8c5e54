"""A late export box (seed II.(2) step 2): the dispatcher accepts it with a written reason.

Past a visit's receiving cut-off ``export.appointment`` is refused with "a dispatcher may
accept the late box with a written reason", and the gate takes an export box in only on its
appointment. ``export.accept_late`` gives the reason to an appointment that exists, so a box
booked in time but late at the gate could come in; a box with no appointment yet could not,
and had no way in (the walk's dead end). :func:`accept_late_box` is the one remedy for both:
the dispatcher names the booking and the box and writes why; a box that has an appointment on
the booking gets the reason on it, any other gets its appointment made now, in the current
slot, past the window, with the reason on it. Every other rule of an appointment still holds
(the booking's quantity, the box not already booked or here, the truck and driver, the
slot's room) and the vessel must not have sailed; the gate check at ``export.receive`` is the
same as for any box. The event keeps the reason and, as every event, who accepted.
"""

from __future__ import annotations

from sqlmodel import select

from portops.codes import CodeError, parse_container_number
from portops.i18n import N_
from portops.model import ExportBooking, Phase, Receival, ReceivalState, Role, VesselVisit
from portops.ops.core import Term, Tx, operation
from portops.ops.receiving import new_receival
from portops.textcheck import typed

#: The phases in which a visit still takes export boxes in (``export.receive``'s).
_TAKING = (Phase.PLANNED, Phase.ARRIVED, Phase.BERTHED, Phase.WORKING)


@operation("export.accept_late_box", Role.DISPATCHER)
def accept_late_box(tx: Tx, booking_ref: str, container: str, reason: str, size_type: str = "",
                    haulier: str = "", plate: str = "", driver_name: str = "",
                    driver_id: str = "", vgm_kg: int | None = None, seal: str = "") -> dict:
    """Accept an export box after its visit's receiving cut-off, with a written reason."""
    typed(tx, "export.accept_late", reason=reason)
    tx.rule(reason.strip(), "export.accept_late.reason", N_("a late acceptance needs a reason"),
            N_("write why the late box is accepted"))
    b = tx.session.exec(select(ExportBooking).where(
        ExportBooking.ref == booking_ref.strip().upper())).first()
    visit = tx.session.get(VesselVisit, b.visit_id) if b is not None else None
    tx.rule(visit is None or visit.phase in _TAKING, "export.accept_late.visit",
            N_("visit {visit} is {phase}; it takes no more boxes"),
            N_("the line must move the booking to another visit"),
            visit=visit.key if visit else "", phase=Term(visit.phase) if visit else "")
    try:
        number = parse_container_number(container)
    except CodeError:
        number = ""  # new_receival states the rule
    booked = tx.session.exec(select(Receival).where(
        Receival.container_number == number, Receival.state == ReceivalState.BOOKED)).first()
    if b is not None and booked is not None and booked.booking_id == b.id:
        tx.about("receival", booked.id, booked.ref)
        tx.ensure()
        booked.late_reason = reason.strip()[:256]
        tx.record(late_reason=booked.late_reason, accepted_by=tx.actor.name)
        return {"id": booked.id, "ref": booked.ref, "slot_start": booked.slot_start}
    out = new_receival(tx, booking_ref, container, size_type, tx.now(), haulier, plate,
                       driver_name, driver_id, vgm_kg, seal, late_reason=reason)
    tx.record(late_reason=reason.strip()[:256], accepted_by=tx.actor.name)
    return out
