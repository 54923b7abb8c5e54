"""What the bay view, the yard view and the tally screen draw: plain grids and lists.

* :func:`vessel_bay` — one vessel bay (a 40' bay with its two 20' halves) as rows × tiers,
  each box with what happens to it here (discharge, discharged, short-landed, remains on
  board) and its crane and sequence number.
* :func:`yard_blocks`, :func:`yard_block`, :func:`yard_bay` — the yard by block (stack heights
  per bay and row), then one bay as rows × tiers, each box with its category, reefer/DG marks,
  holds, and the slots planned for boxes still on the vessel.
* :func:`find_container` — where a box is (or is planned to go) in the yard.
* :func:`tally_queue` — the boxes still to be tallied off a visit, crane by crane.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from portops.flags import Action, blocking
from portops.i18n import _
from portops.model import (
    Container,
    DischargeItem,
    DischargePlan,
    Flag,
    FlagState,
    ItemStatus,
    OnBoard,
    VesselVisit,
    Where,
    YardBlock,
)
from portops.model.base import pk
from portops.ops.yard import box_info, box_length, yard_state
from portops.planning.yard import Slot, landing


@dataclass(frozen=True)
class Cell:
    number: str
    state: str  # discharge / discharged / short / rob / planned / import / export / ...
    size_type: str = ""
    crane: int | None = None
    seq: int | None = None
    reefer: bool = False
    dangerous: bool = False
    held: bool = False
    damaged: bool = False
    half: str = ""  # for a 20' box in a 40' view: "f" (fore bay) or "a" (aft bay)
    pod: str = ""
    slot: str = ""  # BBBRRTT


@dataclass
class Grid:
    title: str
    rows: list[int]  # left to right
    tiers: list[int]  # top to bottom
    cells: dict[tuple[int, int], list[Cell]] = field(default_factory=dict)
    #: For the vessel: the bays that exist, to page through.
    bays: list[int] = field(default_factory=list)


def vessel_rows(rows: set[int]) -> list[int]:
    """Rows as seen from astern: even (port) descending, 00, odd (starboard) ascending."""
    return sorted((r for r in rows if r % 2 == 0 and r), reverse=True) + \
        ([0] if 0 in rows else []) + sorted(r for r in rows if r % 2)


def hatch_bay(bay: int) -> int:
    """The 40' bay a bay belongs to: 01, 02, 03 -> 02."""
    return (bay - 1) // 4 * 4 + 2


