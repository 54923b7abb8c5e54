"""Relocations (re-handles) a pickup costs: where the boxes on top of the wanted one go.

Until the relocation planner (``portops.planning.relocation``, the BRP helper's) is on main,
each blocker goes to the lowest other stack in the same bay (then in another bay of the same
parity in the block) with room — the simple rule a straddle or RTG driver follows. The plan is
read-only; :func:`apply` carries it out inside the operation, after every rule is stated.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from portops.model import Container, Where, YardBlock
from portops.ops.core import Tx
from portops.ops.gate_checks import blockers


@dataclass(frozen=True)
class Move:
    container: str
    container_id: int
    frm: tuple[int, int, int]  # bay, row, tier
    to: tuple[int, int, int]

    def as_dict(self) -> dict:
        return {"container": self.container, "from": list(self.frm), "to": list(self.to)}


def plan(session: Session, c: Container) -> list[Move] | None:
    """Moves that uncover ``c`` (top blocker first); None when the block has no room."""
    above = blockers(session, c)
    if not above:
        return []
    block = session.get(YardBlock, c.yard_block_id)
    heights = dict(((b, r), t) for b, r, t in session.exec(
        select(Container.yard_bay, Container.yard_row, func.max(Container.yard_tier)).where(
            Container.location == Where.YARD, Container.yard_block_id == c.yard_block_id)
        .group_by(Container.yard_bay, Container.yard_row)).all())
    candidates = [(bay, row) for bay in range(1, block.bays + 1) if bay % 2 == c.yard_bay % 2
                  for row in range(1, block.rows + 1) if not (bay == c.yard_bay and
                                                              row == c.yard_row)]
    moves = []
    for box in above:
        room = [(heights.get(s, 0), abs(s[0] - c.yard_bay), abs(s[1] - c.yard_row), s)
                for s in candidates if heights.get(s, 0) < block.tiers]
        if not room:
            return None
        height, _, _, stack = min(room)
        heights[stack] = height + 1
        moves.append(Move(box.number, box.id, (box.yard_bay, box.yard_row, box.yard_tier),
                          (stack[0], stack[1], height + 1)))
    return moves


def apply(tx: Tx, moves: list[Move]) -> None:
    for m in moves:
        box = tx.session.get(Container, m.container_id)
        box.yard_bay, box.yard_row, box.yard_tier = m.to
        tx.session.flush()  # one at a time: the yard-slot unique index checks each
