"""Discharge planning: which quay crane works which hatches, and in what order it lifts.

Pure functions over plain data. Vessel bays follow the stowage convention of BAPLIE: odd bays
hold 20' boxes, an even bay a 40' box spanning the odd bays either side (bays 01, 02 and 03
are one hatch); tiers below 70 are in the hold, 70 and up on deck (80+ on most ships).

* **Crane split** — the hatches, bow to stern, are cut into one contiguous range per crane so
  that the busiest crane has as few moves as possible (a linear partition). Contiguous
  ranges mean cranes on one rail never cross.
* **Sequence** — each crane works its hatches bow to stern, hatch by hatch; in a hatch the
  deck first, top tier down, then below deck, top tier down.
* **Safety distance** — :func:`simulate` runs the cranes move by move and makes a crane wait
  whenever its next hatch would bring it closer than ``gap`` hatches to its neighbour; the
  crane further aft goes first, so nobody waits for ever. The plan reports the waits.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from portops.i18n import N_, Message

#: Deck tiers are numbered from 70 or 80 up (ISO 9711); hold tiers from 02.
DECK_TIER = 70
#: Moves one crane is given before another is added, when the visit names no crane count.
MOVES_PER_CRANE = 250
MAX_CRANES = 6
#: Hatches that must lie between two working cranes' positions plus one (2 = one hatch free).
SAFETY_GAP = 2


@dataclass(frozen=True)
class Stowed:
    """A box on board. ``discharge`` is true if it leaves the vessel here."""

    key: int
    number: str
    bay: int
    row: int
    tier: int
    discharge: bool = True


@dataclass(frozen=True)
class CraneWork:
    crane: int  # 1 = the crane nearest the bow
    hatches: tuple[int, ...]
    bays: tuple[int, ...]
    moves: int


@dataclass(frozen=True)
class Move:
    key: int
    crane: int
    seq: int  # 1.. per crane
    hatch: int


@dataclass
class DischargePlan:
    cranes: list[CraneWork]
    moves: list[Move]
    #: Minutes-free measure: the makespan in moves of the busiest crane, waits included.
    makespan: int = 0
    waits: int = 0
    warnings: list[Message] = field(default_factory=list)


def hatch_of(bay: int) -> int:
    """The hatch (1 = bow) of a vessel bay: bays 01-03 are hatch 1, 05-07 hatch 2, ..."""
    return (bay - 1) // 4 + 1


def crane_count(moves: int, hatches: int, requested: int | None = None) -> int:
    """How many quay cranes: the visit's own figure, else one per ``MOVES_PER_CRANE`` moves,
    never more than can keep the safety distance (one crane per two hatches)."""
    if moves == 0 or hatches == 0:
        return 0
    fit = max(1, math.ceil(hatches / SAFETY_GAP))
    want = requested if requested else math.ceil(moves / MOVES_PER_CRANE)
    return max(1, min(want, fit, MAX_CRANES if not requested else want, hatches))


def split(hatch_moves: dict[int, int], cranes: int) -> list[list[int]]:
    """Cut the hatches (bow to stern) into ``cranes`` contiguous ranges, minimising the
    busiest crane's moves (dynamic programme; ties go to the earlier cut)."""
    hatches = sorted(h for h, m in hatch_moves.items() if m > 0)
    n = len(hatches)
    k = min(cranes, n)
    if k == 0:
        return []
    pre = [0]
    for h in hatches:
        pre.append(pre[-1] + hatch_moves[h])
    inf = float("inf")
    best = [[inf] * (n + 1) for _ in range(k + 1)]
    cut = [[0] * (n + 1) for _ in range(k + 1)]
    best[0][0] = 0
    for j in range(1, k + 1):
        for i in range(j, n + 1):
            for c in range(j - 1, i):
                v = max(best[j - 1][c], pre[i] - pre[c])
                if v < best[j][i]:
                    best[j][i], cut[j][i] = v, c
    ranges, i = [], n
    for j in range(k, 0, -1):
        c = cut[j][i]
        ranges.append(hatches[c:i])
        i = c
    return ranges[::-1]


def _order(box: Stowed) -> tuple:
    deck = box.tier >= DECK_TIER
    return (0 if deck else 1, -box.tier, box.bay, box.row)


