"""The vessel schedule as the dispatcher reads it: one row per visit, keyed by visit id."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.engine import Engine
from sqlmodel import col

from portops.db import read_session
from portops.model import Berth, Container, Phase, Vessel, VesselVisit, Where
from portops.model.base import pk

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


_COLUMNS = tuple(col(c) for c in (VesselVisit.id, VesselVisit.key, Vessel.name, Vessel.imo, VesselVisit.line_operator,
            VesselVisit.voyage_in, VesselVisit.voyage_out, VesselVisit.eta, VesselVisit.etb,
            VesselVisit.etd, VesselVisit.ata, VesselVisit.atb, VesselVisit.atd, Berth.name,
            VesselVisit.berth_id, VesselVisit.phase, VesselVisit.moves_discharge,
            VesselVisit.moves_load, Vessel.loa_m, VesselVisit.arrival_draft_m,
            Vessel.max_draft_m))
#: Phases in which no box can have moved yet (moves done is 0 without counting).
_NOT_STARTED = (Phase.PLANNED.value, Phase.CANCELLED.value)


def _voyage(voyage_in: str, voyage_out: str) -> str:
    if voyage_in and voyage_out and voyage_in != voyage_out:
        return f"{voyage_in}/{voyage_out}"
    return voyage_in or voyage_out


def visits(engine: Engine, *, include_finished: bool = False,
           ids: Iterable[int] | None = None,
           departed_since: datetime | None = None) -> list[VisitRow]:
    """Visits by ETB (then key); ``ids`` limits it to those visits (a refresh by key).

    Unless ``include_finished``, closed and cancelled visits are left out, and so are those
    that departed before ``departed_since`` (when given).

    Moves done count boxes discharged from the visit (now in the yard, on a truck or gone) and
    boxes loaded onto it (on board it, or gone with it), from the container table's
    ``(in_visit_id, location)`` and ``(out_visit_id, location, visit_id)`` indexes.
    """
    with read_session(engine) as s:
        q = (select(*_COLUMNS).join(Vessel, col(Vessel.id) == col(VesselVisit.vessel_id))
             .outerjoin(Berth, col(Berth.id) == col(VesselVisit.berth_id)))
        if ids is not None:
            wanted = list(ids)
            if not wanted:
                return []
            q = q.where(col(VesselVisit.id).in_(wanted))
        elif not include_finished:
            q = q.where(col(VesselVisit.phase).not_in([p.value for p in FINISHED]))
            if departed_since is not None:
                atd = col(VesselVisit.atd)
                q = q.where(or_(col(VesselVisit.phase) != Phase.DEPARTED.value,
                                atd.is_(None), atd >= departed_since))
        etb = col(VesselVisit.etb)
        q = q.order_by(etb.is_(None), etb, col(VesselVisit.key))
        rows = s.execute(q).all()
        started = [r[0] for r in rows if r[15] not in _NOT_STARTED]
        done = _moves_done(s, started) if started else {}
        return [VisitRow(r[0], r[1], r[2], r[3], r[4], _voyage(r[5], r[6]), r[7], r[8], r[9],
                         r[10], r[11], r[12], r[13] or "", r[14], Phase(r[15]), r[16] + r[17],
                         done.get(r[0], 0), r[18], r[19] or r[20])
                for r in rows]


def _moves_done(s, visit_ids: list[int]) -> dict[int, int]:
    in_visit, out_visit, location = (col(Container.in_visit_id), col(Container.out_visit_id),
                                     col(Container.location))
    landed = (select(in_visit, func.count())
              .where(in_visit.in_(visit_ids),
                     location.in_([Where.YARD.value, Where.TRUCK.value, Where.GONE.value]))
              .group_by(in_visit))
    loaded = (select(out_visit, func.count())
              .where(out_visit.in_(visit_ids),
                     location.in_([Where.VESSEL.value, Where.GONE.value]),
                     or_(location == Where.GONE.value, col(Container.visit_id) == out_visit))
              .group_by(out_visit))
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
        rows = s.execute(select(Berth).order_by(col(Berth.quay_start_m))).scalars()
        return [BerthRow(pk(b), b.name, b.length_m, b.depth_m) for b in rows]
