"""The audit log is a hash chain: whoever drops the append-only triggers and rewrites history
(changes, deletes, reorders or forges an event) is named by ``portops audit verify`` at the
first event that does not fit; a head written outside the database shows a log rewritten
consistently up to it. On SQLite and PostgreSQL."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from portops import audit
from portops.cli import main
from portops.model import Role
from portops.ops.users import add_user
from portops.ops.visits import arrive, berth
from tests.conftest import as_role


@pytest.fixture
def logged(core, engine, small_terminal):
    """A log of a few events, its chain intact."""
    core.run(as_role(Role.DISPATCHER), arrive, visit_id=small_terminal["visit"])
    core.run(as_role(Role.DISPATCHER), berth, visit_id=small_terminal["visit"])
    report = audit.verify(engine)
    assert report.broken is None and report.events >= 4
    return report


@pytest.fixture(autouse=True)
def _guards_back(engine):
    """The PostgreSQL tests share one database, emptied between tests: the triggers a test
    drops are put back after it."""
    yield
    if engine.dialect.name != "postgresql":
        return
    from portops.migrations.audit_chain import _FUNCTION

    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE event ALTER COLUMN id DROP DEFAULT"))
        conn.execute(text("DROP TRIGGER IF EXISTS event_append_only ON event"))
        conn.execute(text("DROP TRIGGER IF EXISTS event_chain ON event"))
        conn.execute(text(_FUNCTION))
        conn.execute(text("CREATE TRIGGER event_chain BEFORE INSERT ON event FOR EACH ROW "
                          "EXECUTE FUNCTION event_chain()"))
        conn.execute(text("CREATE TRIGGER event_append_only BEFORE UPDATE OR DELETE OR "
                          "TRUNCATE ON event FOR EACH STATEMENT EXECUTE FUNCTION "
                          "event_append_only()"))


def _without_guard(engine, *sql: str) -> None:
    """Do what an attacker with the database can: drop the triggers, rewrite rows."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER event_no_update"))
            conn.execute(text("DROP TRIGGER event_no_delete"))
        else:
            conn.execute(text("DROP TRIGGER event_append_only ON event"))
            conn.execute(text("DROP TRIGGER event_chain ON event"))
            # ids were the trigger's to draw: the column draws them again (migration 0325)
            conn.execute(text("ALTER TABLE event ALTER COLUMN id SET DEFAULT "
                              "nextval('event_id_seq'::regclass)"))
        for statement in sql:
            conn.execute(text(statement))


def _ids(engine) -> list[int]:
    """The events' ids."""
    with engine.connect() as conn:
        return list(conn.execute(text("SELECT id FROM event ORDER BY id")).scalars())


def _broken(engine) -> audit.Broken:
    report = audit.verify(engine)
    assert report.broken is not None
    return report.broken


def test_operations_extend_the_chain(logged, engine):
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, prev_hash, hash FROM event ORDER BY id")).all()
    assert rows[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:], strict=False))
    assert logged.head.event_id == rows[-1].id and logged.head.hash == rows[-1].hash


def test_consecutive_events_have_consecutive_ids(logged, engine, core):
    """The chain's trigger draws an event's only id (PostgreSQL: the id column has no default
    since migration 0325; it drew a second one, and ids stepped by two)."""
    before = _ids(engine)
    for n in range(3):
        core.run(as_role(Role.ADMIN), add_user, name=f"next-{n}", role="gate_clerk",
                 password="next-pw-12345")
    ids = _ids(engine)
    assert ids == list(range(ids[0], ids[0] + len(ids))) and len(ids) == len(before) + 3


def test_a_changed_event_is_named(logged, engine):
    ids = _ids(engine)
    _without_guard(engine, f"UPDATE event SET \"user\" = 'someone-else' WHERE id = {ids[2]}")
    broken = _broken(engine)
    assert broken.event_id == ids[2] and "changed" in broken.reason


def test_a_deleted_event_is_named_by_the_one_after_it(logged, engine):
    ids = _ids(engine)
    _without_guard(engine, f"DELETE FROM event WHERE id = {ids[1]}")
    broken = _broken(engine)
    assert broken.event_id == ids[2] and "deleted" in broken.reason


