"""Read-only views of export: the receiving plan, the arrival report and the load report.

Each returns plain data; ``portops export`` and the console render it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from portops.formats.edifact.records import (
    AS_ORDERED,
    Damage,
    HandledBox,
    HandlingReport,
    Slot,
    StowedBox,
)
from portops.i18n import N_, Translate, as_is
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
from portops.queries.tally import report_header


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
    #: The visit's line (a booking form opened on the visit starts with it).
    line: str = ""


def receiving_plan(session: Session, visit_key: str | None = None) -> list[WindowRow]:
    """The receiving window of every live visit (or one), from its current ETB."""
    q = select(VesselVisit, Vessel).join(Vessel, col(Vessel.id) == VesselVisit.vessel_id).where(
        col(VesselVisit.phase).in_([p.value for p in LIVE])).order_by(col(VesselVisit.etb))
    if visit_key:
        q = q.where(VesselVisit.key == visit_key)
    out = []
    for visit, vessel in session.exec(q):
        w = visit_window(session, visit)
        out.append(WindowRow(visit.key, vessel.name, visit.voyage_out or visit.voyage_in,
                             visit.etb, w.opens if w else None,
                             w.cargo_cutoff if w else None, w.reefer_cutoff if w else None,
                             w.dg_cutoff if w else None, visit.line_operator))
    return out


@dataclass(frozen=True)
class BookingRow:
    """An export booking with how many of its boxes have an appointment and are inside."""

    ref: str
    line: str
    pod: str
    size_type: str
    quantity: int
    booked: int
    received: int
    shipper: str


@dataclass(frozen=True)
class ReceivalRow:
    """A receiving appointment of a visit (集港预约), as the receiving plan lists it."""

    ref: str
    booking_ref: str
    container: str
    slot_start: datetime
    plate: str
    state: str


def bookings(session: Session, visit_id: int) -> tuple[list[BookingRow], list[ReceivalRow]]:
    """A visit's export bookings, and its receiving appointments still booked, by slot."""
    from portops.model import ExportBooking, Receival, ReceivalState

    out = []
    for b in session.exec(select(ExportBooking).where(ExportBooking.visit_id == visit_id)
                          .order_by(ExportBooking.ref)):
        states = list(session.exec(select(Receival.state).where(Receival.booking_id == b.id)))
        out.append(BookingRow(b.ref, b.line_operator, b.pod, b.size_type, b.quantity,
                              sum(1 for s in states if s != ReceivalState.CANCELLED),
                              sum(1 for s in states if s == ReceivalState.RECEIVED), b.shipper))
    appts = session.execute(sa_select(
        col(Receival.ref), col(ExportBooking.ref), col(Receival.container_number),
        col(Receival.slot_start), col(Receival.plate), col(Receival.state))
        .join(ExportBooking, col(ExportBooking.id) == Receival.booking_id)
        .where(col(ExportBooking.visit_id) == visit_id,
               col(Receival.state) == ReceivalState.BOOKED)
        .order_by(col(Receival.slot_start), col(Receival.id))).all()
    return out, [ReceivalRow(ref, booking, box, start, plate, str(state))
                 for ref, booking, box, start, plate, state in appts]


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
        col(ArrivalEntry.container_number), col(Container.size_type),
        col(ArrivalEntry.booking_ref), col(Container.pod), col(Container.vgm_kg),
        col(Container.seals), col(ArrivalEntry.eir_number), col(ArrivalEntry.reported_at))
        .join(Container, col(Container.id) == ArrivalEntry.container_id)
        .where(col(ArrivalEntry.visit_id) == visit_id).order_by(col(ArrivalEntry.id))).all()
    return [ArrivalRow(*r) for r in rows]


def load_report(session: Session, visit_id: int) -> HandlingReport | None:
    """The load tally as a COARRI load report: boxes loaded (with slot, seal, damage)."""
    visit = session.get(VesselVisit, visit_id)
    if visit is None:
        return None
    header = report_header(session, visit, f"LOAD{visit.id:06d}", visit.voyage_out)
    rows = session.execute(sa_select(LoadItem, Container).join(
        Container, col(Container.id) == LoadItem.container_id).where(
        col(LoadItem.visit_id) == visit_id, col(LoadItem.state) == LoadState.LOADED).order_by(
        col(LoadItem.loaded_at), col(LoadItem.id))).all()
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


