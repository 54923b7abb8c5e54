"""PostgreSQL's fast path: how an operation ends in fewer round trips and less CPU.

Switched on per engine by configuration (``PORTOPS_PG_FASTPATH``, ``portops.db.make_engine``
calls :func:`install`); without it every operation ends as plain SQLAlchemy does
(``portops.ops.ending.Ending``). Nothing outside this module knows about psycopg's
pipelines, prepared statements or autocommit. What it does, each measured against the plain
ending in docs/benchmarks.md ("One way to end an operation"):

- **The event, the last writes and the COMMIT in one round trip** (a psycopg pipeline) for an
  operation that is its transaction's only one. A hot row a last write locks (a slot's
  count) is then locked for no round trip at all.
- **Late begin** (``Operation.late_begin``, a booking): the operation reads outside a
  transaction (autocommit; under READ COMMITTED a read sees the same there as in a
  transaction that has not written yet), and its last writes and event go as ONE statement
  (data-modifying ``WITH``), atomic by itself: two round trips in all. A write or a lock made
  before begins the transaction first, by itself (:func:`begin_late`), and the operation
  then ends as above.
- **Hot statements prepared on the server at their first run** (``Prepared`` through the
  DBAPI connection's ``portops_execute``), so the server plans each once.

Taken out after measuring (docs/benchmarks.md "One way to end an operation": it bought
bookings less than 15 %): prepared statements kept across a rollback, by replacing psycopg's
private ``_prepared.clear`` for the rollback. With it psycopg could not forget, at the
rollback after a pipeline aborted by a lost race, a statement it believed prepared that the
pipeline never prepared: the likely cause of ``prepared statement "_pg3_N" does not exist``
on the next booking. psycopg's own rollback now forgets them, as designed.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import event as sa_event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BindParameter

from portops import audit
from portops.ops.ending import EVENT, Ending, Write, event_columns
from portops.prepared import BEFORE_WRITE, Prepared, raised_as_sqlalchemys

if TYPE_CHECKING:
    from portops.ops.core import Tx


class FastPath(Ending):
    """Ends an operation on PostgreSQL in as few round trips as psycopg allows."""

    name = "fast path"

    def open(self, conn: Connection, *, late: bool) -> None:
        if late:
            conn.execution_options(isolation_level="AUTOCOMMIT", **{BEFORE_WRITE: begin_late})

    def end(self, tx: Tx, event: dict[str, Any], *, alone: bool) -> None:
        if not alone:
            return super().end(tx, event, alone=alone)
        conn = tx.flushed()  # what the ORM holds unwritten begins a late transaction
        event = audit.chained(conn, event)
        writes = tx.last.writes if tx.last is not None else ()
        if not _in_transaction(conn):  # begun late and nothing written yet: one statement
            statement, params = _folded(writes, event)
            statement.alone(conn, params)
        else:  # the event, the last writes and the COMMIT: one round trip
            _run_and_commit(conn, [Write(EVENT, event), *writes])


_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()
_FAST = FastPath()


def install(engine: Engine) -> None:
    """End ``engine``'s operations through the fast path (psycopg only)."""
    sa_event.listen(engine, "before_cursor_execute", _begin_late_before)
    sa_event.listen(engine, "do_connect", _connect)
    _ENGINES.add(engine)


def ending(engine: Engine) -> Ending | None:
    """The fast path if :func:`install` set it up on ``engine``."""
    return _FAST if engine in _ENGINES else None


