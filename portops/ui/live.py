"""Live refresh: watch the database for commits and tell screens what changed, by key.

One :class:`Watcher` thread per console looks every ``Settings.poll_seconds`` whether anything
was committed: on SQLite ``PRAGMA data_version`` on a connection of its own (it changes when
another connection commits; a few microseconds, no query), on other databases the event
log's ``max(id)`` through its primary key. Only then does it read the new events, and the app
posts :class:`~portops.ui.messages.DataChanged` with a :class:`Changes` to the active screen. A screen in another mode catches up
when it is shown again (``AreaScreen.on_screen_resume`` asks for the changes since the mark it
last saw). Screens update the rows whose keys changed; they never reload a whole table for one
change (only when the feed overflowed, ``Changes.everything``).

Event ids are drawn in one order and committed in another: on PostgreSQL a transaction that
drew id 9 may commit after the one that drew id 10. A reader that saw 10 and moved its mark
past 9 would never see 9. So the feed keeps the ids it has not seen below the newest it has
(its *gaps*) open for :data:`GAP_SECONDS` and asks for them again at every look; the mark it
hands out (``Changes.upto``) is the last id below which nothing is still open, and an event
may reach a screen twice (screens refresh by key, so that is harmless) but never not at all.
A gap that stays empty that long was a rolled-back id. SQLite commits in id order (one writer):
there a gap below a visible id is never filled, and the feed keeps none. (PostgreSQL did too
while its audit chain linked each event under a lock held to the commit, until migration
0350: the chain is linked after the commit now, and nothing orders commits.)
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # loaded with the database, after the sign-in form is drawn (issue 3)
    from sqlalchemy.engine import Engine

    from portops.queries.events import EventRow

#: More new events than this at once and screens reload instead of applying them one by one.
OVERFLOW = 2000

#: At most this many open gaps are kept (the oldest given up first): the look asks for them.
MAX_GAPS = 1000

#: How long an id not yet seen below the newest seen may still be committed. An operation's
#: event is its last write, sent with (or just before) its COMMIT, so a real gap closes in
#: milliseconds; one still open after this was an id whose transaction rolled back.
GAP_SECONDS = 30.0


@dataclass(frozen=True)
class Changes:
    """Events after mark ``since``, and helpers to ask what they touched.

    ``upto`` is the new mark: every event with a lower id that will ever exist has been
    delivered (see the module's note on gaps); ``events`` may hold some beyond it.
    """

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


def changes_since(engine: Engine, since: int, settled: int | None = None) -> Changes:
    """What happened after mark ``since`` (read in one go; runs in a worker thread).

    A screen catching up asks this with the watcher's mark as ``settled``: its own mark moves
    no further, so an event committed late below the newest is read again later, not lost.
    """
    from portops.queries.events import events_since, high_water

    events = events_since(engine, since, limit=OVERFLOW + 1)
    if len(events) > OVERFLOW:
        return Changes(since, high_water(engine), (), everything=True)
    upto = events[-1].id if events else since
    if settled is not None:
        upto = max(since, min(upto, settled))
    return Changes(since, upto, tuple(events))


class _Feed:
    """The watcher's position in the event log: the newest id delivered and the gaps below it
    still open (id -> when to give up on it, by ``time.monotonic``)."""

    def __init__(self, since: int) -> None:
        self.top = since
        self.gaps: dict[int, float] = {}

    @property
    def mark(self) -> int:
        """The last id below which nothing is still open."""
        return min(self.gaps) - 1 if self.gaps else self.top

    def read(self, engine: Engine, now: float | None = None) -> Changes:
        from portops.queries.events import events_since, high_water

        now = time.monotonic() if now is None else now
        since = self.mark
        self.gaps = {i: until for i, until in self.gaps.items() if until > now}
        events = events_since(engine, self.top, limit=OVERFLOW + 1, also=self.gaps)
        if len(events) > OVERFLOW:
            self.top, self.gaps = high_water(engine), {}
            return Changes(since, self.top, (), everything=True)
        for e in events:
            self.gaps.pop(e.id, None)
        fresh = [e.id for e in events if e.id > self.top]
        if fresh:
            if not _ids_in_commit_order(engine):
                known = set(fresh)
                until = now + GAP_SECONDS
                self.gaps.update((i, until) for i in range(self.top + 1, fresh[-1])
                                 if i not in known)
                for i in sorted(self.gaps)[:max(0, len(self.gaps) - MAX_GAPS)]:
                    del self.gaps[i]
            self.top = fresh[-1]
        return Changes(since, self.mark, tuple(events))


def _ids_in_commit_order(engine: Engine) -> bool:
    """Whether every event id below a committed one is already decided (see the module)."""
    return engine.dialect.name == "sqlite"


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
        self._feed = _Feed(since)
        self.interval = interval
        self.deliver = deliver
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="portops-live", daemon=True)

    def start(self) -> None:
        self._thread.start()

    @property
    def since(self) -> int:
        """The mark: every event up to it has been delivered."""
        return self._feed.mark

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
                    # an open gap is asked for at every tick: a late commit does not move
                    # the probe's max(id) on PostgreSQL
                    if probe.changed() or poked or self._feed.gaps:
                        self._look(None if poked else probe.mark)
                except Exception:  # noqa: BLE001 - looked again at the next tick
                    probe.reset()
        finally:
            probe.close()

    def _look(self, mark: int | None = None) -> None:
        """Deliver what came after ``since``; ``mark`` is the event log's high-water mark if
        the probe has just read it (PostgreSQL), so it is not read twice."""
        from portops.queries.events import high_water

        feed = self._feed
        if not feed.gaps and (high_water(self.engine) if mark is None else mark) <= feed.top:
            return
        changes = feed.read(self.engine)
        if changes.events or changes.everything or changes.upto > changes.since:
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
