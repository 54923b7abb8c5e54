"""The vessel schedule as the dispatcher reads it: one row per visit, keyed by visit id."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Engine

from portops.db import read_session
from portops.model import Berth, Container, Phase, Vessel, VesselVisit, Where

#: Phases the schedule hides unless asked to show everything.
FINISHED = (Phase.CLOSED, Phase.CANCELLED)


@dataclass(frozen=True)
class VisitRow:
    id: int
    key: str
    vessel: str
    imo: str
    line: str
    voyage: str  # "in/out", e.g. 045W/045E
    eta: datetime | None
    etb: datetime | None
    etd: datetime | None
    ata: datetime | None
    atb: datetime | None
    atd: datetime | None
    berth: str
    berth_id: int | None
    phase: Phase
    moves_planned: int
    moves_done: int
    loa_m: float
    draft_m: float


def _voyage(v: VesselVisit) -> str:
    if v.voyage_in and v.voyage_out and v.voyage_in != v.voyage_out:
        return f"{v.voyage_in}/{v.voyage_out}"
    return v.voyage_in or v.voyage_out


def visits(engine: Engine, *, include_finished: bool = False,
           ids: Iterable[int] | None = None) -> list[VisitRow]:
    """Visits by ETB (then key); ``ids`` limits it to those visits (a refresh by key).

    Moves done count boxes discharged from the visit (now in the yard, on a truck or gone) and
    boxes loaded onto it (on board it, or gone with it), from the container table.
    """
    with read_session(engine) as s:
        q = (select(VesselVisit, Vessel, Berth.name)
             .join(Vessel, Vessel.id == VesselVisit.vessel_id)
             .outerjoin(Berth, Berth.id == VesselVisit.berth_id))
        if ids is not None:
            wanted = list(ids)
            if not wanted:
                return []
            q = q.where(VesselVisit.id.in_(wanted))
        elif not include_finished:
            q = q.where(VesselVisit.phase.not_in([p.value for p in FINISHED]))
        q = q.order_by(VesselVisit.etb.is_(None), VesselVisit.etb, VesselVisit.key)
        rows = s.execute(q).all()
        visit_ids = [v.id for v, _, _ in rows]
        done = _moves_done(s, visit_ids) if visit_ids else {}
        return [VisitRow(v.id, v.key, vessel.name, vessel.imo, v.line_operator, _voyage(v),
                         v.eta, v.etb, v.etd, v.ata, v.atb, v.atd, berth or "", v.berth_id,
                         Phase(v.phase), v.moves_discharge + v.moves_load, done.get(v.id, 0),
                         vessel.loa_m, v.arrival_draft_m or vessel.max_draft_m)
                for v, vessel, berth in rows]


def _moves_done(s, visit_ids: list[int]) -> dict[int, int]:
    landed = (select(Container.in_visit_id, func.count())
              .where(Container.in_visit_id.in_(visit_ids),
                     Container.location.in_([Where.YARD.value, Where.TRUCK.value,
                                             Where.GONE.value]))
              .group_by(Container.in_visit_id))
    loaded = (select(Container.out_visit_id, func.count())
              .where(Container.out_visit_id.in_(visit_ids),
                     or_(and_(Container.location == Where.VESSEL.value,
                              Container.visit_id == Container.out_visit_id),
                         Container.location == Where.GONE.value))
              .group_by(Container.out_visit_id))
    done: dict[int, int] = {}
    for q in (landed, loaded):
        for visit_id, n in s.execute(q):
            done[visit_id] = done.get(visit_id, 0) + n
    return done


def visit(engine: Engine, visit_id: int) -> VisitRow | None:
    """One visit's row, or None when it does not exist."""
    found = visits(engine, ids=[visit_id])
    return found[0] if found else None


@dataclass(frozen=True)
class BerthRow:
    id: int
    name: str
    length_m: float
    depth_m: float


def berths(engine: Engine) -> list[BerthRow]:
    """The berths along the quay, in quay order (for the berth picker)."""
    with read_session(engine) as s:
        rows = s.execute(select(Berth).order_by(Berth.quay_start_m)).scalars()
        return [BerthRow(b.id, b.name, b.length_m, b.depth_m) for b in rows]
