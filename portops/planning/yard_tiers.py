"""A stack's tiers fill bottom-up in the order its boxes come off the vessel.

:func:`portops.planning.yard.plan_yard` chooses the stacks by when boxes leave (and weight);
a box still comes off the vessel when the crane sequence says, and cannot be set down above
a tier whose box is still on board. :func:`bottom_up` gives each stack's tiers to its boxes
in discharge order once the stacks are chosen. Kept apart from the planner's module, which
is long enough.
"""

from __future__ import annotations

from collections import defaultdict

from portops.planning.yard_model import (
    HEAVY_ON_LIGHT_KG,
    Allocation,
    BoxInfo,
    Slot,
    YardPlan,
    YardState,
    cells,
    explain,
)


def order_key(box: BoxInfo) -> tuple:
    """Discharge order (sequence, crane); a box with none comes last, so a plan made without
    a discharge sequence keeps the planner's tiers."""
    return (0, box.seq) if box.seq is not None else (1, (0, 0))


def bottom_up(plan: YardPlan, state: YardState, meta: dict[int, tuple]) -> None:
    """Give each stack's tiers (those this plan fills) to its boxes in discharge order.

    The stacks are chosen by when boxes leave, but a box comes off the vessel when the crane
    sequence says: planned at tier 3 of an empty stack, the first box off would float (the
    tally then sets it down at tier 1, taking a later box's slot). Only tiers move, inside
    one stack of one length, so every hard rule still holds. Every allocation's reasons are
    written here, once, for its final tier."""
    stacks: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    for i, a in enumerate(plan.allocations):
        stacks[(a.slot.block_id, a.slot.bay, a.slot.row)].append(i)
    for (block_id, bay, row), idxs in stacks.items():
        allocs = sorted((plan.allocations[i] for i in idxs), key=lambda a: a.slot.tier)
        order = sorted(allocs, key=lambda a: (order_key(meta[a.key][0]), a.slot.tier))
        if [a.key for a in order] == [a.key for a in allocs]:  # as the planner stacked them
            for i in idxs:
                a = plan.allocations[i]
                box, block, dist, group, same, _under, heavy = meta[a.key]
                plan.allocations[i] = Allocation(
                    a.key, a.slot, explain(box, block, a.slot, dist, group, same, heavy))
            continue
        tiers = [a.slot.tier for a in allocs]
        where = {plan.allocations[i].key: i for i in idxs}
        below: tuple = meta[allocs[0].key][5]
        for tier, a in zip(tiers, order, strict=True):
            box, block, dist, group = meta[a.key][:4]
            slot = Slot(block_id, bay, row, tier)
            under_w, under_full, under_no, under_group = below
            heavy = (under_no if tier > 1 and box.full and under_full and box.weight_kg is not None
                     and under_w is not None and box.weight_kg > under_w + HEAVY_ON_LIGHT_KG
                     else None)
            same = bool(group) and under_group == group
            plan.allocations[where[a.key]] = Allocation(
                a.key, slot, explain(box, block, slot, dist, group, same, heavy))
            for c in cells(box.length, bay):
                state.taken[(block_id, c, row, tier)] = box.number
                if tier == tiers[-1]:
                    top = state.tops[(block_id, c, row)]
                    top.weight, top.full, top.number = box.weight_kg, box.full, box.number
            below = (box.weight_kg, box.full, box.number, group)
