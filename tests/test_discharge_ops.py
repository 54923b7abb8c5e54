"""Discharge plan, yard plan and manual moves as operations, against a real SQLite file."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from portops.model import DischargeItem, DischargePlan, Role
from portops.ops import Refused
from portops.ops.discharge import make_plan
from portops.ops.yard import move_slot
from portops.ops.yard import plan as yard_plan
from tests.conftest import as_role
from tests.discharge_fixtures import in_yard, number, remain_on_board, stow, yard

PLANNER = as_role(Role.YARD_PLANNER)


@pytest.fixture
def loaded(core, engine, small_terminal):
    blocks = yard(engine)
    visit = small_terminal["visit"]
    numbers = stow(engine, visit, [
        dict(slot=(2, 1, 82), size_type="42G1", gross_kg=20000, bl_number="BL1"),
        dict(slot=(2, 2, 82), size_type="42G1", gross_kg=25000, bl_number="BL1"),
        dict(slot=(1, 1, 4), size_type="22G1", gross_kg=12000),
        dict(slot=(5, 1, 82), size_type="22R1", reefer_temp_c=-18, gross_kg=15000),
        dict(slot=(6, 3, 84), size_type="42G1", imdg_class="3", un_number="1263"),
        dict(slot=(10, 1, 82), size_type="L5G1"),
    ])
    remain_on_board(engine, visit, [dict(slot=(10, 2, 84), pod="KRPUS")])
    return {"visit": visit, "blocks": blocks, "numbers": numbers, **small_terminal}


def items(engine) -> dict[str, DischargeItem]:
    with Session(engine) as s:
        return {i.number: i for i in s.exec(select(DischargeItem).order_by(DischargeItem.id))}


def test_plan_lists_the_boxes_for_this_port_with_cranes_and_sequence(core, engine, loaded):
    out = core.run(PLANNER, make_plan, visit_id=loaded["visit"], cranes=2)
    assert out["boxes"] == 6 and out["cranes"] == 2
    got = items(engine)
    assert len(got) == 6  # the box for Busan stays on board
    with Session(engine) as s:
        plan = s.exec(select(DischargePlan)).one()
    assert [w["crane"] for w in plan.split] == [1, 2]
    assert sum(w["moves"] for w in plan.split) == 6
    hatches = [h for w in plan.split for h in w["hatches"]]
    assert hatches == sorted(hatches)  # contiguous ranges bow to stern: never crossing
    c1 = sorted((i for i in got.values() if i.crane == 1), key=lambda i: i.seq)
    assert c1[0].vessel_tier >= 70 and c1[-1].vessel_tier < 70  # deck before hold


def test_plan_refusals_are_listed_together(core, engine, small_terminal):
    yard(engine)
    with pytest.raises(Refused) as exc:
        core.run(as_role(Role.GATE_CLERK), make_plan, visit_id=small_terminal["visit"], cranes=40)
    assert set(exc.value.rules) == {"role.not_permitted", "discharge.plan.cranes",
                                    "discharge.plan.nothing"}


def test_yard_plan_gives_every_box_a_valid_slot_once(core, engine, loaded):
    core.run(PLANNER, make_plan, visit_id=loaded["visit"])
    out = core.run(PLANNER, yard_plan, visit_id=loaded["visit"])
    assert out == {"planned": 6}
    got = items(engine)
    slots = {(i.yard_block_id, i.yard_bay, i.yard_row, i.yard_tier) for i in got.values()}
    assert len(slots) == 6
    b = loaded["blocks"]
    n = loaded["numbers"]
    assert got[n[3]].yard_block_id == b["A"] and got[n[3]].yard_row == 1  # reefer on plug row
    assert got[n[4]].yard_block_id == b["D"]  # DG block
    assert got[n[5]].yard_block_id == b["B"]  # only B takes 45'
    assert got[n[0]].yard_block_id == got[n[1]].yard_block_id == b["A"]  # same B/L, same stack
    assert (got[n[0]].yard_bay, got[n[0]].yard_row) == (got[n[1]].yard_bay, got[n[1]].yard_row)
    # the first off the vessel stands below: a stack fills in discharge order, so the
    # heavier box, which comes off second, cannot be set down under it
    assert (got[n[0]].seq, got[n[0]].yard_tier) < (got[n[1]].seq, got[n[1]].yard_tier)
    assert all(i.why for i in got.values())


def test_yard_plan_avoids_boxes_already_in_the_yard_and_other_plans(core, engine, loaded):
    a = loaded["blocks"]["A"]
    for bay in range(1, 7):
        for row in (2, 3, 4):
            for tier in (1, 2, 3):
                in_yard(engine, a, bay, row, tier, number=number("YRD", bay * 100 + row * 10
                                                                  + tier))
    core.run(PLANNER, make_plan, visit_id=loaded["visit"])
    core.run(PLANNER, yard_plan, visit_id=loaded["visit"])
    got = items(engine)
    assert all(i.yard_block_id != a or i.yard_row == 1 for i in got.values())


def test_the_database_refuses_a_slot_planned_twice(core, engine, loaded):
    core.run(PLANNER, make_plan, visit_id=loaded["visit"])
    core.run(PLANNER, yard_plan, visit_id=loaded["visit"])
    first, second = list(items(engine).values())[:2]
    with pytest.raises(IntegrityError), Session(engine) as s, s.begin():
        s.execute(text("UPDATE discharge_item SET yard_block_id=:b, yard_bay=:y, yard_row=:r, "
                       "yard_tier=:t WHERE id=:i"),
                  dict(b=first.yard_block_id, y=first.yard_bay, r=first.yard_row,
                       t=first.yard_tier, i=second.id))


def test_yard_plan_refused_when_the_yard_is_full(core, engine, small_terminal):
    yard(engine, B={"takes_45": False})
    stow(engine, small_terminal["visit"], [dict(slot=(2, 1, 82), size_type="L5G1")])
    core.run(PLANNER, make_plan, visit_id=small_terminal["visit"])
    with pytest.raises(Refused) as exc:
        core.run(PLANNER, yard_plan, visit_id=small_terminal["visit"])
    assert exc.value.rules == ["yard.plan.no_room"]
    assert "45'" in exc.value.unmet[0].message


def test_manual_move_is_checked_with_every_reason(core, engine, loaded):
    core.run(PLANNER, make_plan, visit_id=loaded["visit"])
    core.run(PLANNER, yard_plan, visit_id=loaded["visit"])
    reefer = items(engine)[loaded["numbers"][3]]
    with pytest.raises(Refused) as exc:
        core.run(PLANNER, move_slot, item_id=reefer.id, block="A", bay=3, row=3, tier=3)
    assert set(exc.value.rules) == {"yard.slot.reefer"}
    with pytest.raises(Refused) as exc:
        core.run(PLANNER, move_slot, item_id=reefer.id, block="A", bay=3, row=1, tier=3)
    assert set(exc.value.rules) == {"yard.slot.floating"}
    with pytest.raises(Refused) as exc:
        core.run(PLANNER, move_slot, item_id=reefer.id, block="ZZ", bay=3, row=1, tier=1)
    assert exc.value.rules == ["yard.block.unknown"]
    core.run(PLANNER, move_slot, item_id=reefer.id, block="A", bay=5, row=1, tier=1)
    moved = items(engine)[loaded["numbers"][3]]
    assert (moved.yard_bay, moved.yard_row, moved.yard_tier) == (5, 1, 1)
    assert moved.why.startswith("moved by hand by yard-planner")


def test_manual_move_refuses_leaving_a_box_floating_and_a_taken_slot(core, engine, loaded):
    core.run(PLANNER, make_plan, visit_id=loaded["visit"])
    core.run(PLANNER, yard_plan, visit_id=loaded["visit"])
    got = items(engine)
    low, high = sorted((got[n] for n in loaded["numbers"][:2]), key=lambda i: i.yard_tier)
    with pytest.raises(Refused) as exc:
        core.run(PLANNER, move_slot, item_id=low.id, block="B", bay=4, row=2, tier=1)
    assert exc.value.rules == ["yard.move.leaves_floating"]
    with pytest.raises(Refused) as exc:
        core.run(PLANNER, move_slot, item_id=high.id, block="A", bay=low.yard_bay,
                 row=low.yard_row, tier=low.yard_tier)
    assert exc.value.rules == ["yard.slot.taken"]


def test_replanning_is_refused_once_discharge_started(core, engine, loaded):
    core.run(PLANNER, make_plan, visit_id=loaded["visit"])
    with Session(engine) as s, s.begin():
        s.execute(text("UPDATE discharge_item SET status='discharged' WHERE id = "
                       "(SELECT min(id) FROM discharge_item)"))
    with pytest.raises(Refused) as exc:
        core.run(PLANNER, make_plan, visit_id=loaded["visit"])
    assert exc.value.rules == ["discharge.plan.started"]


def test_plan_refused_for_a_visit_gone_and_move_of_a_discharged_box(core, engine, loaded):
    core.run(PLANNER, make_plan, visit_id=loaded["visit"])
    core.run(PLANNER, yard_plan, visit_id=loaded["visit"])
    planned = list(items(engine).values())
    # a box with nothing planned above it: moving it is refused for being discharged alone
    # (under another planned box, leaving that one floating would be refused too)
    item = next(i for i in planned if not any(
        (o.yard_block_id, o.yard_bay, o.yard_row) == (i.yard_block_id, i.yard_bay, i.yard_row)
        and o.yard_tier > i.yard_tier for o in planned))
    with Session(engine) as s, s.begin():
        s.execute(text("UPDATE discharge_item SET status='discharged' WHERE id=:i"),
                  {"i": item.id})
        s.execute(text("UPDATE vessel_visit SET phase='departed' WHERE id=:v"),
                  {"v": loaded["visit"]})
    with pytest.raises(Refused) as exc:
        core.run(PLANNER, make_plan, visit_id=loaded["visit"])
    assert set(exc.value.rules) == {"discharge.plan.phase", "discharge.plan.started"}
    with pytest.raises(Refused) as exc:
        core.run(PLANNER, move_slot, item_id=item.id, block="B", bay=4, row=4, tier=1)
    assert exc.value.rules == ["yard.move.not_planned"]
