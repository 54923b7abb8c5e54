"""What is on board a vessel visit now, as a bay plan: the departure BAPLIE's content.

Boxes of the terminal standing on the vessel (loaded, or not yet discharged) and the boxes
that remain on board (``OnBoard``), each at its slot. Segments kept from the bay plan the line
sent (remarks, further dangerous goods, segments portops does not read) go back out.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from portops.formats.edifact.records import BayPlan, DangerousGoods, Header, Slot, StowedBox
from portops.model import (
    Category,
    Container,
    EdiImport,
    OnBoard,
    Terminal,
    Vessel,
    VesselVisit,
    Where,
)

_STATUS = {Category.IMPORT: "3", Category.EXPORT: "2", Category.TRANSHIP: "6"}


def _dangerous(imdg_class: str | None, un_number: str | None) -> list[DangerousGoods]:
    return [DangerousGoods(imdg_class, un_number or "")] if imdg_class else []


def _vessel_slot(c: Container) -> Slot:
    """The slot of a box on the vessel (loading and the bay plan import set it with the
    location; the model types it optional for the boxes elsewhere)."""
    bay, row, tier = c.vessel_bay, c.vessel_row, c.vessel_tier
    assert bay is not None and row is not None and tier is not None, c.number
    return Slot(bay, row, tier)


def _by_slot(box: StowedBox) -> Slot:
    assert box.slot is not None  # every box of on_board stands at its slot
    return box.slot


def on_board(session: Session, visit_id: int) -> BayPlan:
    """The visit's boxes on board, by slot, with a BAPLIE header from the visit."""
    visit = session.get(VesselVisit, visit_id)
    if visit is None:
        raise LookupError(f"there is no visit {visit_id}")
    vessel = session.get(Vessel, visit.vessel_id)
    assert vessel is not None  # vessel_visit.vessel_id is a foreign key to vessel
    terminal = session.exec(select(Terminal)).first()
    header = Header(sender=terminal.code if terminal else "", recipient=visit.line_operator,
                    message_ref=visit.key, message_type="BAPLIE",
                    voyage=visit.voyage_out or visit.voyage_in, carrier=visit.line_operator,
                    vessel_name=vessel.name, call_sign=vessel.call_sign, imo=vessel.imo,
                    port=terminal.locode if terminal else "", departure=visit.atd)
    kept: dict[str, list[str]] = {}
    for record in session.exec(select(EdiImport).where(EdiImport.visit_id == visit_id)
                               .order_by(col(EdiImport.id))):
        kept.update((record.extra or {}).get("boxes", {}))
    boxes: list[StowedBox] = []
    for c in session.exec(select(Container).where(Container.visit_id == visit_id,
                                                  Container.location == Where.VESSEL)):
        boxes.append(StowedBox(
            c.number, c.size_type, _vessel_slot(c), c.full,
            c.operator, c.pol, c.pod, gross_kg=c.gross_kg, vgm_kg=c.vgm_kg,
            reefer_temp_c=c.reefer_temp_c, dangerous=_dangerous(c.imdg_class, c.un_number),
            seals=[s for s in c.seals.split(",") if s], bl_number=c.bl_number or "",
            booking_ref=c.booking_ref or "", status=_STATUS.get(Category(c.category), ""),
            extra=list(kept.get(c.number, []))))
    for r in session.exec(select(OnBoard).where(OnBoard.visit_id == visit_id)):
        boxes.append(StowedBox(
            r.number, r.size_type, Slot(r.bay, r.row, r.tier), r.full, r.operator, r.pol, r.pod,
            gross_kg=r.gross_kg, vgm_kg=r.vgm_kg, reefer_temp_c=r.reefer_temp_c,
            dangerous=_dangerous(r.imdg_class, r.un_number), extra=list(r.extra)))
    boxes.sort(key=_by_slot)
    return BayPlan(header, boxes)
