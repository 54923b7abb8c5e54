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
def _guards_back(owner_engine):
    """The PostgreSQL tests share one database, emptied between tests: the triggers a test
    drops are put back after it."""
    yield
    if owner_engine.dialect.name != "postgresql":
        return
    from portops.migrations.audit_chain import CHAIN_SQL

    with owner_engine.begin() as conn:
        for table in ("event", "event_link"):
            conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"))
            conn.execute(text(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE OR "
                              f"TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION "
                              f"{table}_append_only()"))
        for statement in CHAIN_SQL:
            conn.execute(text(statement))


def _without_guard(engine, *sql: str) -> None:
    """Do what an attacker with the database can (``engine``: as the tables' owner): drop
    the triggers, rewrite rows."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER event_no_update"))
            conn.execute(text("DROP TRIGGER event_no_delete"))
        else:
            conn.execute(text("DROP TRIGGER event_append_only ON event"))
            conn.execute(text("DROP TRIGGER event_link_append_only ON event_link"))
            conn.execute(text("DROP TRIGGER event_chain ON event"))
        for statement in sql:
            conn.execute(text(statement))


def _chain(engine) -> list:
    """The chain in its order: (event id, prev_hash, hash) of each link."""
    sql = ("SELECT event_id, prev_hash, hash FROM event_link ORDER BY seq"
           if engine.dialect.name == "postgresql"
           else "SELECT id, prev_hash, hash FROM event ORDER BY id")
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def _ids(engine) -> list[int]:
    """The events' ids."""
    with engine.connect() as conn:
        return list(conn.execute(text("SELECT id FROM event ORDER BY id")).scalars())


def _broken(engine) -> audit.Broken:
    report = audit.verify(engine)
    assert report.broken is not None
    return report.broken


def test_operations_extend_the_chain(logged, engine):
    chain = _chain(engine)
    assert chain[0][1] == audit.GENESIS
    assert all(b[1] == a[2] for a, b in zip(chain, chain[1:], strict=False))
    assert sorted(c[0] for c in chain) == _ids(engine)  # every event, once
    assert logged.head.event_id == chain[-1][0] and logged.head.hash == chain[-1][2]


def test_consecutive_events_have_consecutive_ids(logged, engine, core):
    """One id drawn per event (PostgreSQL from 0280 to 0325 drew a second one in the chain's
    trigger, and ids stepped by two)."""
    before = _ids(engine)
    for n in range(3):
        core.run(as_role(Role.ADMIN), add_user, name=f"next-{n}", role="gate_clerk",
                 password="next-pw-12345")
    ids = _ids(engine)
    assert ids == list(range(ids[0], ids[0] + len(ids))) and len(ids) == len(before) + 3


def test_a_changed_event_is_named(owner_engine, logged, engine):
    ids = _ids(engine)
    _without_guard(owner_engine, f"UPDATE event SET \"user\" = 'someone-else' WHERE id = {ids[2]}")
    broken = _broken(engine)
    assert broken.event_id == ids[2] and "changed" in broken.reason


def test_a_deleted_event_is_named_by_the_one_after_it(owner_engine, logged, engine):
    chain = _chain(engine)
    gone, after = chain[1][0], chain[2][0]
    also = ([f"DELETE FROM event_link WHERE event_id = {gone}"]
            if engine.dialect.name == "postgresql" else [])
    _without_guard(owner_engine, f"DELETE FROM event WHERE id = {gone}", *also)
    broken = _broken(engine)
    assert broken.event_id == after and "deleted" in broken.reason


