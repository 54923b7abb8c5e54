"""SQLite writers queue for their turn on a kernel file lock, not by polling the database.

``Core.run`` takes an exclusive ``flock`` on ``<database>-writers`` before ``BEGIN IMMEDIATE``
(portops.db.write_turn): a second writer waits in the kernel and starts the moment the first
commits. Checks (read-only) do not queue; PostgreSQL needs no turn (row locks).
"""

from __future__ import annotations

import fcntl
import os
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


def test_checks_memory_and_postgresql_take_no_turn(db_url, engine):
    with write_turn(engine, reading=True):
        assert not Path(db_url + "-writers").exists()
    memory = make_engine("sqlite://")
    pg = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")  # never connected
    try:
        for other in (memory, pg):
            with write_turn(other):
                pass  # nothing to wait for, nothing made
    finally:
        memory.dispose()
        pg.dispose()
