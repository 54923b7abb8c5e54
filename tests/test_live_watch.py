"""The console's change watcher (``portops.ui.live``; no Textual): cheap probe, keyed changes."""

from __future__ import annotations

import queue

import pytest

from portops.db import make_engine
from portops.model import Role
from portops.ops import Core
from portops.ops.visits import arrive
from portops.queries.events import high_water
from portops.ui.live import Watcher, _Probe
from tests.conftest import as_role


def test_the_probe_moves_only_when_another_connection_commits(engine, db_url, clock,
                                                              small_terminal) -> None:
    probe = _Probe(engine)
    other = make_engine(db_url)  # another console's engine
    try:
        assert probe.changed()  # the first look always reads
        assert not probe.changed()
        assert not probe.changed()
        Core(other, clock).run(as_role(Role.DISPATCHER), arrive, visit_id=small_terminal["visit"])
        assert probe.changed()
        assert not probe.changed()
    finally:
        probe.close()
        other.dispose()


def test_the_watcher_delivers_another_consoles_change_by_key(engine, db_url, clock,
                                                             small_terminal) -> None:
    delivered: queue.Queue = queue.Queue()
    watcher = Watcher(engine, high_water(engine), 0.01, delivered.put)
    other = make_engine(db_url)
    watcher.start()
    try:
        Core(other, clock).run(as_role(Role.DISPATCHER), arrive, visit_id=small_terminal["visit"])
        changes = delivered.get(timeout=30)
        assert changes.ids("visit") == {small_terminal["visit"]}
        # the newest event is delivered; the mark may wait below an id that was drawn and
        # rolled back (on PostgreSQL every gap is one) until the feed gives up on it
        assert changes.events[-1].id == high_water(engine)
        assert changes.upto == watcher.since <= high_water(engine)
    finally:
        watcher.stop()
        other.dispose()


def _event(conn, operation: str) -> int:
    """Append one event by hand (the log's INSERT is allowed; only UPDATE/DELETE are not)."""
    from datetime import UTC, datetime

    from sqlalchemy import insert

    from portops.audit import chained
    from portops.model import Event

    event = chained(conn, dict(at=datetime(2026, 12, 7, tzinfo=UTC), user="dispatcher",
                               role="dispatcher", operation=operation, subject_kind="visit",
                               subject_id=1, subject_ref="", dcsa=None, data={}))
    return conn.execute(insert(Event.__table__).values(**event)
                        .returning(Event.__table__.c.id)).scalar_one()


def test_an_event_committed_after_a_newer_one_is_still_delivered(engine, db_backend) -> None:
    """Ids are drawn in one order and committed in another (PostgreSQL): the watcher must
    not move its mark past an id it has not seen, or that event is never delivered."""
    if db_backend != "postgresql":
        pytest.skip("SQLite has one writer: its commits come in id order")
    # With the audit chain as it is (linked after each commit, migration 0350): until then
    # its trigger held a lock from an event's id to its commit, and commits came in id order.
    delivered: queue.Queue = queue.Queue()
    watcher = Watcher(engine, high_water(engine), 3600, delivered.put)  # looks when poked
    watcher.start()
    early = engine.connect()
    try:
        slow = early.begin()
        first = _event(early, "test.slow")  # drawn first, committed last
        with engine.begin() as conn:
            second = _event(conn, "test.fast")
        assert second > first
        watcher.poke()
        changes = delivered.get(timeout=30)
        assert [e.id for e in changes.events] == [second]
        assert changes.upto < first  # the mark waits below the open gap
        slow.commit()
        watcher.poke()
        changes = delivered.get(timeout=30)
        assert [e.id for e in changes.events] == [first]
        assert changes.upto == second == watcher.since
    finally:
        watcher.stop()
        early.close()


def test_a_gap_that_never_fills_is_given_up_after_a_while(engine, monkeypatch) -> None:
    """A rolled-back id leaves a gap for good: the feed stops asking for it in time."""
    from portops.ui import live
    from portops.ui.live import GAP_SECONDS, _Feed

    # as where ids need not come in commit order (the audit chain off)
    monkeypatch.setattr(live, "_ids_in_commit_order", lambda engine: False)

    with engine.begin() as conn:
        first = _event(conn, "test.one")
    with engine.connect() as conn, conn.begin() as rolled_back:
        _event(conn, "test.rolled_back")  # consumes an id on PostgreSQL, none on SQLite
        rolled_back.rollback()
    with engine.begin() as conn:
        last = _event(conn, "test.two")
    feed = _Feed(first - 1)
    changes = feed.read(engine, now=0.0)
    assert [e.id for e in changes.events] == [first, last]
    gap = last - first - 1
    assert len(feed.gaps) == gap
    assert changes.upto == (first if gap else last)
    later = feed.read(engine, now=GAP_SECONDS + 1)
    assert later.events == () and feed.gaps == {} and later.upto == last
