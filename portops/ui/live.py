"""Live refresh: watch the event log's high-water mark and tell screens what changed, by key.

The app polls ``max(event.id)`` every ``Settings.poll_seconds`` in a thread worker (one indexed
lookup). When it moves, it reads the new events and posts :class:`~portops.ui.messages.
DataChanged` with a :class:`Changes` to the active screen. A screen in another mode catches up
when it is shown again (``AreaScreen.on_screen_resume`` asks for the changes since the mark it
last saw). Screens update the rows whose keys changed; they never reload a whole table for one
change (only when the feed overflowed, ``Changes.everything``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from portops.queries.events import EventRow, events_since, high_water

#: More new events than this at once and screens reload instead of applying them one by one.
OVERFLOW = 2000


@dataclass(frozen=True)
class Changes:
    """Events after mark ``since`` up to ``upto``, and helpers to ask what they touched."""

    since: int
    upto: int
    events: tuple[EventRow, ...]
    #: Too many to list: treat every subject as changed.
    everything: bool = False

    def ids(self, kind: str) -> set[int]:
        """Ids of the subjects of ``kind`` (``visit``, ``container``...) that changed."""
        return {e.subject_id for e in self.events
                if e.subject_kind == kind and e.subject_id is not None}

    def touches(self, kind: str, operations: Iterable[str] = ()) -> bool:
        """Whether anything of ``kind`` changed, or one of ``operations`` ran."""
        ops = set(operations)
        return self.everything or any(e.subject_kind == kind or e.operation in ops
                                      for e in self.events)

    def ran(self, *operations: str) -> bool:
        """Whether any of ``operations`` (``schedule.import``...) ran: reload what they feed."""
        return self.everything or any(e.operation in operations for e in self.events)

    def bulk(self, kind: str) -> bool:
        """Whether an event about ``kind`` names no single subject (an import): reload it."""
        return self.everything or any(e.subject_kind == kind and e.subject_id is None
                                      for e in self.events)


def changes_since(engine: Engine, since: int) -> Changes:
    """What happened after mark ``since`` (read in one go; runs in a worker thread)."""
    events = events_since(engine, since, limit=OVERFLOW + 1)
    if len(events) > OVERFLOW:
        return Changes(since, high_water(engine), (), everything=True)
    return Changes(since, events[-1].id if events else since, tuple(events))
