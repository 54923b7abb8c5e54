"""The audit log is append-only in the database itself: no code path, script or hand-typed SQL
can rewrite or remove history (triggers installed by the migrations, on SQLite and PostgreSQL).
On PostgreSQL the triggers refuse even the tables' owner, and the everyday role portops works
as may not update or delete events at all (``portops db grants``)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, func, select

from portops.model import Event, Role
from portops.ops.visits import arrive, berth
from tests.conftest import as_role


def _count(engine) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(Event)).one()


@pytest.mark.parametrize("sql", [
    "UPDATE event SET operation = 'x'",
    "UPDATE event SET data = '{}' WHERE id = 1",
    "DELETE FROM event",
    "DELETE FROM event WHERE id = 1",
])
def test_update_and_delete_are_refused_by_the_database(core, engine, owner_engine, sql):
    before = _count(engine)
    with owner_engine.connect() as conn, pytest.raises(DBAPIError, match="append-only"):
        conn.execute(text(sql))
    with engine.connect() as conn, pytest.raises(DBAPIError,
                                                 match="append-only|permission denied"):
        conn.execute(text(sql))
    assert _count(engine) == before


def test_truncate_is_refused_on_postgresql(core, engine, owner_engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE (DELETE above covers it)")
    before = _count(engine)
    with owner_engine.connect() as conn, pytest.raises(DBAPIError, match="append-only"):
        conn.execute(text("TRUNCATE event"))
    with engine.connect() as conn, pytest.raises(DBAPIError, match="permission denied"):
        conn.execute(text("TRUNCATE event"))
    assert _count(engine) == before


def test_orm_cannot_rewrite_an_event_either(core, engine, owner_engine, small_terminal):
    core.run(as_role(Role.DISPATCHER), arrive, visit_id=small_terminal["visit"])
    with Session(owner_engine) as s:
        ev = s.exec(select(Event).where(Event.operation == "visit.arrive")).one()
        ev.user = "someone-else"
        with pytest.raises(DBAPIError, match="append-only"):
            s.commit()
    with Session(owner_engine) as s:
        ev = s.exec(select(Event).where(Event.operation == "visit.arrive")).one()
        assert ev.user == as_role(Role.DISPATCHER)
        s.delete(ev)
        with pytest.raises(DBAPIError, match="append-only"):
            s.commit()
    # appending goes on as before
    before = _count(engine)
    core.run(as_role(Role.DISPATCHER), berth, visit_id=small_terminal["visit"])
    assert _count(engine) == before + 1