def vessel_bay(session: Session, visit_id: int, bay: int | None = None) -> Grid:
    """One 40' bay (and its 20' halves) of a visit; the first bay with boxes if none given.

    Discharge (``discharge``/``discharged``/``short``), boxes staying on board (``rob``) and
    the load plan (``load`` to load, with crane and sequence; ``loaded``)."""
    from portops.model import LoadItem, LoadState

    loads = session.execute(sa_select(
        col(LoadItem.number), col(LoadItem.bay), col(LoadItem.row), col(LoadItem.tier),
        col(LoadItem.crane), col(LoadItem.seq), col(LoadItem.state), col(Container.size_type),
        col(Container.pod), col(Container.reefer_temp_c), col(Container.imdg_class))
        .join(Container, col(Container.id) == LoadItem.container_id)
        .where(col(LoadItem.visit_id) == visit_id,
               col(LoadItem.state) != LoadState.ROLLED.value)).all()
    loading = {r.number for r in loads}
    items = session.exec(select(DischargeItem).join(
        DischargePlan, col(DischargePlan.id) == DischargeItem.plan_id).where(
        DischargePlan.visit_id == visit_id, col(DischargeItem.vessel_bay).is_not(None))).all()
    on_vessel = session.execute(sa_select(
        col(Container.number), col(Container.size_type), col(Container.vessel_bay),
        col(Container.vessel_row), col(Container.vessel_tier), col(Container.reefer_temp_c),
        col(Container.imdg_class)).where(
        col(Container.location) == Where.VESSEL, col(Container.visit_id) == visit_id)).all()
    rob = session.exec(select(OnBoard).where(OnBoard.visit_id == visit_id)).all()
    bays = sorted({hatch_bay(b) for b in [i.vessel_bay for i in items]
                   + [r[2] for r in on_vessel] + [r.bay for r in rob] + [r.bay for r in loads]
                   if b})
    if not bays:
        return Grid("no boxes on board", [], [])
    bay = hatch_bay(bay) if bay else bays[0]
    wanted = (bay - 1, bay, bay + 1)
    cells: dict[tuple[int, int], list[Cell]] = {}

    def add(b, row, tier, cell):
        half = "" if b == bay else ("f" if b < bay else "a")
        cells.setdefault((row, tier), []).append(
            Cell(**{**cell.__dict__, "half": half, "slot": f"{b:03d}{row:02d}{tier:02d}"}))

    seen = set()
    planned = [i for i in items if i.vessel_bay in wanted]
    # the plan's items carry no cargo marks: the boxes' own (a reefer's and a DG box's marks
    # disappeared from the bay once the discharge plan was made)
    marks = {c: (temp is not None, bool(imdg)) for c, temp, imdg in session.execute(sa_select(
        col(Container.id), col(Container.reefer_temp_c), col(Container.imdg_class)).where(
        col(Container.id).in_({i.container_id for i in planned})))} if planned else {}
    for i in planned:
        seen.add(i.number)
        reefer, dangerous = marks.get(i.container_id, (False, False))
        add(i.vessel_bay, i.vessel_row, i.vessel_tier,
            Cell(i.number, "discharge" if i.status == ItemStatus.PLANNED else str(i.status),
                 i.size_type, i.crane, i.seq, damaged=bool(i.damage_codes), reefer=reefer,
                 dangerous=dangerous))
    for number, st, b, row, tier, temp, imdg in on_vessel:
        if b in wanted and number not in seen and number not in loading:
            add(b, row, tier, Cell(number, "discharge", st, reefer=temp is not None,
                                   dangerous=bool(imdg)))
    for r in rob:
        if r.bay in wanted:
            add(r.bay, r.row, r.tier, Cell(r.number, "rob", r.size_type,
                                           reefer=r.reefer_temp_c is not None,
                                           dangerous=bool(r.imdg_class), pod=r.pod))
    for ld in loads:
        if ld.bay in wanted:
            add(ld.bay, ld.row, ld.tier, Cell(
                ld.number, "load" if ld.state == LoadState.PLANNED.value else "loaded",
                ld.size_type, ld.crane, ld.seq, reefer=ld.reefer_temp_c is not None,
                dangerous=bool(ld.imdg_class), pod=ld.pod))
    rows = vessel_rows({row for row, _tier in cells})
    tiers = sorted({t for _row, t in cells}, reverse=True)
    title = _("bay {bay} ({before}/{after})").format(  # shown as the grid's heading
        bay=f"{bay:02d}", before=f"{bay - 1:02d}", after=f"{bay + 1:02d}")
    return Grid(title, rows, tiers, cells, bays)


@dataclass(frozen=True)
class BlockSummary:
    id: int
    name: str
    purpose: str
    bays: int
    rows: int
    tiers: int
    boxes: int
    planned: int
    fill: float  # share of 20' slots taken


def yard_blocks(session: Session) -> list[BlockSummary]:
    counts: dict[int | None, int] = dict(session.execute(
        sa_select(col(Container.yard_block_id), func.count()).where(
            col(Container.location) == Where.YARD).group_by(col(Container.yard_block_id))).all())
    planned: dict[int | None, int] = dict(session.execute(
        sa_select(col(DischargeItem.yard_block_id), func.count()).where(
            col(DischargeItem.status) == ItemStatus.PLANNED,
            col(DischargeItem.yard_block_id).is_not(None))
        .group_by(col(DischargeItem.yard_block_id))).all())
    out = []
    for b in session.exec(select(YardBlock).order_by(col(YardBlock.name))):
        n = counts.get(b.id, 0)
        out.append(BlockSummary(pk(b), b.name, b.purpose, b.bays, b.rows, b.tiers, n,
                                planned.get(b.id, 0), n / max(1, b.bays * b.rows * b.tiers)))
    return out


