"""The yard planner's data: blocks, boxes, slots, what is in the yard (``YardState``, with
every hard rule a slot must meet) and a slot's reasons in words (:func:`explain`).

Kept apart from :mod:`portops.planning.yard` (the planner) so that the planner's steps in
their own modules (:mod:`portops.planning.yard_tiers`) import these and not the planner:
no import cycle. The slot convention and the rules are described in
:mod:`portops.planning.yard`, which also exports every name here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from portops.i18n import N_

#: A full box more than this much heavier than the box it would stand on "matters".
HEAVY_ON_LIGHT_KG = 5_000
#: How many stacks past the first free one the planner looks at to keep weights in order.
LOOKAHEAD = 48


@dataclass(frozen=True)
class Problem:
    """A hard yard rule a slot breaks: its rule id and a sentence a clerk can read in their
    language (an English template and the values it names, as operations state rules)."""

    rule: str
    template: str
    params: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.template.format(**self.params)

@dataclass(frozen=True)
class BlockInfo:
    id: int
    name: str
    bays: int
    rows: int
    tiers: int
    takes_20: bool = True
    takes_40: bool = True
    takes_45: bool = False
    reefer_rows: int = 0
    dangerous_goods: bool = False
    purpose: str = "mixed"
    quay_m: float = 0.0

    def takes(self, length: int) -> bool:
        return {20: self.takes_20, 40: self.takes_40, 45: self.takes_45}[length]


@dataclass(frozen=True)
class BoxInfo:
    """A box that needs a slot. ``key`` is the caller's id (a discharge item)."""

    key: int
    number: str
    length: int  # 20, 40 or 45
    reefer: bool = False
    dangerous: bool = False
    full: bool = True
    weight_kg: int | None = None
    #: Boxes likely to leave together share a group: B/L or consignee, expected dwell.
    group: str = ""
    #: An export box waiting for its vessel: export (or mixed) blocks, never import ones.
    export: bool = False
    #: Hours until the box is expected to leave (appointment or dwell estimate,
    #: :mod:`portops.planning.dwell`): a box that leaves earlier stands higher. None: unknown.
    leave_h: float | None = None
    #: What drove its grouping, for "why this slot" (``appointment AP1 at 09:00 ...``).
    leaving: str = ""
    #: Boxes of one bill of lading stay next to each other inside their group.
    bl: str = ""
    #: The group is only an estimate (a dwell class): a box without a B/L takes the first
    #: stack that fits instead of one with room for its whole group (fast on a full yard).
    loose: bool = False
    #: Where the box comes in the discharge (sequence, crane): boxes reach a stack in this
    #: order, so its tiers fill bottom-up in it. None: no order known (it comes last).
    seq: tuple[int, int] | None = None

    @property
    def barred(self) -> tuple[str, ...]:
        """Block purposes this box may not stand in."""
        if self.export:
            return ("import", "empty")
        return ("export", "empty") if self.full else ()


@dataclass(frozen=True)
class Slot:
    block_id: int
    bay: int
    row: int
    tier: int


@dataclass(frozen=True)
class Placed:
    """A box already standing (or already planned) in the yard."""

    slot: Slot
    length: int
    weight_kg: int | None = None
    number: str = ""
    full: bool = True


@dataclass(frozen=True)
class Allocation:
    key: int
    slot: Slot
    why: str


@dataclass
class YardPlan:
    allocations: list[Allocation] = field(default_factory=list)
    #: Boxes no slot could be found for, each with the reason.
    unplaced: list[tuple[int, str]] = field(default_factory=list)


def length_class(feet: float) -> int:
    """20, 40 or 45 from a nominal length in feet (24'/30' count as 20', 48'+ as 45')."""
    if feet < 35:
        return 20
    return 40 if feet < 44.5 else 45


def cells(length: int, bay: int) -> tuple[int, ...]:
    """The 20' ground positions a box of ``length`` standing at ``bay`` covers."""
    return (bay,) if length == 20 else (bay - 1, bay)


@dataclass(slots=True)
class _Top:
    height: int = 0
    length: int = 0  # length of the top box, 0 on the ground
    weight: int | None = None
    full: bool = True
    number: str = ""
    bay: int = 0  # the bay the top box is recorded at (a 40' at b covers b-1 and b)


