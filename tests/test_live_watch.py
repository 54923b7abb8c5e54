"""The console's change watcher (``portops.ui.live``; no Textual): cheap probe, keyed changes."""

from __future__ import annotations

import queue

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
        assert changes.upto == high_water(engine) == watcher.since
    finally:
        watcher.stop()
        other.dispose()
