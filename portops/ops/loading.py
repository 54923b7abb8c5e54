"""Loading (seed II.(2) step 4): the load plan, the tally clerk's confirmation, rolling a box
to another visit, and the end of loading.

Only boxes with an arrival report and an export customs release are planned; a box is loaded
only while the vessel is berthed or working, its port-entry formalities are granted, and no
hold blocks it (``flags.blocking`` with ``Action.LOAD`` re-checks at the moment of loading).
Boxes left behind are rolled to another visit with a reason; until every planned box is loaded
or rolled, the unberthing checklist's cargo guard refuses (it counts boxes still due out).
"""

from __future__ import annotations

from sqlalchemy import select as sa_select
from sqlmodel import col, func, select

from portops.codes import CodeError, parse_container_number
from portops.flags import Action, blocking, blocking_many
from portops.i18n import N_, _
from portops.model import (
    ArrivalEntry,
    Container,
    LoadItem,
    LoadState,
    OnBoard,
    Phase,
    Role,
    Vessel,
    VesselVisit,
    Where,
)
from portops.model.base import pk, table
from portops.ops.cargo_work import completed_at, finish_if_done
from portops.ops.core import Term, Tx, operation
from portops.ops.load_lists import instructions as stored_instructions
from portops.ops.yard import box_length
from portops.planning.stowage import ExportBox, VesselShape, crane_sequence, plan_stowage

_LOADING = (Phase.BERTHED, Phase.WORKING)


def _visit(tx: Tx, visit_id: int) -> VesselVisit:
    visit = tx.get(VesselVisit, visit_id, what="visit", for_update=True)
    tx.about("visit", visit.id, visit.key)
    return visit


def releasable(session, visit_id: int) -> tuple[list[Container], list[tuple[str, str]]]:
    """The visit's export boxes that may be planned, and those that may not (with why)."""
    boxes = session.exec(select(Container).where(
        Container.out_visit_id == visit_id, Container.location == Where.YARD)).all()
    reported = set(session.exec(select(ArrivalEntry.container_id).where(
        ArrivalEntry.visit_id == visit_id)).all())
    blocked = blocking_many(session, Action.LOAD, boxes)
    ok, not_ok = [], []
    for c in boxes:
        why = [] if c.id in reported else [_("no arrival report")]
        why += [u.localized(_)[0] for u in blocked[c.id]]  # shown on the console
        if why:
            not_ok.append((c.number, "; ".join(why)))
        else:
            ok.append(c)
    return ok, not_ok