def plan_discharge(boxes: Iterable[Stowed], cranes: int | None = None,
                   gap: int = SAFETY_GAP) -> DischargePlan:
    """The crane split and per-crane sequence for the boxes marked ``discharge``."""
    boxes = list(boxes)
    out = [b for b in boxes if b.discharge]
    by_hatch: dict[int, list[Stowed]] = defaultdict(list)
    for b in out:
        by_hatch[hatch_of(b.bay)].append(b)
    hatch_moves = {h: len(v) for h, v in by_hatch.items()}
    k = crane_count(len(out), len(hatch_moves), cranes)
    ranges = split(hatch_moves, k)
    works, moves = [], []
    for ci, hs in enumerate(ranges, start=1):
        seq = 0
        for h in hs:
            for b in sorted(by_hatch[h], key=_order):
                seq += 1
                moves.append(Move(b.key, ci, seq, h))
        bays = sorted({b.bay for h in hs for b in by_hatch[h]})
        works.append(CraneWork(ci, tuple(hs), tuple(bays), sum(hatch_moves[h] for h in hs)))
    makespan, waits = simulate(ranges, hatch_moves, gap)
    plan = DischargePlan(works, moves, makespan, waits)
    plan.warnings = restows(boxes)
    if cranes and k < cranes:
        plan.warnings.append(Message(N_("{cranes} cranes asked for but only {k} can work "
                                        "{hatches} hatches keeping the safety distance"),
                                     cranes=cranes, k=k, hatches=len(hatch_moves)))
    return plan


def simulate(ranges: list[list[int]], hatch_moves: dict[int, int],
             gap: int = SAFETY_GAP) -> tuple[int, int]:
    """Run the cranes hatch by hatch, one move per time unit; a crane waits while its next
    hatch is closer than ``gap`` to a neighbour's. Returns (makespan, total waiting)."""
    k = len(ranges)
    queue = [list(r) for r in ranges]
    pos: list[float | None] = [None] * k  # hatch being worked, None between hatches
    left = [0] * k  # moves left at the current hatch
    done = [False] * k
    t = waits = 0
    while not all(done):
        for c in range(k - 1, -1, -1):  # aft first: the aft crane has the right of way
            if done[c] or left[c] > 0:
                continue
            if not queue[c]:
                done[c], pos[c] = True, None
                continue
            nxt = queue[c][0]
            if _clear(pos, done, c, nxt, gap, k):
                queue[c].pop(0)
                pos[c], left[c] = nxt, hatch_moves[nxt]
            else:
                waits += 1
        if all(done):
            break
        t += 1
        for c in range(k):
            if left[c] > 0:
                left[c] -= 1
    return t, waits


def _clear(pos, done, c, hatch, gap, k) -> bool:
    """Whether crane ``c`` may work ``hatch`` now; a finished crane has moved off."""
    for other in (c - 1, c + 1):
        if 0 <= other < k and not done[other] and pos[other] is not None \
                and abs(pos[other] - hatch) < gap:
            return False
    return True


def restows(boxes: list[Stowed]) -> list[Message]:
    """Boxes staying on board that stand on top of boxes to discharge: they must be moved
    first (a restow), which the plan warns about."""
    stacks: dict[tuple[int, int, bool], list[Stowed]] = defaultdict(list)
    for b in boxes:
        stacks[(hatch_of(b.bay), b.row, b.tier >= DECK_TIER)].append(b)
    deck_rob: defaultdict[int, int] = defaultdict(int)
    hold_out: defaultdict[int, int] = defaultdict(int)
    out = []
    for (hatch, row, deck), stack in stacks.items():
        stack.sort(key=lambda b: b.tier)
        lowest_out = next((b.tier for b in stack if b.discharge), None)
        if deck:
            deck_rob[hatch] += sum(1 for b in stack if not b.discharge)
        else:
            hold_out[hatch] += sum(1 for b in stack if b.discharge)
        if lowest_out is None:
            continue
        over = [b.number for b in stack if not b.discharge and b.tier > lowest_out]
        if over:
            boxes_over = ", ".join(over[:3]) + (" ..." if len(over) > 3 else "")
            out.append(Message(
                N_("hatch {hatch} row {row} deck: restow {boxes} (on top of boxes to "
                   "discharge)") if deck else
                N_("hatch {hatch} row {row} hold: restow {boxes} (on top of boxes to "
                   "discharge)"), hatch=hatch, row=f"{row:02d}", boxes=boxes_over))
    for hatch in sorted(hold_out):
        if hold_out[hatch] and deck_rob[hatch]:
            out.append(Message(N_("hatch {hatch}: {n} deck boxes staying on board must be "
                                  "landed or shifted to open the hatch cover"),
                               hatch=hatch, n=deck_rob[hatch]))
    return sorted(out, key=str)
