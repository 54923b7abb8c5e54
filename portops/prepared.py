"""Hot statements compiled once per dialect and run straight on the driver's cursor.

Every booking and gate decision asks the same dozen questions, and on PostgreSQL with many
clients the CPU they cost decides how many bookings a second the terminal takes. Most of that
CPU was not the database but SQLAlchemy's per-execution machinery (execution context, events,
result metadata), about three quarters of the client's share. A :class:`Prepared` statement is
an ordinary Core statement, written and checked as one, that is compiled once per dialect;
running it converts the parameters with the columns' own bind processors (so a time is stored
exactly as SQLAlchemy would store it, on SQLite as on PostgreSQL), executes the SQL on the
transaction's own DBAPI connection (same transaction, same locks) and converts the results
with the columns' result processors. On PostgreSQL the statement is prepared on the server at
its first run, with its own constants written into the SQL so the server plans it once for
all runs (``_constants_inline``), and it stays prepared across rollbacks (``portops.db``).

Only for statements without expanding ``IN`` lists; errors are raised as SQLAlchemy's
(``DBAPIError`` with the driver's exception as ``orig``), and a lost connection is
invalidated as SQLAlchemy would, so the operations core's retry logic sees the same errors.
"""

from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BindParameter


def _constants_inline(statement: Any) -> Any:
    """``statement`` with its own constants (``state = 'booked'``, ``LIMIT 1``, ``''``) to be
    written into the SQL rather than sent as parameters. PostgreSQL plans a prepared statement
    once for all runs (a generic plan) only if that plan is no dearer than one made for the
    values at hand; with ``LIMIT $3`` or ``location != $9`` it cannot know what the plan will
    face, guesses dear, and so plans the statement afresh on every run: for a booking's facts
    that planning cost five times their execution. The caller's values stay parameters."""

    def constant(element: Any, **_: Any) -> Any:
        if (isinstance(element, BindParameter) and element.value is not None
                and element.callable is None):
            return bindparam(element.key, element.value, type_=element.type, unique=True,
                             expanding=element.expanding, literal_execute=True)
        return None

    return visitors.replacement_traverse(statement, {}, constant)


class _Compiled:
    """One statement's SQL, parameter order and type processors for one dialect."""

    __slots__ = ("sql", "fixed", "names", "binds", "row", "results", "begins")

    def __init__(self, statement: Any, dialect: Dialect) -> None:
        compiled = _constants_inline(statement).compile(dialect=dialect)
        if any(b.expanding and not b.literal_execute for b in compiled.binds.values()):
            raise ValueError("a Prepared statement cannot hold an IN list of the caller's "
                             "values (expanded per run); write the few as OR-ed equalities")
        # the SQL with the statement's own constants written in (not the caller's values)
        sent = compiled.construct_expanded_state(
            {k: None for k, b in compiled.binds.items() if not b.literal_execute})
        self.sql = sent.statement
        #: it writes or locks: a late-begun transaction begins before it (``begin_late``)
        self.begins = bool(getattr(statement, "is_dml", False)
                           or getattr(statement, "_for_update_arg", None) is not None)
        # what the statement gives itself (SQLite's OFFSET); the caller gives the rest
        self.fixed = {k: v for k, v in compiled.construct_params(_check=False).items()
                      if v is not None and not compiled.binds[k].literal_execute}
        self.names = list(sent.positiontup) if compiled.positional else None
        self.binds: list[tuple[str, Callable[[Any], Any]]] = []
        for name, bind in compiled.binds.items():
            proc = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if proc is not None and not bind.literal_execute:
                self.binds.append((name, proc))
        columns = list(getattr(statement, "exported_columns", ()) or ())
        self.row = namedtuple("Row", [c.key for c in columns], rename=True) if columns else None
        procs = [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns]
        self.results = procs if any(procs) else None

    def parameters(self, params: Mapping[str, Any] | None) -> Any:
        values = {**self.fixed, **params} if params else dict(self.fixed)
        for name, proc in self.binds:
            if name in values:
                values[name] = proc(values[name])
        return values if self.names is None else [values[n] for n in self.names]

    def convert(self, raw: tuple) -> tuple:
        if self.results is not None:
            raw = [v if p is None or v is None else p(v) for p, v in zip(self.results, raw,
                                                                        strict=True)]
        return self.row._make(raw)


class Ran:
    """What a run gave back: its rows (named tuples) and, for a write, how many it changed."""

    __slots__ = ("rows", "rowcount")

    def __init__(self, rows: list, rowcount: int) -> None:
        self.rows = rows
        self.rowcount = rowcount

    def first(self) -> Any:
        return self.rows[0] if self.rows else None

    def one(self) -> Any:
        if len(self.rows) != 1:
            raise LookupError(f"expected one row, got {len(self.rows)}")
        return self.rows[0]

    def scalar(self) -> Any:
        return self.rows[0][0] if self.rows else None

    def __iter__(self):  # noqa: ANN204
        return iter(self.rows)


def flush_pending(session: Session) -> None:
    """Write what ``session`` holds unwritten, as its own queries would first (autoflush)."""
    if session.new or session.dirty or session.deleted:
        session.flush()