@operation("load.plan", Role.YARD_PLANNER, Role.DISPATCHER)
def make_plan(tx: Tx, visit_id: int, rotation: list[str] | None = None,
              instructions: dict[str, tuple[int, int, int]] | None = None,
              cranes: int | None = None) -> dict:
    """Plan where each released export box goes on board, and the crane sequence."""
    visit = _visit(tx, visit_id)
    tx.rule(visit.phase in (Phase.PLANNED, Phase.ARRIVED, Phase.BERTHED, Phase.WORKING),
            "load.plan.phase", N_("visit {visit} is {phase}"), N_("plan a live visit"),
            visit=visit.key, phase=Term(visit.phase))
    done = tx.session.exec(select(func.count()).select_from(LoadItem).where(
        LoadItem.visit_id == visit.id, LoadItem.state != LoadState.PLANNED)).one()
    tx.rule(done == 0, "load.plan.started",
            N_("loading of {visit} has started ({done} box(es) loaded or rolled)"),
            N_("move single boxes instead of re-planning"), visit=visit.key, done=done)
    ok, not_ok = releasable(tx.session, pk(visit))
    tx.rule(ok, "load.plan.nothing",
            N_("no box for {visit} has both an arrival report and a customs release"),
            N_("wait for customs to release the boxes"), visit=visit.key)
    tx.ensure()
    for item in tx.session.exec(select(LoadItem).where(LoadItem.visit_id == visit.id)):
        tx.session.delete(item)
    tx.session.flush()
    vessel = tx.get(Vessel, visit.vessel_id)
    taken = {(r.bay, r.row, r.tier) for r in tx.session.exec(
        select(OnBoard).where(OnBoard.visit_id == visit.id))}
    taken |= {(c.vessel_bay, c.vessel_row, c.vessel_tier) for c in tx.session.exec(
        select(Container).where(Container.visit_id == visit.id,
                                Container.location == Where.VESSEL))
              if c.vessel_bay is not None and c.vessel_row is not None
              and c.vessel_tier is not None}  # (a box on board has its slot)
    if instructions is None:  # the line's, as imported (COPRAR load list, planned BAPLIE)
        instructions = stored_instructions(tx.session, pk(visit))
    given = {k.upper(): tuple(v) for k, v in instructions.items()}
    stows: dict[int, tuple[int, ...]] = {}
    why: dict[int, str] = {}
    for c in ok:
        if c.number in given:
            stows[pk(c)] = given[c.number]
            why[pk(c)] = "line's stowage instruction"
    taken |= {(v[0], v[1], v[2]) for v in stows.values()}
    boxes = [ExportBox(pk(c), c.number, box_length(c.size_type), c.pod, c.vgm_kg or 0,
                       c.reefer_temp_c is not None, bool(c.imdg_class))
             for c in ok if pk(c) not in stows]
    plan = plan_stowage(boxes, VesselShape.of(vessel.loa_m, vessel.beam_m), rotation, taken)
    for s in plan.stows:
        stows[s.key], why[s.key] = (s.bay, s.row, s.tier), s.why
    from portops.planning.stowage import Stow

    ranges, moves = crane_sequence([Stow(k, v[0], v[1], v[2], "") for k, v in stows.items()],
                                   cranes)
    order = {m.key: m for m in moves}
    numbers = {pk(c): c.number for c in ok}
    rows = [{"visit_id": visit.id, "container_id": k, "number": numbers[k], "bay": v[0],
             "row": v[1], "tier": v[2], "crane": order[k].crane, "seq": order[k].seq,
             "state": LoadState.PLANNED.value, "why": why[k][:256], "seal_read": "",
             "damage": "", "roll_reason": ""} for k, v in stows.items()]
    if rows:
        tx.session.execute(table(LoadItem).insert(), rows)
    visit.moves_load = len(rows)
    result = {"planned": len(rows), "cranes": len(ranges),
              "unplaced": [(numbers[k], w) for k, w in plan.unplaced],
              "not_released": not_ok}
    tx.record(planned=len(rows), cranes=len(ranges), unplaced=len(plan.unplaced),
              not_released=len(not_ok))
    return result


def _number(tx: Tx, number: str) -> str:
    try:
        return parse_container_number(number)
    except CodeError as exc:
        tx.fail("load.container", exc.template, N_("read the number on the box again"),
                **exc.params)


def _box(tx: Tx, key: str) -> Container | None:
    """The box at the terminal with this number (not one gone), if any."""
    return tx.session.exec(select(Container).where(
        Container.number == key, Container.location != Where.GONE)).first()


