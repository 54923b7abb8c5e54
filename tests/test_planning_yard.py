"""Yard slot rules and the planner (pure): every hard rule, and the preferences."""

from __future__ import annotations

from portops.planning.yard import BlockInfo, BoxInfo, Placed, Slot, YardState, plan_yard

A = BlockInfo(1, "A", bays=6, rows=3, tiers=3, reefer_rows=1, purpose="import", quay_m=100)
B = BlockInfo(2, "B", bays=6, rows=3, tiers=3, purpose="import", quay_m=900, takes_45=True)
D = BlockInfo(3, "D", bays=4, rows=2, tiers=2, dangerous_goods=True, quay_m=400)
E = BlockInfo(4, "E", bays=4, rows=2, tiers=2, purpose="export", quay_m=50)
BLOCKS = [A, B, D, E]


def box(key=1, length=20, **kw) -> BoxInfo:
    return BoxInfo(key, kw.pop("number", f"BOX{key}"), length, **kw)


def rules(state, b, slot) -> set[str]:
    return {p.rule for p in state.problems(b, slot)}


def test_every_hard_rule_is_named() -> None:
    s = YardState(BLOCKS)
    assert rules(s, box(length=45), Slot(1, 3, 2, 1)) == {"yard.slot.length", "yard.slot.even_bay"}
    assert rules(s, box(reefer=True), Slot(1, 1, 2, 1)) == {"yard.slot.reefer"}
    assert rules(s, box(dangerous=True), Slot(1, 1, 2, 1)) == {"yard.slot.dg"}
    assert rules(s, box(), Slot(3, 1, 1, 1)) == {"yard.slot.dg_only"}
    assert rules(s, box(), Slot(4, 1, 1, 1)) == {"yard.slot.purpose"}
    assert rules(s, box(), Slot(1, 1, 2, 4)) == {"yard.slot.tier"}
    assert rules(s, box(), Slot(1, 7, 9, 1)) == {"yard.slot.bay", "yard.slot.row"}
    assert rules(s, box(), Slot(1, 1, 2, 2)) == {"yard.slot.floating"}
    assert rules(s, box(), Slot(1, 1, 2, 1)) == set()


def test_taken_and_mixed_stacks() -> None:
    s = YardState(BLOCKS, [Placed(Slot(1, 2, 2, 1), 40, 20000, "FORTY"),
                           Placed(Slot(1, 5, 2, 1), 20, 20000, "TWENTY")])
    assert rules(s, box(), Slot(1, 1, 2, 1)) == {"yard.slot.taken"}  # the 40' covers bay 1
    assert rules(s, box(), Slot(1, 2, 2, 2)) == {"yard.slot.stacking"}  # no 20' on a 40'
    assert rules(s, box(length=40), Slot(1, 2, 2, 2)) == set()
    assert rules(s, box(length=40), Slot(1, 6, 2, 1)) == {"yard.slot.taken"}
    assert rules(s, box(length=40), Slot(1, 6, 2, 2)) == {"yard.slot.floating"}  # half on 20'


def test_planner_places_by_kind_near_the_berth_and_never_twice() -> None:
    boxes = [box(1, reefer=True), box(2, dangerous=True), box(3, length=45), box(4),
             box(5, length=40)]
    plan = plan_yard(boxes, YardState(BLOCKS), berth_m=150)
    got = {a.key: a.slot for a in plan.allocations}
    assert not plan.unplaced
    assert got[1].block_id == 1 and got[1].row == 1  # reefer plug row
    assert got[2].block_id == 3  # DG block
    assert got[3].block_id == 2 and got[3].bay % 2 == 0  # only B takes 45'
    assert got[4].block_id == 1 and got[4].row > 1  # near the berth, off the plug row
    assert got[5].bay % 2 == 0
    assert len(set(got.values())) == len(got)
    assert all(a.why for a in plan.allocations)
    assert "reefer plug row 1" in next(a.why for a in plan.allocations if a.key == 1)


def test_group_shares_a_stack_heaviest_at_the_bottom() -> None:
    boxes = [box(i, group="B/L X", weight_kg=w) for i, w in ((1, 10000), (2, 25000), (3, 18000))]
    boxes += [box(9, weight_kg=30000)]
    plan = plan_yard(boxes, YardState(BLOCKS), berth_m=100)
    got = {a.key: a.slot for a in plan.allocations}
    stacks = {(got[k].block_id, got[k].bay, got[k].row) for k in (1, 2, 3)}
    assert len(stacks) == 1
    assert [got[k].tier for k in (2, 3, 1)] == [1, 2, 3]
    assert (got[9].block_id, got[9].bay, got[9].row) not in stacks
    assert "stacked with B/L X" in next(a.why for a in plan.allocations if a.key == 3)


def test_heavy_box_avoids_a_light_one_when_it_can() -> None:
    placed = [Placed(Slot(1, b, r, 1), 20, 3000, f"L{b}{r}") for b in (1, 2) for r in (2, 3)]
    s = YardState(BLOCKS, placed)
    plan = plan_yard([box(1, weight_kg=28000)], s, berth_m=100)
    assert plan.allocations[0].slot.tier == 1


def test_full_yard_leaves_boxes_unplaced_with_a_reason() -> None:
    tiny = BlockInfo(1, "T", bays=1, rows=1, tiers=1)
    plan = plan_yard([box(1), box(2)], YardState([tiny]), berth_m=0)
    assert len(plan.allocations) == 1
    assert plan.unplaced == [(2, "no free 20' slot left in any block that takes it")]


def test_a_broken_slot_rule_reads_in_english_and_in_chinese(chinese) -> None:
    from portops.ops.core import Unmet

    s = YardState(BLOCKS, [Placed(Slot(1, 2, 2, 1), 40, 20000, "FORTY")])
    [p] = s.problems(box(), Slot(1, 1, 2, 1))
    assert p.text == "A bay 01 row 2 tier 1 is taken by FORTY"
    u = Unmet.of(p.rule, p.template, "choose another slot", **p.params)
    assert u.message == p.text
    assert u.localized(chinese)[0] == "A 01 贝 2 排 1 层已被 FORTY 占用"
