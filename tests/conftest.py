"""Shared fixtures: a real SQLite file per test, migrated to the newest schema, a fixed clock.

Set ``PORTOPS_TEST_DB_URL`` to a PostgreSQL URL to run the same core tests there (``.ci/run``
does); each test then gets its own schema-free database made fresh by ``fresh_pg``.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session

from portops import schema
from portops.clock import FixedClock
from portops.db import make_engine, write_session
from portops.model import Berth, Role, Terminal, Vessel, VesselVisit
from portops.ops import Core
from portops.ops.users import add_user, bootstrap


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 27, 6, 0, tzinfo=UTC))


@pytest.fixture
def engine(tmp_path):
    eng = make_engine(tmp_path / "portops.db")
    schema.upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def core(engine, clock) -> Core:
    """A core with the system account and one user per role (named after the role)."""
    with write_session(engine) as s:
        bootstrap(s, clock)
    c = Core(engine, clock)
    for role in Role:
        c.run("system", add_user, name=role.value.replace("_", "-"), role=role.value)
    return c


def as_role(role: Role) -> str:
    """The user name the ``core`` fixture made for ``role``."""
    return role.value.replace("_", "-")


@pytest.fixture
def small_terminal(core: Core, engine) -> dict[str, int]:
    """A two-berth terminal with one vessel and one planned visit, written directly.

    Test set-up only: the rules under test are exercised through operations.
    """
    with Session(engine) as s, s.begin():
        s.add(Terminal(code="TEST", name="Test terminal", locode="CNSHA",
                       timezone="Asia/Shanghai"))
        b1 = Berth(name="B1", quay_start_m=0, quay_end_m=350, depth_m=15.0)
        b2 = Berth(name="B2", quay_start_m=350, quay_end_m=700, depth_m=12.0)
        v = Vessel(imo="9074729", name="TEST STAR", call_sign="VRAB1", loa_m=300, beam_m=48,
                   max_draft_m=14.0)
        s.add_all([b1, b2, v])
        s.flush()
        visit = VesselVisit(key="TST-001", vessel_id=v.id, line_operator="COSU",
                            voyage_in="001W", voyage_out="001E",
                            eta=datetime(2026, 11, 27, 4, 0, tzinfo=UTC),
                            etb=datetime(2026, 11, 27, 8, 0, tzinfo=UTC),
                            etd=datetime(2026, 11, 28, 8, 0, tzinfo=UTC), berth_id=b1.id,
                            quay_from_m=20)
        s.add(visit)
        s.flush()
        return {"visit": visit.id, "berth1": b1.id, "berth2": b2.id, "vessel": v.id}


def file_sha(path) -> str:
    """The SHA-256 of a file's bytes: "the database is byte-for-byte unchanged"."""
    import hashlib
    from pathlib import Path

    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture
def db_file(tmp_path):
    """A database file made by ``portops init`` (for command-line tests)."""
    from portops.cli import main

    path = tmp_path / "t.db"
    assert main(["--db", str(path), "init"]) == 0
    return path
