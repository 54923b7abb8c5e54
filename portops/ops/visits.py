"""Vessel visit lifecycle: one operation per allowed phase transition."""

from __future__ import annotations

from datetime import datetime

from portops.clock import as_utc
from portops.i18n import N_
from portops.model import TRANSITIONS, Phase, Role, VesselVisit
from portops.ops.core import Choices, Term, Tx, operation
from portops.textcheck import typed


def _advance(tx: Tx, visit_id: int, to: Phase) -> VesselVisit:
    """Load the visit for update and state the transition rule."""
    visit = tx.get(VesselVisit, visit_id, what="visit", for_update=True)
    tx.about("visit", visit.id, visit.key)
    current = Phase(visit.phase)
    allowed = TRANSITIONS[current]
    tx.rule(to in allowed, f"visit.phase.{current.value}_to_{to.value}",
            N_("visit {visit} is {phase} and cannot become {to}"),
            N_("it can become {allowed}") if allowed else N_("no further change is possible"),
            visit=visit.key, phase=Term(current.value), to=Term(to.value),
            allowed=Choices(p.value for p in allowed))
    tx.record(phase_from=current, phase_to=to)
    return visit


def _when(tx: Tx, at: datetime | None) -> datetime:
    return as_utc(at) if at is not None else tx.now()


@operation("visit.arrive", Role.DISPATCHER)
def arrive(tx: Tx, visit_id: int, at: datetime | None = None) -> None:
    """Record that the vessel has arrived at the port (ATA)."""
    visit = _advance(tx, visit_id, Phase.ARRIVED)
    tx.ensure()
    visit.ata = _when(tx, at)
    visit.phase = Phase.ARRIVED
    tx.dcsa = "ARRI-ACT-PBPL"


@operation("visit.berth", Role.DISPATCHER)
def berth(tx: Tx, visit_id: int, at: datetime | None = None) -> None:
    """Confirm the vessel berthed (ATB)."""
    visit = _advance(tx, visit_id, Phase.BERTHED)
    tx.rule(visit.berth_id is not None, "visit.berth.unassigned", N_("visit {visit} has no berth"),
            N_("assign a berth in the berth plan"), visit=visit.key)
    tx.ensure()
    visit.atb = _when(tx, at)
    visit.phase = Phase.BERTHED
    tx.dcsa = "ARRI-ACT-BRTH"


@operation("visit.start_work", Role.DISPATCHER)
def start_work(tx: Tx, visit_id: int) -> None:
    """Start cargo work on a berthed vessel."""
    visit = _advance(tx, visit_id, Phase.WORKING)
    tx.ensure()
    visit.phase = Phase.WORKING
    tx.dcsa = "STRT-ACT-CARGO"


@operation("visit.complete_work", Role.DISPATCHER)
def complete_work(tx: Tx, visit_id: int) -> None:
    """Record that cargo work on the vessel is complete."""
    visit = _advance(tx, visit_id, Phase.COMPLETED)
    tx.ensure()
    visit.phase = Phase.COMPLETED
    tx.dcsa = "CMPL-ACT-CARGO"


@operation("visit.depart", Role.DISPATCHER, Role.LINE_HANDLER)
def depart(tx: Tx, visit_id: int, at: datetime | None = None) -> None:
    """Record that the vessel has left the berth (ATD)."""
    visit = _advance(tx, visit_id, Phase.DEPARTED)
    tx.ensure()
    visit.atd = _when(tx, at)
    visit.phase = Phase.DEPARTED
    tx.dcsa = "DEPA-ACT-BRTH"


@operation("visit.close", Role.DISPATCHER)
def close(tx: Tx, visit_id: int) -> None:
    """Close a departed visit: nothing more may change on it."""
    visit = _advance(tx, visit_id, Phase.CLOSED)
    tx.ensure()
    visit.phase = Phase.CLOSED


@operation("visit.cancel", Role.DISPATCHER)
def cancel(tx: Tx, visit_id: int, reason: str = "") -> None:
    """Cancel a visit that has not arrived."""
    visit = _advance(tx, visit_id, Phase.CANCELLED)
    typed(tx, "visit.cancel", reason=reason)
    tx.rule(reason.strip(), "visit.cancel.reason", N_("a cancellation needs a reason"),
            N_("write why the call is cancelled"))
    tx.ensure()
    visit.phase = Phase.CANCELLED