def yard_block(session: Session, block_id: int) -> dict[tuple[int, int], int]:
    """Stack height per (20' bay, row) of a block."""
    out: dict[tuple[int, int], int] = {}
    for bay, row, tier, st in session.execute(sa_select(
            col(Container.yard_bay), col(Container.yard_row), col(Container.yard_tier),
            col(Container.size_type)).where(col(Container.location) == Where.YARD,
                                            col(Container.yard_block_id) == block_id)):
        for c in ((bay,) if box_length(st) == 20 else (bay - 1, bay)):
            out[(c, row)] = max(out.get((c, row), 0), tier)
    return out


def yard_bay(session: Session, block_id: int, bay: int) -> Grid:
    """One 20' bay of a block as rows × tiers: boxes standing there and slots planned."""
    block = session.get_one(YardBlock, block_id)
    boxes = session.exec(select(Container).where(
        Container.location == Where.YARD, Container.yard_block_id == block_id,
        col(Container.yard_bay).in_([bay, bay + 1]))).all()
    ids = [c.id for c in boxes]
    held = set()
    if ids:
        held = {f.container_id for f in session.exec(select(Flag).where(
            col(Flag.container_id).in_(ids), Flag.state == FlagState.ACTIVE))}
        bls = {c.bl_number for c in boxes if c.bl_number}
        if bls:
            bl_held = {f.bl_number for f in session.exec(select(Flag).where(
                col(Flag.bl_number).in_(bls), Flag.state == FlagState.ACTIVE))}
            held |= {c.id for c in boxes if c.bl_number in bl_held}
    cells: dict[tuple[int, int], list[Cell]] = {}
    for c in boxes:
        if c.yard_row is None or c.yard_tier is None:  # (never, for a box in the yard)
            continue
        if c.yard_bay == bay + 1 and box_length(c.size_type) == 20:
            continue
        state = "empty" if not c.full else str(c.category)
        cells.setdefault((c.yard_row, c.yard_tier), []).append(
            Cell(c.number, state, c.size_type, reefer=c.is_reefer, dangerous=c.is_dangerous,
                 held=c.id in held, damaged=bool(c.damage)))
    for i in session.exec(select(DischargeItem).where(
            DischargeItem.status == ItemStatus.PLANNED, DischargeItem.yard_block_id == block_id,
            col(DischargeItem.yard_bay).in_([bay, bay + 1]))):
        if i.yard_row is None or i.yard_tier is None:  # (never, for a planned slot)
            continue
        if i.yard_bay == bay + 1 and box_length(i.size_type) == 20:
            continue
        cells.setdefault((i.yard_row, i.yard_tier), []).append(
            Cell(i.number, "planned", i.size_type))
    return Grid(_("block {block} bay {bay}").format(block=block.name, bay=f"{bay:02d}"),
                list(range(1, block.rows + 1)),
                list(range(block.tiers, 0, -1)), cells)


@dataclass(frozen=True)
class Found:
    number: str
    block_id: int
    block: str
    bay: int
    row: int
    tier: int
    planned: bool  # a planned slot for a box still on the vessel
    size_type: str = ""
    category: str = ""
    full: bool = True
    weight_kg: int | None = None
    bl_number: str = ""
    consignee: str = ""
    visit: str = ""  # the visit that brought (or brings) it
    why: str = ""  # the yard planner's reasons for a planned slot
    #: What stops its delivery now (holds, releases missing), as the gate would judge it.
    blocks: tuple = ()


def _found(session: Session, c: Container, block: YardBlock, slot: tuple[int, int, int],
           planned: bool, why: str = "") -> Found:
    visit = session.get(VesselVisit, c.in_visit_id) if c.in_visit_id else None
    return Found(c.number, pk(block), block.name, *slot, planned, c.size_type, str(c.category),
                 c.full, c.vgm_kg or c.gross_kg, c.bl_number or "", c.consignee,
                 visit.key if visit else "", why,
                 tuple(blocking(session, Action.DELIVER, container=c)))


