"""The tally report as plain records: what the tally clerk recorded, read for the COARRI.

Maps the discharge items of a visit to :class:`~portops.formats.edifact.records.HandlingReport`:
every box discharged (as ordered or over-landed) and every box short-landed, with its seals,
damage (CEDEX codes in ``DAM``), the time it was tallied and its stowage position.
``portops.formats.tally.coarri_text`` writes it out.
"""

from __future__ import annotations

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from portops.formats.edifact.records import (
    AS_ORDERED,
    OVER_LANDED,
    SHORT_LANDED,
    Damage,
    HandledBox,
    HandlingReport,
    Header,
    Slot,
    StowedBox,
)
from portops.model import (
    Container,
    DischargeItem,
    DischargePlan,
    ItemStatus,
    Terminal,
    Vessel,
    VesselVisit,
)

_CONDITION = {ItemStatus.DISCHARGED: AS_ORDERED, ItemStatus.OVER: OVER_LANDED,
              ItemStatus.SHORT: SHORT_LANDED}


def report_header(session: Session, visit: VesselVisit, ref: str, voyage: str) -> Header:
    """The header of a terminal-to-line report (COARRI) about ``visit``."""
    vessel = session.get(Vessel, visit.vessel_id)
    if vessel is None:  # the foreign key keeps it; said in words if a database lost it
        raise LookupError(f"visit {visit.key} names vessel {visit.vessel_id}, which is gone")
    terminal = session.exec(select(Terminal)).first()
    return Header(sender=terminal.code if terminal else "", recipient=visit.line_operator,
                  message_ref=ref, voyage=voyage, carrier=visit.line_operator,
                  vessel_name=vessel.name, imo=vessel.imo, call_sign=vessel.call_sign,
                  port=terminal.locode if terminal else "")


def handling_report(session: Session, visit_id: int) -> HandlingReport | None:
    """The discharge report of a visit as plain records, or None without a discharge plan."""
    visit = session.get(VesselVisit, visit_id)
    plan = session.exec(select(DischargePlan).where(
        DischargePlan.visit_id == visit_id)).first() if visit else None
    if visit is None or plan is None:
        return None
    header = report_header(session, visit, f"TALLY{visit_id:06d}", visit.voyage_in)
    rows = session.execute(sa_select(DischargeItem, Container).join(
        Container, col(Container.id) == col(DischargeItem.container_id)).where(
        col(DischargeItem.plan_id) == plan.id,
        col(DischargeItem.status) != ItemStatus.PLANNED).order_by(
        col(DischargeItem.tallied_at), col(DischargeItem.id))).all()
    moves = []
    for item, c in rows:
        slot = Slot(item.vessel_bay, item.vessel_row, item.vessel_tier) \
            if item.vessel_bay is not None else None
        seals = [item.seal_read] if item.seal_read else \
            [s for s in (c.seals or "").split(",") if s]
        box = StowedBox(c.number, c.size_type, slot, c.full, c.operator, c.pol, c.pod,
                        gross_kg=c.gross_kg, vgm_kg=c.vgm_kg, reefer_temp_c=c.reefer_temp_c,
                        seals=seals if item.status != ItemStatus.SHORT else [],
                        bl_number=c.bl_number or "", booking_ref=c.booking_ref or "")
        damage = [Damage(code, "", item.damage_note if i == 0 else "")
                  for i, code in enumerate(x for x in item.damage_codes.split(",") if x)]
        at = item.tallied_at if item.status != ItemStatus.SHORT else None
        moves.append(HandledBox(box, at, _CONDITION[ItemStatus(item.status)], damage))
    return HandlingReport(header, "discharge", moves)