class Prepared:
    """A Core statement run on the DBAPI cursor; built once at module level, used often."""

    __slots__ = ("statement", "_by_dialect")

    def __init__(self, statement: Any) -> None:
        self.statement = statement
        self._by_dialect: dict[str, _Compiled] = {}

    def __call__(self, on: Session | Connection, params: Mapping[str, Any] | None = None
                 ) -> Ran:
        """Run in ``on``'s transaction (a session's is begun if it has none yet). Given a
        session, its pending ORM changes are flushed first, as the ORM's own queries would
        (autoflush), so the statement sees what this transaction changed."""
        conn, c = self._compiled(on)
        if c.begins:
            begin_late(conn)
        return self._run(conn, c, c.sql, c.parameters(params))

    def alone(self, conn: Connection, params: Mapping[str, Any]) -> Ran:
        """Run as a transaction of its own, on a connection of a late-begun operation that
        has begun none (autocommit): the operation's one write, atomic by itself."""
        conn, c = self._compiled(conn)
        return self._run(conn, c, c.sql, c.parameters(params))

    def _compiled(self, on: Session | Connection) -> tuple[Connection, _Compiled]:
        if isinstance(on, Session):
            flush_pending(on)
            conn = on.connection()
        else:
            conn = on
        dialect = conn.dialect
        c = self._by_dialect.get(dialect.name)
        if c is None:
            c = self._by_dialect[dialect.name] = _Compiled(self.statement, dialect)
        return conn, c

    @staticmethod
    def _run(conn: Connection, c: _Compiled, sql: str, args: Any) -> Ran:
        fairy = conn.connection
        cursor = fairy.cursor()
        with _raised_as_sqlalchemys(conn, sql, args, cursor):
            try:
                if conn.dialect.name == "postgresql":  # prepared on the server at once
                    cursor.execute(sql, args, prepare=True)
                else:
                    cursor.execute(sql, args)
                got = [c.convert(r) for r in cursor.fetchall()] if c.row is not None else []
                return Ran(got, cursor.rowcount)
            finally:
                cursor.close()


#: Execution option: this connection's transaction begins at its first write or lock, not
#: at its first statement (PostgreSQL, in autocommit mode; see ``Operation.late_begin``).
LATE_BEGIN = "portops_late_begin"
#: A statement that needs the transaction begun: anything but a plain read (an advisory lock
#: is a SELECT: ``Tx.lock`` begins the transaction itself).
_NEEDS_TX = re.compile(r"^(?!\s*SELECT\b)|\bFOR\s+(NO\s+KEY\s+UPDATE|UPDATE|KEY\s+SHARE|"
                       r"SHARE)\b", re.IGNORECASE)


def begin_late(conn: Connection) -> None:
    """Begin ``conn``'s transaction now if it begins late and has not begun yet."""
    if conn.get_execution_options().get(LATE_BEGIN) and not in_transaction(conn):
        conn.connection.dbapi_connection.execute("BEGIN")


def in_transaction(conn: Connection) -> bool:
    """Has ``conn``'s DBAPI connection a transaction open (PostgreSQL)?"""
    return conn.connection.dbapi_connection.info.transaction_status != 0


def begin_late_before(conn: Connection, statement: str) -> None:
    """``before_cursor_execute``: a write or a lock begins a late-begun transaction."""
    if conn.get_execution_options().get(LATE_BEGIN) and _NEEDS_TX.search(statement):
        begin_late(conn)


def run_and_commit(on: Session | Connection,
                   batch: Sequence[tuple[Prepared, Mapping[str, Any]]]) -> bool:
    """Run a transaction's last writes and, on PostgreSQL, its COMMIT, in one round trip.

    psycopg's pipeline sends the statements (each prepared) and the COMMIT together and waits
    once. The first statement that fails stops the rest, the COMMIT with them, and is raised;
    the transaction is left to roll back. So a row a write locks (a slot's count) is locked
    for no round trip, and an operation's event costs none of its own. Elsewhere (SQLite,
    where a statement costs no round trip) the statements run one by one and the caller
    commits. Returns whether it committed."""
    runs = [(statement, *statement._compiled(on), params) for statement, params in batch]
    conn = runs[0][1] if runs else None
    if conn is None or conn.dialect.name != "postgresql" or not _pipelines(conn):
        for statement, _conn, _c, params in runs:
            statement(on, params)
        return False
    dbapi = conn.connection.dbapi_connection
    cursor = dbapi.cursor()
    sql = "; ".join(c.sql for _s, _conn, c, _p in runs)
    with _raised_as_sqlalchemys(conn, sql, None, cursor):
        try:
            with dbapi.pipeline():
                for _statement, _conn, c, params in runs:
                    cursor.execute(c.sql, c.parameters(params), prepare=True)
                cursor.execute("COMMIT")
        finally:
            cursor.close()
    return True


def _pipelines(conn: Connection) -> bool:
    """Can this psycopg send a pipeline (libpq 14 or later)?"""
    return conn.dialect.loaded_dbapi.Pipeline.is_supported()


@contextmanager
def _raised_as_sqlalchemys(conn: Connection, sql: str, args: Any, cursor: Any) -> Iterator[None]:
    """The driver's errors as SQLAlchemy's (``DBAPIError`` with the driver's as ``orig``);
    a lost connection is invalidated, as SQLAlchemy would."""
    dialect = conn.dialect
    try:
        yield
    except dialect.loaded_dbapi.Error as exc:
        if dialect.is_disconnect(exc, conn.connection, cursor):
            conn.invalidate(exc)
        raise DBAPIError.instance(sql, args, exc, dialect.loaded_dbapi.Error, dialect=dialect,
                                  connection_invalidated=conn.invalidated) from exc
