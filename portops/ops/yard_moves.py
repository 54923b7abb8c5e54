"""Relocations (re-handles) a pickup costs, and where the boxes on top of the wanted one go.

The yard is read as bays (one yard block's bay: a stack per row, bottom to top) and handed to
the relocation planner (:mod:`portops.planning.yard_relocation`), which puts each blocker
where it will stand in the way of as few of the bay's later pickups as possible. The plan is
read-only; :func:`apply` carries it out inside the operation, after every rule is stated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlmodel import Session, col, select

from portops.model import Appointment, AppointmentSlot, ApptState, Container, Where, YardBlock
from portops.ops.core import Tx
from portops.planning.relocation import InvalidPlan
from portops.planning.yard_relocation import pickup_moves


@dataclass(frozen=True)
class Move:
    container: str
    container_id: int
    frm: tuple[int, int, int]  # bay, row, tier
    to: tuple[int, int, int]

    def as_dict(self) -> dict:
        return {"container": self.container, "from": list(self.frm), "to": list(self.to)}


@dataclass
class Bay:
    """One yard bay as the planner sees it: stacks[row-1] bottom -> top."""

    block_id: int
    bay: int
    tiers: int
    stacks: list[list[str]]
    ids: dict[str, int]


def load_bay(session: Session, block_id: int, bay: int) -> Bay:
    block = session.get_one(YardBlock, block_id)
    # a box in a yard bay is stored (its id) and has its row
    rows = cast(list[tuple[str, int, int]], session.exec(
        select(Container.number, Container.id, Container.yard_row).where(
            Container.location == Where.YARD, Container.yard_block_id == block_id,
            Container.yard_bay == bay).order_by(col(Container.yard_row),
                                                col(Container.yard_tier))).all())
    stacks: list[list[str]] = [[] for _ in range(block.rows)]
    for number, _id, row in rows:
        stacks[row - 1].append(number)
    return Bay(block_id, bay, block.tiers, stacks, {n: i for n, i, _ in rows})


def pickups_in(session: Session, bay: Bay) -> dict[str, datetime]:
    """When each box of the bay with a live appointment is due (its slot's start)."""
    rows = session.exec(select(Container.number, AppointmentSlot.start).join(
        Appointment, col(Appointment.container_id) == Container.id).join(
        AppointmentSlot, col(AppointmentSlot.id) == Appointment.slot_id).where(
        col(Appointment.state).in_([ApptState.BOOKED, ApptState.ADMITTED]),
        col(Container.id).in_(list(bay.ids.values())))).all()
    return dict(rows)


def plan(session: Session, c: Container) -> list[Move] | None:
    """Moves that uncover ``c`` (top blocker first); None when the bay has no room for them."""
    if c.yard_block_id is None or c.yard_bay is None or c.yard_row is None:
        raise ValueError(f"{c.number} has no yard slot")  # callers plan boxes in the yard
    bay = load_bay(session, c.yard_block_id, c.yard_bay)
    if bay.stacks[c.yard_row - 1][-1] == c.number:
        return []
    try:
        got = pickup_moves(bay.stacks, bay.tiers, c.number, pickups_in(session, bay))
    except (ValueError, InvalidPlan):
        return None
    return [Move(m.container, bay.ids[m.container], (bay.bay, m.from_row + 1, m.from_tier),
                 (bay.bay, m.to_row + 1, m.to_tier)) for m in got.moves]


def apply(tx: Tx, moves: list[Move]) -> None:
    for m in moves:
        box = tx.get(Container, m.container_id)
        box.yard_bay, box.yard_row, box.yard_tier = m.to
        tx.session.flush()  # one at a time: the yard-slot unique index checks each
