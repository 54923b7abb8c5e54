"""Relocations in one yard bay: the moves a pickup needs, and housekeeping the night before.

Plain data in and out (no database); the gate's pickup plan and the yard hand-over call it.

A *bay* is given as ``stacks``: one list per row of the bay (or per stack of a block row),
bottom -> top, of container numbers; ``max_tiers`` is how high a stack may be built.
``pickups`` maps container numbers to when they are expected to leave (appointment slot
start, a ``datetime`` or any comparable value); boxes missing from it have no appointment
(or None) and are assumed to leave after every box that has one (they are never dug out for their own
sake, but they do block). Equal times mean "either may go first".

``pickup_moves(stacks, max_tiers, container, pickups) -> PickupMoves``
    The relocations the crane makes to reach ``container`` now: each box above it, top
    first, with the row and tier it goes to. The destinations come from the relocation
    planner (``portops.planning.relocation.solve``) run over the boxes still to be picked
    up, so each blocker lands where it will get in the way of as few later pickups as
    possible. ``count`` is len(moves); ``later`` is how many relocations the remaining
    known pickups will still need after that (the planner's estimate).

``relocation_cost(stacks, max_tiers, pickups) -> dict[str, int]``
    For a day's pickups in time order, how many relocations each one will cost if the
    blockers are placed as planned (the pickup plan's "relocations" column).

``housekeeping(stacks, max_tiers, pickups, *, max_moves=20) -> Housekeeping``
    Moves to make within the bay the night before (any top box to another row, ``max_moves``
    at most), each chosen because it lowers tomorrow's relocations by at least one;
    ``before``/``after`` are tomorrow's planned relocations without and with them. It looks
    one move ahead, so it misses improvements that need two moves before they pay.

``stacks`` may also be a mapping {row label: boxes bottom -> top} (e.g. the yard's row
numbers); moves then name rows by those labels, otherwise by index into the list. Tiers
count from 1 at the ground. Only boxes above the one being picked up are moved at pickup
time (the truck is waiting); rearranging anything else is housekeeping's job. The caller
decides which rows belong together (a bay of one block, same size class) and the tier
limit; the planner does not know about reefer plugs or DG segregation. ``time_limit`` caps
the search in CPU seconds (the best plan found so far is returned; a bay of a few rows is
solved in milliseconds, a whole block of many rows uses the limit).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from portops.planning.relocation import BIG, InvalidPlan, _lb_state, _rollout, solve


@dataclass(frozen=True)
class SlotMove:
    """Move ``container`` from (from_row, from_tier) to (to_row, to_tier)."""

    container: str
    from_row: Any  # row label (see the module docstring)
    from_tier: int
    to_row: Any
    to_tier: int


@dataclass(frozen=True)
class PickupMoves:
    container: str
    moves: list[SlotMove]
    later: int

    @property
    def count(self) -> int:
        return len(self.moves)


@dataclass(frozen=True)
class Housekeeping:
    moves: list[SlotMove] = field(default_factory=list)
    before: int = 0
    after: int = 0


Bay = Sequence[Sequence[str]] | Mapping[Any, Sequence[str]]


def _rows(stacks: Bay) -> list:
    """Row labels: the mapping's keys, or 0..n-1 for a list of stacks."""
    return list(stacks.keys()) if isinstance(stacks, Mapping) else list(range(len(stacks)))


def _check_bay(stacks: Bay, max_tiers: int) -> list[list[str]]:
    bay = [list(s) for s in (stacks.values() if isinstance(stacks, Mapping) else stacks)]
    seen: set[str] = set()
    for row, s in enumerate(bay):
        if len(s) > max_tiers:
            raise ValueError(f"row {_rows(stacks)[row]} holds {len(s)} boxes, above the limit of {max_tiers} tiers")
        for c in s:
            if c in seen:
                raise ValueError(f"container {c} stands twice in the bay")
            seen.add(c)
    return bay


def _priorities(bay: list[list[str]], pickups: Mapping[str, Any],
                first: str | None = None) -> tuple[list[list[int]], int]:
    """Bay as priorities (rank of pickup time; ``first`` gets 0) and the 'no appointment' value."""
    known = {c: pickups[c] for s in bay for c in s if pickups.get(c) is not None and c != first}
    times: list[Hashable] = sorted(set(known.values()))
    rank = {t: i + 1 for i, t in enumerate(times)}
    stop = len(times) + 1
    prio = [[0 if c == first else rank[known[c]] if c in known else stop for c in s]
            for s in bay]
    return prio, stop


def _slot_moves(bay: list[list[str]], moves, max_tiers: int, rows: list) -> list[SlotMove]:
    """Carry ``moves`` ((src, dst) pairs, no pickups in between) out on ``bay``."""
    out = []
    for src, dst in moves:
        if src == dst or not bay[src] or len(bay[dst]) >= max_tiers:
            raise InvalidPlan(f"cannot move the top of row {src} to row {dst}")
        c = bay[src].pop()
        out.append(SlotMove(c, rows[src], len(bay[src]) + 1, rows[dst], len(bay[dst]) + 1))
        bay[dst].append(c)
    return out