def render_load_report(visit_key: str, report: HandlingReport,
                       gone: list[tuple[str, str, str]], show, tz: str,
                       translate: Translate = as_is) -> str:
    """The load tally report as text a line's agent reads (and prints), laid out as the
    discharge tally report is (``queries.discharge.render_tally_report``): the vessel, voyage
    and port, when loading ran, the counts, then every box loaded with its slot, port of
    discharge, seal and damage, then the boxes rolled. ``show(when)`` writes a time in the
    terminal's zone ``tz``; the words are in ``translate``'s language (English by default).
    The CLI (``export load-report``) and the console issue it."""
    t = translate
    h = report.header
    times = [m.at for m in report.moves if m.at is not None]
    damaged = [m for m in report.moves if m.damage]
    out = [t(N_("LOAD TALLY REPORT — loading — {vessel} (IMO {imo}) voyage {voyage} [{visit}] "
                "at {port}")).format(vessel=h.vessel_name, imo=h.imo or "-",
                                     voyage=h.voyage or "-", visit=visit_key, port=h.port),
           t(N_("Operator {operator}. First box loaded {first}, last {last} ({tz}).")).format(
               operator=h.carrier or "-", first=show(min(times)) if times else "-",
               last=show(max(times)) if times else "-", tz=tz),
           t(N_("Loaded {loaded}; rolled {rolled}; damaged {damaged}.")).format(
               loaded=len(report.moves), rolled=len(gone), damaged=len(damaged)), ""]
    none = "  " + t("none")
    out.append(t(N_("{title} ({n})")).format(title=t(N_("Loaded")), n=len(report.moves)))
    for m in report.moves:
        line = "  " + t(N_("{number} {size_type} slot {slot} POD {pod} seal {seal} {at}")).format(
            number=m.box.number, size_type=m.box.size_type,
            slot=m.box.slot.code if m.box.slot else "-", pod=m.box.pod or "-",
            seal=",".join(m.box.seals) or "-", at=show(m.at) or "-")
        notes = "; ".join(d.note for d in m.damage if d.note)
        out.append(line + (" — " + t(N_("damage {codes}")).format(codes=notes) if notes else ""))
    if not report.moves:
        out.append(none)
    out += ["", t(N_("{title} ({n})")).format(title=t(N_("Rolled")), n=len(gone))]
    out += ["  " + t(N_("{number} to {visit}: {reason}")).format(
        number=number, visit=to_visit, reason=reason or "-")
        for number, to_visit, reason in gone] or [none]
    return "\n".join(out).rstrip() + "\n"


def rolled(session: Session, visit_id: int) -> list[tuple[str, str, str]]:
    """Boxes rolled off this visit: number, the visit that takes them, the reason."""
    rows = session.execute(sa_select(col(LoadItem.number), col(VesselVisit.key),
                                     col(LoadItem.roll_reason))
                           .join(VesselVisit, col(VesselVisit.id) == LoadItem.rolled_to_visit_id)
                           .where(col(LoadItem.visit_id) == visit_id,
                                  col(LoadItem.state) == LoadState.ROLLED)).all()
    return [tuple(r) for r in rows]


@dataclass(frozen=True)
class AppointmentRow:
    """A receiving appointment as the gate clerk sees it before the box is checked."""

    ref: str
    booking_ref: str
    visit: str
    container: str
    size_type: str
    vgm_kg: int | None
    seals: str
    plate: str
    haulier: str
    driver: str
    slot_start: datetime
    state: str
    #: ``open``, ``closed``, ``not_open`` or ``late accepted`` at the time asked.
    window: str
    closes: datetime | None
    late_reason: str


