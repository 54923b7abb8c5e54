"""Shared fixtures: a real database per test, migrated to the newest schema, a fixed clock.

Every test that uses ``engine`` (or ``core``, ``small_terminal``...) runs on SQLite (a fresh
file) and, when ``PORTOPS_TEST_PG_URL`` names a PostgreSQL server, on PostgreSQL too: the test
id says which (``[sqlite]`` / ``[postgresql]``). Each PostgreSQL test gets a fresh database
cloned from a template migrated once per session (``CREATE DATABASE ... TEMPLATE``), which
takes milliseconds. Without the URL the PostgreSQL variants are skipped, saying how to run them
(``.ci/run`` starts a throw-away cluster and sets it). Screen tests run on SQLite only; mark
any other test or module ``@pytest.mark.sqlite_only`` when it is about SQLite itself.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime

import pytest
from sqlmodel import Session

from portops import schema
from portops.clock import FixedClock
from portops.db import make_engine, write_session
from portops.model import STAFF_ROLES, Berth, Role, Terminal, Vessel, VesselVisit
from portops.ops import Core
from portops.ops.users import add_user, bootstrap
from tests import pg

#: The test suite's one cheaper scrypt cost (portops.auth reads it; production never sets it):
#: the suite creates hundreds of accounts, each hashed at 2^17 would take minutes.
os.environ["PORTOPS_TEST_ONLY_SCRYPT_N"] = "1024"

#: The password of every account the fixtures make (``core``'s users, ``db_file``'s admin).
TEST_PASSWORD = "test-password-123"


@pytest.fixture(autouse=True)
def _cli_credentials(monkeypatch):
    """The command line authenticates whoever runs it (issue 16): a command-line test acts as
    the fixtures' ``admin`` with their password unless it says otherwise (``--user``, or its
    own environment). Tests of the authentication itself clear or change these."""
    monkeypatch.setenv("PORTOPS_USER", "admin")
    monkeypatch.setenv("PORTOPS_PASSWORD", TEST_PASSWORD)
    monkeypatch.setenv("PORTOPS_ADMIN_PASSWORD", TEST_PASSWORD)  # ``init --admin admin``
    monkeypatch.delenv("PORTOPS_TOKEN", raising=False)
    from portops import identity

    monkeypatch.setattr(identity, "FACE", None)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 27, 6, 0, tzinfo=UTC))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: not run on PostgreSQL")


def pytest_report_header(config: pytest.Config) -> str:
    return pg.report_header()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every database test on each backend (see the module docstring)."""
    if "db_backend" in metafunc.fixturenames:
        backends: list = ["sqlite"]
        if metafunc.definition.get_closest_marker("sqlite_only") is None and \
                not _is_screen_test(metafunc.definition.path) and \
                "snap_compare" not in metafunc.fixturenames:
            backends.append(pytest.param("postgresql", marks=pytest.mark.postgres))
        metafunc.parametrize("db_backend", backends, indirect=True)


def _is_screen_test(path) -> bool:  # noqa: ANN001
    """Screen tests (tests/ui/, test_ui_*.py, test_snapshots_*.py and any test taking
    ``snap_compare``) exercise the console, not the database: the core tests already run on
    both, so these run on SQLite only (and their snapshots keep one name)."""
    return "ui" in path.parts[:-1] or path.name.startswith(("test_ui", "test_snapshot"))


@pytest.fixture
def db_backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql" and not pg.server_url():
        pytest.skip(pg.SKIP_REASON)
    return request.param


_SQLITE_TEMPLATE: list = []


def _sqlite_template(factory: pytest.TempPathFactory):
    """A migrated SQLite file, made once per session; tests get copies (faster than migrating)."""
    if not _SQLITE_TEMPLATE:
        path = factory.mktemp("template") / "portops.db"
        eng = make_engine(path)
        schema.upgrade(eng)
        eng.dispose()  # the last connection closing checkpoints the WAL into the file
        _SQLITE_TEMPLATE.append(path)
    return _SQLITE_TEMPLATE[0]


@pytest.fixture
def db_url(db_backend: str, tmp_path, tmp_path_factory) -> str:
    """A fresh, migrated, empty database for this test (a path for SQLite, a URL for PG)."""
    if db_backend == "sqlite":
        path = tmp_path / "portops.db"
        shutil.copyfile(_sqlite_template(tmp_path_factory), path)
        yield str(path)
    else:
        with pg.fresh_database() as url:
            yield url


@pytest.fixture
def engine(db_url):
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def owner_engine(db_url, engine):
    """The database as its tables' owner. On PostgreSQL the tests work as the everyday role
    of ``portops db grants`` (tests/pg.py), which may not drop a trigger: a test that plays
    an attacker with the database does it through this. On SQLite, ``engine``."""
    if engine.dialect.name != "postgresql":
        yield engine
        return
    eng = make_engine(pg.owner_url(db_url))
    yield eng
    eng.dispose()


@pytest.fixture
def core(engine, clock) -> Core:
    """A core with the system account and one user per role (named after the role)."""
    with write_session(engine) as s:
        bootstrap(s, clock)
    c = Core(engine, clock)
    for role in STAFF_ROLES:  # customers belong to parties: tests/test_customer_scope.py
        c.run("system", add_user, name=role.value.replace("_", "-"), role=role.value,
              password=TEST_PASSWORD)
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
    assert main(["--db", str(path), "init", "--admin", "admin"]) == 0
    return path


@pytest.fixture
def chinese():
    """The console's language is Simplified Chinese for the test: its gettext function."""
    from portops import i18n

    i18n.set_language("zh_CN")
    yield i18n._
    i18n.set_language("en")