def pickup_moves(stacks: Bay, max_tiers: int, container: str,
                 pickups: Mapping[str, Any] | None = None, *,
                 time_limit: float | None = 0.5) -> PickupMoves:
    """The relocations that bring ``container`` to the top now (see the module docstring)."""
    bay = _check_bay(stacks, max_tiers)
    where = [r for r, s in enumerate(bay) if container in s]
    if not where:
        raise ValueError(f"container {container} is not in this bay")
    above = len(bay[where[0]]) - 1 - bay[where[0]].index(container)
    prio, stop = _priorities(bay, pickups or {}, first=container)
    plan = solve(prio, max_tiers, stop=stop, time_limit=time_limit)
    mine = [(m.src, m.dst) for m in plan.moves[:above]]
    return PickupMoves(container, _slot_moves(bay, mine, max_tiers, _rows(stacks)), plan.relocations - above)


def relocation_cost(stacks: Bay, max_tiers: int, pickups: Mapping[str, Any], *,
                    time_limit: float | None = 0.5) -> dict[str, int]:
    """Relocations each pickup in ``pickups`` found in the bay will cost, in time order."""
    bay = _check_bay(stacks, max_tiers)
    prio, stop = _priorities(bay, pickups)
    plan = solve(prio, max_tiers, stop=stop, time_limit=time_limit)
    # Replay the plan, charging each move to the box being dug for at that moment.
    ids = [list(s) for s in bay]
    pr = [list(s) for s in prio]
    cost = {c: 0 for s in bay for c in s if pickups.get(c) is not None}
    moves = iter(plan.moves)
    while True:
        _take_free(ids, pr, stop)
        live = [(p, r) for r, s in enumerate(pr) for p in s if p < stop]
        if not live:
            return cost
        g = min(live)[0]
        m = next(moves)
        digging = _first_below(ids[m.src], pr[m.src], g)
        cost[digging] += 1
        pr[m.dst].append(pr[m.src].pop())
        ids[m.dst].append(ids[m.src].pop())


def _take_free(ids: list[list[str]], pr: list[list[int]], stop: int) -> None:
    """Remove boxes whose turn it is and that are on top (the planner's retrieval rule)."""
    while True:
        live = [p for s in pr for p in s if p < stop]
        if not live:
            return
        g = min(live)
        for r, s in enumerate(pr):
            if s and s[-1] == g:
                s.pop()
                ids[r].pop()
                break
        else:
            return


def _first_below(ids: list[str], pr: list[int], g: int) -> str:
    j = len(pr) - 1
    while pr[j] != g:
        j -= 1
    return ids[j]


def _tomorrow(prio: list[list[int]], max_tiers: int, stop: int) -> int:
    """Tomorrow's planned relocations, planned as ``relocation_cost`` plans them (so that
    ``Housekeeping.before`` is that total)."""
    return solve(prio, max_tiers, stop=stop, time_limit=0.5).relocations


def housekeeping(stacks: Bay, max_tiers: int, pickups: Mapping[str, Any],
                 *, max_moves: int = 20) -> Housekeeping:
    """Night-before moves that lower tomorrow's relocations (see the module docstring).

    Every possible single move is scored with the quick min-max rule (plus the lower bound
    to break ties); the three most promising are re-planned properly and the best is taken
    if it saves at least one relocation tomorrow. That keeps a bay to a few planner calls
    per move however many rows it has.
    """
    bay = _check_bay(stacks, max_tiers)
    prio, stop = _priorities(bay, pickups)
    before = now = _tomorrow(prio, max_tiers, stop)
    chosen: list[tuple[int, int]] = []
    while now and len(chosen) < max_moves:
        scored = []
        for src, s in enumerate(prio):
            if not s:
                continue
            for dst, d in enumerate(prio):
                if dst == src or len(d) >= max_tiers:
                    continue
                d.append(s.pop())
                state = tuple(tuple(x) for x in prio)
                quick = _rollout(state, max_tiers, stop)
                if quick < BIG:
                    scored.append((quick, _lb_state(state, max_tiers, stop), src, dst))
                s.append(d.pop())
        best = None
        for _q, _lb, src, dst in sorted(scored)[:3]:
            prio[dst].append(prio[src].pop())
            cost = _tomorrow(prio, max_tiers, stop)
            prio[src].append(prio[dst].pop())
            if cost < now and (best is None or cost < best[0]):
                best = (cost, src, dst)
        if best is None:
            break
        now, src, dst = best
        prio[dst].append(prio[src].pop())
        chosen.append((src, dst))
    return Housekeeping(_slot_moves(bay, chosen, max_tiers, _rows(stacks)), before, now)
