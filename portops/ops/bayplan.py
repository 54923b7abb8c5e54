"""Putting a line's bay plan (BAPLIE) and discharge list (COPRAR) on a vessel visit.

A bay plan lists every box on board. Those whose port of discharge (``LOC+11``) is this
terminal's LOCODE are the discharge list: each becomes a :class:`Container` of category
*import* (*tranship* when the line marks it so, ``EQD`` status 6) standing on the vessel at
its slot. The others remain on board: each becomes an :class:`OnBoard` row, so that the bay
view shows the whole vessel, the load planner knows which slots are taken and the departure
BAPLIE lists every box.

Importing a newer bay plan for the same visit replaces the older one (boxes are updated by
container number, boxes no longer listed are removed), as long as no box of the visit has
been discharged yet. A COPRAR discharge list confirms and completes the same boxes: a box it
orders discharged that the bay plan had as remain-on-board becomes an import box.

Each import is ONE operation with ONE event carrying counts; rows go in with
``session.execute(insert(table), rows)`` on the Core table (one ``executemany``; the ORM's
bulk insert splits rows by which columns are ``None`` and runs thousands of statements).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlmodel import col

from portops.formats import registry
from portops.formats.edifact import fields, files
from portops.formats.edifact.baplie import read_baplie
from portops.formats.edifact.coprar import read_coprar
from portops.formats.edifact.records import BayPlan, ContainerList, Header, Slot, StowedBox
from portops.formats.edifact.syntax import serialize_segment
from portops.i18n import N_, Message
from portops.model import (
    Category,
    Container,
    EdiImport,
    Flag,
    OnBoard,
    Role,
    VesselVisit,
    Where,
)
from portops.model.base import pk, table
from portops.ops import departure_plan
from portops.ops.cargo_visits import (  # noqa: F401  (LISTED, CargoImport: re-exported)
    _CHUNK,
    LISTED,
    CargoImport,
    _open_for_cargo,
    chunks,
    find_visit,
    terminal_locode,
    visit_by_key,
)
from portops.ops.core import Term, Tx, Unmet, operation
from portops.ops.load_lists import import_load_list, is_planned_bayplan
from portops.ops.through import through

# -- reading what is there ---------------------------------------------------------------------

def active_containers(tx: Tx, numbers: Sequence[str]) -> dict[str, Any]:
    """Active (not gone) container rows by number, for ``numbers``."""
    found: dict[str, Any] = {}
    for part in chunks(list(numbers)):
        for row in tx.session.execute(
                select(col(Container.id), col(Container.number), col(Container.location),
                       col(Container.in_visit_id), col(Container.visit_id))
                .where(col(Container.number).in_(part),
                       col(Container.location) != Where.GONE.value)):
            found[row.number] = row
    return found


def slot_clashes(tx: Tx, visit_id: int, boxes: Iterable[StowedBox], mine: set[str],
                 source: str, rule: str, remedy: str) -> list[Unmet]:
    """Boxes placed on a slot another box of the visit already occupies (one not being
    replaced by this import: a loaded export box, say)."""
    taken = {(r.vessel_bay, r.vessel_row, r.vessel_tier): r.number for r in tx.session.execute(
        select(col(Container.number), col(Container.vessel_bay), col(Container.vessel_row),
               col(Container.vessel_tier))
        .where(col(Container.visit_id) == visit_id,
               col(Container.location) == Where.VESSEL.value))
        if r.number not in mine}
    return [Unmet.of(rule, N_("{at}: slot {slot} of {number} is taken by {other}"), remedy,
                     at=_at(b, source), slot=str(b.slot), number=b.number,
                     other=taken[(b.slot.bay, b.slot.row, b.slot.tier)])
            for b in boxes if b.slot and (b.slot.bay, b.slot.row, b.slot.tier) in taken]


def listed_rules(tx: Tx, problems: list[Unmet]) -> None:
    """State the first ``LISTED`` problems by name and the rest as a count."""
    tx.add(*problems[:LISTED])
    if len(problems) > LISTED:
        tx.add(Unmet.of(problems[LISTED].rule, N_("... and {more} more like these"),
                        N_("correct them like the ones above"), more=len(problems) - LISTED))


def _at(box: StowedBox, source: str) -> str:
    return f"{source}: segment {box.segment}" if box.segment else source


# -- rows ------------------------------------------------------------------------------------

def container_row(box: StowedBox, visit_id: int, category: Category) -> dict[str, Any]:
    slot = box.slot
    return {
        "number": box.number, "size_type": box.size_type, "operator": box.operator[:16],
        "full": box.full, "category": category.value, "gross_kg": box.gross_kg,
        "vgm_kg": box.vgm_kg, "seals": ",".join(box.seals)[:128],
        "reefer_temp_c": box.reefer_temp_c, "imdg_class": box.imdg_class,
        "un_number": box.un_number, "pol": box.pol, "pod": box.pod,
        "bl_number": box.bl_number or None, "booking_ref": box.booking_ref or None,
        "in_visit_id": visit_id, "location": Where.VESSEL.value if slot else Where.ADVISED.value,
        "visit_id": visit_id if slot else None,
        "vessel_bay": slot.bay if slot else None, "vessel_row": slot.row if slot else None,
        "vessel_tier": slot.tier if slot else None,
        "doubt": ", ".join(box.doubts)[:64],
    }


def kept_segments(box: StowedBox) -> list[str]:
    """What a box's row has no column for, as EDIFACT segment text (written back on export):
    remarks, dangerous goods beyond the first, and the segments the reader did not read."""
    final = [("LOC", "83", [box.final_destination, "139", "6"])] if box.final_destination \
        else []
    return ([serialize_segment(s) for s in fields.remarks(box) + final]
            + [serialize_segment(fields.dgs(d)) for d in box.dangerous[1:]] + list(box.extra))


def _on_board_row(box: StowedBox, visit_id: int, import_id: int) -> dict[str, Any]:
    # an ROB row has no column for the final destination or the B/L and booking: kept as sent
    extra = kept_segments(box) + [serialize_segment(s) for s in fields.reference_segments(box)]
    slot = box.slot
    assert slot is not None  # a bay plan's box is the group of its slot (LOC+147)
    return {"visit_id": visit_id, "import_id": import_id, "number": box.number,
            "size_type": box.size_type, "operator": box.operator[:16], "full": box.full,
            "gross_kg": box.gross_kg, "vgm_kg": box.vgm_kg, "reefer_temp_c": box.reefer_temp_c,
            "imdg_class": box.imdg_class, "un_number": box.un_number, "pol": box.pol,
            "pod": box.pod, "bay": slot.bay, "row": slot.row, "tier": slot.tier,
            "extra": extra}


def _record_import(tx: Tx, fmt: str, header: Header, source: str, visit: VesselVisit,
                   boxes: Iterable[StowedBox]) -> EdiImport:
    kept = {b.number: kept_segments(b) for b in boxes
            if b.extra or b.remarks or len(b.dangerous) > 1 or b.final_destination}
    row = EdiImport(at=tx.now(), user=tx.actor.name, format=fmt, source=source[-256:],
                    message_ref=header.message_ref[:35], sender=header.sender[:35],
                    visit_id=visit.id, counts={}, extra={"header": header.extra, "boxes": kept})
    tx.session.add(row)
    tx.session.flush()
    return row


def _category(box: StowedBox) -> Category:
    return Category.TRANSHIP if box.status == "6" else Category.IMPORT


# -- BAPLIE ------------------------------------------------------------------------------------

@operation("cargo.import_bayplan", Role.YARD_PLANNER, Role.DISPATCHER,
           log_args=("source", "visit_key", "force"))
def import_bayplan(tx: Tx, plan: BayPlan, source: str = "", visit_key: str | None = None,
                   force: bool = False) -> CargoImport:
    """Import a bay plan (BAPLIE) onto a vessel visit."""
    here = terminal_locode(tx)
    if is_planned_bayplan(plan, here):
        visit = find_visit(tx, plan.header, visit_key, "bay plan", force)
        tx.about("visit", visit.id, visit.key)
        if departure_plan.is_departure_plan(tx, plan, visit):  # e.g. portops export bay-plan
            return departure_plan.read_back(tx, plan, source, visit)
        # the line's stowage instructions for loading here
        return through(tx, import_load_list, orders=plan, source=source,
                       visit_key=visit.key, force=True)
    visit = find_visit(tx, plan.header, visit_key, "bay plan", force)
    tx.about("visit", visit.id, visit.key)
    _open_for_cargo(tx, visit, "bay plan")
    discharge = [b for b in plan.boxes if b.pod == here]
    remain = [b for b in plan.boxes if b.pod != here]

    previous = {r.number: r for r in tx.session.execute(
        select(col(Container.id), col(Container.number), col(Container.location))
        .where(col(Container.in_visit_id) == visit.id))}
    started = [n for n, r in previous.items() if r.location not in (Where.VESSEL, Where.ADVISED)]
    tx.rule(not started, "bayplan.discharge_started",
            N_("discharge of {visit} has started ({n_started} boxes off the vessel, e.g. {examples}); its bay plan can no longer be replaced"),
            N_("record further changes box by box (tally)"), visit=visit.key,
            n_started=len(started), examples=', '.join(started[:3]))
    active = active_containers(tx, [b.number for b in discharge])
    elsewhere = [Unmet.of("bayplan.container.active",
                          N_("{at}: container {number} is already at the terminal ({location})"),
                          N_("correct the bay plan, or end that box's stay at the terminal first"),
                          at=_at(b, source), number=b.number,
                          location=Term(active[b.number].location))
                 for b in discharge if b.number in active and b.number not in previous]
    listed_rules(tx, elsewhere)
    ours = {b.number for b in discharge}
    listed_rules(tx, slot_clashes(tx, pk(visit), discharge, ours | set(previous), source,
                                  "bayplan.slot.taken",
                                  N_("correct the bay plan, or move the box on board first")))
    dropped = [r.id for n, r in previous.items() if n not in ours]
    flagged = tx.session.execute(select(col(Flag.id)).where(
        col(Flag.container_id).in_(dropped[:_CHUNK]))).first() if dropped else None
    tx.rule(flagged is None, "bayplan.replace.flagged",
            N_("the new bay plan leaves out boxes of {visit} that already carry holds or releases"),
            N_("release those flags first, or keep the boxes in the bay plan"), visit=visit.key)
    tx.ensure()

    record = _record_import(tx, "baplie", plan.header, source, visit, plan.boxes)
    s = tx.session
    if dropped:
        for part in chunks(dropped):
            s.execute(delete(Container).where(col(Container.id).in_(part)))
    s.execute(delete(OnBoard).where(col(OnBoard.visit_id) == visit.id))
    # Park updated boxes off their slots first, so that swapped slots do not collide.
    updates = [dict(container_row(b, pk(visit), _category(b)), id=previous[b.number].id)
               for b in discharge if b.number in previous]
    if updates:
        s.execute(update(Container), [{"id": u["id"], "location": Where.ADVISED.value}
                                      for u in updates])
        s.execute(update(Container), updates)
    inserts = [container_row(b, pk(visit), _category(b)) for b in discharge
               if b.number not in previous]
    if inserts:
        s.execute(insert(table(Container)), inserts)
    if remain:
        s.execute(insert(table(OnBoard)),
                  [_on_board_row(b, pk(visit), pk(record)) for b in remain])
    old_moves = visit.moves_discharge
    visit.moves_discharge = len(discharge)
    counts = {N_("boxes"): len(plan.boxes), N_("discharge"): len(discharge),
              N_("remain on board"): len(remain), N_("added"): len(inserts),
              N_("updated"): len(updates), N_("removed"): len(dropped),
              N_("reefers"): sum(1 for b in discharge if b.reefer_temp_c is not None),
              N_("dangerous"): sum(1 for b in discharge if b.dangerous)}
    record.counts = counts
    tx.record(visit=visit.key, import_id=record.id, counts=counts,
              moves_discharge=[old_moves, visit.moves_discharge])
    notes = [Message(N_("kept {segments} unread segments of {boxes} boxes"),
                     segments=sum(len(v) for v in record.extra["boxes"].values()),
                     boxes=len(record.extra["boxes"]))] if record.extra["boxes"] else []
    return CargoImport(N_("bay plan"), visit.key, counts, notes)


# -- COPRAR ------------------------------------------------------------------------------------

@operation("cargo.import_discharge_list", Role.YARD_PLANNER, Role.DISPATCHER,
           log_args=("source", "visit_key", "force"))
def import_discharge_list(tx: Tx, orders: ContainerList, source: str = "",
                          visit_key: str | None = None, force: bool = False) -> CargoImport:
    """Import a discharge list (COPRAR) onto a vessel visit."""
    terminal_locode(tx)
    tx.rule(orders.kind == "discharge", "coprar.load_list",
            N_("this COPRAR is a load list; portops imports discharge lists here"),
            N_("send the load list to the export load planning"))
    visit = find_visit(tx, orders.header, visit_key, "discharge list", force)
    tx.about("visit", visit.id, visit.key)
    _open_for_cargo(tx, visit, "discharge list")
    numbers = [b.number for b in orders.boxes]
    active = active_containers(tx, numbers)
    mine = {n: r for n, r in active.items() if r.in_visit_id == visit.id}
    elsewhere = [Unmet.of("coprar.container.active",
                          N_("{at}: container {number} is already at the terminal ({location})"),
                          N_("correct the discharge list, or end that box's stay first"),
                          at=_at(b, source), number=b.number,
                          location=Term(active[b.number].location))
                 for b in orders.boxes if b.number in active and b.number not in mine]
    listed_rules(tx, elsewhere)
    handled = [n for n, r in mine.items() if r.location not in (Where.VESSEL, Where.ADVISED)]
    tx.rule(not handled, "coprar.discharge_started",
            N_("{n_handled} boxes of the list are already off the vessel (e.g. {examples})"),
            N_("record changes box by box (tally)"), n_handled=len(handled),
            examples=', '.join(handled[:3]))
    rob = {r.number: r for r in tx.session.execute(
        select(col(OnBoard.id), col(OnBoard.number), col(OnBoard.bay), col(OnBoard.row),
               col(OnBoard.tier))
        .where(col(OnBoard.visit_id) == visit.id))}
    listed_rules(tx, slot_clashes(tx, pk(visit), [b for b in orders.boxes if b.number not in mine],
                                  set(mine), source, "coprar.slot.taken",
                                  N_("correct the discharge list's stowage position")))
    missing_size = [Unmet.of("coprar.size_type",
                             N_("{at}: container {number} has no size/type and is not in the bay "
                                "plan"),
                             N_("add the size/type to the discharge list or import the bay plan"),
                             at=_at(b, source), number=b.number)
                    for b in orders.boxes if not b.size_type and b.number not in mine]
    listed_rules(tx, missing_size)
    tx.ensure()

    record = _record_import(tx, "coprar", orders.header, source, visit, orders.boxes)
    s = tx.session
    moved_rob = [rob[b.number].id for b in orders.boxes if b.number in rob]
    for part in chunks(moved_rob):
        s.execute(delete(OnBoard).where(col(OnBoard.id).in_(part)))
    updates, inserts = [], []
    for b in orders.boxes:
        if b.number in mine:
            updates.append(_merge(b, mine[b.number].id))
        else:
            if b.slot is None and b.number in rob:
                r = rob[b.number]
                b.slot = Slot(r.bay, r.row, r.tier)
            inserts.append(container_row(b, pk(visit), _category(b)))
    if updates:
        s.execute(update(Container), updates)
    if inserts:
        s.execute(insert(table(Container)), inserts)
    listed = set(numbers)
    not_ordered = tx.session.execute(
        select(col(Container.number)).where(col(Container.in_visit_id) == visit.id,
                                            col(Container.location) == Where.VESSEL.value)
    ).scalars().all()
    not_ordered = [n for n in not_ordered if n not in listed]
    counts = {N_("boxes"): len(orders.boxes), N_("confirmed"): len(updates),
              N_("added"): len(inserts), N_("from remain-on-board"): len(moved_rob),
              N_("in bay plan, not ordered"): len(not_ordered)}
    record.counts = counts
    visit.moves_discharge = max(visit.moves_discharge, len(updates) + len(inserts))
    tx.record(visit=visit.key, import_id=record.id, counts=counts)
    notes = [Message(N_("in the bay plan for this port but not on the discharge list: {boxes}"),
                     boxes=", ".join(not_ordered[:10]) + (" ..." if len(not_ordered) > 10
                                                          else ""))] if not_ordered else []
    return CargoImport(N_("discharge list"), visit.key, counts, notes)


def _merge(box: StowedBox, ident: int) -> dict[str, Any]:
    """The columns a discharge list may add to or correct on a box the bay plan brought."""
    out: dict[str, Any] = {"id": ident}
    for key, value in (("gross_kg", box.gross_kg), ("vgm_kg", box.vgm_kg),
                       ("reefer_temp_c", box.reefer_temp_c), ("bl_number", box.bl_number),
                       ("booking_ref", box.booking_ref), ("operator", box.operator[:16]),
                       ("size_type", box.size_type), ("pol", box.pol)):
        if value not in (None, ""):
            out[key] = value
    if box.seals:
        out["seals"] = ",".join(box.seals)[:128]
    if box.doubts:
        out["doubt"] = ", ".join(box.doubts)[:64]
    if box.dangerous:
        out["imdg_class"], out["un_number"] = box.imdg_class, box.un_number
    return out


registry.register("baplie", sniff=files.sniffer("BAPLIE"), parse=files.parser(read_baplie, "plan"),
                  operation=import_bayplan, summary=N_("bay plan (UN/EDIFACT BAPLIE)"))
# a COPRAR is a discharge list (this module) or a load list (the line's stowage instructions)
registry.register("coprar", sniff=files.sniffer("COPRAR"),
                  parse=files.parser(read_coprar, "orders"), operation=import_discharge_list,
                  route=lambda kw: import_load_list if kw["orders"].kind == "load"
                  else import_discharge_list,
                  summary=N_("discharge or load list (UN/EDIFACT COPRAR)"))
