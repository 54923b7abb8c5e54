"""Yard planning: a yard slot for every box to come, each choice with its reasons.

Pure functions over plain data, so the same rules serve the automatic planner, the yard
planner's manual move and the tally clerk's "actual slot given".

Slot convention (yard bays are 20' ground positions numbered ``1..block.bays``): a 20' box
stands on any bay; a 40' or 45' box stands on an *even* bay ``b`` and covers the 20' ground
positions ``b-1`` and ``b``. Stacks are not mixed: a 20' never stands on a 40' (no corner
castings mid-length), and a 40'/45' stands on the ground or on another 40'/45' of the same
bay. Tiers count from 1 at the ground and never exceed ``block.tiers``; no box floats.

Hard rules (a slot that breaks one is refused, with every reason): the block takes the
length; 40'/45' on an even bay; reefers only on reefer-plug rows (``1..reefer_rows``);
dangerous goods only in DG blocks and nothing else in them; full import boxes not in export
or empty blocks; tier limit; slot free; no floating box. Preferences the planner weighs:
near the vessel's berth, boxes likely to leave together (same B/L or consignee, same expected
dwell) in the same stack, heavier below lighter, plug rows kept for reefers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from portops.planning.yard_model import (  # noqa: F401 - the planner's names, exported here
    HEAVY_ON_LIGHT_KG,
    LOOKAHEAD,
    Allocation,
    BlockInfo,
    BoxInfo,
    Placed,
    Problem,
    Slot,
    YardPlan,
    YardState,
    _Top,
    cells,
    explain,
    length_class,
)
from portops.planning.yard_tiers import bottom_up


def landing(state: YardState, box: BoxInfo, planned: Slot) -> Slot | None:
    """The slot the tally sets a box planned at ``planned`` down in: that slot when every
    rule allows it, else the lowest free tier of the same stack (a box below it is still on
    board, or its slot was taken); None when neither is allowed. The tally list reads the
    same rule, so it shows where each box will actually go."""
    if not state.problems(box, planned):
        return planned
    lowest = max(state.height(planned.block_id, c, planned.row)
                 for c in cells(box.length, planned.bay)) + 1
    again = Slot(planned.block_id, planned.bay, planned.row, lowest)
    return again if lowest != planned.tier and not state.problems(box, again) else None


def plan_yard(boxes: Iterable[BoxInfo], state: YardState, berth_m: float) -> YardPlan:
    """Give every box a slot near ``berth_m`` (metres along the quay), with its reasons.

    Boxes are handled class by class (length, reefer, DG, full/empty), then group by group,
    so a group fills whole stacks in order of distance from the berth. Groups that leave
    last go first and, inside a group, the box that leaves last goes first (then by B/L,
    heaviest first): every box placed later leaves no later than the plan's boxes under it,
    so collecting the boxes in pickup order costs no relocation. The stacks chosen, each
    stack's tiers are then given in discharge order (:mod:`~portops.planning.yard_tiers`): a box cannot be
    set down above a tier whose box is still on board. ``state`` is updated in place.
    """
    plan = YardPlan()
    meta: dict[int, tuple] = {}
    by_class: dict[tuple, list[BoxInfo]] = defaultdict(list)
    for b in boxes:
        by_class[(b.length, b.reefer, b.dangerous, b.full, b.export)].append(b)
    # Classes can share stacks (an empty on a full 20'): the one that leaves last goes first.
    for cls, members in sorted(by_class.items(), key=lambda kv: -_latest(kv[1])):
        stacks = _stacks(state, cls, berth_m)
        groups: dict[str, list[BoxInfo]] = defaultdict(list)
        for b in members:
            groups[b.group].append(b)
        order = sorted(groups, key=lambda g: (g == "", -_latest(groups[g]), -len(groups[g]), g))
        cursor = _Cursor(stacks, meta)
        for g in order:
            group = sorted(groups[g], key=lambda b: (-_leave(b), b.bl, -(b.weight_kg or 0),
                                                     b.number))
            for box, left in zip(group, _left(group), strict=True):
                alloc = cursor.take(state, box, left, g)
                if alloc is None:
                    plan.unplaced.append((box.key, _no_room(state, cls)))
                else:
                    plan.allocations.append(alloc)
    bottom_up(plan, state, meta)
    return plan


def _leave(box: BoxInfo) -> float:
    """Hours until the box leaves; unknown counts as never (it goes to the bottom)."""
    return float("inf") if box.leave_h is None else box.leave_h


def _latest(group: list[BoxInfo]) -> float:
    return max(_leave(b) for b in group)


def _left(group: list[BoxInfo]) -> list[int]:
    """For each box, how many boxes (itself included) still want to share its stacks: the
    rest of its group; none for a loose dwell estimate without a B/L (any stack will do)."""
    n = len(group)
    return [0 if b.loose and not b.bl else n - i for i, b in enumerate(group)]


def _no_room(state: YardState, cls: tuple) -> str:
    length, reefer, dg, full, _export = cls
    kind = f"{length}'" + (" reefer" if reefer else "") + (" DG" if dg else "")
    return f"no free {kind} slot left in any block that takes it"


def _stacks(state: YardState, cls: tuple, berth_m: float) -> list[tuple[BlockInfo, int, int, float]]:
    """Every stack (block, bay, row) a box of this class may use, nearest the berth first."""
    length, reefer, dg, full, export = cls
    barred = BoxInfo(0, "", length, full=full, export=export).barred
    out = []
    for block in state.blocks.values():
        if not block.takes(length) or block.dangerous_goods != dg:
            continue
        if block.purpose in barred:
            continue
        if reefer:
            rows = range(1, min(block.reefer_rows, block.rows) + 1)
        else:
            rows = range(block.reefer_rows + 1, block.rows + 1)
        bays = range(1, block.bays + 1) if length == 20 else range(2, block.bays + 1, 2)
        dist = abs(block.quay_m - berth_m)
        rank = 0 if block.purpose == ("export" if export else "import") else 1
        out += [(block, bay, row, dist, rank) for bay in bays for row in rows]
    out.sort(key=lambda s: (s[4], s[3], s[0].name, s[1], s[2]))
    return [(s[0], s[1], s[2], s[3]) for s in out]


class _Cursor:
    """Walks the stacks of one class in order; full stacks are passed for good."""

    def __init__(self, stacks, meta: dict[int, tuple]):
        self.stacks = stacks
        #: box key -> (box, block, distance, group, same group, what stood below, the box
        #: it is much heavier than): :func:`portops.planning.yard_tiers.bottom_up` writes
        #: the reasons from it once the tiers are final if it changes the tiers.
        self.meta = meta
        self.i = 0
        self.current: tuple | None = None  # the stack the current group is filling

    @staticmethod
    def _fits(state: YardState, box: BoxInfo, s) -> Slot | None:
        """The next slot up in stack ``s``, or None. The stack list already satisfies the
        block-level rules (length, plug rows, DG, purpose, even bays); this checks only what
        changes as boxes are placed: height, support, mixed stacks (same rules as
        :meth:`YardState.problems`, without building sentences, for speed)."""
        block, bay, row = s[0], s[1], s[2]
        tops = state.tops
        if box.length == 20:
            t = tops.get((block.id, bay, row))
            h = t.height if t else 0
            if h >= block.tiers or (t is not None and h and t.length != 20):
                return None
            return Slot(block.id, bay, row, h + 1)
        a, b = tops.get((block.id, bay - 1, row)), tops.get((block.id, bay, row))
        ha, hb = (a.height if a else 0), (b.height if b else 0)
        if ha != hb or ha >= block.tiers:
            return None
        if a is not None and b is not None and ha and (
                a.length == 20 or b.length == 20 or a.bay != bay or b.bay != bay):
            return None
        return Slot(block.id, bay, row, ha + 1)

    def take(self, state: YardState, box: BoxInfo, left: int, group: str) -> Allocation | None:
        if self.current is not None and group and self.current[4] == group:
            slot = self._fits(state, box, self.current)
            if slot is not None and not state.heavy_on_light(box, slot):
                return self._commit(state, box, self.current[:4], slot, group, same=True)
        first = None
        j, seen = self.i, 0
        while j < len(self.stacks) and seen < LOOKAHEAD:
            s = self.stacks[j]
            slot = self._fits(state, box, s)
            if slot is None:
                if j == self.i:
                    self.i += 1  # full (or unusable) for this class: never look again
                j += 1
                continue
            seen += 1
            first = first or (s, slot)
            room = s[0].tiers - slot.tier + 1
            if not state.heavy_on_light(box, slot) and (room >= min(left, s[0].tiers)
                                                         or not group):
                return self._commit(state, box, s, slot, group, same=False)
            j += 1
        if first is None:
            return None
        return self._commit(state, box, first[0], first[1], group, same=False)

    def _commit(self, state, box, s, slot, group, *, same: bool) -> Allocation:
        block, bay, row, dist = s
        below = state.heavy_on_light(box, slot)
        t = state.tops.get((block.id, slot.bay, row))
        under = (t.weight, t.full, t.number, self.current[4] if self.current and same else None) \
            if t is not None and slot.tier > 1 else (None, True, "", None)
        self.meta[box.key] = (box, block, dist, group, same, under, below)
        state.place(box, slot)
        self.current = (block, bay, row, dist, group)
        return Allocation(box.key, slot, "")  # the reasons: once the tiers are final
