"""A stack fills bottom-up in the order its boxes come off the vessel, and the tally list
shows the slot the tally will really give (walker report, item 5).

The yard plan used to stack a B/L's boxes heaviest first whatever the crane sequence: the
first box off was planned at tier 3 of an empty stack, the tally set it down at tier 1 (a
later box's slot), and the list kept showing slots that were taken or would float.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from portops.model import DischargeItem, ItemStatus, Role
from portops.ops.discharge import make_plan
from portops.ops.tally import confirm, short_land
from portops.ops.yard import plan as yard_plan
from portops.planning.yard import BlockInfo, BoxInfo, Slot, YardState, landing, plan_yard
from portops.queries.views import tally_queue
from tests.conftest import as_role
from tests.discharge_fixtures import stow, yard
from tests.test_tally_ops import ready

PLANNER, CLERK = as_role(Role.YARD_PLANNER), as_role(Role.TALLY_CLERK)
BLOCK = BlockInfo(1, "A12", bays=1, rows=1, tiers=4, purpose="import", quay_m=0)


def test_a_stack_fills_bottom_up_in_discharge_order_not_by_weight() -> None:
    # one B/L, the lightest off first: the planner wants the heaviest at the bottom
    boxes = [BoxInfo(k, f"BOX{k}", 20, weight_kg=w, group="B/L X", bl="X", seq=(k, 1))
             for k, w in ((1, 10_000), (2, 18_000), (3, 30_000))]
    state = YardState([BLOCK])
    plan = plan_yard(boxes, state, berth_m=0)
    tiers = {a.key: a.slot.tier for a in plan.allocations}
    assert tiers == {1: 1, 2: 2, 3: 3}  # never a box planned above an empty tier
    why = {a.key: a.why for a in plan.allocations}
    assert why[1].startswith("A12 bay 01 row 1 tier 1:") and "starts a stack" in why[1]
    assert why[3].startswith("A12 bay 01 row 1 tier 3:") and "heavier than BOX2 below" in why[3]
    # the yard state the planner leaves behind knows the new tiers: BOX3 on top
    assert state.taken[(1, 1, 1, 1)] == "BOX1" and state.tops[(1, 1, 1)].number == "BOX3"
    # every box, set down in discharge order, lands exactly where planned
    empty = YardState([BLOCK])
    for a in sorted(plan.allocations, key=lambda a: a.key):
        assert landing(empty, boxes[a.key - 1], a.slot) == a.slot
        empty.place(boxes[a.key - 1], a.slot)


def test_without_a_discharge_order_the_heaviest_still_goes_below() -> None:
    boxes = [BoxInfo(k, f"BOX{k}", 20, weight_kg=w, group="B/L X", bl="X")
             for k, w in ((1, 10_000), (2, 30_000))]
    plan = plan_yard(boxes, YardState([BLOCK]), berth_m=0)
    assert {a.key: a.slot.tier for a in plan.allocations} == {2: 1, 1: 2}


def test_landing_takes_the_lowest_free_tier_when_the_plan_would_float() -> None:
    box = BoxInfo(1, "BOX1", 20)
    assert landing(YardState([BLOCK]), box, Slot(1, 1, 1, 3)) == Slot(1, 1, 1, 1)
    full = YardState([BLOCK], [])
    for t in range(1, 5):
        full.put(1, 1, 1, t, 20, None, number=f"X{t}")
    assert landing(full, box, Slot(1, 1, 1, 4)) is None  # nowhere in that stack


def stow_three(core, engine, visit: int) -> list[str]:
    """Three 20' boxes of one B/L, lightest off first (rows 1-3 of deck bay 01), discharge
    and yard planned, the visit berthed with port entry granted."""
    yard(engine)
    numbers = stow(engine, visit, [
        dict(slot=(1, row, 82), gross_kg=w, bl_number="BL7") for row, w in
        ((1, 9000), (2, 16000), (3, 24000))])
    core.run(PLANNER, make_plan, visit_id=visit)
    core.run(PLANNER, yard_plan, visit_id=visit)
    ready(core, visit)
    return numbers


@pytest.fixture
def three(core, engine, small_terminal):
    visit = small_terminal["visit"]
    return {"visit": visit, "numbers": stow_three(core, engine, visit)}


def planned_items(engine) -> dict[str, DischargeItem]:
    with Session(engine) as s:
        return {i.number: i for i in s.exec(select(DischargeItem))}


def queue(engine, visit) -> list:
    with Session(engine) as s:
        return tally_queue(s, visit)


def test_the_tally_gives_each_box_its_planned_slot_and_the_list_says_it(core, engine, three):
    items = planned_items(engine)
    stack = {(i.yard_block_id, i.yard_bay, i.yard_row) for i in items.values()}
    assert len(stack) == 1
    by_seq = sorted(items.values(), key=lambda i: i.seq)
    assert [i.number for i in by_seq] == three["numbers"]
    assert [i.yard_tier for i in by_seq] == [1, 2, 3]
    for n in three["numbers"]:
        first = queue(engine, three["visit"])[0]
        assert first.number == n and first.planned_slot == ""
        out = core.run(CLERK, confirm, visit_id=three["visit"], number=n)
        assert out["slot"] == first.yard_slot and "planned" not in out
        # the boxes still to come keep their planned, free slots
        assert all(q.planned_slot == "" for q in queue(engine, three["visit"]))


def test_a_box_short_or_out_of_order_moves_the_plan_and_the_tally_says_so(core, engine,
                                                                           three):
    a, b, c = three["numbers"]
    i = planned_items(engine)[a]
    assert i.yard_tier == 1
    stack = f"A-{i.yard_bay:02d}-{i.yard_row}"
    # a is not on board: b and c are planned one tier down, where the tally will put them
    core.run(CLERK, short_land, visit_id=three["visit"], number=a, note="not found")
    tiers = {n: i.yard_tier for n, i in planned_items(engine).items()}
    assert (tiers[b], tiers[c]) == (1, 2)
    assert "tier 1:" in planned_items(engine)[b].why
    q = {x.number: x for x in queue(engine, three["visit"])}
    assert (q[b].yard_slot, q[b].planned_slot) == (f"{stack}-1", "")
    assert (q[c].yard_slot, q[c].planned_slot) == (f"{stack}-2", "")
    # c comes off before b (another crane, a clerk's order): the lowest free tier, said so
    out = core.run(CLERK, confirm, visit_id=three["visit"], number=c)
    assert out["slot"] == f"{stack}-1" and out["planned"] == f"{stack}-2"
    assert planned_items(engine)[b].yard_tier == 2  # b now planned where it will go
    assert [(x.number, x.yard_slot, x.planned_slot) for x in queue(engine, three["visit"])] \
        == [(b, f"{stack}-2", "")]
    out = core.run(CLERK, confirm, visit_id=three["visit"], number=b)
    assert out["slot"] == f"{stack}-2" and "planned" not in out


def test_the_list_shows_the_real_slot_when_the_plan_is_stale(core, engine, three):
    """A plan left as it was (no operation moved it): the list still says where each box
    will go, by the tally's own rule."""
    a, b, c = three["numbers"]
    with Session(engine) as s, s.begin():  # a short box, its stack not moved down
        s.exec(select(DischargeItem).where(DischargeItem.number == a)).one().status = \
            ItemStatus.SHORT
    q = {x.number: x for x in queue(engine, three["visit"])}
    stack = q[b].yard_slot[:-2]
    assert (q[b].yard_slot, q[b].planned_slot) == (f"{stack}-1", f"{stack}-2")
    assert (q[c].yard_slot, q[c].planned_slot) == (f"{stack}-2", f"{stack}-3")
    assert core.run(CLERK, confirm, visit_id=three["visit"], number=b)["slot"] == f"{stack}-1"
