"""Hot statements run on the driver's cursor store and read exactly what SQLAlchemy would,
raise SQLAlchemy's errors, and a connection lost before the commit is retried, not reported."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import bindparam, create_engine, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import NullPool
from sqlmodel import Session, func

from portops.model import AppointmentSlot, Event, Role
from portops.ops.visits import arrive
from portops.prepared import Prepared
from tests.conftest import as_role

_slots = AppointmentSlot.__table__
_BY_START = Prepared(select(_slots.c.id, _slots.c.start, _slots.c.capacity).where(
    _slots.c.start == bindparam("start")))
_NEW = Prepared(_slots.insert().values(start=bindparam("start"), end=bindparam("end"),
                                       capacity=bindparam("capacity"), booked=0)
                .returning(_slots.c.id))

WHEN = datetime(2026, 12, 1, 9, 0, 0, 123456, tzinfo=UTC)


def test_times_written_by_the_orm_are_found_and_read_back_aware(engine):
    with Session(engine) as s, s.begin():
        s.add(AppointmentSlot(start=WHEN, end=WHEN + timedelta(hours=1), capacity=7))
    with Session(engine) as s, s.begin():
        row = _BY_START(s, {"start": WHEN}).one()
        assert (row.start, row.capacity) == (WHEN, 7)  # aware UTC, microseconds kept
        assert _BY_START(s, {"start": WHEN + timedelta(microseconds=1)}).first() is None


def test_rows_written_here_are_what_the_orm_reads(engine):
    later = WHEN + timedelta(days=1)
    with Session(engine) as s, s.begin():
        new_id = _NEW(s, {"start": later, "end": later + timedelta(hours=1),
                          "capacity": 3}).scalar()
    with Session(engine) as s:
        slot = s.get(AppointmentSlot, new_id)
        assert (slot.start, slot.capacity, slot.booked) == (later, 3, 0)


def test_a_constraint_violation_is_sqlalchemys_integrity_error(engine):
    with Session(engine) as s, s.begin():
        _NEW(s, {"start": WHEN, "end": WHEN, "capacity": 1})
    with pytest.raises(IntegrityError), Session(engine) as s, s.begin():
        _NEW(s, {"start": WHEN, "end": WHEN, "capacity": 1})  # start is unique


def test_an_in_list_of_the_callers_values_is_refused_when_first_compiled(engine):
    bad = Prepared(select(_slots.c.id).where(_slots.c.capacity.in_(bindparam("caps",
                                                                             expanding=True))))
    with pytest.raises(ValueError, match="IN list"), Session(engine) as s:
        bad(s, {"caps": [1, 2]})


_CONSTANTS = Prepared(select(_slots.c.id).where(
    _slots.c.capacity.in_([3, 7]), _slots.c.start >= bindparam("start"),
    _slots.c.booked == 0).order_by(_slots.c.start).limit(1))


def test_a_statements_own_constants_are_written_in_and_only_the_callers_values_sent(engine):
    with Session(engine) as s, s.begin():
        for hour, capacity in ((9, 5), (10, 7), (11, 3)):
            at = WHEN.replace(hour=hour)
            s.add(AppointmentSlot(start=at, end=at + timedelta(hours=1), capacity=capacity))
    with Session(engine) as s:
        assert _CONSTANTS(s, {"start": WHEN}).one().id == _BY_START(
            s, {"start": WHEN.replace(hour=10)}).one().id
        assert _CONSTANTS(s, {"start": WHEN.replace(hour=10, minute=1)}).one().id == _BY_START(
            s, {"start": WHEN.replace(hour=11)}).one().id
    compiled = _CONSTANTS._by_dialect[engine.dialect.name]
    assert "IN (3, 7)" in compiled.sql and "LIMIT 1" in compiled.sql
    assert "booked = 0" in compiled.sql


def test_postgresql_plans_a_bookings_facts_once_not_on_every_run(core, engine, db_backend):
    """With ``LIMIT $1`` and ``location != $2`` sent as parameters, PostgreSQL could not tell
    what a plan for all runs would face and planned the facts afresh on every run (seen as
    1.2 ms of planning against 0.2 ms of execution per booking under load)."""
    if db_backend != "postgresql":
        pytest.skip("SQLite plans every statement anyway, cheaply")
    from portops.ops.booking_facts import Facts

    with engine.connect() as conn:
        for _ in range(15):  # psycopg prepares on the 5th run; PostgreSQL decides after 5 more
            Facts.read(conn, "ABCU1234560", "HAUL", "HAUL", WHEN)
        plans = conn.execute(text(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE statement LIKE '%FROM container LEFT OUTER JOIN collect_right%'")).one()
    assert plans.generic_plans > 0 and plans.custom_plans <= 5, plans


def test_an_operation_on_a_connection_the_server_dropped_is_retried(core, engine,
                                                                  small_terminal, db_backend):
    if db_backend != "postgresql":
        pytest.skip("SQLite has no server to drop the connection")
    assert core.check(as_role(Role.DISPATCHER), arrive, visit_id=small_terminal["visit"]) == []
    with Session(engine) as s:
        events = s.scalar(select(func.count()).select_from(Event))
    killer = create_engine(engine.url, poolclass=NullPool)
    with killer.connect() as conn:  # as a server restart would: every other session ends
        ended = conn.execute(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar_one()
    killer.dispose()
    assert ended >= 1
    core.run(as_role(Role.DISPATCHER), arrive, visit_id=small_terminal["visit"])
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Event)) == events + 1


def test_a_statement_given_the_session_sees_its_unflushed_changes(engine):
    """As the ORM's own queries do (autoflush): a row added but not yet flushed is found."""
    with Session(engine) as s, s.begin():
        s.add(AppointmentSlot(start=WHEN, end=WHEN + timedelta(hours=1), capacity=4))
        assert _BY_START(s, {"start": WHEN}).one().capacity == 4


def test_a_rollback_forgets_prepared_statements_as_psycopg_designs(engine, db_backend):
    """The fast path no longer keeps prepared statements across a rollback (it replaced
    psycopg's private ``_prepared.clear``; measured to buy bookings less than 15 %, and with
    its pipelines the likely cause of ``prepared statement "_pg3_N" does not exist``). A
    statement is prepared again by psycopg."""
    if db_backend != "postgresql":
        pytest.skip("SQLite has no prepared statements on a server")
    prepared = text("SELECT count(*) FROM pg_prepared_statements "
                    "WHERE statement LIKE '%FROM appointment_slot%WHERE appointment_slot.start%'")
    with engine.connect() as conn:
        for _ in range(6):  # psycopg prepares a statement at its fifth run
            _BY_START(conn, {"start": WHEN})
        assert conn.execute(prepared).scalar() == 1
        conn.rollback()
        assert conn.execute(prepared).scalar() == 0
        assert _BY_START(conn, {"start": WHEN}).first() is None
