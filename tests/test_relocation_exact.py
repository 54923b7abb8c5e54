"""The exact relocation search of benchmarks/brp_exact.py, meant to prove the issue-16 bay's 38
relocations optimal: here it must agree with plain breadth-first search on small bays (so its
table of proven needs and its lower bound cut nothing they should not). The proof itself takes
hours (that no plan has 36 or fewer took 51 minutes on a loaded VM; 37 is the last pass, not
finished yet) and runs only when asked (``PORTOPS_EXACT_BRP=1``)."""

from __future__ import annotations

import os
import random
from collections import deque

import pytest

from benchmarks.brp_exact import ISSUE_BAY, Search, _key, main, parse
from portops.planning import relocation as r


def _root(stacks, h):
    st, mins = r._prepare(stacks, h, r.BIG)
    r._retrieve(st, mins, r.BIG)
    return tuple(tuple(s) for s in st)


def _breadth_first(stacks, h) -> int | None:
    root = _root(stacks, h)
    if not any(root):
        return 0
    todo, seen = deque([(root, 0)]), {_key(root)}
    while todo:
        state, g = todo.popleft()
        for _move, child, done in r._children(state, h, r.BIG):
            if done:
                return g + 1
            if _key(child) not in seen:
                seen.add(_key(child))
                todo.append((child, g + 1))
    return None


def _deepening(stacks, h) -> int | None:
    root = _root(stacks, h)
    if not any(root):
        return 0
    search = Search(h, None)
    for bound in range(1, 40):
        if search.dfs(root, 0, bound, []) is not None:
            return bound
    return None


def test_the_exact_search_agrees_with_breadth_first_search():
    rnd = random.Random(16)
    for _ in range(150):
        width, height = rnd.randint(2, 4), rnd.randint(2, 4)
        n = rnd.randint(1, width * height - 1)
        stacks: list[list[int]] = [[] for _ in range(width)]
        for box in (rnd.randint(0, n) for _ in range(n)):  # equal priorities too
            rnd.choice([s for s in stacks if len(s) < height]).append(box)
        assert _deepening(stacks, height) == _breadth_first(stacks, height), (stacks, height)


@pytest.mark.skipif(not os.environ.get("PORTOPS_EXACT_BRP"),
                    reason="hours of CPU: set PORTOPS_EXACT_BRP=1")
def test_the_issue_bay_needs_38_relocations():
    assert len(parse(ISSUE_BAY)) == 5
    assert main(["--upper", "38"]) == 0
