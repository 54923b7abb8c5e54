"""The event log as a change feed: its high-water mark and the events after a mark.

Consoles poll :func:`high_water` (one indexed ``max(id)``, cheap enough for every second) and,
when it moves, read :func:`events_since` to learn which subjects changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.engine import Engine
from sqlmodel import col

from portops.db import read_session
from portops.model import Event
from portops.model.base import pk


@dataclass(frozen=True)
class EventRow:
    id: int
    at: datetime
    user: str
    role: str
    operation: str
    subject_kind: str
    subject_id: int | None
    subject_ref: str
    dcsa: str | None
    data: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


def _row(e: Event) -> EventRow:
    return EventRow(pk(e), e.at, e.user, e.role, e.operation, e.subject_kind, e.subject_id,
                    e.subject_ref, e.dcsa, dict(e.data or {}))


def high_water(engine: Engine) -> int:
    """The id of the newest event (0 on an empty log)."""
    with read_session(engine) as s:
        return s.execute(select(func.max(Event.id))).scalar() or 0


def events_since(engine: Engine, after: int, limit: int = 2000,
                 also: Iterable[int] = ()) -> list[EventRow]:
    """Events with ``id > after`` or an id in ``also`` (gaps left by an earlier read), oldest
    first, at most ``limit`` of them."""
    wanted: ColumnElement[bool] = col(Event.id) > after
    missing = sorted(set(also))
    if missing:
        wanted = or_(wanted, col(Event.id).in_(missing))
    with read_session(engine) as s:
        rows = s.execute(select(Event).where(wanted).order_by(col(Event.id)).limit(limit))
        return [_row(e) for e in rows.scalars()]


def events_about(engine: Engine, kind: str, ident: int, limit: int = 500) -> list[EventRow]:
    """The timeline of one subject (a visit, a container...), oldest first."""
    with read_session(engine) as s:
        q = (select(Event).where(col(Event.subject_kind) == kind, col(Event.subject_id) == ident)
             .order_by(col(Event.id).desc()).limit(limit))
        return [_row(e) for e in reversed(list(s.execute(q).scalars()))]
