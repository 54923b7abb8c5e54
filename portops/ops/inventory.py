"""Loading an inventory: boxes already in the yard or on board when a terminal goes live.

A terminal that starts using portops (or a demo, or a benchmark) has boxes standing in its
yard and on the vessels alongside. ``inventory.load`` puts them in as ONE operation with one
event carrying counts, with one bulk ``INSERT``; every box is still judged by the rules a
yard keeps: valid number and size/type, the slot exists and takes that length, nothing else
stands there, nothing floats (a box above tier 1 stands on another), full reefers on a plug,
dangerous goods in the dangerous-goods block, vessel slots on a live visit.

Yard bays follow ship numbering (see ``YardBlock``): 20' boxes on odd bays, 40'/45' on the
even bay between two of them, covering both.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Table
from sqlmodel import col, select

from portops import codes
from portops.i18n import N_, Translate, as_is
from portops.model import (
    LIVE,
    Category,
    Container,
    Role,
    Terminal,
    VesselVisit,
    Where,
    YardBlock,
)
from portops.model.base import pk, table
from portops.ops.core import Term, Tx, Unmet, operation
from portops.ops.schedule import resolve_time
from portops.prepared import bulk_insert as _bulk_insert

#: A refusal lists at most this many boxes' problems (and says how many more there are).
MAX_LISTED = 50


@dataclass(frozen=True)
class BoxSpec:
    """One box of an inventory; ``where`` says where it was read (``FILE:LINE``)."""

    number: str
    size_type: str
    operator: str = ""
    full: bool = True
    category: str = "import"
    gross_kg: int | None = None
    vgm_kg: int | None = None
    seals: str = ""
    reefer_temp_c: float | None = None
    imdg_class: str | None = None
    un_number: str | None = None
    pol: str = ""
    pod: str = ""
    bl_number: str | None = None
    booking_ref: str | None = None
    in_visit: str | None = None  # visit keys
    out_visit: str | None = None
    #: advised, yard (block/bay/row/tier) or vessel (on_visit + bay/row/tier).
    location: str = "advised"
    block: str | None = None
    on_visit: str | None = None
    bay: int | None = None
    row: int | None = None
    tier: int | None = None
    time_in: datetime | None = None
    where: str = ""


def covers(bay: int) -> tuple[int, ...]:
    """The 20' ground bays a box on ``bay`` stands on: itself, or both neighbours if even."""
    return (bay - 1, bay + 1) if bay % 2 == 0 else (bay,)


class Loaded(dict[str, int]):
    """What ``inventory.load`` put in: counts by ``boxes``, ``yard``, ``vessel`` and
    ``advised`` (a dict, as the event keeps it), and the sentence ``portops import`` prints
    (it printed the dict itself)."""

    def summary(self, translate: Translate = as_is) -> str:
        return translate(N_("{boxes} box(es) loaded: {yard} in the yard, {vessel} on board, "
                            "{advised} advised")).format(**self)


@operation("inventory.load", Role.YARD_PLANNER, log_args=["source"])
def load_inventory(tx: Tx, boxes: list[BoxSpec], source: str = "") -> Loaded:
    """Load an inventory of boxes in the yard and on board (go-live, demo, benchmark)."""
    tx.about("inventory", None, source)
    terminal = tx.session.exec(select(Terminal)).first()
    blocks = {b.name: b for b in tx.session.exec(select(YardBlock))}
    visits = {v.key: v for v in tx.session.exec(select(VesselVisit))}
    active = set(tx.session.exec(select(Container.number).where(
        Container.location != Where.GONE)))
    yard: set[tuple[int | None, ...]] = set()  # (block id, 20' bay, row, tier)
    ship: set[tuple[int | None, ...]] = set()  # (visit id, bay, row, tier)
    for c in tx.session.exec(select(Container).where(col(Container.location).in_(
            [Where.YARD, Where.VESSEL]))):
        if c.location == Where.YARD:
            if c.yard_bay is not None:  # always, for a box in the yard
                yard.update((c.yard_block_id, b, c.yard_row, c.yard_tier)
                            for b in covers(c.yard_bay))
        else:
            ship.add((c.visit_id, c.vessel_bay, c.vessel_row, c.vessel_tier))
    judge = _Judge(tx, blocks, visits, active, yard, ship,
                   terminal.timezone if terminal else "UTC")
    rows = [judge.box(b) for b in boxes]
    judge.supports(boxes)
    if len(judge.unmet) > MAX_LISTED:
        more = len(judge.unmet) - MAX_LISTED
        judge.unmet[MAX_LISTED:] = [Unmet.of("inventory.more", N_("and {more} more problems"),
                                             N_("fix the ones above and load again"), source,
                                             more=more)]
    tx.unmet += judge.unmet
    tx.ensure()
    bulk_insert(tx, table(Container), rows)
    counts = Counter(r["location"] for r in rows)
    result = Loaded(boxes=len(rows), yard=counts[Where.YARD.value],
                    vessel=counts[Where.VESSEL.value], advised=counts[Where.ADVISED.value])
    tx.record(counts=dict(result))
    return result


