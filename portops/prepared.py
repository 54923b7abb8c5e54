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
its fifth run by psycopg, with its own constants written into the SQL so the server plans it
once for all runs (``_constants_inline``).

Only for statements without expanding ``IN`` lists; errors are raised as SQLAlchemy's
(``DBAPIError`` with the driver's exception as ``orig``), and a lost connection is
invalidated as SQLAlchemy would, so the operations core's retry logic sees the same errors.
"""

from __future__ import annotations

import operator
from collections import namedtuple
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table, bindparam, insert
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
        #: it writes or locks: a late-begun transaction begins before it (``BEFORE_WRITE``)
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
        self.row: Any = (namedtuple("Row", [c.key for c in columns], rename=True)
                         if columns else None)
        procs = [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns]
        self.results = procs if any(procs) else None

    def parameters(self, params: Mapping[str, Any] | None) -> Any:
        values = {**self.fixed, **params} if params else dict(self.fixed)
        for name, proc in self.binds:
            if name in values:
                values[name] = proc(values[name])
        return values if self.names is None else [values[n] for n in self.names]

    def convert(self, raw: Sequence[Any]) -> Any:
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


#: Execution option: a callable given the connection before a Prepared write or lock runs
#: (a fast path's late begin, ``portops.ops.fastpath_pg``); unset, nothing is called.
BEFORE_WRITE = "portops_before_write"


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
            before_write = conn.get_execution_options().get(BEFORE_WRITE)
            if before_write is not None:
                before_write(conn)
        return self._run(conn, c, c.sql, c.parameters(params))

    def alone(self, conn: Connection, params: Mapping[str, Any]) -> Ran:
        """Run without the ``BEFORE_WRITE`` hook: as a transaction of its own on a connection
        that has begun none (autocommit), a statement atomic by itself."""
        conn, c = self._compiled(conn)
        return self._run(conn, c, c.sql, c.parameters(params))

    def compiled(self, on: Session | Connection) -> tuple[Connection, _Compiled]:
        """``on``'s connection and this statement as compiled for its database (a session's
        pending ORM changes flushed first)."""
        return self._compiled(on)

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
        cursor = conn.connection.cursor()
        with _raised_as_sqlalchemys(conn, sql, args, cursor):
            try:
                cursor.execute(sql, args)
                got = [c.convert(r) for r in cursor.fetchall()] if c.row is not None else []
                return Ran(got, cursor.rowcount)
            finally:
                cursor.close()


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


def bulk_insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """``INSERT`` many rows with one ``executemany`` on the driver, in ``conn``'s transaction.

    SQLAlchemy's per-row parameter processing costs as much as SQLite's insert itself at
    100,000 rows; here only the columns that need it (UTC times, JSON) go through their bind
    processor, and the driver gets plain tuples. Same SQL and stored values as
    ``session.execute(insert(table), rows)``.
    """
    if not rows:
        return
    db = conn.dialect
    columns = [c for c in table.columns if c.key in rows[0]]
    compiled = insert(table).compile(dialect=db, column_keys=[c.key for c in columns])
    given = set(rows[0])
    for name in compiled.binds:  # columns other areas added, with Python-side defaults
        key = compiled.binds[name].key
        if key not in given:
            column = table.columns[key]
            columns.append(column)
            default: Any = column.default  # a ColumnDefault: .arg is a value or a callable
            for r in rows:
                r[key] = (None if default is None else default.arg if default.is_scalar
                          else default.arg(None))
    for c in columns:
        proc = c.type._cached_bind_processor(db)
        if proc is not None:
            for r in rows:
                r[c.key] = proc(r[c.key])
    if compiled.positional:
        get = operator.itemgetter(*[compiled.binds[n].key for n in compiled.positiontup or ()])
        params: list[Any] = [get(r) for r in rows]
    else:
        names = {compiled.binds[n].key: n for n in compiled.binds}
        params = [{names[k]: v for k, v in r.items()} for r in rows]
    conn.exec_driver_sql(str(compiled), params)
