"""PostgreSQL's fast path: a booking read outside a transaction and written in one statement.

Switched on per engine by configuration (``PORTOPS_PG_FASTPATH``, ``portops.db.make_engine``
calls :func:`install`); without it every operation ends as plain SQLAlchemy does
(``portops.ops.ending.Ending``). Nothing outside this module knows about autocommit or the
raw ``BEGIN``. What it does:

- **Late begin** (``Operation.late_begin``, a booking): the operation reads outside a
  transaction (autocommit; under READ COMMITTED a read sees the same there as in a
  transaction that has not written yet), and its last writes and event go as ONE statement
  (data-modifying ``WITH``), atomic by itself: two round trips in all. A write or a lock made
  before (a slot's first row, a box's advisory lock) begins the transaction first, by
  itself (:func:`begin_late`), and the operation then ends as plain SQLAlchemy ends it.
  Every other operation ends as plain SQLAlchemy ends it.

Measured against the plain ending, alternating in one sitting (docs/benchmarks.md, "One way
to end an operation"; ``benchmarks/endings.py``): without late begin a booking costs the
server about half as much CPU again. Taken out because each bought bookings less than 15 %:
the event, last writes and COMMIT sent in one psycopg pipeline; hot statements prepared on
the server at their first run (psycopg prepares them at their fifth); and prepared statements
kept across a rollback (which replaced psycopg's private ``_prepared.clear``). The last two
with the pipeline were the likely cause of ``prepared statement "_pg3_N" does not exist``
after a lost race: a pipeline aborted, then a rollback that did not let psycopg forget what
it believed prepared.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import event as sa_event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BindParameter

from portops import audit
from portops.ops.ending import EVENT, Ending, Write, event_columns, use_ending
from portops.prepared import BEFORE_WRITE, Prepared

if TYPE_CHECKING:
    from portops.ops.core import Tx


class FastPath(Ending):
    """Ends a late-begun operation on PostgreSQL in one statement; any other as plain."""

    name = "fast path"

    def open(self, conn: Connection, *, late: bool) -> None:
        if late:
            conn.execution_options(isolation_level="AUTOCOMMIT", **{BEFORE_WRITE: begin_late})

    def end(self, tx: Tx, event: dict[str, Any], *, alone: bool) -> None:
        conn = tx.flushed()  # what the ORM holds unwritten begins a late transaction
        if not alone or _in_transaction(conn):
            return super().end(tx, event, alone=alone)
        # begun late and nothing written yet: the last writes and the event, one statement
        statement, params = _folded(tx.last.writes if tx.last is not None else (),
                                    audit.chained(conn, event))
        statement.alone(conn, params)


_FAST = FastPath()


def install(engine: Engine) -> None:
    """End ``engine``'s operations through the fast path (psycopg only)."""
    sa_event.listen(engine, "before_cursor_execute", _begin_late_before)
    use_ending(engine, _FAST)


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


# -- one statement ---------------------------------------------------------------------------

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
