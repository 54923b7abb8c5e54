"""Load planning: where each export box goes on board, by port of discharge and weight.

Pure functions over plain data. Where the line sends stowage instructions (a planned BAPLIE
or a COPRAR load list with slots) they are followed as given; otherwise :func:`plan_stowage`
stows the boxes itself:

* ports in the order the vessel calls them: the port discharged *last* is stowed first, so it
  ends lowest and no box sits on one that leaves earlier (no restows);
* within a port, heavier boxes first, so heavier stand below lighter;
* the hold fills before the deck (a box under a hatch cover is not reached while the deck
  above is loaded), and stacks are levelled (always the lowest stack that takes the box),
  which spreads weight across the ship and keeps each port in a band of tiers;
* a stack is 20' or 40'/45' from its first box (two 20' on one 40' cell guide, never mixed);
  reefers and dangerous goods on deck (plugs, segregation), 45' on deck only.

Slot numbering follows ISO 9711 / BAPLIE ``LOC+147`` BBBRRTT: hatch ``h`` (1 = bow) has 20'
bays ``4h-3`` and ``4h-1`` and the 40' bay ``4h-2`` between them; rows count out from the
centre line (00 on an odd-width ship, odd to starboard, even to port); tiers 02, 04 ... in the
hold and 82, 84 ... on deck.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from portops.planning.discharge import crane_count, hatch_of, split


@dataclass(frozen=True)
class VesselShape:
    hatches: int
    rows: int
    hold_tiers: int
    deck_tiers: int

    @classmethod
    def of(cls, loa_m: float, beam_m: float) -> VesselShape:
        """A plausible cell-guide layout from the vessel's length and beam."""
        hatches = max(2, int((loa_m - 50) / 13.5))
        rows = max(4, int(beam_m / 2.5))
        hold = 9 if beam_m >= 40 else 7 if beam_m >= 30 else 5
        deck = 8 if beam_m >= 40 else 6 if beam_m >= 30 else 4
        return cls(hatches, rows, hold, deck)

    @property
    def teu(self) -> int:
        return self.hatches * self.rows * (self.hold_tiers + self.deck_tiers) * 2

    def row_number(self, r: int) -> int:
        """ISO row number of the r-th stack from the centre line."""
        return r if self.rows % 2 else r + 1

    def holds(self, bay: int, row: int, tier: int, length: int) -> bool:
        """Whether a box of ``length`` feet fits the slot on this vessel: a bay of a hatch (a
        40'/45' box in an even bay, a 20' in an odd one), a row of the ship's width and a
        tier of the hold (02, 04 ...) or the deck (82, 84 ...)."""
        hold = 2 <= tier <= 2 * self.hold_tiers
        deck = 82 <= tier <= 80 + 2 * self.deck_tiers
        return (1 <= bay <= 4 * self.hatches and (bay % 2 == 0) == (length != 20)
                and self.row_number(0) <= row <= self.row_number(self.rows - 1)
                and tier % 2 == 0 and (hold or deck))


@dataclass(frozen=True)
class ExportBox:
    key: int
    number: str
    length: int  # 20, 40, 45
    pod: str
    weight_kg: int = 0
    reefer: bool = False
    dangerous: bool = False


@dataclass(frozen=True)
class Stow:
    key: int
    bay: int
    row: int
    tier: int
    why: str


@dataclass
class StowagePlan:
    stows: list[Stow] = field(default_factory=list)
    unplaced: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class _Stack:
    hatch: int  # 1-based
    r: int  # stack index from the centre line
    deck: bool
    limit: int
    i: int = 0  # index in the stack list
    kind: int = 0  # 0 empty, 20 or 40
    height: int = 0
    half: int = 0  # 20' stacks: 1 when the aft 20' of the current tier is taken


def _tier(deck: bool, level: int) -> int:
    return (82 if deck else 2) + 2 * level