class YardState:
    """What stands where, per 20' ground cell: height and the box on top."""

    def __init__(self, blocks: Iterable[BlockInfo], placed: Iterable[Placed] = ()):
        self.blocks = {b.id: b for b in blocks}
        self.tops: dict[tuple[int, int, int], _Top] = {}
        #: (block id, 20' bay, row, tier) -> the number of the box there
        self.taken: dict[tuple[int, int, int, int], str] = {}
        for p in placed:
            self.put(p.slot.block_id, p.slot.bay, p.slot.row, p.slot.tier, p.length,
                     p.weight_kg, p.full, p.number)

    def put(self, block_id: int, bay: int, row: int, tier: int, length: int,
            weight: int | None, full: bool = True, number: str = "") -> None:
        """Record a box standing (or planned) at a slot; boxes may come in any tier order."""
        tops, taken = self.tops, self.taken
        for c in ((bay,) if length == 20 else (bay - 1, bay)):
            taken[(block_id, c, row, tier)] = number
            top = tops.get((block_id, c, row))
            if top is None:
                top = tops[(block_id, c, row)] = _Top()
            if tier >= top.height:
                top.height, top.length, top.weight, top.full = tier, length, weight, full
                top.number, top.bay = number, bay

    def place(self, box: BoxInfo, slot: Slot) -> None:
        self.put(slot.block_id, slot.bay, slot.row, slot.tier, box.length, box.weight_kg,
                 box.full, box.number)

    def height(self, block_id: int, bay: int, row: int) -> int:
        return self.tops[(block_id, bay, row)].height if (block_id, bay, row) in self.tops else 0

    # -- rules -----------------------------------------------------------------------------
    def problems(self, box: BoxInfo, slot: Slot) -> list[Problem]:
        """Every hard rule ``slot`` breaks for ``box`` (translatable sentences)."""
        out: list[Problem] = []
        block = self.blocks.get(slot.block_id)
        if block is None:
            return [Problem("yard.slot.block", N_("there is no yard block {block}"),
                            {"block": slot.block_id})]
        name = block.name
        if not block.takes(box.length):
            out.append(Problem("yard.slot.length", N_("block {block} does not take {length}' boxes"),
                               {"block": name, "length": box.length}))
        if box.length != 20 and slot.bay % 2:
            out.append(Problem("yard.slot.even_bay",
                               N_("a {length}' box stands on an even bay, not bay {bay:02d}"),
                               {"length": box.length, "bay": slot.bay}))
        if not (min(cells(box.length, slot.bay)) >= 1 and slot.bay <= block.bays):
            out.append(Problem("yard.slot.bay", N_("block {block} has bays 1-{bays}"),
                               {"block": name, "bays": block.bays}))
        if not 1 <= slot.row <= block.rows:
            out.append(Problem("yard.slot.row", N_("block {block} has rows 1-{rows}"),
                               {"block": name, "rows": block.rows}))
        if not 1 <= slot.tier <= block.tiers:
            out.append(Problem("yard.slot.tier",
                               N_("block {block} stacks {tiers} high; tier {tier} is over the limit"),
                               {"block": name, "tiers": block.tiers, "tier": slot.tier}))
        if box.reefer and slot.row > block.reefer_rows:
            out.append(Problem("yard.slot.reefer",
                               N_("reefer {number} needs a plug; row {row} of {block} has none"),
                               {"number": box.number, "row": slot.row, "block": name}))
        if box.dangerous and not block.dangerous_goods:
            out.append(Problem("yard.slot.dg",
                               N_("{number} carries dangerous goods; {block} is not a DG block"),
                               {"number": box.number, "block": name}))
        if not box.dangerous and block.dangerous_goods:
            out.append(Problem("yard.slot.dg_only", N_("{block} is kept for dangerous goods"),
                               {"block": name}))
        if block.purpose in box.barred:
            text_ = (N_("{block} is an {purpose} block; an export box does not go there")
                     if box.export else
                     N_("{block} is an {purpose} block; a full import box does not go there"))
            out.append(Problem("yard.slot.purpose", text_,
                               {"block": name, "purpose": block.purpose}))
        if out:
            return out
        where = {"block": name, "bay": slot.bay, "row": slot.row, "tier": slot.tier}
        for c in cells(box.length, slot.bay):
            taken = self.taken.get((slot.block_id, c, slot.row, slot.tier))
            if taken:
                out.append(Problem("yard.slot.taken",
                                   N_("{block} bay {bay:02d} row {row} tier {tier} is taken by "
                                      "{taken}"), {**where, "taken": taken}))
                return out
        out += self._support(box, slot, where)
        return out

    def _support(self, box: BoxInfo, slot: Slot, where: dict) -> list[Problem]:
        tops = [self.tops.get((slot.block_id, c, slot.row)) or _Top()
                for c in cells(box.length, slot.bay)]
        out = []
        if any(t.height != slot.tier - 1 for t in tops):
            low = min(t.height for t in tops)
            out.append(Problem("yard.slot.floating",
                               N_("{block} bay {bay:02d} row {row} tier {tier} would float or "
                                  "stand in a full stack: the stack is {height} high there"),
                               {**where, "height": low}))
            return out
        if slot.tier == 1:
            return out
        if box.length == 20 and tops[0].length != 20:
            out.append(Problem("yard.slot.stacking",
                               N_("a 20' box cannot stand on the {length}' box {number}"),
                               {"length": tops[0].length, "number": tops[0].number}))
        elif box.length != 20 and (any(t.length == 20 for t in tops) or tops[0].bay != slot.bay):
            out.append(Problem("yard.slot.stacking",
                               N_("a {length}' box stands only on another 40'/45' box of the "
                                  "same bay"), {"length": box.length}))
        return out

    def heavy_on_light(self, box: BoxInfo, slot: Slot) -> str | None:
        """The box underneath if ``box`` would be much heavier than it (both full)."""
        if slot.tier == 1 or not box.full or box.weight_kg is None:
            return None
        t = self.tops.get((slot.block_id, slot.bay, slot.row))
        if t and t.full and t.weight is not None and box.weight_kg > t.weight + HEAVY_ON_LIGHT_KG:
            return t.number
        return None


def explain(box: BoxInfo, block: BlockInfo, slot: Slot, dist: float, group: str,
            same_group: bool, heavy_on: str | None) -> str:
    """Why this slot, in words a yard planner reads."""
    parts = [f"{block.name} bay {slot.bay:02d} row {slot.row} tier {slot.tier}:"]
    kind = f"{box.length}'"
    parts.append(f"{block.purpose} block taking {kind}" + (" (even bay)" if box.length != 20
                                                            else ""))
    if box.reefer:
        parts.append(f"reefer plug row {slot.row}")
    if box.dangerous:
        parts.append("DG block")
    parts.append(f"{dist:.0f} m from the berth")
    if group:
        parts.append(f"stacked with {group}" if same_group else f"starts a stack for {group}")
    if box.leaving:
        parts.append(box.leaving)
    if heavy_on:
        parts.append(f"heavier than {heavy_on} below: no lighter-on-heavier slot nearby")
    elif slot.tier > 1 and box.full:
        parts.append("not heavier than the box below")
    return parts[0] + " " + "; ".join(parts[1:])