def find_container(session: Session, number: str) -> Found | None:
    """Where a box stands in the yard, or the slot planned for it, and what it is."""
    number = number.strip().upper().replace(" ", "")
    c = session.exec(select(Container).where(Container.number == number,
                                             Container.location == Where.YARD)).first()
    # a box in the yard, and a planned slot, has all of its slot
    if c is not None and c.yard_bay is not None and c.yard_row is not None \
            and c.yard_tier is not None:
        b = session.get_one(YardBlock, c.yard_block_id)
        return _found(session, c, b, (c.yard_bay, c.yard_row, c.yard_tier), False)
    i = session.exec(select(DischargeItem).where(
        DischargeItem.number == number, DischargeItem.status == ItemStatus.PLANNED,
        col(DischargeItem.yard_block_id).is_not(None))).first()
    if i is not None and i.yard_bay is not None and i.yard_row is not None \
            and i.yard_tier is not None:
        b = session.get_one(YardBlock, i.yard_block_id)
        c = session.get_one(Container, i.container_id)
        return _found(session, c, b, (i.yard_bay, i.yard_row, i.yard_tier), True, i.why)
    return None


@dataclass(frozen=True)
class QueueLine:
    number: str
    size_type: str
    crane: int | None
    seq: int | None
    vessel_slot: str
    #: Where the box will go when tallied in this order (the tally's own rule).
    yard_slot: str
    #: The planned slot, when the box will not go there ("" when it will, or none planned).
    planned_slot: str = ""


def _slot_text(names: dict, block_id: int | None, bay, row, tier) -> str:
    return f"{names.get(block_id)}-{bay:02d}-{row}-{tier}" if block_id else ""


def tally_queue(session: Session, visit_id: int, limit: int = 200) -> list[QueueLine]:
    """Boxes still to come off a visit, in crane and sequence order, each with the slot the
    tally will give it: its planned slot, or (a box below still on board, the slot taken)
    the lowest free tier of that stack, found by :func:`portops.planning.yard.landing` on
    the yard as it stands plus the boxes listed before it."""
    names = {b.id: b.name for b in session.exec(select(YardBlock))}
    rows = session.execute(sa_select(DischargeItem, Container).join(
        DischargePlan, col(DischargePlan.id) == DischargeItem.plan_id).join(
        Container, col(Container.id) == DischargeItem.container_id).where(
        col(DischargePlan.visit_id) == visit_id, col(DischargeItem.status) == ItemStatus.PLANNED)
        .order_by(col(DischargeItem.seq), col(DischargeItem.crane), col(DischargeItem.id))
        .limit(limit)).all()
    blocks = {i.yard_block_id for i, _c in rows if i.yard_block_id is not None}
    state = yard_state(session, block_ids=blocks, planned=False) if blocks else None
    out = []
    for i, c in rows:
        planned = _slot_text(names, i.yard_block_id, i.yard_bay, i.yard_row, i.yard_tier)
        goes = planned
        if state is not None and planned:
            box = box_info(pk(i), c)
            slot = landing(state, box, Slot(i.yard_block_id, i.yard_bay, i.yard_row,
                                            i.yard_tier))
            if slot is not None:
                state.place(box, slot)
                goes = _slot_text(names, slot.block_id, slot.bay, slot.row, slot.tier)
        out.append(QueueLine(i.number, i.size_type, i.crane, i.seq,
                             f"{i.vessel_bay:03d}{i.vessel_row:02d}{i.vessel_tier:02d}"
                             if i.vessel_bay is not None else "", goes,
                             planned if goes != planned else ""))
    return out


def visit_key(session: Session, visit_id: int) -> str:
    v = session.get(VesselVisit, visit_id)
    return v.key if v else "?"


def cargo_visits(session: Session, loading: bool = False) -> list[tuple[int, str]]:
    """Visits with boxes to discharge (on board, or a discharge plan), and with ``loading``
    those with a load plan, alongside ones first."""
    from portops.model import LIVE, LoadItem, Phase

    planned = set(session.exec(select(col(DischargePlan.visit_id))))
    if loading:  # the bay view shows the load plan too
        planned |= set(session.exec(select(col(LoadItem.visit_id)).distinct()))
    on_board = {v for (v,) in session.execute(sa_select(col(Container.visit_id)).where(
        col(Container.location) == Where.VESSEL).distinct())}
    visits = session.exec(select(VesselVisit).where(
        col(VesselVisit.id).in_(planned | on_board), col(VesselVisit.phase).in_(list(LIVE)))).all()
    alongside = (Phase.WORKING, Phase.BERTHED, Phase.COMPLETED)
    visits = sorted(visits, key=lambda v: (v.phase not in alongside, v.etb is None, v.etb, v.key))
    return [(pk(v), v.key) for v in visits]
