"""Prove a relocation plan optimal by exact search (issue 16: the nearly full bay that min-max
could not start, for which ``relocation.solve`` finds 38 relocations).

    python benchmarks/brp_exact.py                      # the issue's bay, height limit 7
    python benchmarks/brp_exact.py --bay "1 3 | 2 | " --height 3 --upper 5

The question is "is there a plan with fewer than ``--upper`` relocations?" (default: the
length of ``solve``'s plan). Iterative deepening answers it one bound at a time, from the
lower bound up (each pass that finds nothing proves that much), over every restricted move
(``relocation._children``: the top box of a stack holding the lowest remaining priority, to
any other stack with room; ties dug in every order; retrievals made as soon as possible,
which never costs a move). A branch is cut when its relocations so far plus a lower bound
on what the bay still needs exceed the bound: ``relocation._lb_state`` (admissible: a box
above a smaller one moves at least once, some twice), or more where the same bay (stacks
as a multiset: they are interchangeable, all have the same height limit) was proven to need
more (see ``Search``). Found: a shorter plan, replayed by ``relocation_check.replay``. Not
found when the bound reaches ``--upper`` - 1: none exists, so ``--upper`` is optimal.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portops.planning import relocation as r  # noqa: E402
from portops.planning.relocation_check import replay  # noqa: E402

#: The bay of issue 16: 7 tiers x 5 stacks, bottom to top; lower numbers leave first.
ISSUE_BAY = ("12 1 25 15 23 24 10 | 14 3 16 0 15 22 22 | 14 15 10 1 0 29 26 | 27 25 0 29 | "
             "8 3 24 18 7 17 15")


def parse(text: str) -> list[list[int]]:
    return [[int(x) for x in part.split()] for part in text.split("|")]


def _key(state: tuple) -> bytes:
    """The bay with its stacks in any order (they are interchangeable), compactly."""
    return b"\xff".join(sorted(bytes(s) for s in state))


class Search:
    """Iterative deepening (IDA*) with a table of what each bay was proven to need: after a
    bay's every child failed within a budget of ``b`` more relocations, it needs at least
    ``b + 1`` (so it is not searched again with that budget or less: this is also what
    merges a bay reached in different orders), and the next deeper pass starts from that
    instead of the lower bound."""

    def __init__(self, hmax: int, time_limit: float | None) -> None:
        self.hmax = hmax
        self.needs: dict[bytes, int] = {}
        self.nodes = 0
        self.deadline = None if time_limit is None else time.monotonic() + time_limit

    def h(self, state: tuple) -> int:
        return max(r._lb_state(state, self.hmax, r.BIG), self.needs.get(_key(state), 0))

    def dfs(self, state: tuple, g: int, bound: int, path: list) -> list | None:
        """A plan of at most ``bound`` relocations through ``state`` (reached after ``g``)."""
        self.nodes += 1
        if self.nodes % 500_000 == 0:
            print(f"  {self.nodes:,} states searched, {len(self.needs):,} bays in the table",
                  flush=True)
            if self.deadline is not None and time.monotonic() > self.deadline:
                raise TimeoutError
        children = []
        for move, child, done in r._children(state, self.hmax, r.BIG):
            if done:
                return [*path, move]  # g + 1 <= bound: the caller checked h >= 1
            h = self.h(child)
            if g + 1 + h <= bound:
                children.append((h, move, child))
        children.sort(key=lambda c: c[0])
        for _h, move, child in children:
            path.append(move)
            found = self.dfs(child, g + 1, bound, path)
            path.pop()
            if found is not None:
                return found
        key = _key(state)  # nothing within bound - g more: it needs at least one more
        self.needs[key] = max(self.needs.get(key, 0), bound - g + 1)
        return None


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bay", default=ISSUE_BAY, help="stacks bottom to top, '|' between them")
    p.add_argument("--height", type=int, default=7)
    p.add_argument("--upper", type=int, help="prove no plan has fewer relocations than this "
                   "(default: the length of relocation.solve's plan)")
    p.add_argument("--time-limit", type=float, help="seconds (default: none)")
    args = p.parse_args(argv)
    sys.setrecursionlimit(10_000)
    stacks = parse(args.bay)
    st, mins = r._prepare(stacks, args.height, r.BIG)
    r._retrieve(st, mins, r.BIG)
    root = tuple(tuple(s) for s in st)
    lb0 = r._lb_state(root, args.height, r.BIG)
    upper = args.upper
    if upper is None:
        plan = r.solve(stacks, args.height, time_limit=60)
        upper = replay(stacks, args.height, plan.moves, restricted=True)
        print(f"relocation.solve: a plan of {upper} relocations (replayed and valid)")
    print(f"lower bound at the start: {lb0}; deepening to {upper - 1}", flush=True)
    t0 = time.monotonic()
    search = Search(args.height, args.time_limit)
    for bound in range(max(lb0, 1), upper):
        try:
            found = search.dfs(root, 0, bound, [])
        except TimeoutError:
            print(f"out of time after {time.monotonic() - t0:.0f} s and {search.nodes:,} "
                  f"states: proven only that no plan has fewer than {bound} relocations")
            return 2
        if found is not None:
            n = replay(stacks, args.height, found, restricted=True)
            print(f"a shorter plan: {n} relocations (replayed and valid); "
                  f"{search.nodes:,} states, {time.monotonic() - t0:.0f} s")
            return 1
        print(f"no plan of {bound} relocations or fewer ({search.nodes:,} states so far, "
              f"{time.monotonic() - t0:.0f} s)", flush=True)
    print(f"proven: no plan has fewer than {upper} relocations, so {upper} is optimal "
          f"({search.nodes:,} states searched, {len(search.needs):,} bays in the table, "
          f"{time.monotonic() - t0:.0f} s)")
    return 0

if __name__ == "__main__":
    sys.exit(main())
