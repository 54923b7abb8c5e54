"""The crane split and sequence (pure): balanced, contiguous, safe, deck before hold."""

from __future__ import annotations

from portops.planning.discharge import (
    Stowed,
    crane_count,
    hatch_of,
    plan_discharge,
    simulate,
    split,
)


def boxes_per_hatch(counts: dict[int, int]) -> list[Stowed]:
    out, key = [], 0
    for hatch, n in counts.items():
        bay = (hatch - 1) * 4 + 2
        for i in range(n):
            key += 1
            out.append(Stowed(key, f"B{key}", bay, i % 8, 82 + 2 * (i // 8)))
    return out


def test_hatches_group_bays_01_to_03() -> None:
    assert [hatch_of(b) for b in (1, 2, 3, 5, 6, 7, 9)] == [1, 1, 1, 2, 2, 2, 3]


def test_split_is_contiguous_and_balanced() -> None:
    moves = {1: 10, 2: 50, 3: 40, 4: 10, 5: 30, 6: 60}
    ranges = split(moves, 3)
    assert [h for r in ranges for h in r] == [1, 2, 3, 4, 5, 6]  # contiguous, bow to stern
    loads = [sum(moves[h] for h in r) for r in ranges]
    best = min(max(sum(list(moves.values())[a:b]) for a, b in ((0, i), (i, j), (j, 6)))
               for i in range(1, 5) for j in range(i + 1, 6))
    assert max(loads) == best == 80  # the optimum, by brute force


def test_split_minimises_the_busiest_crane() -> None:
    moves = {h: 10 for h in range(1, 9)}
    assert [sum(moves[h] for h in r) for r in split(moves, 4)] == [20, 20, 20, 20]


def test_crane_count_from_moves_and_safety() -> None:
    assert crane_count(1000, 20) == 4  # one per 250 moves
    assert crane_count(1000, 3) == 2  # three hatches keep only two cranes apart
    assert crane_count(0, 5) == 0
    assert crane_count(100, 10, requested=3) == 3


def test_sequence_hatch_by_hatch_deck_top_first_then_hold() -> None:
    b = [Stowed(1, "H1", 2, 1, 4), Stowed(2, "D1", 2, 1, 82), Stowed(3, "D2", 2, 1, 84),
         Stowed(4, "H2", 2, 1, 2), Stowed(5, "N", 6, 1, 82)]
    plan = plan_discharge(b, cranes=1)
    order = [m.key for m in sorted(plan.moves, key=lambda m: m.seq)]
    assert order == [3, 2, 1, 4, 5]
    assert plan.cranes[0].bays == (2, 6)


def test_cranes_keep_the_safety_distance() -> None:
    """Simulated move by move, adjacent cranes are never closer than the gap."""
    moves = {1: 5, 2: 40, 3: 5, 4: 40, 5: 5}
    ranges = split(moves, 3)
    t, waits = simulate(ranges, moves, gap=2)
    assert t >= max(sum(moves[h] for h in r) for r in ranges)
    # one-hatch ranges side by side must wait rather than work next to each other
    t2, waits2 = simulate([[1], [2]], {1: 10, 2: 10}, gap=2)
    assert waits2 > 0 and t2 == 20


def test_restow_warning_for_boxes_staying_on_top() -> None:
    b = [Stowed(1, "OUT", 2, 1, 82), Stowed(2, "STAY", 2, 1, 84, discharge=False),
         Stowed(3, "HOLD", 2, 2, 4)]
    warnings = plan_discharge(b).warnings
    assert any("restow STAY" in str(w) for w in warnings)
    assert any("hatch cover" in str(w) for w in warnings)


def test_many_boxes_all_sequenced_once() -> None:
    b = boxes_per_hatch({h: 30 + h for h in range(1, 21)})
    plan = plan_discharge(b)
    assert sorted(m.key for m in plan.moves) == [x.key for x in b]
    per_crane = {}
    for m in plan.moves:
        per_crane.setdefault(m.crane, []).append(m.seq)
    assert all(sorted(s) == list(range(1, len(s) + 1)) for s in per_crane.values())
    assert sum(w.moves for w in plan.cranes) == len(b)
