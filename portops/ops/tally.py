"""Discharge execution and the tally: box by box confirmation, short- and over-landed boxes,
completion, and the tally report going out.

Discharge is refused until the visit is berthed (or working) and its port-entry formalities
are granted (:func:`portops.flags.blocking`). The first confirmed box moves the visit from
berthed to working through the visit rules of :mod:`portops.ops.visits`.
"""

from __future__ import annotations

from sqlmodel import func, select

from portops.codes import CodeError, parse_container_number, parse_size_type
from portops.damage import DAMAGE_CODES, describe_damage, parse_damage_codes
from portops.flags import Action, blocking
from portops.i18n import N_
from portops.model import (
    Category,
    Container,
    DischargeItem,
    DischargePlan,
    Flag,
    FlagState,
    ItemStatus,
    Phase,
    Role,
    VesselVisit,
    Where,
    YardBlock,
)
from portops.model.base import pk
from portops.ops.cargo_work import finish_if_done
from portops.ops.core import Term, Tx, operation
from portops.ops.visits import _advance
from portops.ops.yard import berth_position, box_info, parse_block, restack, yard_state
from portops.planning.yard import Slot, landing, plan_yard

#: A visit is discharged only alongside and working (or about to start).
DISCHARGING = (Phase.BERTHED, Phase.WORKING)
#: The tally report is due this many hours after discharge completes.
REPORT_DUE_HOURS = 6


def _visit_and_plan(tx: Tx, visit_id: int, *, lock: bool = False):
    visit = tx.get(VesselVisit, visit_id, what="visit", for_update=lock)
    plan = tx.session.exec(select(DischargePlan).where(
        DischargePlan.visit_id == visit.id)).first()
    tx.rule(plan is not None, "discharge.plan.missing", N_("visit {visit} has no discharge plan"),
            N_("have the yard planner make it"), visit=visit.key)
    tx.rule(plan is None or plan.completed_at is None, "discharge.completed",
            N_("discharge of {visit} is already complete"), N_("nothing more to tally"),
            visit=visit.key)
    return visit, plan


def _may_discharge(tx: Tx, visit: VesselVisit) -> None:
    tx.rule(visit.phase in DISCHARGING, "discharge.visit.phase",
            N_("visit {visit} is {phase}; boxes are discharged only once it is berthed"),
            N_("confirm the berthing (ATB) first"), visit=visit.key, phase=Term(visit.phase))
    for unmet in blocking(tx.session, Action.DISCHARGE, visit=visit):
        tx.add(unmet)


def _target_slot(tx: Tx, visit: VesselVisit, item: DischargeItem | None, box, block: str | None,
                 bay, row, tier):
    """The slot the box goes to: the one given, else the planned one, else the lowest free
    tier of the planned stack (boxes of a stack come off the vessel in any order)."""
    if block is not None:
        blk = parse_block(tx, block)
        if blk is None or None in (bay, row, tier):
            tx.rule(blk is None, "discharge.slot.incomplete", N_("a slot needs bay, row and tier"),
                    N_("give the whole slot, e.g. A01 04 3 2"))
            return None
        slot = Slot(pk(blk), int(bay), int(row), int(tier))
    elif item is not None and item.yard_block_id is not None and item.yard_bay is not None \
            and item.yard_row is not None and item.yard_tier is not None:  # a planned slot
        slot = Slot(item.yard_block_id, item.yard_bay, item.yard_row, item.yard_tier)
    else:  # an over-landed box, or a plan without yard slots: plan this one box now
        result = plan_yard([box], yard_state(tx.session), berth_position(tx.session, visit))
        if not result.allocations:
            tx.rule(False, "discharge.slot.none", N_("{box}: {reason}"),
                    N_("give the slot the box goes to"), box=box.number,
                    reason=result.unplaced[0][1])
            return None
        return result.allocations[0].slot
    state = yard_state(tx.session, block_ids={slot.block_id}, planned=False)
    if block is None and (landed := landing(state, box, slot)) is not None:
        return landed  # the planned slot, else the lowest free tier of its stack
    for p in state.problems(box, slot):
        tx.rule(False, p.rule, p.template, N_("give the slot the box actually went to"),
                **p.params)
    return slot


