"""The Block Relocation Problem planner: known optima, the validator, random bays.

The instances in tests/data/brp/ are a few of the Caserta-Schwarze-Voss set (MIT, see the
LICENSE beside them) with their proven optimum from the benchmark's optimal.csv.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portops.planning.relocation import (
    BIG,
    InvalidPlan,
    Relocation,
    leveling,
    lower_bound,
    min_max,
    solve,
)
from portops.planning.relocation_check import parse_caserta, replay

DATA = Path(__file__).parent / "data" / "brp"


def _instances():
    with (DATA / "optimal.csv").open() as f:
        for row in csv.DictReader(f):
            h = int(row["class"].split("x")[0])
            stacks = parse_caserta((DATA / f"{row['instance']}.dat").read_text(), row["instance"])
            yield row["instance"], stacks, h + 2, int(row["best_found"])


@pytest.mark.parametrize(
    "stacks, height, optimum",
    [
        ([[1, 2], []], 3, 1),  # 2 sits on 1
        ([[2, 1], []], 3, 0),  # already in order
        ([[3, 1, 2], []], 3, 1),  # 2 moves once, then 2 and 3 come out freely
        ([[1, 3, 2], [4]], 3, 3),  # 2 and 3 both land on 4; 3 then blocks 2 once more
        ([[1, 3, 2], [4], []], 3, 2),  # 2 to the empty stack, 3 onto 4
        ([[2, 3, 1], [4, 5], [6]], 3, 2),  # 3 blocks 2 and 5 blocks 4: one move each
        ([[5, 5, 1], [5]], 4, 0),  # equal priorities never block each other
        ([[1, 4], [1, 2], [2]], 2, 2),  # two 1s: dig the one whose blocker (2) has a home
    ],
)
def test_hand_checked_optimum(stacks, height, optimum):
    plan = solve(stacks, height, time_limit=None)
    assert replay(stacks, height, plan.moves, restricted=True) == optimum
    assert plan.lower_bound <= optimum


def test_search_beats_the_min_max_rule():
    # Found against an exhaustive search: min-max needs 5 relocations, the optimum is 4.
    stacks = [[1, 3, 5], [4, 6], [2]]
    assert min_max(stacks, 3).relocations == 5
    plan = solve(stacks, 3)
    assert replay(stacks, 3, plan.moves, restricted=True) == 4


@pytest.mark.parametrize("name, stacks, height, best", list(_instances()))
def test_caserta_instances(name, stacks, height, best):
    plan = solve(stacks, height, time_limit=None)  # no clock: the same answer on any machine
    n = replay(stacks, height, plan.moves, restricted=True)
    assert lower_bound(stacks, height) <= n <= min_max(stacks, height).relocations
    assert n == best, name  # these small ones are solved to the proven optimum


def test_validator_names_the_bad_move():
    stacks = [[1, 2], [3]]
    with pytest.raises(InvalidPlan, match="move 1 .* not on top"):
        replay(stacks, 3, [Relocation(1, 0, 1)])
    with pytest.raises(InvalidPlan, match="same stack"):
        replay(stacks, 3, [Relocation(2, 0, 0)])
    with pytest.raises(InvalidPlan, match="full"):
        replay([[1, 2], [3, 4]], 2, [Relocation(2, 0, 1)])
    with pytest.raises(InvalidPlan, match="no such stack"):
        replay(stacks, 3, [Relocation(2, 0, 5)])
    with pytest.raises(InvalidPlan, match="cannot be retrieved"):
        replay(stacks, 3, [])
    with pytest.raises(InvalidPlan, match="only boxes above"):
        replay([[1, 2], [4, 3], []], 3, [Relocation(3, 1, 2)], restricted=True)
    assert replay(stacks, 3, [Relocation(2, 0, 1)]) == 1


def test_boxes_at_or_above_stop_stay():
    # 9 has no appointment: it blocks 1 but is never dug out for its own sake.
    stacks = [[9, 1, 9], [2, 9], []]
    plan = solve(stacks, 3, stop=9)
    assert replay(stacks, 3, plan.moves, stop=9) == plan.relocations == 2


def test_bad_input_is_refused_clearly():
    with pytest.raises(ValueError, match="above the height limit"):
        solve([[1, 2, 3, 4]], 3)
    with pytest.raises(InvalidPlan, match="too full"):
        solve([[1, 2, 3], [4, 5, 6]], 3)
    with pytest.raises(ValueError, match="x.dat:2"):
        parse_caserta("2 3\n2 1 2 3\n1 3\n", "x.dat")


@st.composite
def bays(draw):
    width = draw(st.integers(2, 6))
    height = draw(st.integers(2, 5))
    n = draw(st.integers(0, width * height - height + 1))
    prios = draw(st.lists(st.integers(1, 12), min_size=n, max_size=n))
    stacks = [[] for _ in range(width)]
    for p in prios:
        free = [i for i, s in enumerate(stacks) if len(s) < height]
        stacks[draw(st.sampled_from(free))].append(p)
    return stacks, height


@settings(max_examples=150, deadline=None)
@given(bays())
def test_random_bays_give_valid_plans_within_the_limit(bay):
    stacks, height = bay
    try:
        plan = solve(stacks, height, time_limit=0.5)
    except InvalidPlan:
        # too full to dig: then the simple rules cannot do it either
        with pytest.raises(InvalidPlan):
            leveling(stacks, height)
        return
    n = replay(stacks, height, plan.moves, restricted=True)
    try:
        rule = min_max(stacks, height).relocations
    except InvalidPlan:  # min-max ran out of room; the search went on without it
        rule = BIG
    assert plan.lower_bound <= n <= rule


#: Issue 16: a full bay whose min-max start runs out of room (7 tiers, 5 stacks, 3 free
#: slots), though a plan exists; 38 relocations is optimal.
FULL_BAY = "12 1 25 15 23 24 10 | 14 3 16 0 15 22 22 | 14 15 10 1 0 29 26 | 27 25 0 29 | " \
           "8 3 24 18 7 17 15"


def test_a_full_bay_that_min_max_cannot_dig_gets_a_plan():
    stacks = [[int(p) for p in s.split()] for s in FULL_BAY.split("|")]
    with pytest.raises(InvalidPlan, match="too full"):
        min_max(stacks, 7)
    plan = solve(stacks, 7)
    assert replay(stacks, 7, plan.moves, restricted=True) == plan.relocations
    assert plan.relocations == 38  # the optimum (no plan can have fewer, so none shorter)


def _has_plan(stacks, height) -> bool:
    """Brute force for tiny bays: does any order of restricted moves retrieve every box?"""
    from collections import deque

    def moves_from(bay):
        bay = [list(s) for s in bay]
        while True:  # retrieve what is on top, lowest first
            live = [s for s in bay if s]
            if not live:
                return None
            g = min(min(s) for s in live)
            top = next((s for s in bay if s and s[-1] == g), None)
            if top is None:
                break
            top.pop()
        out = []
        for t, s in enumerate(bay):
            if s and min(s) == g:
                for d in range(len(bay)):
                    if d != t and len(bay[d]) < height:
                        nb = [list(x) for x in bay]
                        nb[d].append(nb[t].pop())
                        out.append(tuple(tuple(x) for x in nb))
        return out

    start = tuple(tuple(s) for s in stacks)
    seen, todo = {start}, deque([start])
    while todo:
        nxt = moves_from(todo.popleft())
        if nxt is None:
            return True
        for b in nxt:
            if b not in seen:
                seen.add(b)
                todo.append(b)
    return False


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.integers(2, 3).flatmap(lambda w: st.integers(2, 3).flatmap(
    lambda h: st.lists(st.lists(st.integers(0, 5), max_size=h), min_size=w, max_size=w)
    .map(lambda s, h=h: (s, h)))))
def test_a_bay_is_refused_only_when_no_plan_exists(bay):
    stacks, height = bay
    try:
        plan = solve(stacks, height, time_limit=None)
    except InvalidPlan as refusal:
        assert "too full" in str(refusal)
        assert not _has_plan(stacks, height)
        return
    assert _has_plan(stacks, height)
    replay(stacks, height, plan.moves, restricted=True)
