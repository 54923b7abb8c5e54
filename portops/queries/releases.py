"""What the releases clerk reads: boxes waiting for release, and one box's holds and permissions.

"Waiting" is judged by :func:`portops.flags.blocking` for the action the box waits for
(an import box: ``deliver``; an export box: ``load``), the same judgement the booking, the
gate and the loading make, so the list says exactly what they would refuse. Read-only; plain
dataclasses out (the console hands them to widgets).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, or_, select

from portops.codes import CodeError, parse_container_number
from portops.db import read_session
from portops.flags import FLAG_TYPES, Action, blocking, blocking_many
from portops.model import (
    Category,
    CollectRight,
    Container,
    Flag,
    Party,
    RightState,
    VesselVisit,
    Where,
)
from portops.model.base import pk
from portops.ops.core import Unmet

#: Where an import box waits for its release: still on board its visit, or in the yard.
WAITING_AT = (Where.VESSEL, Where.YARD)


@dataclass(frozen=True)
class WaitingBox:
    container_id: int
    number: str
    visit: str
    location: str
    bl_number: str
    operator: str
    #: Every rule the delivery would be refused by now (permissions first, then holds).
    lacks: tuple[Unmet, ...]


@dataclass(frozen=True)
class VisitChoice:
    id: int
    key: str
    phase: str
    waiting: int


@dataclass(frozen=True)
class FlagRow:
    id: int
    code: str
    kind: str  # "permission" or "hold"
    title: str  # English, marked N_ in portops.flags
    state: str  # FlagState value
    #: What it was set on: "box", or the B/L or booking it covers ("B/L X", "booking Y").
    on: str
    reference: str
    reason: str
    set_by: str
    set_at: datetime
    cleared_by: str | None
    cleared_at: datetime | None
    clear_reference: str | None
    roles: frozenset[str]  # Role values that may set and clear it (admin always may)

    @property
    def in_force(self) -> bool:
        return self.state in ("active", "granted")


@dataclass(frozen=True)
class BoxView:
    container_id: int
    number: str
    category: str
    location: str
    size_type: str
    operator: str
    visit: str
    bl_number: str
    booking_ref: str
    #: The action whose refusals ``blocking`` lists: deliver (import) or load (export).
    action: str
    blocking: tuple[Unmet, ...]
    flags: tuple[FlagRow, ...]
    #: Who holds the right to collect it (a party code), if the line has released it.
    holder: str


def waiting(engine, visit_id: int | None = None) -> list[WaitingBox]:
    """Import boxes on board or in the yard whose delivery is still refused, by visit/number."""
    with read_session(engine) as s:
        q = select(Container).where(Container.category == Category.IMPORT,
                                    col(Container.location).in_(WAITING_AT))
        if visit_id is not None:
            q = q.where(Container.in_visit_id == visit_id)
        boxes = list(s.exec(q))
        keys = dict(s.exec(select(VesselVisit.id, VesselVisit.key)).all())
        judged = blocking_many(s, Action.DELIVER, boxes)
        out = [WaitingBox(pk(c), c.number, keys.get(c.in_visit_id, ""), str(c.location),
                          c.bl_number or "", c.operator, tuple(judged[pk(c)]))
               for c in boxes if judged[pk(c)]]
    return sorted(out, key=lambda b: (b.visit, b.number))


def visits(engine) -> list[VisitChoice]:
    """Visits that brought import boxes still on board or in the yard, with how many wait."""
    with read_session(engine) as s:
        rows = s.exec(select(VesselVisit).order_by(col(VesselVisit.etb))).all()
    counts: dict[str, int] = {}
    for b in waiting(engine):
        counts[b.visit] = counts.get(b.visit, 0) + 1
    return [VisitChoice(pk(v), v.key, str(v.phase), counts[v.key]) for v in rows
            if v.key in counts]


class BadNumber(ValueError):
    """The typed container number is not one; ``error`` says why (translatable)."""

    def __init__(self, error: CodeError) -> None:
        super().__init__(str(error))
        self.error = error


def box(engine, number: str) -> BoxView | None:
    """One box at or expected at the terminal, with every flag that applies to it.

    Raises :class:`BadNumber` for a number that is not ISO 6346 (a wrong check digit says
    which digit it expected); None when no such box is at or expected at the terminal."""
    try:
        number = parse_container_number(number)
    except CodeError as exc:
        raise BadNumber(exc) from None
    with read_session(engine) as s:
        c = s.exec(select(Container).where(Container.number == number,
                                           Container.location != Where.GONE)).first()
        if c is None:
            return None
        return _view(s, c)


def _view(s: Session, c: Container) -> BoxView:
    conds = [Flag.container_id == c.id]
    if c.bl_number:
        conds.append(Flag.bl_number == c.bl_number)
    if c.booking_ref:
        conds.append(Flag.booking_ref == c.booking_ref)
    flags = s.exec(select(Flag).where(or_(*conds)).order_by(col(Flag.set_at), col(Flag.id))).all()
    rows = []
    for f in flags:
        ft = FLAG_TYPES.get(f.type_code)
        on = ("box" if f.container_id is not None else
              f"B/L {f.bl_number}" if f.bl_number else f"booking {f.booking_ref}")
        rows.append(FlagRow(
            pk(f), f.type_code, ft.kind if ft else "hold", ft.title if ft else f.type_code,
            str(f.state), on, f.reference, f.reason, f.set_by, f.set_at, f.cleared_by,
            f.cleared_at, f.clear_reference,
            frozenset(str(r) for r in ft.roles) if ft else frozenset()))
    action = Action.LOAD if c.category == Category.EXPORT else Action.DELIVER
    holder = ""
    if c.category == Category.IMPORT:
        code = s.exec(select(Party.code).join(
            CollectRight, col(CollectRight.holder_party_id) == col(Party.id))
                      .where(CollectRight.container_id == c.id,
                             CollectRight.state == RightState.ACTIVE)).first()
        holder = code or ""
    visit_id = c.in_visit_id if c.category == Category.IMPORT else c.out_visit_id
    visit = s.get(VesselVisit, visit_id) if visit_id else None
    return BoxView(pk(c), c.number, str(c.category), str(c.location), c.size_type, c.operator,
                   visit.key if visit else "", c.bl_number or "", c.booking_ref or "",
                   str(action), tuple(blocking(s, action, container=c)), tuple(rows), holder)


def parties(engine) -> dict[str, list[str]]:
    """Registered party codes by kind (line, consignee, forwarder, haulier...), for hints."""
    with read_session(engine) as s:
        rows = s.exec(select(Party.code, Party.kind).where(Party.active)
                      .order_by(Party.code)).all()
    out: dict[str, list[str]] = {}
    for code, kind in rows:
        out.setdefault(str(kind), []).append(code)
    return out