def _unplanned(tx: Tx, visit: VesselVisit, key: str, c: Container | None) -> None:
    """Why a box that is not in the load plan cannot be loaded: everything it lacks, the
    customs release and holds first, then the plan (a clerk told only "ask the planner" would
    ask for a plan that cannot be made)."""
    if c is None:
        tx.rule(False, "load.box.unknown", N_("{key} is not at the terminal"),
                N_("read the number on the box again"), key=key)
    else:
        tx.add(*blocking(tx.session, Action.LOAD, container=c))
        reported = tx.session.exec(select(ArrivalEntry.id).where(
            ArrivalEntry.container_id == c.id, ArrivalEntry.visit_id == visit.id)).first()
        other = tx.session.get(VesselVisit, c.out_visit_id) if c.out_visit_id else None
        tx.rule(c.out_visit_id == visit.id, "load.box.visit",
                N_("{key} is not booked on {visit} (booked on: {other})"),
                N_("load it on the visit it is booked on, or have it rolled to this one"),
                key=key, visit=visit.key, other=other.key if other else "—")
        tx.rule(c.out_visit_id != visit.id or reported is not None, "load.box.arrival",
                N_("{key} has no arrival report for {visit}"),
                N_("receive the box at the gate first (it reports its arrival)"),
                key=key, visit=visit.key)
    _phase(tx, visit)
    tx.add(*blocking(tx.session, Action.LOAD, visit=visit))
    tx.rule(False, "load.not_planned", N_("{key} is not in the load plan of {visit}"),
            N_("once the box may be loaded, have the planner plan it (ctrl+g)"), key=key,
            visit=visit.key)


def _phase(tx: Tx, visit: VesselVisit) -> None:
    tx.rule(visit.phase in _LOADING, "load.visit.phase",
            N_("visit {visit} is {phase}; boxes are loaded only while it is berthed"),
            N_("confirm the berthing (ATB) first"), visit=visit.key, phase=Term(visit.phase))


@operation("load.confirm", Role.TALLY_CLERK)
def confirm(tx: Tx, visit_id: int, number: str, seal: str = "", damage: str = "") -> dict:
    """Tally one box loaded on board at its planned slot."""
    visit = _visit(tx, visit_id)
    key = _number(tx, number)
    item = tx.session.exec(select(LoadItem).where(LoadItem.visit_id == visit.id,
                                                  LoadItem.number == key)).first()
    if item is None:
        _unplanned(tx, visit, key, _box(tx, key))
        tx.ensure()
    assert item is not None  # _unplanned refused it (load.not_planned)
    c = tx.get(Container, item.container_id)
    # The box's own release and holds first, then the visit's, then the tally's own rules.
    tx.add(*blocking(tx.session, Action.LOAD, container=c))
    _phase(tx, visit)
    tx.add(*blocking(tx.session, Action.LOAD, visit=visit))
    tx.rule(item.state == LoadState.PLANNED, "load.item.state", N_("{item} is already {state}"),
            N_("nothing to tally"), item=item.number, state=Term(item.state))
    tx.rule(c.location == Where.YARD, "load.box.where",
            N_("{number} is not in the yard ({location})"), N_("find the box first"),
            number=c.number, location=Term(c.location))
    tx.ensure()
    now = tx.now()
    item.state, item.loaded_at, item.loaded_by = LoadState.LOADED, now, tx.actor.name
    item.seal_read, item.damage = seal.strip().upper(), damage.strip()[:256]
    c.location, c.visit_id = Where.VESSEL, visit.id
    c.vessel_bay, c.vessel_row, c.vessel_tier = item.bay, item.row, item.tier
    c.yard_block_id = c.yard_bay = c.yard_row = c.yard_tier = None
    if damage.strip():
        c.damage = damage.strip()[:256]
    if visit.phase == Phase.BERTHED:
        visit.phase = Phase.WORKING
    tx.about("container", c.id, c.number)
    tx.record(visit=visit.key, slot=f"{item.bay:03d}{item.row:02d}{item.tier:02d}")
    return {"slot": (item.bay, item.row, item.tier)}


