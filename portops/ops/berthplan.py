"""Berth planning: put a visit at a berth and quay position, move it, and edit its times.

Each operation states every reason it cannot go ahead at once — overlap with another live visit
(quay metres and time, with the terminal's clearance between vessels), LOA longer than the
berth or running off its end, arrival draft deeper than the depth alongside less the
under-keel clearance, a visit past the phase where planning may change it — using the same
pure rules (:mod:`portops.planning.berths`) the berth chart draws before anyone tries.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from portops.clock import as_utc, show
from portops.i18n import N_
from portops.model import ALONGSIDE, LIVE, Berth, Phase, Role, Terminal, Vessel, VesselVisit
from portops.model.base import pk
from portops.ops.core import Choices, Term, Tx, operation
from portops.planning.berths import (
    BerthSpec,
    Conflict,
    Placement,
    conflicts,
    overlap_conflicts,
    time_conflicts,
)

#: Far future: a vessel alongside with no ETD keeps its quay until it departs.
OPEN_END = datetime.fromisoformat("9999-01-01T00:00:00+00:00")

#: Phases in which the berth and quay position may still be planned or changed.
PLANNABLE = (Phase.PLANNED, Phase.ARRIVED)


def terminal_settings(session: Session) -> Terminal:
    """The terminal row, or its defaults when the layout has not been imported yet."""
    return session.exec(select(Terminal)).first() or Terminal(code="", name="", locode="")


def berth_spec(b: Berth) -> BerthSpec:
    return BerthSpec(pk(b), b.name, b.quay_start_m, b.quay_end_m, b.depth_m)


def placement(visit: VesselVisit, vessel: Vessel, now: datetime, **change) -> Placement:
    """Where and when ``visit`` lies (with ``change`` applied): actual times win over estimates.

    A vessel alongside holds its quay until it actually departs: past its ETD (or with none)
    it holds it with no known end, until the dispatcher sets a new ETD.
    """
    v = {"berth_id": visit.berth_id, "quay_from_m": visit.quay_from_m, "etb": visit.etb,
         "etd": visit.etd, **change}
    start = visit.atb or v["etb"] or visit.eta
    end = visit.atd or v["etd"]
    if visit.phase in ALONGSIDE:
        end = end if end and end > now else OPEN_END
    draft = visit.arrival_draft_m if visit.arrival_draft_m is not None else vessel.max_draft_m
    return Placement(pk(visit), visit.key, vessel.loa_m, draft, v["berth_id"], v["quay_from_m"],
                     start, end, str(visit.phase))


def live_placements(session: Session, now: datetime, *, exclude: int | None = None,
                    start: datetime | None = None, end: datetime | None = None
                    ) -> list[Placement]:
    """Every live visit with a berth (optionally only those touching ``start``..``end``)."""
    q = (select(VesselVisit, Vessel).join(Vessel, col(Vessel.id) == VesselVisit.vessel_id)
         .where(col(VesselVisit.phase).in_(LIVE), col(VesselVisit.berth_id).is_not(None)))
    if exclude is not None:
        q = q.where(VesselVisit.id != exclude)
    out = [placement(v, ves, now) for v, ves in session.exec(q)]
    if start is not None and end is not None:
        out = [p for p in out if p.quay_from_m is not None and p.start is not None  # placed
               and p.end is not None and p.start < end and p.end > start]
    return out


def _state(tx: Tx, conflicts_found: list[Conflict]) -> None:
    for c in conflicts_found:
        tx.add(c.unmet)


def _load(tx: Tx, visit_id: int) -> tuple[VesselVisit, Vessel]:
    visit = tx.get(VesselVisit, visit_id, what="visit", for_update=True)
    tx.about("visit", visit.id, visit.key)
    return visit, tx.get(Vessel, visit.vessel_id)


def _phase_rule(tx: Tx, visit: VesselVisit, allowed: tuple[Phase, ...], what: str) -> None:
    tx.rule(visit.phase in allowed, "berthplan.phase",
            N_("visit {visit} is {phase}; its {what} can no longer change"),
            N_("the {what} may change only while the visit is {allowed}"), visit=visit.key,
            phase=Term(Phase(visit.phase).value), what=what,
            allowed=Choices(p.value for p in allowed))


@operation("berthplan.assign", Role.DISPATCHER)
def assign(tx: Tx, visit_id: int, berth_id: int, quay_from_m: float | None = None,
           etb: datetime | None = None, etd: datetime | None = None) -> None:
    """Assign or move a visit to a berth and quay position."""
    visit, vessel = _load(tx, visit_id)
    berth = tx.get(Berth, berth_id, what="berth")
    _phase_rule(tx, visit, PLANNABLE, "berth")
    if quay_from_m is None:
        kept = visit.quay_from_m if visit.berth_id == berth.id else None
        quay_from_m = kept if kept is not None else berth.quay_start_m
    change: dict[str, Any] = {"berth_id": berth.id, "quay_from_m": float(quay_from_m)}
    if etb is not None:
        change["etb"] = as_utc(etb)
    if etd is not None:
        change["etd"] = as_utc(etd)
    term = terminal_settings(tx.session)
    p = placement(visit, vessel, tx.now(), **change)
    others = live_placements(tx.session, tx.now(), exclude=visit.id)
    _state(tx, conflicts(p, berth_spec(berth), others, clearance_m=term.vessel_clearance_m,
                         ukc_m=term.ukc_m, tz=term.timezone, now=tx.now()))
    tx.ensure()
    before = {"berth_id": visit.berth_id, "quay_from_m": visit.quay_from_m}
    for k, v in change.items():
        setattr(visit, k, v)
    tx.record(berth=berth.name, before=before, moved=visit.berth_id != before["berth_id"]
              or visit.quay_from_m != before["quay_from_m"])


@operation("berthplan.unassign", Role.DISPATCHER)
def unassign(tx: Tx, visit_id: int) -> None:
    """Take a visit off its berth in the plan."""
    visit, _ = _load(tx, visit_id)
    _phase_rule(tx, visit, PLANNABLE, "berth")
    tx.rule(visit.berth_id is not None, "berthplan.unassigned", N_("visit {visit} has no berth"),
            N_("nothing to take off"), visit=visit.key)
    tx.ensure()
    tx.record(before={"berth_id": visit.berth_id, "quay_from_m": visit.quay_from_m})
    visit.berth_id = visit.quay_from_m = None


#: Which estimate may still change in which phase: an estimate stops once the fact is known.
_EDITABLE = {
    "eta": (Phase.PLANNED,),
    "etb": PLANNABLE,
    "etd": (Phase.PLANNED, Phase.ARRIVED, *ALONGSIDE),
}


@operation("berthplan.set_times", Role.DISPATCHER)
def set_times(tx: Tx, visit_id: int, eta: datetime | None = None, etb: datetime | None = None,
              etd: datetime | None = None) -> None:
    """Change a visit's estimated times of arrival, berthing and departure."""
    visit, vessel = _load(tx, visit_id)
    given = {k: as_utc(v) for k, v in {"eta": eta, "etb": etb, "etd": etd}.items()
             if v is not None}
    tx.rule(given, "berthplan.times.none", N_("no time was given"), N_("give ETA, ETB or ETD"))
    for name in given:
        _phase_rule(tx, visit, _EDITABLE[name], name.upper())
    new = {k: given.get(k, getattr(visit, k)) for k in ("eta", "etb", "etd")}
    term = terminal_settings(tx.session)
    if visit.ata is not None:  # arrived: the fact, not the frozen estimate, bounds the ETB
        if "etb" in given:
            tx.rule(visit.ata <= new["etb"], "berth.times.arrived_after_etb",
                    N_("{visit}: it arrived at {ata}, after the ETB {etb}"),
                    N_("set an ETB after the vessel's arrival"), visit=visit.key,
                    ata=show(visit.ata, term.timezone), etb=show(new["etb"], term.timezone))
    elif new["eta"] and new["etb"]:  # named as typed: in the terminal's zone
        tx.rule(new["eta"] <= new["etb"], "berth.times.eta_after_etb",
                N_("{visit}: ETA {eta} is after ETB {etb}"),
                N_("berthing cannot come before arrival"), visit=visit.key,
                eta=show(new["eta"], term.timezone), etb=show(new["etb"], term.timezone))
    p = placement(visit, vessel, tx.now(), etb=new["etb"], etd=new["etd"])
    found = time_conflicts(p, term.timezone)
    if visit.berth_id is not None:
        others = live_placements(tx.session, tx.now(), exclude=visit.id)
        found += overlap_conflicts(p, others, clearance_m=term.vessel_clearance_m,
                                   tz=term.timezone, now=tx.now())
    _state(tx, found)
    tx.ensure()
    tx.record(before={k: getattr(visit, k) for k in given})
    for k, v in given.items():
        setattr(visit, k, v)