def appointment(session: Session, lookup: str, now: datetime) -> AppointmentRow | None:
    """The appointment for a ref or a plate (the next one still booked), as the gate reads it."""
    from portops.model import ExportBooking
    from portops.ops.receiving import find_receival

    r = find_receival(session, lookup)
    if r is None:
        return None
    b = session.get(ExportBooking, r.booking_id)
    assert b is not None  # receival.booking_id is a foreign key to export_booking
    visit = session.get(VesselVisit, b.visit_id)
    assert visit is not None  # export_booking.visit_id is a foreign key to vessel_visit
    w = visit_window(session, visit)
    reefer, dg = r.reefer_temp_c is not None, bool(r.imdg_class)
    state = w.state_at(now, reefer=reefer, dangerous=dg) if w else "not_open"
    if state == "closed" and r.late_reason:
        state = "late accepted"
    return AppointmentRow(r.ref, b.ref, visit.key, r.container_number, r.size_type, r.vgm_kg,
                          r.seals, r.plate, r.haulier, r.driver_name, r.slot_start, r.state,
                          state, w.closes_for(reefer=reefer, dangerous=dg) if w else None,
                          r.late_reason or "")


@dataclass(frozen=True)
class LoadRow:
    number: str
    size_type: str
    crane: int
    seq: int
    slot: str  # bay-row-tier on board, BAPLIE style ``0340282``
    yard_slot: str
    state: str
    why: str


def export_visits(session: Session) -> list[tuple[int, str]]:
    """Live visits with export bookings (id, key), by ETB: the ones loading works on."""
    from portops.model import ExportBooking

    ids = set(session.exec(select(ExportBooking.visit_id)).all())
    q = select(VesselVisit.id, VesselVisit.key).where(
        col(VesselVisit.phase).in_([p.value for p in LIVE]), col(VesselVisit.id).in_(ids or {0})
    ).order_by(col(VesselVisit.etb))
    return [(i, k) for i, k in session.exec(q) if i is not None]  # a key: never None


def load_plan(session: Session, visit_id: int) -> tuple[list[LoadRow], list[tuple[str, str]]]:
    """The visit's load plan by crane and sequence, and the boxes that cannot be planned (why)."""
    from portops.model import YardBlock
    from portops.ops.loading import releasable

    rows = session.execute(sa_select(LoadItem, Container, col(YardBlock.name)).join(
        Container, col(Container.id) == LoadItem.container_id).outerjoin(
        YardBlock, col(YardBlock.id) == Container.yard_block_id).where(
        col(LoadItem.visit_id) == visit_id).order_by(
        col(LoadItem.crane), col(LoadItem.seq), col(LoadItem.id))).all()
    out = [LoadRow(i.number, c.size_type, i.crane, i.seq, f"{i.bay:03d}{i.row:02d}{i.tier:02d}",
                   f"{block} {c.yard_bay:02d}-{c.yard_row:02d}-{c.yard_tier}" if block else "",
                   str(i.state), i.why) for i, c, block in rows]
    planned = {r.number for r in out}
    _ok, not_ok = releasable(session, visit_id)
    return out, [(n, why) for n, why in not_ok if n not in planned]


#: The export gate check (验箱) as the gate screen lists it, and the rule ids each covers
#: (the rules are ``export.receive``'s; the screen asks it "why not?" and lists the answer).
INSPECTION: list[tuple[str, tuple[str, ...]]] = [
    (N_("appointment"), ("export.receive.no_appointment", "export.receive.state",
                         "export.receive.visit")),
    (N_("container number"), ("export.inspection.check_digit", "export.inspection.container",
                              "export.receive.box_here")),
    (N_("size/type vs booking"), ("export.inspection.size_type",)),
    (N_("seal"), ("export.inspection.seal", "export.inspection.seal.")),
    (N_("VGM"), ("export.inspection.vgm", "export.inspection.vgm.")),
    (N_("damage"), ("export.inspection.damage",)),
    (N_("receiving window"), ("export.window.",)),
    (N_("yard slot"), ("export.receive.no_slot",)),
]


def inspection(unmet: list, translate=None) -> list:
    """The gate check point by point (``queries.gate.GateCheck``), from the rules
    ``export.receive`` would refuse with; a rule outside the list shows as "other"."""
    from portops.queries.gate import GateCheck, checks_of

    out = checks_of(unmet, INSPECTION, translate)
    covered = {r for _, rules in INSPECTION for r in rules}
    rest = [u for u in unmet if u.rule not in covered
            and not any(r.endswith(".") and u.rule.startswith(r) for r in covered)]
    if rest:
        texts = [u.localized(translate) if translate else (u.message, u.remedy) for u in rest]
        out.append(GateCheck(N_("other"), False, "; ".join(m for m, _ in texts),
                             "; ".join(r for _, r in texts)))
    return out