def bulk_insert(tx: Tx, table: Table, rows: list[dict]) -> None:
    """``INSERT`` many rows with one ``executemany`` on the driver (``portops.prepared``)."""
    _bulk_insert(tx.session.connection(), table, rows)


@dataclass(frozen=True)
class _Block:
    id: int
    name: str
    top: int  # highest bay number
    rows: int
    tiers: int
    lengths: frozenset[float]
    reefer_rows: int
    dangerous_goods: bool


class _Judge:
    """States every rule for every box, remembering slots taken within the batch.

    Written for 100,000 boxes: plain snapshots instead of ORM rows, messages built only for
    the rules that fail.
    """

    def __init__(self, tx: Tx, blocks: dict[str, YardBlock], visits: dict[str, VesselVisit],
                 active: set[str], yard: set, ship: set, tz: str):
        self.blocks = {n: _Block(pk(b), b.name, 2 * b.bays - 1, b.rows, b.tiers, frozenset(
            f for f, ok in ((20.0, b.takes_20), (40.0, b.takes_40), (45.0, b.takes_45)) if ok),
            b.reefer_rows, b.dangerous_goods) for n, b in blocks.items()}
        self.visit_ids: dict[str | None, int] = {k: pk(v) for k, v in visits.items()}
        self.visits = visits
        self.active, self.yard, self.ship, self.tz = active, yard, ship, tz
        self.unmet: list[Unmet] = []
        self.now = tx.now()
        self.size_types: dict[str, tuple[str, float]] = {}
        self.categories = {c.value for c in Category}

    def fail(self, rule: str, message: str, remedy: str, where: str, **params) -> None:
        self.unmet.append(Unmet.of(rule, message, remedy, where, **params))

    def box(self, b: BoxSpec) -> dict:
        w, number = b.where, b.number
        if not codes.is_container_number(number):
            try:
                number = codes.parse_container_number(b.number)
            except codes.CodeError as exc:
                self.fail("inventory.number", exc.template, N_("correct the number"), w,
                          **exc.params)
        size = self.size_types.get(b.size_type)
        if size is None:
            try:
                code = codes.parse_size_type(b.size_type)
                size = self.size_types[b.size_type] = (code, codes.length_feet(code))
            except codes.CodeError as exc:
                size = ("22G1", 20.0)
                self.fail("inventory.size_type", exc.template, N_("correct the code"), w,
                          **exc.params)
        if number in self.active:
            self.fail("inventory.number.active",
                      N_("container {number} is already at (or expected at) the terminal"),
                      N_("list each box once"), w, number=number)
        self.active.add(number)
        if b.category not in self.categories:
            self.fail("inventory.category", N_("{category!r} is not a category"),
                      N_("use import, export, tranship or storage"), w, category=b.category)
        for ref in (b.in_visit, b.out_visit):
            if ref is not None and ref not in self.visit_ids:
                self.fail("inventory.visit.unknown", N_("{number}: there is no visit {ref!r}"),
                          N_("import the schedule first"), w, number=number, ref=ref)
        row = dict(number=number, size_type=size[0], operator=b.operator, full=b.full,
                   category=b.category, gross_kg=b.gross_kg, vgm_kg=b.vgm_kg, seals=b.seals,
                   reefer_temp_c=b.reefer_temp_c, imdg_class=b.imdg_class,
                   un_number=b.un_number, pol=b.pol, pod=b.pod, bl_number=b.bl_number,
                   booking_ref=b.booking_ref, in_visit_id=self.visit_ids.get(b.in_visit),
                   out_visit_id=self.visit_ids.get(b.out_visit), location=b.location,
                   visit_id=None, vessel_bay=None, vessel_row=None, vessel_tier=None,
                   yard_block_id=None, yard_bay=None, yard_row=None, yard_tier=None,
                   time_in=self._time_in(b), time_out=None, damage="")
        if b.location == "yard":
            self.yard_slot(b, number, size, row)
        elif b.location == "vessel":
            self.vessel_slot(b, number, row)
        elif b.location != "advised":
            self.fail("inventory.location", N_("{number}: {location!r} is not a place"),
                      N_("use yard, vessel or advised"), w, number=number, location=Term(b.location))
        return row

    def _time_in(self, b: BoxSpec) -> datetime | None:
        if b.time_in is None:
            return self.now if b.location == "yard" else None
        if b.time_in.tzinfo is not None:
            return b.time_in.astimezone(UTC)
        return resolve_time(b.time_in, self.tz, timedelta(0))

    def yard_slot(self, b: BoxSpec, number: str, size: tuple[str, float], row: dict) -> None:
        w, block = b.where, self.blocks.get(b.block or "")
        if block is None:
            self.fail("inventory.block.unknown", N_("{number}: there is no yard block {block!r}"),
                      N_("use a block of the layout"), w, number=number, block=b.block)
            return
        code, feet = size
        at = f"{block.name} bay {b.bay} row {b.row} tier {b.tier}"
        if not (b.bay and b.row and b.tier and 1 <= b.bay <= block.top
                and 1 <= b.row <= block.rows and 1 <= b.tier <= block.tiers):
            self.fail("inventory.slot.outside",
                      N_("{number}: {at} is outside the block (bays 1-{top}, rows 1-{rows}, tiers 1-{tiers})"),
                      N_("check the position"), w, number=number, at=at, top=block.top,
                      rows=block.rows, tiers=block.tiers)
            return
        if (b.bay % 2 == 0) != (feet >= 35):
            self.fail("inventory.slot.length",
                      N_("{number}: a {feet:g}' box stands on an even bay, not bay {bay}")
                      if feet >= 35 else
                      N_("{number}: a {feet:g}' box stands on an odd bay, not bay {bay}"),
                      N_("20' boxes on odd bays, 40'/45' on even"), w, number=number, feet=feet,
                      bay=b.bay)
            return
        if feet not in block.lengths:
            self.fail("inventory.block.length",
                      N_("{number}: block {block} does not take {feet:g}' boxes"),
                      N_("stack it in a block that does"), w, number=number, block=block.name,
                      feet=feet)
        if b.full and b.reefer_temp_c is not None and code[2] == "R" and \
                b.row > block.reefer_rows:
            self.fail("inventory.reefer.unplugged",
                      N_("{number}: a running reefer needs a plug; row {row} of {block} has none"),
                      N_("use a reefer row"), w, number=number, row=b.row, block=block.name)
        if b.imdg_class and not block.dangerous_goods:
            self.fail("inventory.dg.block",
                      N_("{number}: dangerous goods (class {imdg_class}) belong in a dangerous-goods block"),
                      N_("stack it in the DG block"), w, number=number, imdg_class=b.imdg_class)
        keys = [(block.id, bay, b.row, b.tier) for bay in covers(b.bay)]
        if any(k in self.yard for k in keys):
            self.fail("inventory.slot.taken", N_("{number}: {at} is taken"),
                      N_("give each box its own slot"), w, number=number, at=at)
        self.yard.update(keys)
        row.update(yard_block_id=block.id, yard_bay=b.bay, yard_row=b.row, yard_tier=b.tier)

    def vessel_slot(self, b: BoxSpec, number: str, row: dict) -> None:
        w, visit = b.where, self.visits.get(b.on_visit or "")
        if visit is None:
            self.fail("inventory.visit.unknown",
                      N_("{number}: there is no visit {on_visit!r} to be on board of"),
                      N_("import the schedule first"), w, number=number, on_visit=b.on_visit)
            return
        if visit.phase not in LIVE:
            self.fail("inventory.visit.gone", N_("{number}: visit {visit} is {phase}"),
                      N_("only a visit still at or coming to the terminal has boxes on board"), w,
                      number=number, visit=visit.key, phase=Term(visit.phase))
        key = (visit.id, b.bay, b.row, b.tier)
        if None in key[1:]:
            self.fail("inventory.slot.missing",
                      N_("{number}: the stowage position needs bay, row and tier"),
                      N_("give all three"), w, number=number)
        if key in self.ship:
            self.fail("inventory.slot.taken",
                      N_("{number}: {visit} slot {bay}/{row}/{tier} is taken"),
                      N_("give each box its own slot"), w, number=number, visit=visit.key, bay=b.bay,
                      row=b.row, tier=b.tier)
        self.ship.add(key)
        row.update(visit_id=visit.id, vessel_bay=b.bay, vessel_row=b.row, vessel_tier=b.tier)

    def supports(self, boxes: list[BoxSpec]) -> None:
        """No box floats: each 20' ground bay under a box above tier 1 is taken below it."""
        for b in boxes:
            if b.location != "yard" or not b.tier or b.tier < 2 or not b.bay:
                continue
            block = self.blocks.get(b.block or "")
            if block is None:
                continue
            if not all((block.id, bay, b.row, b.tier - 1) in self.yard for bay in covers(b.bay)):
                self.fail("inventory.slot.floating",
                          N_("{number}: nothing stands under {block} bay {bay} row {row} tier {tier}"),
                          N_("stack from tier 1 up"), b.where, number=b.number, block=block.name,
                          bay=b.bay, row=b.row, tier=b.tier)