def plan_stowage(boxes: Iterable[ExportBox], shape: VesselShape,
                 rotation: list[str] | None = None,
                 taken: Iterable[tuple[int, int, int]] = ()) -> StowagePlan:
    """Stow ``boxes`` on a vessel of ``shape``; ``rotation`` lists the ports of discharge in
    calling order (ports not listed are taken as called after those listed, by name);
    ``taken`` are slots already used (boxes remaining on board, instructions given)."""
    boxes = list(boxes)
    order = list(rotation or [])
    for pod in sorted({b.pod for b in boxes}):
        if pod not in order:
            order.append(pod)
    rank = {p: i for i, p in enumerate(order)}
    stacks = [_Stack(h, r, deck, shape.deck_tiers if deck else shape.hold_tiers)
              for deck in (False, True) for h in range(1, shape.hatches + 1)
              for r in range(shape.rows)]
    for i, s in enumerate(stacks):
        s.i = i
    blocked = set(taken)
    # One heap of (deck, height, hatch, row, index) per (deck only?, 20'?): the hold before
    # the deck, then the lowest stack.
    # Entries go stale as stacks grow; they are dropped when popped.
    heaps: dict[tuple[bool, bool], list] = {(False, True): [], (True, True): [],
                                            (False, False): [], (True, False): []}
    for i, s in enumerate(stacks):
        for key in heaps:
            if key[0] and not s.deck:
                continue
            heapq.heappush(heaps[key], (s.deck, s.height, s.hatch, s.r, i))
    plan = StowagePlan()
    ordered = sorted(boxes, key=lambda b: (-rank[b.pod], -b.weight_kg, b.number))
    for b in ordered:
        deck_only = b.reefer or b.dangerous or b.length == 45
        want = 20 if b.length == 20 else 40
        heap = heaps[(deck_only, want == 20)]
        placed = None
        while heap:
            _, h, _, _, i = heapq.heappop(heap)
            s = stacks[i]
            if h != s.height:
                continue  # stale entry
            if s.height >= s.limit or (s.kind and s.kind != want):
                continue  # full, or the other length: never usable for this heap again
            slot = _slot(shape, s, want)
            if slot in blocked:
                _advance(s, want)
                heapq.heappush(heap, (s.deck, s.height, s.hatch, s.r, i))
                continue
            placed = (s, slot)
            break
        if placed is None:
            kind = f"{b.length}'" + (" reefer" if b.reefer else "") + (" DG" if b.dangerous
                                                                        else "")
            plan.unplaced.append((b.key, f"no {kind} slot left on board"))
            continue
        s, slot = placed
        _advance(s, want)
        for key, hp in heaps.items():
            if key[0] and not s.deck:
                continue
            heapq.heappush(hp, (s.deck, s.height, s.hatch, s.r, s.i))
        where = "on deck" if s.deck else "in the hold"
        why = (f"POD {b.pod} is port {rank[b.pod] + 1} of {len(order)}: stowed {where}, tier "
               f"{slot[2]:02d}, above ports discharged later"
               + (f"; {b.weight_kg / 1000:.1f} t, heavier boxes of this port below"
                  if b.weight_kg else "")
               + ("; reefer plug on deck" if b.reefer else "")
               + ("; dangerous goods on deck" if b.dangerous else ""))
        plan.stows.append(Stow(b.key, *slot, why))
    return plan


def _slot(shape: VesselShape, s: _Stack, want: int) -> tuple[int, int, int]:
    row = shape.row_number(s.r)
    tier = _tier(s.deck, s.height)
    if want == 40:
        return (4 * s.hatch - 2, row, tier)
    return (4 * s.hatch - 3 + 2 * s.half, row, tier)


def _advance(s: _Stack, want: int) -> None:
    s.kind = want
    if want == 20 and s.half == 0:
        s.half = 1
        return
    s.half = 0
    s.height += 1


@dataclass(frozen=True)
class LoadMove:
    key: int
    crane: int
    seq: int


def crane_sequence(stows: list[Stow], cranes: int | None = None) -> tuple[list[list[int]],
                                                                            list[LoadMove]]:
    """Crane split (hatch ranges, as for discharge) and each crane's loading sequence: hatch
    by hatch, hold before deck, bottom tier up, so no box is loaded under one already on."""
    by_hatch: dict[int, list[Stow]] = defaultdict(list)
    for s in stows:
        by_hatch[hatch_of(s.bay)].append(s)
    moves_per_hatch = {h: len(v) for h, v in by_hatch.items()}
    k = crane_count(len(stows), len(moves_per_hatch), cranes)
    ranges = split(moves_per_hatch, k)
    out: list[LoadMove] = []
    for ci, hatches in enumerate(ranges, start=1):
        seq = 0
        for h in hatches:
            for s in sorted(by_hatch[h], key=lambda s: (s.tier >= 80, s.tier, s.bay, s.row)):
                seq += 1
                out.append(LoadMove(s.key, ci, seq))
    return ranges, out
