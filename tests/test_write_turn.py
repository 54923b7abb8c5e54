"""SQLite writers queue for their turn on a kernel file lock, not by polling the database.

``Core.run`` takes an exclusive ``flock`` on ``<database>-writers`` before ``BEGIN IMMEDIATE``
(portops.db.write_turn): a second writer waits in the kernel and starts the moment the first
commits. Checks (read-only) do not queue; PostgreSQL needs no turn (row locks).
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

import pytest

from portops.db import make_engine, write_turn
from portops.model import Role
from portops.ops.users import add_user

pytestmark = pytest.mark.sqlite_only


def _try_lock(path: str) -> bool:
    """Whether another open file description gets the lock now (what another process sees)."""
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def test_a_writer_holds_the_turn_until_it_ends(db_url, engine, core):
    turn = db_url + "-writers"
    with write_turn(engine):
        assert Path(turn).exists()
        assert not _try_lock(turn)
    assert _try_lock(turn)
    # an operation runs in its turn and gives it back, also when it is refused
    core.run("system", add_user, name="new-clerk", role=Role.GATE_CLERK.value)
    assert core.check("system", add_user, name="new-clerk", role=Role.GATE_CLERK.value)
    assert _try_lock(turn)


def test_checks_memory_and_postgresql_take_no_turn(db_url, engine, tmp_path, monkeypatch):
    with write_turn(engine, reading=True):
        assert not Path(db_url + "-writers").exists()
    memory = make_engine("sqlite://")
    pg = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")  # never connected
    here = tmp_path / "cwd"
    here.mkdir()
    monkeypatch.chdir(here)  # a turn file, if one were made, would land here
    try:
        for other in (memory, pg):
            with write_turn(other):
                pass  # nothing to wait for, nothing made
        assert list(here.iterdir()) == []
    finally:
        memory.dispose()
        pg.dispose()


def test_a_writer_stuck_in_its_turn_refuses_the_next_after_the_timeout(db_url, engine, core,
                                                                      monkeypatch):
    """A console that hangs inside a write (stopped, frozen) must not freeze every other
    console for ever: the next writer gets a refusal naming the rule after the busy timeout,
    and writes again as soon as the turn is free."""
    from portops.db import DatabaseBusy
    from portops.ops import Refused

    turn = db_url + "-writers"
    with write_turn(engine):  # another console's turn (another open file description)
        holder = os.open(turn, os.O_RDWR)
    fcntl.flock(holder, fcntl.LOCK_EX)
    try:
        with pytest.raises(DatabaseBusy), write_turn(engine, timeout=0.2):
            pass
        with monkeypatch.context() as m:
            m.setattr("portops.db.BUSY_TIMEOUT_MS", 200)
            with pytest.raises(Refused) as refused:
                core.run("system", add_user, name="late-clerk", role=Role.GATE_CLERK.value)
        assert refused.value.rules == ["db.busy"]
        assert "over 0.2 s" in refused.value.unmet[0].message
    finally:
        os.close(holder)  # the stuck console goes away
    core.run("system", add_user, name="late-clerk", role=Role.GATE_CLERK.value)
    deadline = time.monotonic() + 10
    while not _try_lock(turn):  # the abandoned waits take the turn when free and give it back
        assert time.monotonic() < deadline, "an abandoned wait kept the writers' turn"
        time.sleep(0.01)