def test_reordered_events_are_named(logged, engine):
    a, b = _ids(engine)[1:3]
    _without_guard(engine, f"UPDATE event SET id = -2 WHERE id = {a}",
                   f"UPDATE event SET id = {a} WHERE id = {b}",
                   f"UPDATE event SET id = {b} WHERE id = -2")
    broken = _broken(engine)
    assert broken.event_id == a and "reordered" in broken.reason


def test_a_forged_insert_is_named(logged, engine):
    """An event inserted by hand, with the triggers in place: on PostgreSQL the trigger links
    it, but to the digest it claims, not to its content; on SQLite it links to nothing."""
    last = logged.head
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO event (at, \"user\", role, operation, subject_kind, subject_ref, data, "
            "prev_hash, hash) VALUES (:at, 'boss', 'admin', 'user.add', 'user', 'evil', '{}', "
            ":prev, :h)"), {"at": last.at.replace(tzinfo=None), "prev": last.hash,
                            "h": "ab" * 32})
        forged = conn.execute(text("SELECT max(id) FROM event")).scalar()
    broken = _broken(engine)
    assert broken.event_id == forged and "forged" in broken.reason


def test_an_event_without_a_link_is_named(logged, engine):
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn, pytest.raises(Exception, match="digest"):
            conn.execute(text("INSERT INTO event (at, \"user\", role, operation, subject_kind, "
                              "subject_ref, data) VALUES (now(), 'boss', 'admin', 'x', '', "
                              "'', '{}')"))
        _without_guard(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO event (at, \"user\", role, operation, subject_kind, "
                          "subject_ref, data) VALUES ('2026-11-27 06:00:00', 'boss', 'admin', "
                          "'x', '', '', '{}')"))
    assert "written outside portops" in _broken(engine).reason


def test_a_checkpoint_finds_a_log_rewritten_consistently(logged, engine, db_url, tmp_path,
                                                         capsys):
    head_file = tmp_path / "heads.txt"
    assert main(["--db", db_url, "audit", "checkpoint", "--file", str(head_file)]) == 0
    assert main(["--db", db_url, "audit", "verify", "--checkpoint", str(head_file)]) == 0
    assert "audit log intact" in capsys.readouterr().out
    # the attacker changes the newest event and computes its hash again: the chain fits
    head = logged.head
    with engine.connect() as conn:
        row = conn.execute(text("SELECT prev_hash FROM event WHERE id = :i"),
                           {"i": head.event_id}).one()
    _without_guard(engine, f"UPDATE event SET \"user\" = 'nobody' WHERE id = {head.event_id}")
    with engine.connect() as conn:
        fields = conn.execute(text(
            "SELECT at, \"user\", role, operation, subject_kind, subject_id, subject_ref, dcsa, "
            "data FROM event WHERE id = :i"), {"i": head.event_id}).one()._asdict()
    new = audit.link(row.prev_hash, audit.digest(fields))
    _without_guard_again(engine, f"UPDATE event SET hash = '{new}' WHERE id = {head.event_id}")
    assert audit.verify(engine).broken is None
    capsys.readouterr()
    assert main(["--db", db_url, "audit", "verify", "--checkpoint", str(head_file)]) == 1
    err = capsys.readouterr().err
    assert f"event {head.event_id} now has hash" in err and "rewritten" in err
    assert err.count("\n") == 1


@pytest.fixture
def syslog_socket():
    """A syslog daemon's datagram socket, as /dev/log is (a short path: a Unix socket's
    name is at most 107 bytes)."""
    import socket
    import tempfile

    folder = tempfile.mkdtemp(prefix="syslog-", dir="/tmp")
    path = os.path.join(folder, "log")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    s.settimeout(10)
    yield path, s
    s.close()
    os.unlink(path)
    os.rmdir(folder)


