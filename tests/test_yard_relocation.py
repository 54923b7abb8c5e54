"""Relocations in a yard bay: container numbers and pickup times in, slot moves out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portops.planning.yard_relocation import (
    SlotMove,
    housekeeping,
    pickup_moves,
    relocation_cost,
)

T0 = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)


def at(hours: int) -> datetime:
    return T0 + timedelta(hours=hours)


def _apply(stacks, moves, tiers):
    """Carry slot moves out, checking each one as a yard crane would."""
    bay = [list(s) for s in stacks]
    for m in moves:
        assert bay[m.from_row] and bay[m.from_row][-1] == m.container, m
        assert m.from_tier == len(bay[m.from_row]) and m.to_row != m.from_row, m
        bay[m.from_row].pop()
        bay[m.to_row].append(m.container)
        assert m.to_tier == len(bay[m.to_row]) <= tiers, m
    return bay


def test_pickup_moves_puts_blockers_where_they_stay_out_of_the_way():
    stacks = [["MSCU1", "TGHU2", "CAIU3"], ["OOLU4"], []]
    pickups = {"TGHU2": at(3), "OOLU4": at(1)}
    plan = pickup_moves(stacks, 3, "MSCU1", pickups)
    # CAIU3 (no appointment) and TGHU2 (in 3 h) must move; neither may land on OOLU4,
    # which leaves in 1 h, so both go to the empty row, the later one underneath.
    assert [m.container for m in plan.moves] == ["CAIU3", "TGHU2"]
    assert plan.moves[0] == SlotMove("CAIU3", 0, 3, 2, 1)
    assert plan.moves[1].to_row == 2
    assert plan.count == 2 and plan.later == 0
    bay = _apply(stacks, plan.moves, 3)
    assert bay[0] == ["MSCU1"]


def test_box_on_top_needs_no_moves_and_unknown_box_is_refused():
    stacks = [["A", "B"], []]
    assert pickup_moves(stacks, 3, "B").count == 0
    with pytest.raises(ValueError, match="not in this bay"):
        pickup_moves(stacks, 3, "Z")
    with pytest.raises(ValueError, match="twice"):
        pickup_moves([["A"], ["A"]], 3, "A")


def test_rows_can_carry_the_yards_labels():
    stacks = {"01": ["A", "B"], "03": ["C"], "05": []}
    plan = pickup_moves(stacks, 3, "A", {"C": at(1), "B": at(2)})
    assert plan.moves == [SlotMove("B", "01", 2, "05", 1)]  # not on C, which leaves first
    with pytest.raises(ValueError, match="row 03 holds 4 boxes"):
        pickup_moves({"01": ["A"], "03": ["C", "D", "E", "F"]}, 3, "A")


def test_relocation_cost_charges_each_pickup_its_digging():
    stacks = [["A", "X", "B"], ["C"], []]
    cost = relocation_cost(stacks, 3, {"A": at(1), "B": at(2), "C": at(3), "X": None})
    # A needs X (no appointment) and B moved; B and C then come from the top.
    assert cost == {"A": 2, "B": 0, "C": 0}


def test_housekeeping_moves_lower_tomorrows_relocations():
    stacks = [["A", "B"], ["C", "D"], []]
    pickups = {"A": at(1), "C": at(2)}  # B and D (no appointment) sit on them
    hk = housekeeping(stacks, 3, pickups)
    assert hk.before == 2 and hk.after < hk.before
    assert len(hk.moves) <= hk.before - hk.after  # each move saves at least one tomorrow
    bay = _apply(stacks, hk.moves, 3)
    assert sum(relocation_cost(bay, 3, pickups).values()) == hk.after


@st.composite
def yard_bays(draw):
    rows, tiers = draw(st.integers(2, 6)), draw(st.integers(2, 5))
    n = draw(st.integers(1, rows * tiers - tiers + 1))
    stacks: list[list[str]] = [[] for _ in range(rows)]
    pickups = {}
    for i in range(n):
        free = [r for r, s in enumerate(stacks) if len(s) < tiers]
        c = f"BOX{i}"
        stacks[draw(st.sampled_from(free))].append(c)
        if draw(st.booleans()):
            pickups[c] = at(draw(st.integers(0, 5)))
    box = draw(st.sampled_from(sorted({c for s in stacks for c in s})))
    return stacks, tiers, pickups, box


@settings(max_examples=60, deadline=None)
@given(yard_bays())
def test_random_bays_give_legal_moves(bay):
    stacks, tiers, pickups, box = bay
    plan = pickup_moves(stacks, tiers, box, pickups)
    after = _apply(stacks, plan.moves, tiers)
    row = next(r for r, s in enumerate(after) if box in s)
    assert after[row][-1] == box
    assert sorted(c for s in after for c in s) == sorted(c for s in stacks for c in s)
    hk = housekeeping(stacks, tiers, pickups, max_moves=3)
    assert hk.after <= hk.before - len(hk.moves)
    _apply(stacks, hk.moves, tiers)