@operation("discharge.confirm", Role.TALLY_CLERK)
def confirm(tx: Tx, visit_id: int, number: str, seal: str = "",
            damage: str | list[str] = "", damage_note: str = "", block: str | None = None,
            bay: int | None = None, row: int | None = None, tier: int | None = None,
            over_landed: bool = False, size_type: str | None = None) -> dict:
    """Confirm a box discharged: number as read, seal, damage, the yard slot it went to."""
    visit, plan = _visit_and_plan(tx, visit_id, lock=True)
    tx.about("visit", visit.id, visit.key)
    if plan is None or plan.completed_at is None:  # else discharge.completed says it all
        _may_discharge(tx, visit)
    try:
        num = parse_container_number(number)
    except CodeError as exc:
        tx.rule(False, "discharge.number.invalid", exc.template, N_("read the number again"),
                **exc.params)
        num = None
    codes, unknown = parse_damage_codes(damage)
    tx.rule(not unknown, "discharge.damage.code", N_("unknown damage code(s) {codes}"),
            N_("use {choices}"), codes=", ".join(unknown),
            choices=", ".join(f"{k} {v}" for k, v in DAMAGE_CODES.items()))
    tx.rule(not damage_note.strip() or codes, "discharge.damage.note_only",
            N_("a damage note needs at least one damage code"),
            N_("add the code, e.g. DT for a dent"))
    item = container = None
    if num and plan is not None:
        item = tx.session.exec(select(DischargeItem).where(
            DischargeItem.plan_id == plan.id, DischargeItem.number == num)).first()
        if item is not None:
            tx.rule(item.status in (ItemStatus.PLANNED, ItemStatus.SHORT),
                    "discharge.already",
                    N_("{number} was already tallied ({status} at {at} UTC)") if item.tallied_at
                    else N_("{number} was already tallied"), N_("nothing to do"), number=num,
                    status=Term(item.status), at=f"{item.tallied_at:%H:%M}" if item.tallied_at else "")
            container = tx.session.get(Container, item.container_id)
        else:
            tx.rule(over_landed, "discharge.not_on_plan",
                    N_("{num} is not on the discharge plan of {visit}"),
                    N_("check the number; if the box really came off, record it as over-landed"),
                    num=num, visit=visit.key)
            container = _over_landed_box(tx, visit, num, size_type) if over_landed else None
    slot = None
    if container is not None:
        box = box_info(0, container)
        slot = _target_slot(tx, visit, item, box, block, bay, row, tier)
    tx.ensure()
    # the rules above refused a bad number, a box not found and a slot not given or found
    assert container is not None and slot is not None and num is not None and plan is not None
    now = tx.now()
    if visit.phase == Phase.BERTHED:  # the first box off starts cargo work
        _advance(tx, visit.id, Phase.WORKING)
        tx.ensure()
        visit.phase = Phase.WORKING
        tx.dcsa = "STRT-ACT-CARGO"
    if container.id is None:
        tx.session.add(container)
        tx.session.flush()
    if item is None:
        item = DischargeItem(plan_id=plan.id, container_id=pk(container), number=num,
                             size_type=container.size_type, status=ItemStatus.OVER,
                             vessel_bay=container.vessel_bay, vessel_row=container.vessel_row,
                             vessel_tier=container.vessel_tier)
        tx.session.add(item)
    else:
        item.status = ItemStatus.DISCHARGED
    seals = [s.strip() for s in (container.seals or "").split(",") if s.strip()]
    item.number_read = str(number).strip()[:16]
    item.seal_read = seal.strip()[:64]
    item.seal_ok = (item.seal_read in seals) if seals and item.seal_read else None
    item.damage_codes, item.damage_note = ",".join(codes), damage_note.strip()[:256]
    item.tallied_by, item.tallied_at = tx.actor.name, now
    planned = Slot(item.yard_block_id, item.yard_bay, item.yard_row, item.yard_tier) \
        if block is None and item.yard_block_id is not None and item.yard_bay is not None \
        and item.yard_row is not None and item.yard_tier is not None else None
    item.actual_block_id, item.actual_bay = slot.block_id, slot.bay
    item.actual_row, item.actual_tier = slot.row, slot.tier
    container.location, container.visit_id = Where.YARD, None
    container.vessel_bay = container.vessel_row = container.vessel_tier = None
    container.yard_block_id, container.yard_bay = slot.block_id, slot.bay
    container.yard_row, container.yard_tier = slot.row, slot.tier
    container.time_in = now
    if not seals and item.seal_read:
        container.seals = item.seal_read
    if codes:
        container.damage = describe_damage(codes, item.damage_note)[:256]
        tx.session.add(Flag(type_code="DAMAGE", state=FlagState.ACTIVE, container_id=container.id,
                            reason=f"damaged at discharge: {container.damage}"[:256],
                            reference=visit.key, set_by=tx.actor.name, set_at=now))
    plan.started_at = plan.started_at or now
    tx.session.flush()
    if planned is not None and planned != slot:  # the boxes planned above it move down
        restack(tx.session, pk(plan), planned.block_id, planned.bay, planned.row)
    blk = tx.get(YardBlock, slot.block_id)
    tx.about("container", container.id, container.number)
    tx.record(visit=visit.key, status=item.status, seal_ok=item.seal_ok, damage=codes,
              slot=[blk.name, slot.bay, slot.row, slot.tier],
              **({"planned_tier": planned.tier} if planned and planned != slot else {}))
    out = {"item_id": item.id, "status": item.status,
           "slot": f"{blk.name}-{slot.bay:02d}-{slot.row}-{slot.tier}"}
    if planned is not None and planned != slot:  # said to the clerk: not where planned
        out["planned"] = f"{tx.get(YardBlock, planned.block_id).name}-{planned.bay:02d}-" \
                         f"{planned.row}-{planned.tier}"
    return out


