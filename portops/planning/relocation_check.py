"""Checking relocation plans, and reading the benchmark's instance format.

``replay`` is the validator the tests and ``benchmarks/brp.py`` run on every plan, whoever
made it (the planner, the baselines, a hand-written plan): it trusts nothing in the plan and
redoes the bay move by move. See ``portops.planning.relocation`` for the conventions.
"""

from __future__ import annotations

from portops.planning.relocation import BIG, InvalidPlan, _prepare, _retrieve


def replay(stacks, max_height: int, moves, *, stop: int = BIG, restricted: bool = False) -> int:
    """Carry out ``moves`` on ``stacks``, retrieving boxes in priority order as they come free.

    Returns the number of relocations. Raises ``InvalidPlan`` if a move takes a box that is
    not on top of its stack (or names the wrong box), stays in the same stack, lands on a full
    stack or an unknown stack, or if boxes below ``stop`` are left when the moves run out.
    With ``restricted`` a move must also come from a stack holding a next box to retrieve.
    """
    st, mins = _prepare(stacks, max_height, stop)
    w = len(st)
    for k, mv in enumerate(moves, 1):
        box, src, dst = mv
        _retrieve(st, mins, stop)
        where = f"move {k} ({box} from stack {src} to {dst})"
        if not (0 <= src < w and 0 <= dst < w):
            raise InvalidPlan(f"{where}: no such stack (the bay has {w})")
        if src == dst:
            raise InvalidPlan(f"{where}: source and destination are the same stack")
        if not st[src] or st[src][-1] != min(box, stop):
            top = st[src][-1] if st[src] else "nothing"
            raise InvalidPlan(f"{where}: box {box} is not on top of stack {src} ({top} is)")
        if len(st[dst]) >= max_height:
            raise InvalidPlan(f"{where}: stack {dst} is full ({max_height} high)")
        if restricted:
            if min(mins) >= stop:
                raise InvalidPlan(f"{where}: every box is out already")
            g = min(mins)
            if mins[src] != g:
                raise InvalidPlan(f"{where}: only boxes above the next box ({g}) may move")
        st[src].pop()
        mins[src] = min(st[src]) if st[src] else BIG
        st[dst].append(min(box, stop))
        mins[dst] = min(mins[dst], box, stop)
    _retrieve(st, mins, stop)
    left = sum(1 for s in st for p in s if p < stop)
    if left:
        raise InvalidPlan(f"after the last move {left} boxes cannot be retrieved in order")
    return len(moves)


def parse_caserta(text: str, name: str = "instance") -> list[list[int]]:
    """Stacks bottom -> top from a Caserta-format instance (``W N`` then ``k p1..pk`` per stack)."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    try:
        w, n = map(int, lines[0].split())
        stacks = []
        for i, line in enumerate(lines[1 : 1 + w], 2):
            nums = list(map(int, line.split()))
            if not nums or len(nums) != nums[0] + 1:
                raise ValueError(f"{name}:{i}: the stack's height {nums[:1]} does not match its boxes")
            stacks.append(nums[1:])
    except (IndexError, ValueError) as e:
        raise ValueError(str(e) if str(e).startswith(name) else f"{name}: not a BRP instance ({e})") from None
    if len(stacks) != w or sum(map(len, stacks)) != n:
        raise ValueError(f"{name}: header says {w} stacks and {n} boxes, the lines disagree")
    return stacks
