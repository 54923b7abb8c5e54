"""Block Relocation Problem (BRP) planner: which blocking box goes where.

A yard stack can only be reached from the top. When a box below others must leave, the
boxes above it are *relocated* to other stacks of the same bay first. Where each one goes
decides how many further relocations later pickups will need; minimising the total is the
Block Relocation Problem (Caserta, Schwarze & Voss 2011/2012).

API (pure, no database; plain data in and out):

``solve(stacks, max_height, *, stop=BIG, effort=1.0, time_limit=0.9) -> Plan``
    ``stacks`` lists each stack bottom -> top as retrieval *priorities* (int; lower leaves
    earlier; equal priorities are allowed and mean "any order among these", which is how a
    real yard looks: boxes with no appointment all get one large priority). ``max_height``
    is the tier limit every stack must respect after every move. Boxes are retrieved in
    priority order; a retrieval happens as soon as a box of the lowest remaining priority is
    on top of a stack (so a plan needs to list only the relocations). The plan lists
    ``Relocation(box, src, dst)`` moves (stack indexes, ``box`` is the priority moved) in
    the order they are made, and ``lower_bound``: no plan can need fewer relocations.
    Only boxes above the next box to retrieve are moved ("restricted" BRP, the moves a yard
    crane makes anyway for a pickup); that is what the published optima measure. Boxes with
    a priority >= ``stop`` are never retrieved (they stay, but still block and may be
    moved). ``effort`` scales the beam width; ``time_limit`` (CPU seconds, None for none)
    returns the best plan found so far when it runs out. Raises ``InvalidPlan`` when the
    bay has too little free room to dig, ``ValueError`` when a stack is above the limit.

``lower_bound(stacks, max_height, *, stop=BIG) -> int``
    Relocations no (restricted) plan can avoid.

``relocation_check.replay(stacks, max_height, moves, *, stop=BIG, restricted=False) -> int``
    The validator: replays a plan, checking every move (a box on top, a different stack,
    the destination not full; with ``restricted`` also that it comes from the stack dug for
    the next box) and that every box is retrieved in priority order; returns the number of
    relocations or raises ``InvalidPlan`` saying which move is wrong and why.

``relocation_check.parse_caserta(text, name) -> stacks``
    Reads the benchmark's instance format (``W N``, then ``k p1 .. pk`` per stack).

``leveling(...)``, ``min_max(...)``
    The two classic rules (blocker to the lowest other stack; blocker onto the stack whose
    smallest priority is just above it, else the one with the largest smallest priority),
    kept as baselines for the benchmark (min-max is also the search's first plan and the
    rule its rollouts follow, so ``solve`` is never worse than min-max).

Why a search and not just a rule: a single rule is 20-80% above the optimum on the
standard instances. ``solve`` runs a beam search over the relocation decisions: each
candidate decision is scored by completing the retrieval with the min-max rule (a rollout,
which is an upper bound) and pruned with a lower bound (blocking boxes plus those that
must be moved twice), keeping the best few partial plans per step. States are tuples so
that identical states reached in different orders are merged.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import NamedTuple

BIG = 1 << 60  # "no box" / empty stack minimum


class Relocation(NamedTuple):
    """One crane move: the box with priority ``box`` from stack ``src`` to stack ``dst``."""

    box: int
    src: int
    dst: int


@dataclass(frozen=True)
class Plan:
    moves: list[Relocation]
    lower_bound: int

    @property
    def relocations(self) -> int:
        return len(self.moves)


class InvalidPlan(ValueError):
    """A plan that cannot be carried out as written (the message says which move and why)."""


# --------------------------------------------------------------------------- state helpers
# Inside the planner a bay is ``st`` (list of lists of priorities) with ``mins`` (each
# stack's smallest priority, BIG when empty). ``stop``: boxes with a priority >= stop are
# not retrieved (the yard's "no appointment yet"); BIG means "retrieve everything".


def _target(st: list, mins: list) -> tuple[int, int]:
    """The lowest remaining priority and the stack to dig for it (fewest boxes above)."""
    g = min(mins)
    t = mins.index(g)
    if mins.count(g) > 1:
        best = BIG
        for i, m in enumerate(mins):
            if m == g:
                s = st[i]
                j = len(s) - 1
                while s[j] != g:
                    j -= 1
                if len(s) - 1 - j < best:
                    best, t = len(s) - 1 - j, i
    return g, t


def _retrieve(st: list, mins: list, stop: int) -> None:
    """Take out every box of the lowest priority that is on top, as long as there is one."""
    while True:
        g = min(mins)
        if g >= stop:
            return
        for i, s in enumerate(st):
            if s and s[-1] == g:
                s.pop()
                mins[i] = min(s) if s else BIG
                break
        else:
            return


def _prepare(stacks, max_height: int, stop: int) -> tuple[list, list]:
    st = [[p if p < stop else stop for p in s] for s in stacks]
    for i, s in enumerate(st):
        if len(s) > max_height:
            raise ValueError(f"stack {i} holds {len(s)} boxes, above the height limit {max_height}")
    mins = [min(s) if s else BIG for s in st]
    return st, mins


def _rollout(state, hmax: int, stop: int, moves: list | None = None) -> int:
    """Relocations the min-max rule needs from ``state`` (BIG if it runs out of room).

    The hot loop of the search, so the rule is inline: put the blocker on the stack whose
    smallest priority is the smallest one not below it (it will not block there), else on
    the stack whose smallest priority is largest (it will block as late as possible).
    """
    st = [list(s) for s in state]
    mins = [min(s) if s else BIG for s in st]
    hs = [len(s) for s in st]
    rng = range(len(st))
    n = 0
    while True:
        g = min(mins)
        if g >= stop:
            return n
        t = mins.index(g)
        s = st[t]
        if s[-1] != g:
            if mins.count(g) > 1:
                g, t = _target(st, mins)
                s = st[t]
            while s[-1] != g:
                p = s.pop()
                good = bad = -1
                gm = BIG + 1
                bm = -1
                for d in rng:
                    if d == t or hs[d] >= hmax:
                        continue
                    m = mins[d]
                    if m >= p:
                        if m < gm:
                            gm, good = m, d
                    elif m > bm:
                        bm, bad = m, d
                if good < 0:
                    if bad < 0:
                        return BIG
                    good = bad
                st[good].append(p)
                hs[good] += 1
                if p < mins[good]:
                    mins[good] = p
                n += 1
                if moves is not None:
                    moves.append(Relocation(p, t, good))
        s.pop()
        hs[t] = len(s)
        mins[t] = min(s) if s else BIG


def _leveling(st: list, mins: list, hmax: int, stop: int, moves: list) -> None:
    while True:
        _retrieve(st, mins, stop)
        if min(mins) >= stop:
            return
        g, t = _target(st, mins)
        s = st[t]
        while s[-1] != g:
            d = min((len(x), i) for i, x in enumerate(st) if i != t and len(x) < hmax)[1]
            p = s.pop()
            st[d].append(p)
            mins[d] = min(mins[d], p)
            moves.append(Relocation(p, t, d))
        mins[t] = min(s)


def leveling(stacks, max_height: int, *, stop: int = BIG) -> Plan:
    """Baseline: each blocking box to the lowest other stack."""
    st, mins = _prepare(stacks, max_height, stop)
    moves: list[Relocation] = []
    try:
        _leveling(st, mins, max_height, stop, moves)
    except ValueError:  # min() of nothing: no stack has room
        raise InvalidPlan("no stack has room for a relocated box; the bay is too full") from None
    return Plan(moves, lower_bound(stacks, max_height, stop=stop))


def min_max(stacks, max_height: int, *, stop: int = BIG) -> Plan:
    """Baseline: the classic min-max rule (see ``_rollout``)."""
    st, _mins = _prepare(stacks, max_height, stop)
    moves: list[Relocation] = []
    if _rollout(st, max_height, stop, moves) == BIG:
        raise InvalidPlan("no stack has room for a relocated box; the bay is too full")
    return Plan(moves, lower_bound(stacks, max_height, stop=stop))


# --------------------------------------------------------------------------- lower bound

_STACK_MEMO: dict[tuple, tuple[int, int]] = {}


def _stack_info(s: tuple) -> tuple[int, int]:
    """(smallest priority, number of boxes above a smaller one) of one stack, memoised."""
    r = _STACK_MEMO.get(s)
    if r is None:
        m, b = BIG, 0
        for p in s:
            if p > m:
                b += 1
            else:
                m = p
        r = (m, b)
        if len(_STACK_MEMO) > 200_000:
            _STACK_MEMO.clear()
        _STACK_MEMO[s] = r
    return r


def _lb_state(state: tuple, hmax: int, stop: int) -> int:
    """Blocking boxes, plus one for each box above the next target that must block again.

    Every box above a smaller one moves at least once (boxes that are never retrieved all
    carry ``stop`` and block only boxes below ``stop``). The boxes above the box to retrieve
    next are moved top first into the other stacks, whose minima can only fall meanwhile
    (restricted moves only add boxes there); a box larger than every such minimum lands on
    a smaller box whatever we do, so it moves at least twice. Applied only when a single
    stack holds the lowest priority, so that the stack to dig is not a choice.
    """
    infos = [_stack_info(s) for s in state]
    lb = 0
    g = BIG
    t = -1
    ties = 0
    for i, (m, b) in enumerate(infos):
        lb += b
        if m < g:
            g, t, ties = m, i, 0
        elif m == g:
            ties += 1
    if g >= stop or ties:
        return lb
    best = -1
    for d, (m, _b) in enumerate(infos):
        if d != t and len(state[d]) < hmax and m > best:
            best = m
    s = state[t]
    j = len(s) - 1
    while s[j] != g:
        if s[j] > best:
            lb += 1
        j -= 1
    return lb


def lower_bound(stacks, max_height: int, *, stop: int = BIG) -> int:
    """A number of relocations no restricted plan can beat (see ``_lb_state``)."""
    st, mins = _prepare(stacks, max_height, stop)
    _retrieve(st, mins, stop)
    return _lb_state(tuple(tuple(s) for s in st), max_height, stop)


# --------------------------------------------------------------------------- search


def solve(stacks, max_height: int, *, stop: int = BIG, effort: float = 1.0,
          time_limit: float | None = 0.9) -> Plan:
    """Relocation moves that retrieve every box below ``stop`` in priority order.

    Beam search over the decisions "where does the top box of the stack being dug go":
    the children of every kept partial plan are pruned with the lower bound, scored by a
    min-max rollout (their cost so far plus what the rule needs to finish, a complete plan),
    and the ``width`` best per step are kept; the best complete plan seen wins, so the
    result is never worse than min-max. ``effort`` scales the width (work grows with the
    bay's size); ``time_limit`` (CPU seconds) stops the search early with the best so far.
    """
    st, mins = _prepare(stacks, max_height, stop)
    _retrieve(st, mins, stop)
    root = tuple(tuple(s) for s in st)
    lb0 = _lb_state(root, max_height, stop)
    best_moves: list[Relocation] = []
    best = _rollout(root, max_height, stop, best_moves)
    deadline = None if time_limit is None else time.process_time() + time_limit
    if best == BIG:  # min-max ran out of room: that says nothing of the bay; search on
        best_moves = _first_plan(root, max_height, stop, deadline)
        best = len(best_moves)
    if best == lb0:
        return Plan(best_moves, lb0)
    n_boxes = sum(map(len, root))
    width = max(1, int(effort * 4000 / max(1, n_boxes * len(root))))
    kg = kb = len(root)
    # a node: (score, state, cost, lb, path); path is a chain (move, parent path)
    beam = [(0, root, 0, lb0, None)]
    while beam:
        children: dict[tuple, tuple] = {}
        for _sc, state, cost, _lb, path in beam:
            lmins = [min(s) if s else BIG for s in state]
            g = min(lmins)
            c1 = cost + 1
            # With equal priorities any stack holding one of the next boxes may be dug.
            for t in [i for i, m in enumerate(lmins) if m == g]:
                p = state[t][-1]
                for d in _candidates(state, lmins, t, p, max_height, kg, kb):
                    cst = [list(s) for s in state]
                    cmins = lmins[:]
                    cst[t].pop()
                    cmins[t] = min(cst[t]) if cst[t] else BIG
                    cst[d].append(p)
                    if p < cmins[d]:
                        cmins[d] = p
                    _retrieve(cst, cmins, stop)
                    child = tuple(tuple(s) for s in cst)
                    old = children.get(child)
                    if old is not None and old[2] <= c1:
                        continue
                    lb = _lb_state(child, max_height, stop)
                    if c1 + lb >= best:
                        continue
                    rest = _rollout(child, max_height, stop)
                    node_path = (Relocation(p, t, d), path)
                    if c1 + rest < best:
                        best = c1 + rest
                        best_moves = _unwind(node_path)
                        _rollout(child, max_height, stop, best_moves)
                    if min(cmins) < stop and c1 + lb < best:
                        children[child] = ((c1 + rest) * 1000 + c1 + lb, child, c1, lb, node_path)
        beam = sorted(children.values(), key=_score)[:width]
        beam = [c for c in beam if c[2] + c[3] < best]
        if deadline is not None and time.process_time() > deadline:
            break
    return Plan(best_moves, lb0)


def _children(state: tuple, hmax: int, stop: int):
    """Every restricted move from ``state``: (move, the state after it and the retrievals
    it frees, whether every box below ``stop`` is then out)."""
    mins = [min(s) if s else BIG for s in state]
    g = min(mins)
    w = len(state)
    for t in [i for i, m in enumerate(mins) if m == g]:
        p = state[t][-1]
        for d in _candidates(state, mins, t, p, hmax, w, w):
            cst = [list(s) for s in state]
            cmins = mins[:]
            cst[t].pop()
            cmins[t] = min(cst[t]) if cst[t] else BIG
            cst[d].append(p)
            cmins[d] = min(cmins[d], p)
            _retrieve(cst, cmins, stop)
            yield Relocation(p, t, d), tuple(tuple(s) for s in cst), min(cmins) >= stop


def _first_plan(root: tuple, hmax: int, stop: int, deadline: float | None
                ) -> list[Relocation]:
    """Any plan, when the min-max rule runs out of room: a depth-first search over every
    restricted move, the moves whose min-max completion is shortest first, never visiting a
    state twice. It finds a plan if there is one (a full bay with min-max stuck is often
    not stuck), and refuses only a bay whose every reachable state it has seen: proven to
    have none. Out of time first, it says it found none, not that there is none."""
    seen = {root}
    path: list[Relocation] = []
    todo = [iter(_ordered(root, hmax, stop))]
    while todo:
        if deadline is not None and time.process_time() > deadline:
            raise InvalidPlan("no plan found in the time allowed (the bay is nearly full; "
                              "it was not proven impossible): try again with more time")
        step = next(todo[-1], None)
        if step is None:
            todo.pop()
            if path:
                path.pop()
            continue
        move, child, done = step
        if done:
            return [*path, move]
        if child in seen:
            continue
        seen.add(child)
        path.append(move)
        todo.append(iter(_ordered(child, hmax, stop)))
    raise InvalidPlan("no order of relocations retrieves every box: the bay is too full "
                      "(every reachable arrangement was tried)")


def _ordered(state: tuple, hmax: int, stop: int) -> list:
    return sorted(_children(state, hmax, stop),
                  key=lambda c: (not c[2], _rollout(c[1], hmax, stop), _lb_state(c[1], hmax, stop)))


def _candidates(state, mins, t, p, hmax, kg, kb) -> list[int]:
    """Destinations worth trying: the ``kg`` tightest stacks where p does not block and the
    ``kb`` latest-blocking others; of stacks with the same content (empty ones) only one."""
    seen = set()
    good, bad = [], []
    for d, s in enumerate(state):
        if d == t or len(s) >= hmax or s in seen:
            continue
        seen.add(s)
        m = mins[d]
        if m >= p:
            good.append((m, d))
        else:
            bad.append((-m, d))
    good.sort()
    bad.sort()
    return [d for _m, d in good[:kg]] + [d for _m, d in bad[:kb]]


def _score(node: tuple) -> int:
    return node[0]


def _unwind(path) -> list[Relocation]:
    out = []
    while path is not None:
        out.append(path[0])
        path = path[1]
    out.reverse()
    return out
