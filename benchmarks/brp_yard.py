"""Yard-sized relocation planning: pickup-plan cost and night-before housekeeping per bay.

Usage: python benchmarks/brp_yard.py [--bays 200] [--rows 6] [--tiers 5] [--boxes 25]
       [--appointments 12] [--seed 1]

Builds seeded random bays (boxes dropped at random into rows up to the tier limit; some of
them get a pickup slot tomorrow, 06:00-20:00), then times ``relocation_cost`` (the pickup
plan's column) and ``housekeeping`` per bay and reports tomorrow's planned relocations
without and with the housekeeping moves.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portops.planning.yard_relocation import housekeeping, relocation_cost  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bays", type=int, default=200)
    ap.add_argument("--rows", type=int, default=6)
    ap.add_argument("--tiers", type=int, default=5)
    ap.add_argument("--boxes", type=int, default=25)
    ap.add_argument("--appointments", type=int, default=12)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args(argv)
    if not 0 <= a.appointments <= a.boxes <= a.rows * a.tiers - a.tiers + 1:
        print("error: need appointments <= boxes <= rows*tiers - tiers + 1 (room to dig)")
        return 2
    rnd = random.Random(a.seed)
    t_cost = t_hk = 0.0
    before = after = moves = worst = 0
    for k in range(a.bays):
        stacks: list[list[str]] = [[] for _ in range(a.rows)]
        for i in range(a.boxes):
            free = [r for r in range(a.rows) if len(stacks[r]) < a.tiers]
            stacks[rnd.choice(free)].append(f"B{k}-{i}")
        boxes = [c for s in stacks for c in s]
        pickups = {c: rnd.randint(6, 20) for c in rnd.sample(boxes, a.appointments)}
        c0 = time.process_time()
        cost = relocation_cost(stacks, a.tiers, pickups)
        c1 = time.process_time()
        hk = housekeeping(stacks, a.tiers, pickups)
        c2 = time.process_time()
        t_cost += c1 - c0
        t_hk += c2 - c1
        worst = max(worst, c2 - c1)
        assert sum(cost.values()) == hk.before
        before, after, moves = before + hk.before, after + hk.after, moves + len(hk.moves)
    print(f"{a.bays} bays of {a.rows} rows x {a.tiers} tiers, {a.boxes} boxes, "
          f"{a.appointments} with appointments")
    print(f"pickup-plan cost: {1000 * t_cost / a.bays:.2f} ms CPU per bay")
    print(f"housekeeping: {1000 * t_hk / a.bays:.1f} ms CPU per bay (max {1000 * worst:.1f} ms)")
    print(f"tomorrow's relocations: {before} without housekeeping, {after} with "
          f"{moves} housekeeping moves")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
