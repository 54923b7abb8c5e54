"""The line's stowage instructions for loading: a COPRAR load list or a planned BAPLIE.

Before a vessel loads, its line (or the line's central planner) sends the boxes to load here
with the slot each should go to: a COPRAR load list (``BGM`` 45/121, ``LOC+147`` per box
where the line gives one, SMDG COPRAR MIG) or a planned, pre-load bay plan (a BAPLIE whose
port of departure ``LOC+5`` is this terminal, or whose boxes are loaded here, ``LOC+9``).
:func:`import_load_list` stores them per visit (:class:`StowInstruction`); the load plan
(``load.plan``) follows them and plans the other boxes itself.

Every box must be an export box in the yard for this visit, every slot a real one of the
vessel that fits the box and is not taken by a box remaining on board or given twice; each
problem is refused with the segment the box starts at, and nothing is written. A newer list
replaces the older one until loading starts.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, insert, select
from sqlmodel import col

from portops.formats import registry
from portops.formats.edifact import files
from portops.formats.edifact.movins import read_movins
from portops.formats.edifact.records import BayPlan, ContainerList, StowedBox
from portops.i18n import N_, Message
from portops.model import (
    Container,
    LoadItem,
    LoadState,
    OnBoard,
    Phase,
    Role,
    StowInstruction,
    Vessel,
    VesselVisit,
    Where,
)
from portops.model.base import table
from portops.ops.cargo_visits import LISTED, CargoImport, chunks, find_visit, terminal_locode
from portops.ops.core import Term, Tx, Unmet, operation
from portops.ops.yard import box_length
from portops.planning.stowage import VesselShape

_OPEN = (Phase.PLANNED, Phase.ARRIVED, Phase.BERTHED, Phase.WORKING)


def is_planned_bayplan(plan: BayPlan, here: str) -> bool:
    """A bay plan made for loading here (departure port = this terminal, or boxes loaded
    here), as opposed to the arrival bay plan of what the vessel brings."""
    if plan.header.port:
        return plan.header.port == here
    return any(b.pol == here for b in plan.boxes)


def _where(source: str, box: StowedBox) -> str:
    return f"{source or 'message'}: segment {box.segment}"


def _judge(tx: Tx, visit: VesselVisit, boxes: list[StowedBox], source: str
           ) -> tuple[list[Unmet], dict[str, Container]]:
    """Every problem of every box, in message order (each names its segment), and the boxes
    the list names that the terminal knows, by number."""
    vessel = tx.session.get(Vessel, visit.vessel_id)
    assert vessel is not None  # vessel_visit.vessel_id is a foreign key to vessel
    shape = VesselShape.of(vessel.loa_m, vessel.beam_m)
    rows = {c.number: c for part in chunks([b.number for b in boxes])
            for c in tx.session.execute(select(Container).where(
                col(Container.number).in_(part),
                col(Container.location) != Where.GONE.value)).scalars()}
    # a box on the vessel has its slot; the container's columns are optional for the others
    taken: dict[tuple[int | None, int | None, int | None], str] = {
        (r.bay, r.row, r.tier): r.number for r in tx.session.execute(
            select(col(OnBoard.number), col(OnBoard.bay), col(OnBoard.row), col(OnBoard.tier))
            .where(col(OnBoard.visit_id) == visit.id))}
    taken.update({(r.vessel_bay, r.vessel_row, r.vessel_tier): r.number
                  for r in tx.session.execute(
                      select(col(Container.number), col(Container.vessel_bay),
                             col(Container.vessel_row), col(Container.vessel_tier))
                      .where(col(Container.visit_id) == visit.id,
                             col(Container.location) == Where.VESSEL.value))})
    given: dict[tuple[int, int, int], str] = {}
    out: list[Unmet] = []
    for b in boxes:
        where = _where(source, b)
        c = rows.get(b.number)
        if c is None:
            out.append(Unmet.of(
                "stowage.box.unknown", N_("container {number} is not known at the terminal"),
                N_("take it off the load list, or receive the box first"), where,
                number=b.number))
            continue
        if c.out_visit_id != visit.id or c.location != Where.YARD:
            out.append(Unmet.of(
                "stowage.box.not_here",
                N_("container {number} is not in the yard waiting for {visit} ({location})"),
                N_("take it off the load list, or receive it for this visit first"), where,
                number=b.number, visit=visit.key, location=Term(c.location)))
        if b.pod and c.pod and b.pod != c.pod:
            out.append(Unmet.of(
                "stowage.box.pod",
                N_("container {number} is for {pod} on the list but booked for {booked}"),
                N_("correct the list or the booking"), where,
                number=b.number, pod=b.pod, booked=c.pod))
        if b.slot is None:
            continue
        slot = (b.slot.bay, b.slot.row, b.slot.tier)
        length = box_length(b.size_type or c.size_type)
        if not shape.holds(*slot, length):
            out.append(Unmet.of(
                "stowage.slot.bad",
                N_("slot {slot} is no place for {number} ({length}') on {visit}'s vessel"),
                N_("give a slot of the vessel's bays, rows and tiers (40' in even bays, "
                   "20' in odd)"), where,
                slot=b.slot.code, number=b.number, length=length, visit=visit.key))
        elif slot in taken:
            out.append(Unmet.of(
                "stowage.slot.taken",
                N_("slot {slot} for {number} is taken by {other}, on board"),
                N_("give another slot"), where,
                slot=b.slot.code, number=b.number, other=taken[slot]))
        elif slot in given:
            out.append(Unmet.of(
                "stowage.slot.twice", N_("slot {slot} is given to {other} and to {number}"),
                N_("give each box its own slot"), where,
                slot=b.slot.code, number=b.number, other=given[slot]))
        given.setdefault(slot, b.number)
    return out, rows


@operation("load.import_instructions", Role.YARD_PLANNER, Role.DISPATCHER,
           log_args=("source", "visit_key"))
def import_load_list(tx: Tx, orders: ContainerList | BayPlan, source: str = "",
                     visit_key: str | None = None, force: bool = False) -> CargoImport:
    """Import the line's stowage instructions (COPRAR load list or planned BAPLIE)."""
    here = terminal_locode(tx)
    fmt = "baplie" if isinstance(orders, BayPlan) else \
        "movins" if orders.header.message_type == "MOVINS" else "coprar"
    what = {"baplie": "planned bay plan", "movins": "stowage instructions"}.get(fmt, "load list")
    visit = find_visit(tx, orders.header, visit_key, what, force)
    tx.about("visit", visit.id, visit.key)
    boxes = [b for b in orders.boxes if fmt != "baplie" or b.pol == here]
    tx.rule(visit.phase in _OPEN, "stowage.visit.phase",
            N_("visit {visit} is {phase}; its load plan can no longer change"),
            N_("import the list for a visit still to load"), visit=visit.key, phase=Term(visit.phase))
    started = tx.session.execute(select(func.count()).select_from(LoadItem).where(
        col(LoadItem.visit_id) == visit.id,
        col(LoadItem.state) != LoadState.PLANNED.value)).scalar_one()
    tx.rule(started == 0, "stowage.loading_started",
            N_("loading of {visit} has started ({count} box(es) loaded or rolled)"),
            N_("move single boxes on the load plan instead"), visit=visit.key, count=started)
    tx.rule(boxes, "stowage.nothing", N_("the message lists no box to load at {here}"),
            N_("check that it is the list for this terminal"), here=here)
    problems, known = _judge(tx, visit, boxes, source) if boxes else ([], {})
    tx.add(*problems[:LISTED])
    tx.rule(len(problems) <= LISTED, "stowage.more", N_("... and {count} more like these"),
            N_("correct the list"), count=len(problems) - LISTED)
    tx.ensure()

    ids = {number: c.id for number, c in known.items()}  # each in the yard for this visit
    # a DML statement's result is a CursorResult (Session.execute is typed as any Result)
    replaced = cast("CursorResult[Any]", tx.session.execute(delete(StowInstruction).where(
        col(StowInstruction.visit_id) == visit.id))).rowcount
    now = tx.now()
    rows: list[dict[str, Any]] = [{
        "visit_id": visit.id, "container_id": ids[b.number], "number": b.number,
        "bay": b.slot.bay if b.slot else None, "row": b.slot.row if b.slot else None,
        "tier": b.slot.tier if b.slot else None, "pod": b.pod, "weight_kg": b.vgm_kg or
        b.gross_kg, "format": fmt, "source": source[-256:], "segment": b.segment,
        "imported_at": now, "imported_by": tx.actor.name} for b in boxes]
    tx.session.execute(insert(table(StowInstruction)), rows)
    counts = {N_("boxes"): len(rows),
              N_("with slot"): sum(1 for r in rows if r["bay"] is not None),
              N_("replaced"): replaced or 0}
    if fmt == "baplie":
        counts[N_("not loaded here")] = len(orders.boxes) - len(boxes)
    tx.record(visit=visit.key, format=fmt, counts=counts)
    title = {"baplie": N_("stowage instructions (planned bay plan)"),
             "movins": N_("stowage instructions (MOVINS)")}.get(
                 fmt, N_("stowage instructions (load list)"))
    return CargoImport(title, visit.key, counts,
                       [Message(N_("re-plan the loading (load plan) to follow them"))])


def instructions(session, visit_id: int) -> dict[str, tuple[int, int, int]]:
    """The slots the line gave for the visit's boxes, by container number (an instruction
    has all three of bay, row and tier, or none)."""
    return {r.number: (r.bay, r.row, r.tier) for r in session.execute(
        select(col(StowInstruction.number), col(StowInstruction.bay), col(StowInstruction.row),
               col(StowInstruction.tier))
        .where(col(StowInstruction.visit_id) == visit_id, col(StowInstruction.bay).is_not(None)))
        if r.bay is not None and r.row is not None and r.tier is not None}


registry.register("movins", sniff=files.sniffer("MOVINS"),
                  parse=files.parser(read_movins, "orders"), operation=import_load_list,
                  summary=N_("stowage instructions from the line's planner (MOVINS)"))