def _connect(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
    """psycopg's connection, whose ``portops_execute`` prepares hot statements at once."""
    return _connection_class().connect(*cargs, **cparams)


_CLASS: list[Any] = []


def _connection_class() -> Any:
    if not _CLASS:
        import psycopg

        class PreparingConnection(psycopg.Connection):
            """Runs ``Prepared`` statements prepared on the server at their first run."""

            @staticmethod
            def portops_execute(cursor: Any, sql: str, args: Any) -> None:
                cursor.execute(sql, args, prepare=True)

        _CLASS.append(PreparingConnection)
    return _CLASS[0]


# -- late begin -----------------------------------------------------------------------------

#: A statement that needs the transaction begun: anything but a plain read (a row lock or an
#: advisory transaction lock is a SELECT too).
_NEEDS_TX = re.compile(r"^(?!\s*SELECT\b)|\bFOR\s+(NO\s+KEY\s+UPDATE|UPDATE|KEY\s+SHARE|"
                       r"SHARE)\b|\bpg_advisory_xact_lock\b", re.IGNORECASE)


def begin_late(conn: Connection) -> None:
    """Begin ``conn``'s transaction now if it begins late and has not begun yet."""
    if conn.get_execution_options().get(BEFORE_WRITE) and not _in_transaction(conn):
        _dbapi(conn).execute("BEGIN")


def _begin_late_before(conn: Connection, _cursor: Any, statement: str, _params: Any,
                       _context: Any, _many: bool) -> None:
    """``before_cursor_execute``: a write or a lock begins a late-begun transaction."""
    if conn.get_execution_options().get(BEFORE_WRITE) and _NEEDS_TX.search(statement):
        begin_late(conn)


def _dbapi(conn: Connection) -> Any:
    return conn.connection.dbapi_connection


def _in_transaction(conn: Connection) -> bool:
    """Has ``conn``'s psycopg connection a transaction open?"""
    return bool(_dbapi(conn).info.transaction_status != 0)


# -- one statement, or one round trip -------------------------------------------------------

_FOLDED: dict[tuple[int, ...], Prepared] = {}


def _folded(writes: Sequence[Write], event: Mapping[str, Any]
            ) -> tuple[Prepared, dict[str, Any]]:
    """The event and ``writes`` as one statement (a data-modifying WITH, the last write its
    main statement), and its values: atomic by itself, for an operation that began late and
    wrote nothing before."""
    params: dict[str, Any] = {}
    for write in writes:
        for key, value in write.params.items():
            if key in params and params[key] != value:
                raise ValueError(f"the last writes give {key!r} two values")
            params[key] = value
    params.update(event)
    if not writes:
        return EVENT, params
    ids = tuple(id(w.statement) for w in writes)
    folded = _FOLDED.get(ids)
    if folded is None:
        clash = {b.key for w in writes for b in _binds(w.statement.statement)} & set(
            event_columns())
        if clash:
            raise ValueError(f"the last writes' parameters {sorted(clash)} clash with the "
                             "event's")
        *before, last = writes
        ctes = [w.statement.statement.cte(f"write_{i}") for i, w in enumerate(before)]
        folded = _FOLDED[ids] = Prepared(last.statement.statement.add_cte(
            *ctes, EVENT.statement.cte("event_written")))
    return folded, params


def _binds(statement: Any) -> list[Any]:
    return [e for e in visitors.iterate(statement) if isinstance(e, BindParameter)]


def _run_and_commit(on: Connection, batch: Sequence[Write]) -> None:
    """Run a transaction's last writes and its COMMIT in one round trip.

    psycopg's pipeline sends the statements (each prepared) and the COMMIT together and waits
    once. The first statement that fails stops the rest, the COMMIT with them, and is raised;
    the transaction is left to roll back. Without pipelines (libpq before 14) the statements
    run one by one and the core commits."""
    runs = [(w, *w.statement.compiled(on)) for w in batch]
    if not runs or not _pipelines(on):
        for write, conn, _c in runs:
            write.statement(conn, write.params)
        return
    dbapi = _dbapi(on)
    cursor = dbapi.cursor()
    sql = "; ".join(c.sql for _w, _conn, c in runs)
    with raised_as_sqlalchemys(on, sql, None, cursor):
        try:
            with dbapi.pipeline():
                for write, _conn, c in runs:
                    cursor.execute(c.sql, c.parameters(write.params), prepare=True)
                cursor.execute("COMMIT")
        finally:
            cursor.close()


def _pipelines(conn: Connection) -> bool:
    """Can this psycopg send a pipeline (libpq 14 or later)?"""
    return bool(conn.dialect.loaded_dbapi.Pipeline.is_supported())
