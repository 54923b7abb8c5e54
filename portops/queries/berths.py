"""The berth chart's data: berths along the quay and each visit as a block of metres × time.

One SQL query for the window (a day to a week) plus a sweep for overlaps, so a week of a busy
terminal (hundreds of calls) comes back in milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from portops.model import ALONGSIDE, Berth, Phase, Vessel, VesselVisit
from portops.model.base import pk
from portops.ops.berthplan import berth_spec, placement, terminal_settings
from portops.planning.berths import all_overlaps, fit_conflicts, where


@dataclass(frozen=True)
class BerthRow:
    id: int
    name: str
    start_m: float
    end_m: float
    depth_m: float


@dataclass(frozen=True)
class Block:
    """One visit on the chart: ``quay_from_m``..``quay_to_m`` along the quay, ``start``..``end``."""

    visit_id: int
    key: str
    vessel: str
    line: str
    loa_m: float
    draft_m: float
    berth: str | None
    quay_from_m: float
    quay_to_m: float
    start: datetime
    end: datetime
    open_end: bool  # alongside with no ETD ahead: holds the quay until it departs
    phase: str
    #: Rule ids of what is wrong with where it is planned (overlap, too long, too deep).
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unplaced:
    """A visit in the window that has no berth or position yet."""

    visit_id: int
    key: str
    vessel: str
    loa_m: float
    draft_m: float
    eta: datetime | None
    phase: str


@dataclass(frozen=True)
class Chart:
    start: datetime
    end: datetime
    timezone: str
    quay_start_m: float
    quay_end_m: float
    clearance_m: float
    berths: tuple[BerthRow, ...]
    blocks: tuple[Block, ...]
    unplaced: tuple[Unplaced, ...]

    def block(self, visit_id: int) -> Block | None:
        return next((b for b in self.blocks if b.visit_id == visit_id), None)


_SHOWN = [p.value for p in Phase if p != Phase.CANCELLED]


def berth_chart(session: Session, start: datetime, end: datetime, now: datetime) -> Chart:
    """Everything the berth chart draws for ``start``..``end`` (aware UTC)."""
    term = terminal_settings(session)
    berths = [BerthRow(pk(b), b.name, b.quay_start_m, b.quay_end_m, b.depth_m)
              for b in session.exec(select(Berth).order_by(col(Berth.quay_start_m)))]
    begins = func.coalesce(VesselVisit.atb, VesselVisit.etb, VesselVisit.eta)
    ends = func.coalesce(VesselVisit.atd, VesselVisit.etd)
    rows = session.exec(
        select(VesselVisit, Vessel).join(Vessel, col(Vessel.id) == col(VesselVisit.vessel_id))
        .where(col(VesselVisit.phase).in_(_SHOWN), begins < end,
               or_(ends > start, ends.is_(None), col(VesselVisit.phase).in_(ALONGSIDE)))).all()
    by_id = {b.id: b for b in session.exec(select(Berth))}
    placed, unplaced, visits = [], [], {}
    for visit, vessel in rows:
        p = placement(visit, vessel, now)
        if visit.berth_id is None or not p.placed:
            if visit.phase in (Phase.PLANNED, Phase.ARRIVED):
                unplaced.append(Unplaced(pk(visit), visit.key, vessel.name, vessel.loa_m,
                                         p.draft_m, visit.eta, str(visit.phase)))
            continue
        if where(p)[3] <= start:
            continue
        placed.append(p)
        visits[pk(visit)] = (visit, vessel)
    pairs = all_overlaps(placed, term.vessel_clearance_m)
    clashing = {v for pair in pairs for v in pair}
    blocks = []
    for p in placed:
        visit, vessel = visits[p.visit_id]
        berth = by_id.get(p.berth_id) if p.berth_id is not None else None
        problems = ([c.rule for c in fit_conflicts(p, berth_spec(berth), ukc_m=term.ukc_m)]
                    if berth is not None else [])
        if p.visit_id in clashing:
            problems.append("berth.overlap")
        quay_from, quay_to, p_start, p_end = where(p)
        open_end = p_end.year >= 9999
        blocks.append(Block(p.visit_id, p.key, vessel.name, visit.line_operator, p.loa_m,
                            p.draft_m, berth.name if berth else None, quay_from,
                            quay_to, p_start, end if open_end else p_end, open_end,
                            p.phase, tuple(problems)))
    blocks.sort(key=lambda b: (b.start, b.quay_from_m))
    unplaced.sort(key=lambda u: (u.eta or start, u.key))
    quay_start = min((b.start_m for b in berths), default=0.0)
    quay_end = max((b.end_m for b in berths), default=1000.0)
    return Chart(start, end, term.timezone, quay_start, quay_end, term.vessel_clearance_m,
                 tuple(berths), tuple(blocks), tuple(unplaced))
