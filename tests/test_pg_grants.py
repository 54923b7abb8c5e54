"""PostgreSQL: the everyday role of ``portops db grants`` does what portops does and cannot
rewrite history: dropping or disabling the audit log's triggers, altering, updating or
truncating the event table are refused to it (issue 16)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from portops import audit
from portops.cli import main
from portops.db import make_engine
from portops.grants import grants_sql
from portops.model import Role
from portops.ops import Core
from portops.ops.visits import arrive, berth
from tests.conftest import as_role


@pytest.fixture
def app_engine(owner_engine, core):
    """An engine connected as a fresh everyday role, granted by ``grants_sql`` (every
    PostgreSQL test works as such a role, tests/pg.py; this one is made here, by the owner,
    as a site makes it)."""
    if owner_engine.dialect.name != "postgresql":
        pytest.skip("roles and grants are PostgreSQL's")
    role = f"portops_app_{uuid.uuid4().hex[:8]}"
    with owner_engine.begin() as conn:
        conn.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD 'app-pw-1234'"))
        conn.execute(text(grants_sql(role, owner_engine.url.database)))
    app = make_engine(owner_engine.url.set(username=role, password="app-pw-1234")
                      .render_as_string(hide_password=False))
    yield app
    app.dispose()
    with owner_engine.begin() as conn:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE usename = :r"), {"r": role})
        conn.execute(text(f"DROP OWNED BY {role}"))
        conn.execute(text(f"DROP ROLE {role}"))


@pytest.mark.parametrize("sql", [
    "DROP TRIGGER event_append_only ON event",
    "DROP TRIGGER event_chain ON event",
    "ALTER TABLE event DISABLE TRIGGER ALL",
    "ALTER TABLE event ADD COLUMN x int",
    "UPDATE event SET \"user\" = 'x'",
    "DELETE FROM event",
    "TRUNCATE event",
    "DROP TABLE event",
    "UPDATE event_link SET hash = 'x'",
    "DELETE FROM event_link",
    "TRUNCATE event_link",
    "DROP TRIGGER event_link_append_only ON event_link",
    "ALTER TABLE event_link DISABLE TRIGGER ALL",
])
def test_the_everyday_role_works_but_cannot_rewrite_history(engine, clock, small_terminal,
                                                            app_engine, sql):
    core = Core(app_engine, clock)
    core.run(as_role(Role.DISPATCHER), arrive, visit_id=small_terminal["visit"])
    core.run(as_role(Role.DISPATCHER), berth, visit_id=small_terminal["visit"])
    audit.link_pending(app_engine)  # the everyday role links events and reads the head
    assert audit.head_line(app_engine) is not None
    with app_engine.begin() as conn, pytest.raises(
            DBAPIError, match="must be owner|permission denied|append-only"):
        conn.execute(text(sql))
    with engine.connect() as conn:
        triggers = set(conn.execute(text(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'event'::regclass "
            "AND tgenabled = 'O'")).scalars())
    assert {"event_append_only", "event_chain"} <= triggers
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM pg_trigger WHERE tgrelid = "
                                 "'event_link'::regclass AND tgenabled = 'O'")).scalar() == 1
    report = audit.verify(engine)
    assert report.broken is None
    assert report.head is not None


def test_grants_are_printed_for_postgresql_only(capsys):
    assert main(["db", "grants", "portops_app", "--db",
                 "postgresql+psycopg://owner@localhost/terminal"]) == 0
    out = capsys.readouterr().out
    assert "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " \
           "portops_app;" in out
    assert "REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON event FROM " \
           "portops_app;" in out
    assert "REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON event_link FROM " \
           "portops_app;" in out
    assert main(["db", "grants", "Robert'); DROP", "--db",
                 "postgresql+psycopg://owner@localhost/terminal"]) == 2
    assert "not a plain PostgreSQL role name" in capsys.readouterr().err
    assert main(["db", "grants", "portops_app", "--db", "x.db"]) == 2
