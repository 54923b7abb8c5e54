"""A departure bay plan read back: the vessel as it leaves this terminal.

``portops export bay-plan`` writes what is on board a visit as a BAPLIE from this port
(``LOC+5`` = here). Imported again (by the terminal after a re-stow, or by a partner system
sending it back) it is neither an arrival plan (nothing to discharge from it) nor the line's
stowage instructions (every box it names loaded here is already on board): it is checked
against what is on board and recorded, and it changes no box.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import col

from portops.formats.edifact.records import BayPlan
from portops.i18n import N_, Message
from portops.model import Container, EdiImport, OnBoard, VesselVisit, Where
from portops.ops.cargo_visits import CargoImport
from portops.ops.core import Tx

#: How many differing boxes the result names one by one.
NAMED = 10


def on_board_slots(tx: Tx, visit: VesselVisit
                   ) -> dict[str, tuple[int | None, int | None, int | None]]:
    """Every box on board the visit now (handled here or remaining on board), by number:
    its bay, row and tier (the container's columns are optional: set while on the vessel)."""
    out = {r.number: (r.vessel_bay, r.vessel_row, r.vessel_tier) for r in tx.session.execute(
        select(col(Container.number), col(Container.vessel_bay), col(Container.vessel_row),
               col(Container.vessel_tier))
        .where(col(Container.visit_id) == visit.id,
               col(Container.location) == Where.VESSEL.value))}
    out.update({r.number: (r.bay, r.row, r.tier) for r in tx.session.execute(
        select(col(OnBoard.number), col(OnBoard.bay), col(OnBoard.row), col(OnBoard.tier))
        .where(col(OnBoard.visit_id) == visit.id))})
    return out


def is_departure_plan(tx: Tx, plan: BayPlan, visit: VesselVisit) -> bool:
    """Every box the plan names is on board the visit already."""
    aboard = on_board_slots(tx, visit)
    return bool(plan.boxes) and all(b.number in aboard for b in plan.boxes)


def read_back(tx: Tx, plan: BayPlan, source: str, visit: VesselVisit):
    """Record a departure plan of ``visit`` and say how it compares with what is on board."""
    aboard = on_board_slots(tx, visit)
    moved = [b for b in plan.boxes if b.slot and aboard.get(b.number) !=
             (b.slot.bay, b.slot.row, b.slot.tier)]
    listed = {b.number for b in plan.boxes}
    missing = sorted(n for n in aboard if n not in listed)
    counts = {N_("boxes"): len(plan.boxes), N_("as on board"): len(plan.boxes) - len(moved),
              N_("in another slot"): len(moved), N_("on board, missing from the plan"): len(missing)}
    record = EdiImport(at=tx.now(), user=tx.actor.name, format="baplie-departure",
                       source=source[-256:], message_ref=plan.header.message_ref[:35],
                       sender=plan.header.sender[:35], visit_id=visit.id, counts=counts,
                       extra={"header": plan.header.extra, "boxes": {}})
    tx.session.add(record)
    tx.session.flush()
    tx.record(visit=visit.key, import_id=record.id, counts=counts, departure=True)
    notes = []
    if moved:
        notes.append(Message(N_("in another slot than on board: {boxes}"),
                             boxes=", ".join(f"{b.number} {b.slot}" for b in moved[:NAMED])))
    if missing:
        notes.append(Message(N_("on board but not in the plan: {boxes}"),
                             boxes=", ".join(missing[:NAMED])))
    return CargoImport(N_("departure bay plan"), visit.key, counts, notes)