def _over_landed_box(tx: Tx, visit: VesselVisit, number: str,
                     size_type: str | None) -> Container | None:
    """The container record for a box that came off but was not on the plan."""
    existing = tx.session.exec(select(Container).where(
        Container.number == number, Container.location != Where.GONE)).first()
    if existing is not None:
        tx.rule(existing.location in (Where.ADVISED, Where.VESSEL), "discharge.over.elsewhere",
                N_("{number} is already {location} at the terminal"), N_("read the number again"),
                number=number, location=Term(existing.location))
        return existing
    try:
        st = parse_size_type(size_type or "")
    except CodeError as exc:
        tx.rule(False, "discharge.over.size_type", N_("over-landed {number}: {exc}"),
                N_("give the size/type read on the box"), number=number, exc=exc)
        return None
    return Container(number=number, size_type=st, category=Category.IMPORT,
                     in_visit_id=visit.id, location=Where.ADVISED)


@operation("discharge.short_land", Role.TALLY_CLERK)
def short_land(tx: Tx, visit_id: int, number: str, note: str = "") -> None:
    """Record a planned box as short-landed (not found on board)."""
    visit, plan = _visit_and_plan(tx, visit_id)
    try:
        num = parse_container_number(number)
    except CodeError as exc:
        tx.fail("discharge.number.invalid", exc.template, N_("read the number again"),
                **exc.params)
    item = tx.session.exec(select(DischargeItem).where(
        DischargeItem.plan_id == plan.id, DischargeItem.number == num)).first() if plan else None
    tx.about("container", item.container_id if item else None, num)
    tx.rule(item is not None, "discharge.not_on_plan",
            N_("{num} is not on the discharge plan of {visit}"), N_("check the number"), num=num,
            visit=visit.key)
    tx.rule(item is None or item.status == ItemStatus.PLANNED, "discharge.short.not_planned",
            N_("{num} is {status}, not waiting for discharge"),
            N_("only a box still to discharge can be short-landed"), num=num,
            status=Term(item.status) if item else '')
    tx.ensure()
    assert item is not None  # discharge.not_on_plan refused otherwise
    item.status, item.note = ItemStatus.SHORT, note.strip()[:256]
    item.tallied_by, item.tallied_at = tx.actor.name, tx.now()
    if item.yard_block_id is not None and item.yard_bay is not None and item.yard_row is not None:
        tx.session.flush()  # the boxes planned above it move down
        restack(tx.session, pk(plan), item.yard_block_id, item.yard_bay, item.yard_row)
    tx.record(visit=visit.key)


@operation("discharge.complete", Role.TALLY_CLERK, Role.DISPATCHER)
def complete(tx: Tx, visit_id: int) -> dict:
    """Declare discharge complete: every box not discharged is short-landed."""
    visit, plan = _visit_and_plan(tx, visit_id, lock=True)
    tx.about("visit", visit.id, visit.key)
    tx.rule(visit.phase in DISCHARGING or (plan is not None and plan.completed_at is not None),
            "discharge.visit.phase",  # once complete, discharge.completed says it all
            N_("visit {visit} is {phase}; discharge completes while it is alongside"),
            N_("check the visit"), visit=visit.key, phase=Term(visit.phase))
    tx.ensure()
    now = tx.now()
    left = tx.session.exec(select(DischargeItem).where(
        DischargeItem.plan_id == plan.id, DischargeItem.status == ItemStatus.PLANNED)).all()
    for item in left:
        item.status, item.note = ItemStatus.SHORT, "not discharged when discharge completed"
        item.tallied_by, item.tallied_at = tx.actor.name, now
    plan.completed_at = now
    # Short-landed in all: those recorded with ctrl+s before, and those left now (the count
    # said only the latter, "0 short" right after a box was recorded short).
    short = tx.session.exec(select(func.count()).select_from(DischargeItem).where(
        DischargeItem.plan_id == plan.id, DischargeItem.status == ItemStatus.SHORT)).one()
    finish_if_done(tx, visit, "discharge")  # the last of its cargo work: completed
    tx.record(short_landed=short, left_short=len(left))
    return {"short_landed": short, "left_short": len(left)}


@operation("discharge.report", Role.TALLY_CLERK, Role.DISPATCHER)
def report_sent(tx: Tx, visit_id: int, reference: str = "") -> None:
    """Record that the tally report of a completed discharge went out."""
    visit = tx.get(VesselVisit, visit_id, what="visit")
    tx.about("visit", visit.id, visit.key)
    plan = tx.session.exec(select(DischargePlan).where(
        DischargePlan.visit_id == visit.id)).first()
    tx.rule(plan is not None and plan.completed_at is not None, "discharge.report.incomplete",
            N_("discharge of {visit} is not complete"), N_("complete the discharge first"),
            visit=visit.key)
    tx.ensure()
    assert plan is not None and plan.completed_at is not None  # the rule above refused otherwise
    plan.reported_at = plan.reported_at or tx.now()
    tx.record(reference=reference, late=bool(
        (plan.reported_at - plan.completed_at).total_seconds() > REPORT_DUE_HOURS * 3600))