def test_a_checkpoint_goes_to_syslog(logged, db_url, syslog_socket, capsys, monkeypatch):
    """``--syslog`` sends the head line to the syslog's socket (facility auth, severity
    notice, tag portops-audit), which the site names or /dev/log."""
    path, daemon = syslog_socket
    assert main(["--db", db_url, "audit", "checkpoint", "--syslog", "--syslog-address",
                 path]) == 0
    got = daemon.recv(4096).decode()
    assert got == f"<37>portops-audit: {logged.head.line()}"
    assert f"sent to syslog: {logged.head.line()}" in capsys.readouterr().out
    monkeypatch.setenv(audit.SYSLOG_ENV, path)  # or where the environment says
    assert main(["--db", db_url, "audit", "checkpoint", "--syslog"]) == 0
    assert audit.parse_checkpoint(daemon.recv(4096).decode()) == (logged.head.event_id,
                                                                  logged.head.hash)


def test_a_checkpoint_goes_to_a_remote_syslog_over_udp(logged, db_url):
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as daemon:
        daemon.bind(("127.0.0.1", 0))
        daemon.settimeout(10)
        port = daemon.getsockname()[1]
        assert main(["--db", db_url, "audit", "checkpoint", "--syslog", "--syslog-address",
                     f"127.0.0.1:{port}"]) == 0
        assert daemon.recv(4096).decode() == f"<37>portops-audit: {logged.head.line()}"


def test_a_syslog_that_does_not_answer_is_one_sentence(logged, db_url, capsys, tmp_path):
    nowhere = str(tmp_path / "no-daemon")
    assert main(["--db", db_url, "audit", "checkpoint", "--syslog", "--syslog-address",
                 nowhere]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"portops: syslog at {nowhere}: ") and "nothing sent" in err
    assert err.count("\n") == 1 and "Traceback" not in err


def _without_guard_again(engine, statement: str) -> None:
    with engine.begin() as conn:
        conn.execute(text(statement))


def test_verify_names_the_broken_event_on_the_command_line(logged, engine, db_url, capsys):
    second = _ids(engine)[1]
    _without_guard(engine, f"UPDATE event SET data = '{{\"x\": 1}}' WHERE id = {second}")
    assert main(["--db", db_url, "audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"portops: the audit log is broken at event {second}:")


def test_consoles_writing_at_once_keep_one_chain(db_url, engine, core):
    """Eight processes append at the same instant (SQLite: one writer at a time; PostgreSQL:
    the trigger's lock): every event links to the one before, in id order."""
    from tests.racing import Call, race

    engine.dispose()  # the workers open their own connections
    admin = as_role(Role.ADMIN)
    for n in range(3):
        calls = [Call(admin, "user.add", {"name": f"racer-{n}-{i}", "role": "gate_clerk",
                                          "password": "racer-pw-1234"}) for i in range(8)]
        outcomes = race(db_url, calls)
        assert [o for o, _ in outcomes] == ["won"] * 8, outcomes
    report = audit.verify(engine)
    assert report.broken is None
    with engine.connect() as conn:
        added = conn.execute(text("SELECT count(*) FROM event WHERE operation = 'user.add' "
                                  "AND subject_ref LIKE 'racer-%'")).scalar()
    assert added == 24



@pytest.fixture
def empty_url(db_backend, tmp_path):
    """A database with no schema yet, on each backend."""
    if db_backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    from tests import pg

    name, url = pg.create_database(empty=True)
    yield url
    pg.drop(name)


def test_the_log_written_before_the_chain_is_linked_by_the_upgrade(empty_url, clock):
    """Migration 0280 links the events already in the log, in id order; the next event
    (through the trigger on PostgreSQL, in Python on SQLite) follows them."""
    from portops import schema
    from portops.db import make_engine, write_session
    from portops.ops.users import bootstrap

    engine = make_engine(empty_url)
    schema.upgrade(engine, "0270_sign_in")
    with engine.begin() as conn:
        for n in range(3):
            conn.execute(text(
                "INSERT INTO event (at, \"user\", role, operation, subject_kind, subject_ref, "
                "data) VALUES (:at, 'system', 'admin', 'x.old', 'user', :r, '{\"n\": 1.5}')"),
                {"at": f"2026-11-27 0{n}:00:00.25", "r": f"old-{n}"})
    schema.upgrade(engine)
    report = audit.verify(engine)
    assert report.broken is None and report.events == 3
    with write_session(engine) as s:
        assert bootstrap(s, clock)
    after = audit.verify(engine)
    assert after.broken is None and after.events == 4
    engine.dispose()
