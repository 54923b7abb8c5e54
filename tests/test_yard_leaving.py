"""The yard plan stacks boxes by when they leave: appointment slot/day, else expected dwell.

The measure is the one the yard feels: collected in pickup order, how many boxes must be
moved off a box first (relocations). With appointments it must be none where the yard has
room to stack the days apart.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from portops.model import DischargeItem, Role
from portops.ops.appointments import book
from portops.ops.discharge import make_plan
from portops.ops.releases import register_party
from portops.ops.yard import plan as yard_plan
from portops.planning.dwell import DwellFacts, by_dwell, expected_dwell
from portops.planning.yard import BlockInfo, BoxInfo, YardState, plan_yard
from tests.conftest import as_role
from tests.discharge_fixtures import stow, yard
from tests.gate_world import DISPATCHER, release

PLANNER = as_role(Role.YARD_PLANNER)


def relocations(stands: dict, leaves: dict) -> int:
    """Boxes moved when every box is collected in ``leaves`` order: ``stands`` maps a key
    to ``(stack, tier)``. Boxes of one slot are collected top first."""
    left = dict(stands)
    moved = 0
    for key in sorted(left, key=lambda k: (leaves[k], -left[k][1])):
        stack, tier = left.pop(key)
        moved += sum(1 for s, t in left.values() if s == stack and t > tier)
    return moved


def test_appointments_stack_so_pickups_in_slot_order_move_nothing() -> None:
    block = BlockInfo(1, "A", bays=3, rows=2, tiers=4, purpose="import", quay_m=0)
    rnd = random.Random(4)
    leaves = {k: float(rnd.randrange(1, 60)) for k in range(1, 22)}  # 21 boxes, 24 slots
    boxes = [BoxInfo(k, f"BOX{k}", 20, weight_kg=rnd.randrange(5000, 30000),
                     group=f"pickups day {int(h // 24)}", leave_h=h, leaving=f"slot {h:.0f}")
             for k, h in leaves.items()]
    plan = plan_yard(boxes, YardState([block]), berth_m=0)
    assert not plan.unplaced
    stands = {a.key: ((a.slot.bay, a.slot.row), a.slot.tier) for a in plan.allocations}
    assert relocations(stands, leaves) == 0
    # weight order alone (the old grouping) would have cost moves on the same boxes
    plain = [BoxInfo(b.key, b.number, 20, weight_kg=b.weight_kg, group="B/L X") for b in boxes]
    old = plan_yard(plain, YardState([block]), berth_m=0)
    assert relocations({a.key: ((a.slot.bay, a.slot.row), a.slot.tier)
                        for a in old.allocations}, leaves) > 0


def test_without_appointment_the_dwell_class_groups_and_orders() -> None:
    block = BlockInfo(1, "A", bays=1, rows=1, tiers=4, purpose="import", quay_m=0)
    released, held = by_dwell(DwellFacts(released=True)), by_dwell(DwellFacts(held=True))
    boxes = [BoxInfo(1, "REL1", 20, group=released.group, leave_h=released.hours,
                     leaving=released.reason),
             BoxInfo(2, "HELD", 20, group=held.group, leave_h=held.hours, leaving=held.reason),
             BoxInfo(3, "REL2", 20, group=released.group, leave_h=released.hours,
                     leaving=released.reason)]
    plan = plan_yard(boxes, YardState([block]), berth_m=0)
    tiers = {a.key: a.slot.tier for a in plan.allocations}
    assert tiers[2] == 1 and {tiers[1], tiers[3]} == {2, 3}  # the long dwell at the bottom
    why = {a.key: a.why for a in plan.allocations}
    assert "long dwell" in why[2] and "expected dwell long (~7 d, on hold)" in why[2]
    assert "short dwell" in why[1] and "released by customs and line" in why[1]


def test_the_estimator_reads_the_facts_in_order() -> None:
    assert expected_dwell(DwellFacts(full=False, reefer=True)) == (10, "empty")
    assert expected_dwell(DwellFacts(tranship=True, released=True))[1] == "tranship"
    assert expected_dwell(DwellFacts(reefer=True, held=True))[1] == "reefer"
    assert expected_dwell(DwellFacts(released=True)) == (3, "released by customs and line")
    assert expected_dwell(DwellFacts()) == (5, "not yet released")


def test_yard_plan_stacks_a_days_pickups_in_slot_order(core, engine, small_terminal):
    # Block A near the berth holds two stacks of three: the two days share the yard there.
    yard(engine, A=dict(bays=1, rows=2, tiers=3, reefer_rows=0))
    visit = small_terminal["visit"]
    numbers = stow(engine, visit, [dict(slot=(2 * i + 1, 1, 82), gross_kg=20000 - 1000 * i)
                                   for i in range(6)])
    for code, kind in (("COSU", "line"), ("FWD1", "forwarder"), ("HAUL1", "haulier")):
        core.run(DISPATCHER, register_party, code=code, name=code, kind=kind, identity="X")
    day1 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)  # after the vessel's ETD
    # Boxes come off bay by bay (the order above) and a stack fills bottom-up in that order,
    # so each day's boxes come off latest pickup first: then no pickup moves a box.
    starts = [day1 + timedelta(hours=4), day1 + timedelta(hours=2),
              day1 + timedelta(days=1, hours=4), day1, day1 + timedelta(days=1, hours=2),
              day1 + timedelta(days=1)]
    for n, start in zip(numbers, starts, strict=True):
        release(core, n)
        core.run(DISPATCHER, book, container=n, slot_start=start, haulier="HAUL1",
                 plate=f"T{n[-4:]}", driver_name="Li", driver_id="D1")
    core.run(PLANNER, make_plan, visit_id=visit)
    core.run(PLANNER, yard_plan, visit_id=visit)
    with Session(engine) as s:
        items = {i.number: i for i in s.exec(select(DischargeItem))}
    stands = {n: ((i.yard_block_id, i.yard_bay, i.yard_row), i.yard_tier)
              for n, i in items.items()}
    leaves = dict(zip(numbers, starts, strict=True))
    assert relocations(stands, leaves) == 0
    # each local day (Shanghai) fills its own stack of A, the day's first pickup on top
    assert len({stands[n][0] for n in numbers}) == 2
    first = items[numbers[3]]
    assert first.yard_tier == 3
    assert "pickups 2026-11-28" in first.why and "appointment" in first.why
