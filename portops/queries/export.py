"""Read-only views of export: the receiving plan, the arrival report and the load report.

Each returns plain data; ``portops export`` and the console render it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from portops.formats.edifact.records import (
    AS_ORDERED,
    Damage,
    HandledBox,
    HandlingReport,
    Slot,
    StowedBox,
)
from portops.formats.tally import report_header
from portops.model import (
    ArrivalEntry,
    Container,
    LoadItem,
    LoadState,
    Vessel,
    VesselVisit,
)
from portops.model.vessels import LIVE
from portops.ops.receiving import visit_window


@dataclass(frozen=True)
class WindowRow:
    visit: str
    vessel: str
    voyage: str
    etb: datetime | None
    opens: datetime | None
    cargo_cutoff: datetime | None
    reefer_cutoff: datetime | None
    dg_cutoff: datetime | None


def receiving_plan(session: Session, visit_key: str | None = None) -> list[WindowRow]:
    """The receiving window of every live visit (or one), from its current ETB."""
    q = select(VesselVisit, Vessel).join(Vessel, Vessel.id == VesselVisit.vessel_id).where(
        VesselVisit.phase.in_([p.value for p in LIVE])).order_by(VesselVisit.etb)
    if visit_key:
        q = q.where(VesselVisit.key == visit_key)
    out = []
    for visit, vessel in session.exec(q):
        w = visit_window(session, visit)
        out.append(WindowRow(visit.key, vessel.name, visit.voyage_out or visit.voyage_in,
                             visit.etb, w and w.opens, w and w.cargo_cutoff,
                             w and w.reefer_cutoff, w and w.dg_cutoff))
    return out


@dataclass(frozen=True)
class ArrivalRow:
    container: str
    size_type: str
    booking_ref: str
    pod: str
    vgm_kg: int | None
    seals: str
    eir: str
    reported_at: datetime


def arrival_report(session: Session, visit_id: int) -> list[ArrivalRow]:
    """The arrival report (运抵报告) of a visit: every export box inside, in arrival order."""
    rows = session.execute(sa_select(
        ArrivalEntry.container_number, Container.size_type, ArrivalEntry.booking_ref,
        Container.pod, Container.vgm_kg, Container.seals, ArrivalEntry.eir_number,
        ArrivalEntry.reported_at).join(Container, Container.id == ArrivalEntry.container_id)
        .where(ArrivalEntry.visit_id == visit_id).order_by(ArrivalEntry.id)).all()
    return [ArrivalRow(*r) for r in rows]


def load_report(session: Session, visit_id: int) -> HandlingReport | None:
    """The load tally as a COARRI load report: boxes loaded (with slot, seal, damage)."""
    visit = session.get(VesselVisit, visit_id)
    if visit is None:
        return None
    header = report_header(session, visit, f"LOAD{visit.id:06d}", visit.voyage_out)
    rows = session.execute(sa_select(LoadItem, Container).join(
        Container, Container.id == LoadItem.container_id).where(
        LoadItem.visit_id == visit_id, LoadItem.state == LoadState.LOADED).order_by(
        LoadItem.loaded_at, LoadItem.id)).all()
    moves = []
    for item, c in rows:
        box = StowedBox(c.number, c.size_type, Slot(item.bay, item.row, item.tier), c.full,
                        c.operator, c.pol, c.pod, gross_kg=c.gross_kg, vgm_kg=c.vgm_kg,
                        reefer_temp_c=c.reefer_temp_c,
                        seals=[item.seal_read] if item.seal_read else
                        [s for s in c.seals.split(",") if s], booking_ref=c.booking_ref or "")
        damage = [Damage("ZZ", note=item.damage[:70])] if item.damage else []
        moves.append(HandledBox(box, item.loaded_at, AS_ORDERED, damage))
    return HandlingReport(header, "load", moves)


def rolled(session: Session, visit_id: int) -> list[tuple[str, str, str]]:
    """Boxes rolled off this visit: number, the visit that takes them, the reason."""
    rows = session.execute(sa_select(LoadItem.number, VesselVisit.key, LoadItem.roll_reason)
                           .join(VesselVisit, VesselVisit.id == LoadItem.rolled_to_visit_id)
                           .where(LoadItem.visit_id == visit_id,
                                  LoadItem.state == LoadState.ROLLED)).all()
    return [tuple(r) for r in rows]