def test_an_event_deleted_from_under_its_link_is_named(owner_engine, logged, engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("links are rows of their own on PostgreSQL only")
    gone = _chain(engine)[1][0]
    _without_guard(owner_engine, f"DELETE FROM event WHERE id = {gone}")
    broken = _broken(engine)
    assert broken.event_id == gone and "deleted" in broken.reason


def test_reordered_events_are_named(owner_engine, logged, engine):
    (a, *_), (b, *_) = _chain(engine)[1:3]
    if engine.dialect.name == "postgresql":  # the chain's order is its links' seq
        _without_guard(owner_engine, "UPDATE event_link SET seq = -2 WHERE seq = 2",
                       "UPDATE event_link SET seq = 2 WHERE seq = 3",
                       "UPDATE event_link SET seq = 3 WHERE seq = -2")
        a, b = b, a
    else:
        _without_guard(owner_engine, f"UPDATE event SET id = -2 WHERE id = {a}",
                       f"UPDATE event SET id = {a} WHERE id = {b}",
                       f"UPDATE event SET id = {b} WHERE id = -2")
    broken = _broken(engine)
    assert broken.event_id == a and "reordered" in broken.reason


def test_a_forged_insert_is_named(logged, engine):
    """An event inserted by hand, with the triggers in place: on PostgreSQL it is linked, but
    to the digest it claims, not to its content; on SQLite it links to nothing."""
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


def test_an_event_without_a_link_is_named(owner_engine, logged, engine):
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn, pytest.raises(Exception, match="digest"):
            conn.execute(text("INSERT INTO event (at, \"user\", role, operation, subject_kind, "
                              "subject_ref, data) VALUES (now(), 'boss', 'admin', 'x', '', "
                              "'', '{}')"))
        _without_guard(owner_engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO event (at, \"user\", role, operation, subject_kind, "
                          "subject_ref, data) VALUES ('2026-11-27 06:00:00', 'boss', 'admin', "
                          "'x', '', '', '{}')"))
    assert "written outside portops" in _broken(engine).reason


def test_a_checkpoint_finds_a_log_rewritten_consistently(owner_engine, logged, engine, db_url,
                                                         tmp_path,
                                                         capsys):
    head_file = tmp_path / "heads.txt"
    assert main(["--db", db_url, "audit", "checkpoint", "--file", str(head_file)]) == 0
    assert main(["--db", db_url, "audit", "verify", "--checkpoint", str(head_file)]) == 0
    assert "audit log intact" in capsys.readouterr().out
    # the attacker changes the newest event and computes its hash again: the chain fits
    head = logged.head
    prev = next(c[1] for c in _chain(engine) if c[0] == head.event_id)
    _without_guard(owner_engine, f"UPDATE event SET \"user\" = 'nobody' WHERE id = {head.event_id}")
    with engine.connect() as conn:
        fields = conn.execute(text(
            "SELECT at, \"user\", role, operation, subject_kind, subject_id, subject_ref, dcsa, "
            "data FROM event WHERE id = :i"), {"i": head.event_id}).one()._asdict()
    new = audit.link(prev, audit.digest(fields))
    where = ("event_link SET hash = '{}' WHERE event_id = {}" if engine.dialect.name ==
             "postgresql" else "event SET hash = '{}' WHERE id = {}")
    _without_guard_again(owner_engine, "UPDATE " + where.format(new, head.event_id))
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


def test_verify_names_the_broken_event_on_the_command_line(owner_engine, logged, engine, db_url,
                                                          capsys):
    second = _ids(engine)[1]
    _without_guard(owner_engine, f"UPDATE event SET data = '{{\"x\": 1}}' WHERE id = {second}")
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


def _insert_event(conn, operation: str) -> int:
    """An event as an operation writes it (its digest; linked by the chain), on ``conn``."""
    from datetime import UTC, datetime

    from sqlalchemy import insert

    from portops.model import Event

    event = audit.chained(conn, dict(at=datetime(2026, 11, 27, 7, tzinfo=UTC), user="boss",
                                     role="admin", operation=operation, subject_kind="",
                                     subject_id=None, subject_ref="", dcsa=None, data={}))
    return conn.execute(insert(Event.__table__).values(**event)
                        .returning(Event.__table__.c.id)).scalar_one()


def test_a_transaction_left_open_holds_up_no_other_operation(logged, engine, core):
    """PostgreSQL links an event after its commit: an operation whose event is written and
    not yet committed (a console's long batch, a process descheduled before its COMMIT)
    keeps no lock that other operations wait for. Until migration 0350 the chain's trigger
    held its lock to the COMMIT, and every other operation's event waited behind it."""
    import threading

    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time anyway")
    slow = engine.connect()
    slow_tx = slow.begin()
    try:
        held = _insert_event(slow, "test.slow")  # takes the chain's lock if it is free
        done = []

        def others() -> None:
            for n in range(3):
                core.run(as_role(Role.ADMIN), add_user, name=f"quick-{n}", role="gate_clerk",
                         password="quick-pw-12345")
                done.append(n)

        worker = threading.Thread(target=others, daemon=True)
        worker.start()
        worker.join(timeout=30)
        assert done == [0, 1, 2], "an operation waited for a transaction left open"
    finally:
        slow_tx.commit()
        slow.close()
    report = audit.verify(engine)
    assert report.broken is None
    chain = _chain(engine)
    assert sorted(c[0] for c in chain) == _ids(engine) and held in [c[0] for c in chain]


def test_events_are_linked_in_the_order_they_commit(logged, engine):
    """An event whose transaction commits after a newer one's is linked after it: the chain
    never links an event before its commit (PostgreSQL)."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite commits in id order")
    from portops.migrations.audit_chain import LOCK

    reader = engine.connect()  # a head being read: the chain's lock held meanwhile
    reader_tx = reader.begin()
    reader.execute(text("SELECT pg_advisory_xact_lock(:a, :b)"), {"a": LOCK[0], "b": LOCK[1]})
    early = engine.connect()
    early_tx = early.begin()
    first = _insert_event(early, "test.drawn-first")
    with engine.begin() as conn:
        second = _insert_event(conn, "test.drawn-second")
    reader_tx.commit()
    reader.close()
    assert audit.link_pending(engine) == 1  # the second, committed; the first is not yet
    early_tx.commit()
    early.close()
    assert audit.link_pending(engine) == 1
    order = [c[0] for c in _chain(engine)]
    assert first < second and order[-2:] == [second, first]
    assert audit.verify(engine).broken is None


def test_an_event_written_at_a_stricter_isolation_is_linked_by_the_next(logged, engine):
    """A REPEATABLE READ transaction's snapshot may predate the newest link: it links
    nothing (it would fork the chain) and its event waits for the next linker."""
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's isolation levels")
    strict_engine = engine.execution_options(isolation_level="REPEATABLE READ")
    with strict_engine.begin() as conn:
        strict = _insert_event(conn, "test.repeatable-read")
    assert strict not in [c[0] for c in _chain(engine)]
    report = audit.verify(engine)
    assert report.broken is None and report.head.event_id == strict


def test_a_head_written_before_the_chain_moved_after_commits_still_checks(empty_url, clock):
    """Migration 0350 copies PostgreSQL's links as they were: a checkpoint written before it
    still checks, and the next event follows them."""
    from portops import schema
    from portops.db import make_engine, write_session
    from portops.ops.users import bootstrap

    engine = make_engine(empty_url)
    schema.upgrade(engine, "0345_delivery_no_shows")
    with write_session(engine) as s:
        assert bootstrap(s, clock)
    with engine.connect() as conn:
        before = conn.execute(text("SELECT id, hash FROM event ORDER BY id DESC LIMIT 1")).one()
    schema.upgrade(engine)
    assert audit.check_checkpoint(engine, before.id, before.hash) is None
    with engine.begin() as conn:
        _insert_event(conn, "test.after-0350")
    report = audit.verify(engine)
    assert report.broken is None and report.events == 2
    assert audit.check_checkpoint(engine, before.id, before.hash) is None
    engine.dispose()


def test_every_so_many_events_the_writers_link_the_waiting_ones(logged, engine):
    """Nobody need read the head for the chain to keep up: the event whose id is a multiple
    of LINK_EVERY links every committed event still waiting, and its own (PostgreSQL)."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite links every event in its own transaction")
    from portops.migrations.audit_chain import LINK_EVERY

    audit.link_pending(engine)
    written = []
    while not written or written[-1] % LINK_EVERY:
        with engine.begin() as conn:
            written.append(_insert_event(conn, "test.batch"))
    linked = [c[0] for c in _chain(engine)]
    assert linked[-len(written):] == written  # all of them, in order, without a reader
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM event_unlinked")).scalar() == 0
    assert audit.verify(engine).broken is None