@operation("load.roll", Role.DISPATCHER)
def roll(tx: Tx, visit_id: int, number: str, to_visit: str, reason: str) -> None:
    """Roll a box that will not be loaded to another visit, with the reason."""
    visit = _visit(tx, visit_id)
    try:
        key = parse_container_number(number)
    except CodeError as exc:
        tx.fail("load.container", exc.template, N_("read the number on the box again"),
                **exc.params)
    c = tx.session.exec(select(Container).where(
        Container.number == key, Container.out_visit_id == visit.id,
        col(Container.location).in_([Where.ADVISED, Where.YARD, Where.TRUCK]))).first()
    if c is None:
        tx.fail("load.roll.box", N_("{key} is not waiting to be loaded on {visit}"),
                N_("check the number and the visit"), key=key, visit=visit.key)
    item = tx.session.exec(select(LoadItem).where(LoadItem.visit_id == visit.id,
                                                  LoadItem.container_id == c.id)).first()
    target = tx.session.exec(select(VesselVisit).where(VesselVisit.key == to_visit)).first()
    tx.rule(item is None or item.state == LoadState.PLANNED, "load.roll.state",
            N_("{key} is already {state}"), N_("nothing to roll"), key=key,
            state=item.state if item else '')
    tx.rule(target is not None and target.id != visit.id, "load.roll.target",
            N_("{to_visit!r} is not another visit"), N_("name the visit that will take the box"),
            to_visit=to_visit)
    tx.rule(target is None or target.phase in (Phase.PLANNED, Phase.ARRIVED, Phase.BERTHED),
            "load.roll.target_phase", N_("visit {to_visit} can no longer take boxes"),
            N_("roll to a later visit"), to_visit=to_visit)
    tx.rule(reason.strip(), "load.roll.reason", N_("rolling a box needs a reason"),
            N_("write why it is left behind (cut-off, overweight, no release ...)"))
    tx.ensure()
    assert target is not None  # load.roll.target refused otherwise
    if item is not None:
        item.state, item.rolled_to_visit_id = LoadState.ROLLED, target.id
        item.roll_reason = reason.strip()[:256]
    c.out_visit_id = target.id
    tx.about("container", c.id, c.number)
    finish_if_done(tx, visit, "")  # the last box due rolled after loading was declared complete
    tx.record(from_visit=visit.key, to_visit=target.key, planned=item is not None)


@operation("load.complete", Role.TALLY_CLERK, Role.DISPATCHER)
def complete(tx: Tx, visit_id: int) -> dict:
    """End loading: every planned box is loaded or rolled; the reports can go out."""
    visit = _visit(tx, visit_id)
    left = tx.session.execute(sa_select(col(LoadItem.number)).where(
        col(LoadItem.visit_id) == visit.id, col(LoadItem.state) == LoadState.PLANNED)
    ).scalars().all()
    tx.rule(not left, "load.complete.left",
            N_("{count} planned box(es) neither loaded nor rolled: {boxes}"),
            N_("load them, or roll them with a reason"), count=len(left),
            boxes=", ".join(left[:5]) + (" ..." if len(left) > 5 else ""))
    tx.ensure()
    counts: dict[str, int] = dict(tx.session.execute(
        sa_select(col(LoadItem.state), func.count()).where(
            col(LoadItem.visit_id) == visit.id).group_by(col(LoadItem.state))).all())
    finish_if_done(tx, visit, "loading")  # the last of its cargo work: completed
    tx.record(loaded=counts.get("loaded", 0), rolled=counts.get("rolled", 0))
    return {"loaded": counts.get("loaded", 0), "rolled": counts.get("rolled", 0)}


@operation("load.report", Role.TALLY_CLERK, Role.DISPATCHER)
def report_sent(tx: Tx, visit_id: int, reference: str = "") -> dict:
    """Record that the load tally report of a completed loading went out to the line."""
    visit = _visit(tx, visit_id)
    done = completed_at(tx.session, pk(visit))
    tx.rule(done is not None, "load.report.incomplete",
            N_("loading of {visit} is not complete"), N_("complete the loading first (ctrl+e)"),
            visit=visit.key)
    tx.rule(len(reference) <= 64, "load.report.reference",
            N_("the reference is {n} characters long; at most 64"),
            N_("shorten the reference"), n=len(reference))
    tx.ensure()
    loaded = tx.session.exec(select(func.count()).select_from(LoadItem).where(
        LoadItem.visit_id == visit.id, LoadItem.state == LoadState.LOADED)).one()
    tx.record(reference=reference.strip(), loaded=loaded)
    return {"loaded": loaded}
