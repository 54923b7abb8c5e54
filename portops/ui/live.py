"""Live refresh: watch the database for commits and tell screens what changed, by key.

One :class:`Watcher` thread per console looks every ``Settings.poll_seconds`` whether anything
was committed: on SQLite ``PRAGMA data_version`` on a connection of its own (it changes when
another connection commits; a few microseconds, no query), on other databases the event
log's ``max(id)`` through its primary key. Only then does it read the new events, and the app
posts :class:`~portops.ui.messages.DataChanged` with a :class:`Changes` to the active screen. A screen in another mode catches up
when it is shown again (``AreaScreen.on_screen_resume`` asks for the changes since the mark it
last saw). Screens update the rows whose keys changed; they never reload a whole table for one
change (only when the feed overflowed, ``Changes.everything``).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # loaded with the database, after the sign-in form is drawn (issue 3)
    from sqlalchemy.engine import Engine

    from portops.queries.events import EventRow

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
    from portops.queries.events import events_since, high_water

    events = events_since(engine, since, limit=OVERFLOW + 1)
    if len(events) > OVERFLOW:
        return Changes(since, high_water(engine), (), everything=True)
    return Changes(since, events[-1].id if events else since, tuple(events))


class Watcher:
    """A thread that hands ``deliver`` the :class:`Changes` after mark ``since`` as they come.

    It replaces a worker per poll (a thread, a Worker and its state messages ten times a
    second: most of an idle console's CPU). ``poke`` looks at once (after this console's own
    operation); ``stop`` ends the thread. A failed look (the database locked for longer than
    the busy timeout, a dropped server) is retried at the next tick, never raised.
    """

    def __init__(self, engine: Engine, since: int, interval: float,
                 deliver: Callable[[Changes], None]) -> None:
        self.engine = engine
        self.since = since
        self.interval = interval
        self.deliver = deliver
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="portops-live", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def poke(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stopped.set()
        self._wake.set()

    def _run(self) -> None:
        probe = _Probe(self.engine)
        try:
            while not self._stopped.is_set():
                poked = self._wake.wait(self.interval)
                self._wake.clear()
                if self._stopped.is_set():
                    break
                try:
                    if probe.changed() or poked:
                        self._look(None if poked else probe.mark)
                except Exception:  # noqa: BLE001 - looked again at the next tick
                    probe.reset()
        finally:
            probe.close()

    def _look(self, mark: int | None = None) -> None:
        """Deliver what came after ``since``; ``mark`` is the event log's high-water mark if
        the probe has just read it (PostgreSQL), so it is not read twice."""
        from portops.queries.events import high_water

        if (high_water(self.engine) if mark is None else mark) <= self.since:
            return
        changes = changes_since(self.engine, self.since)
        self.since = changes.upto
        self.deliver(changes)


class _Probe:
    """Whether anything may have been committed since the last look (cheap, no read lock)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sqlite = engine.dialect.name == "sqlite"
        self._connection = None
        self._last: object = None
        #: The event log's high-water mark as last read (not on SQLite: data_version instead).
        self.mark: int | None = None

    def changed(self) -> bool:
        if self.sqlite:
            if self._connection is None:
                # A connection of its own: data_version counts other connections' commits.
                self._connection = self.engine.raw_connection()
            cursor = self._connection.cursor()
            try:
                cursor.execute("PRAGMA data_version")
                now = cursor.fetchone()[0]
            finally:
                cursor.close()
        else:
            from portops.queries.events import high_water

            now = self.mark = high_water(self.engine)
        moved, self._last = now != self._last, now
        return moved

    def reset(self) -> None:
        self.close()
        self._last = None

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):  # closing a broken connection
                self._connection.close()
            self._connection = None
