"""Yard planning operations: plan a slot for every box of a discharge, move one by hand.

The rules themselves live in :mod:`portops.planning.yard` (pure); this module loads the
yard as plain data, runs them, and stores the result. The loaders are shared with the tally
(:mod:`portops.ops.tally`), which checks the slot a box actually goes to the same way.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import select as sa_select
from sqlalchemy import update
from sqlmodel import Session, col, select

from portops.codes import CodeError, length_feet
from portops.flags import Action, blocking_many
from portops.i18n import N_
from portops.model import (
    LIVE_APPTS,
    Appointment,
    AppointmentSlot,
    Berth,
    Category,
    Container,
    DischargeItem,
    DischargePlan,
    ItemStatus,
    Role,
    Vessel,
    VesselVisit,
    Where,
    YardBlock,
)
from portops.model.base import pk
from portops.ops.core import Term, Tx, operation
from portops.ops.gate_checks import settings
from portops.planning.dwell import DwellFacts, Leaving, by_appointment, by_dwell
from portops.planning.yard import (
    BlockInfo,
    BoxInfo,
    Slot,
    YardState,
    explain,
    landing,
    length_class,
    plan_yard,
)


def block_info(b: YardBlock) -> BlockInfo:
    return BlockInfo(pk(b), b.name, b.bays, b.rows, b.tiers, b.takes_20, b.takes_40, b.takes_45,
                     b.reefer_rows, b.dangerous_goods, b.purpose, b.quay_m)


@lru_cache(maxsize=512)
def box_length(size_type: str) -> int:
    """20, 40 or 45 for an ISO size/type code (an unreadable one counts as 40')."""
    try:
        return length_class(length_feet(size_type))
    except (CodeError, KeyError):
        return 40


def box_info(key: int, c) -> BoxInfo:
    """What the yard rules need to know about a box (a Container or a row of BOX_COLUMNS)."""
    reefer = len(c.size_type) == 4 and c.size_type[2] == "R" and c.full
    group = f"B/L {c.bl_number}" if c.bl_number else ""
    return BoxInfo(key, c.number, box_length(c.size_type), reefer, bool(c.imdg_class), c.full,
                   c.vgm_kg or c.gross_kg, group, bl=c.bl_number or "")


#: The container columns :func:`box_info` and :func:`leaving` read.
BOX_COLUMNS = (col(Container.number), col(Container.size_type), col(Container.full),
               col(Container.bl_number), col(Container.imdg_class), col(Container.vgm_kg),
               col(Container.gross_kg), col(Container.id), col(Container.category),
               col(Container.booking_ref))


def leaving(session: Session, rows, now: datetime) -> dict[int, Leaving]:
    """When each box (rows of :data:`BOX_COLUMNS`) is expected to leave, by container id: its
    live pickup appointment, else the dwell estimate from its category and releases."""
    ids = [r.id for r in rows]
    tz = ZoneInfo(settings(session).timezone)
    out: dict[int, Leaving] = {}
    for i in range(0, len(ids), 5000):
        for cid, ref, start in session.execute(
                sa_select(col(Appointment.container_id), col(Appointment.ref),
                          col(AppointmentSlot.start))
                .join(AppointmentSlot, col(AppointmentSlot.id) == Appointment.slot_id)
                .where(col(Appointment.container_id).in_(ids[i:i + 5000]),
                       col(Appointment.state).in_(LIVE_APPTS))):
            out[cid] = by_appointment(start, now, start.astimezone(tz), ref)
    rest = [r for r in rows if r.id not in out]
    blocked = blocking_many(session, Action.DELIVER, rest)
    for r in rest:
        held = any(u.rule.startswith("hold.") for u in blocked[r.id])
        out[r.id] = by_dwell(DwellFacts(
            full=r.full, tranship=r.category == Category.TRANSHIP,
            reefer=len(r.size_type) == 4 and r.size_type[2] == "R",
            dangerous=bool(r.imdg_class), held=held, released=not blocked[r.id]))
    return out


def with_leaving(box: BoxInfo, leave: Leaving | None,
                 seq: tuple[int, int] | None = None) -> BoxInfo:
    """The box grouped by when it leaves: its appointment day, or its dwell class and B/L
    (a B/L's boxes share stacks; the dwell class orders the groups), and where it comes in
    the discharge (``seq``: the order its stack's tiers fill in). One copy: a plan makes
    20,000 of them."""
    if leave is None:
        return box if seq is None else replace(box, seq=seq)
    group = f"{leave.group}, B/L {box.bl}" if leave.estimate and box.bl else leave.group
    return replace(box, group=group, leave_h=leave.hours, leaving=leave.reason,
                   loose=leave.estimate, seq=seq)


def yard_state(session: Session, *, block_ids: set[int] | None = None,
               planned: bool = True, skip_item: int | None = None,
               skip_plan: int | None = None) -> YardState:
    """The yard as plain data: the blocks, the boxes standing in them, and (``planned``) the
    slots other discharge plans hold. ``block_ids`` limits it to some blocks (fast checks)."""
    # in id order: the planner breaks ties by the order it is given things, so the same yard
    # gives the same plan on every database (PostgreSQL returns rows in no set order)
    q = select(YardBlock).order_by(col(YardBlock.id))
    if block_ids is not None:
        q = q.where(col(YardBlock.id).in_(block_ids))
    blocks = [block_info(b) for b in session.exec(q)]
    ids = [b.id for b in blocks]
    state = YardState(blocks)
    cq = sa_select(col(Container.yard_block_id), col(Container.yard_bay),
                   col(Container.yard_row), col(Container.yard_tier), col(Container.size_type),
                   col(Container.vgm_kg), col(Container.gross_kg), col(Container.full),
                   col(Container.number)).where(col(Container.location) == Where.YARD)
    if block_ids is not None:
        cq = cq.where(col(Container.yard_block_id).in_(ids))
    put = state.put
    for blk, bay, row, tier, st, vgm, gross, full, number in session.execute(cq):
        put(blk, bay, row, tier, box_length(st), vgm or gross, full, number)
    if planned:
        pq = sa_select(col(DischargeItem.id), col(DischargeItem.plan_id),
                       col(DischargeItem.yard_block_id), col(DischargeItem.yard_bay),
                       col(DischargeItem.yard_row), col(DischargeItem.yard_tier),
                       col(DischargeItem.size_type), col(DischargeItem.number)).where(
            col(DischargeItem.status) == ItemStatus.PLANNED,
            col(DischargeItem.yard_block_id).is_not(None))
        if block_ids is not None:
            pq = pq.where(col(DischargeItem.yard_block_id).in_(ids))
        for iid, pid, blk, bay, row, tier, st, number in session.execute(pq):
            if iid == skip_item or pid == skip_plan:
                continue
            put(blk, bay, row, tier, box_length(st), None, True, f"{number} (planned)")
    return state


def restack(session: Session, plan_id: int, block_id: int, bay: int, row: int) -> None:
    """Give the boxes of a discharge plan still to come in one stack the slots the tally
    will give them (:func:`portops.planning.yard.landing`, in discharge order).

    Called when a box of the stack was set down off its plan or recorded short-landed: the
    boxes planned above move down (or up into a slot left free), so the plan, the yard view
    and the tally list keep saying where each box will go."""
    items = session.exec(select(DischargeItem).where(
        DischargeItem.plan_id == plan_id, DischargeItem.status == ItemStatus.PLANNED,
        DischargeItem.yard_block_id == block_id, DischargeItem.yard_bay == bay,
        DischargeItem.yard_row == row).order_by(
        col(DischargeItem.seq), col(DischargeItem.crane), col(DischargeItem.id))).all()
    state = yard_state(session, block_ids={block_id}, planned=False)
    moved: dict[int, int] = {}
    for i in items:
        assert i.yard_tier is not None  # the query chose planned slots
        box = box_info(pk(i), session.get_one(Container, i.container_id))
        slot = landing(state, box, Slot(block_id, bay, row, i.yard_tier))
        if slot is None:
            continue
        state.place(box, slot)
        if slot.tier != i.yard_tier:
            moved[pk(i)] = slot.tier
    changed = [i for i in items if pk(i) in moved]
    for i in changed:  # off the planned-slot index first: two may swap tiers
        i.yard_tier = None
    session.flush()
    for i in changed:
        i.yard_tier = moved[pk(i)]
        i.why = re.sub(r" tier \d+:", f" tier {i.yard_tier}:", i.why, count=1)
    session.flush()


def berth_position(session: Session, visit: VesselVisit) -> float:
    """Where along the quay the vessel lies (its middle), metres; 0 if not known yet."""
    vessel = session.get(Vessel, visit.vessel_id)
    if visit.quay_from_m is not None and vessel is not None:
        return visit.quay_from_m + vessel.loa_m / 2
    berth = session.get(Berth, visit.berth_id) if visit.berth_id else None
    return (berth.quay_start_m + berth.quay_end_m) / 2 if berth else 0.0


def _plan_for(tx: Tx, visit_id: int) -> tuple[VesselVisit, DischargePlan | None]:
    visit = tx.get(VesselVisit, visit_id, what="visit")
    plan = tx.session.exec(select(DischargePlan).where(
        DischargePlan.visit_id == visit.id)).first()
    tx.rule(plan is not None, "discharge.plan.missing", N_("visit {visit} has no discharge plan"),
            N_("make the discharge plan first"), visit=visit.key)
    return visit, plan


@operation("yard.plan", Role.YARD_PLANNER)
def plan(tx: Tx, visit_id: int, replan: bool = False) -> dict:
    """Plan a yard slot for every box to discharge from a visit."""
    visit, dplan = _plan_for(tx, visit_id)
    tx.about("visit", visit.id, visit.key)
    if dplan is None:
        tx.ensure()
    assert dplan is not None  # tx.ensure() refused discharge.plan.missing
    tx.rule(dplan.completed_at is None, "discharge.completed",
            N_("discharge of {visit} is complete"), N_("nothing left to plan"), visit=visit.key)
    rows = tx.session.execute(
        sa_select(col(DischargeItem.id).label("item_id"), col(DischargeItem.seq).label("seq"),
                  col(DischargeItem.crane).label("crane"), *BOX_COLUMNS).join(
            Container, col(Container.id) == DischargeItem.container_id).where(
            col(DischargeItem.plan_id) == dplan.id, col(DischargeItem.status) == ItemStatus.PLANNED,
            *([] if replan else [col(DischargeItem.yard_block_id).is_(None)])).order_by(
            col(DischargeItem.id))).all()
    leaves = leaving(tx.session, rows, tx.now())
    # the order boxes come off (the tally list's: sequence, then crane) fills each stack
    boxes = [with_leaving(box_info(r.item_id, r), leaves.get(r.id),
                          (r.seq, r.crane or 0) if r.seq is not None else None) for r in rows]
    state = yard_state(tx.session, skip_plan=dplan.id if replan else None)
    if not replan:  # this plan's slots already given stay where they are
        for iid, blk, bay, row, tier, st, number in tx.session.execute(
                sa_select(col(DischargeItem.id), col(DischargeItem.yard_block_id),
                          col(DischargeItem.yard_bay), col(DischargeItem.yard_row),
                          col(DischargeItem.yard_tier), col(DischargeItem.size_type),
                          col(DischargeItem.number)).where(
                    col(DischargeItem.plan_id) == dplan.id,
                    col(DischargeItem.yard_block_id).is_not(None),
                    col(DischargeItem.status) == ItemStatus.PLANNED)):
            if (blk, bay, row, tier) not in state.taken:
                state.place(BoxInfo(iid, number, box_length(st)), Slot(blk, bay, row, tier))
    result = plan_yard(boxes, state, berth_position(tx.session, visit))
    for reason, n in Counter(r for _, r in result.unplaced).items():
        tx.rule(False, "yard.plan.no_room", N_("{n} boxes: {reason}"),
                N_("free space in the yard, open a block for these boxes, or place them by hand"),
                n=n, reason=reason)
    tx.ensure()
    if replan:
        tx.session.execute(update(DischargeItem).where(
            col(DischargeItem.plan_id) == dplan.id,
            col(DischargeItem.status) == ItemStatus.PLANNED).values(
            yard_block_id=None, yard_bay=None, yard_row=None, yard_tier=None, why=""))
    if result.allocations:
        tx.session.execute(update(DischargeItem), [
            {"id": a.key, "yard_block_id": a.slot.block_id, "yard_bay": a.slot.bay,
             "yard_row": a.slot.row, "yard_tier": a.slot.tier, "why": a.why[:400]}
            for a in result.allocations])
    dplan.yard_planned_at = tx.now()
    tx.record(planned=len(result.allocations))
    return {"planned": len(result.allocations)}


def parse_block(tx: Tx, name: str) -> YardBlock | None:
    block = tx.session.exec(select(YardBlock).where(YardBlock.name == str(name).upper())).first()
    tx.rule(block is not None, "yard.block.unknown", N_("there is no yard block {name!r}"),
            N_("check the block name on the yard view"), name=name)
    return block


@operation("yard.move_slot", Role.YARD_PLANNER)
def move_slot(tx: Tx, item_id: int, block: str, bay: int, row: int, tier: int) -> None:
    """Move a box's planned yard slot by hand."""
    item = tx.get(DischargeItem, item_id, what="discharge item", for_update=True)
    tx.about("container", item.container_id, item.number)
    tx.rule(item.status == ItemStatus.PLANNED, "yard.move.not_planned",
            N_("{item} is {status}, not waiting for discharge"),
            N_("only boxes still to discharge can be re-planned"), item=item.number,
            status=Term(item.status))
    blk = parse_block(tx, block)
    if blk is not None:
        container = tx.get(Container, item.container_id)
        box = box_info(pk(item), container)
        slot = Slot(pk(blk), int(bay), int(row), int(tier))
        state = yard_state(tx.session, block_ids={pk(blk)}, skip_item=item.id)
        for p in state.problems(box, slot):
            tx.rule(False, p.rule, p.template, N_("choose another slot"), **p.params)
        if item.yard_block_id is not None and item.yard_bay is not None \
                and item.yard_tier is not None:  # a planned slot is whole
            above = tx.session.exec(select(DischargeItem).where(
                DischargeItem.status == ItemStatus.PLANNED, DischargeItem.id != item.id,
                DischargeItem.yard_block_id == item.yard_block_id,
                DischargeItem.yard_row == item.yard_row,
                DischargeItem.yard_tier == item.yard_tier + 1,
                col(DischargeItem.yard_bay).in_([item.yard_bay - 1, item.yard_bay,
                                            item.yard_bay + 1]))).first()
            tx.rule(above is None, "yard.move.leaves_floating",
                    N_("{above} is planned on top of {item}; moving it would leave that box floating"),
                    N_("move the box on top first"), above=above.number if above else '',
                    item=item.number)
    tx.ensure()
    assert blk is not None  # yard.block.unknown refused otherwise
    old = (item.yard_block_id, item.yard_bay, item.yard_row, item.yard_tier)
    dist = abs(blk.quay_m - berth_position(
        tx.session, tx.get(VesselVisit, tx.get(DischargePlan, item.plan_id).visit_id)))
    item.yard_block_id, item.yard_bay, item.yard_row, item.yard_tier = (pk(blk), slot.bay,
                                                                        slot.row, slot.tier)
    item.why = ("moved by hand by " + tx.actor.name + ": "
                + explain(box, block_info(blk), slot, dist, "", False,
                          state.heavy_on_light(box, slot)))[:400]
    tx.record(from_slot=list(old), to_slot=[blk.name, slot.bay, slot.row, slot.tier])
