"""The one place that opens databases.

``make_engine`` is the only engine factory: on SQLite it sets, on every connection, foreign keys
on, WAL, a busy timeout and ``synchronous=NORMAL``, and makes every transaction that may write
start with ``BEGIN IMMEDIATE`` so that two writers queue on the lock instead of failing half
way. On PostgreSQL the operations take row locks (``with_for_update``) where races matter.

Nothing opens a database at import time; callers pass an engine around.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import Integer, Table, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.visitors import InternalTraversal
from sqlmodel import Session, create_engine

BUSY_TIMEOUT_MS = 30_000


def default_db_path() -> Path:
    """``portops.db`` in the user's data directory (platformdirs)."""
    from platformdirs import user_data_path

    return user_data_path("portops", appauthor=False, ensure_exists=True) / "portops.db"


def resolve_url(db: str | os.PathLike[str] | None = None) -> str:
    """Turn ``--db``/``PORTOPS_DB`` (a path or an SQLAlchemy URL) into a URL."""
    value = str(db) if db is not None else os.environ.get("PORTOPS_DB") or str(default_db_path())
    if "://" in value:
        backend = make_url(value).get_backend_name()  # ArgumentError on a malformed URL
        if backend not in ("sqlite", "postgresql"):
            raise ArgumentError(f"portops keeps its data in SQLite (a file path) or "
                                f"PostgreSQL (postgresql+psycopg://...), not {backend}")
        return value
    return f"sqlite:///{Path(value).expanduser().absolute()}"


#: How each database says its disk (or its size limit) is full: SQLite's SQLITE_FULL text,
#: PostgreSQL's SQLSTATE class 53 (insufficient resources: disk full, out of memory, ...).
_FULL_TEXTS = ("database or disk is full", "No space left on device")


def disk_full(exc: BaseException) -> str | None:
    """If ``exc``, or an error it was raised while handling, is the database's disk being
    full, one sentence saying so (else None). A full disk in the middle of an import surfaces
    as a later error (SQLite rolled the transaction back, so releasing the import's savepoint
    fails with "no such savepoint"): the cause is found down the chain."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        orig = getattr(cause, "orig", None)
        state = getattr(orig, "sqlstate", None) or ""
        said = str(orig if orig is not None else cause)
        if state.startswith("53") or any(t in said for t in _FULL_TEXTS):
            return (f"the database could not grow: its disk is full ({said.splitlines()[0]}); "
                    "nothing was written, the database is as it was: free space and try again")
        cause = cause.__cause__ or cause.__context__
    return None


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(db: str | os.PathLike[str] | None = None, *, echo: bool = False,
                fast_path: bool | None = None) -> Engine:
    """Create the engine for ``db`` with portops's connection settings. On PostgreSQL,
    ``fast_path`` (default: configuration, :func:`fast_path_wanted`) chooses how its
    operations end (``portops.ops.ending.ending_for``)."""
    url = resolve_url(db)
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False,
                          "isolation_level": None},
        )
        _install_sqlite_pragmas(engine)
    else:
        # No pre-ping (a round trip before every transaction): the operations core retries
        # an operation whose connection died before its commit (``Core._retrying``), and a
        # failed read invalidates the pool so the next one reconnects.
        try:
            engine = create_engine(url, echo=echo)
        except ImportError as exc:  # a driver SQLAlchemy knows but that is not installed
            raise ArgumentError(f"the database driver {exc.name!r} is not installed; for "
                                "PostgreSQL write postgresql+psycopg://...") from None
        if engine.dialect.driver == "psycopg" and fast_path_wanted(fast_path):
            from portops.ops import fastpath_pg

            fastpath_pg.install(engine)
    return engine


#: ``PORTOPS_PG_FASTPATH``: ``1`` ends operations on PostgreSQL through the fast path
#: (``portops.ops.fastpath_pg``), ``0`` through plain SQLAlchemy (``portops.ops.ending``);
#: unset, :data:`PG_FASTPATH_DEFAULT` (chosen by measurement: docs/benchmarks.md).
PG_FASTPATH_ENV = "PORTOPS_PG_FASTPATH"
PG_FASTPATH_DEFAULT = True


def fast_path_wanted(given: bool | None = None) -> bool:
    """Does configuration ask for PostgreSQL's fast path (``given`` wins over the
    environment)? A value other than 0/1, no/yes, off/on, false/true is not guessed at."""
    if given is not None:
        return given
    value = os.environ.get(PG_FASTPATH_ENV, "").strip().lower()
    if not value:
        return PG_FASTPATH_DEFAULT
    if value in ("1", "yes", "on", "true"):
        return True
    if value in ("0", "no", "off", "false"):
        return False
    raise ArgumentError(f"{PG_FASTPATH_ENV} is {value!r}: write 1 (the fast path) or 0 "
                        "(plain SQLAlchemy)")


# -- what differs between the two databases, asked here rather than in the operations -----

def locks_rows(conn: Connection) -> bool:
    """Does a transaction on ``conn`` take row locks (PostgreSQL)? SQLite's write
    transaction already holds the database's single write lock."""
    return conn.dialect.name != "sqlite"


def advisory_lock(conn: Connection, key: str) -> None:
    """Hold a lock on ``key`` until ``conn``'s transaction ends: a transaction-scoped
    advisory lock on PostgreSQL; nothing on SQLite, whose writer holds the write lock."""
    if locks_rows(conn):
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": key})


def insert_ignoring(conn: Connection, table: Table, index: list[str], **values: Any) -> None:
    """``INSERT`` a row into ``table`` unless one with the same ``index`` values exists
    (``ON CONFLICT DO NOTHING``: each database's own construct, the same SQL)."""
    from sqlalchemy.dialects import postgresql, sqlite

    insert = postgresql.insert if locks_rows(conn) else sqlite.insert
    conn.execute(insert(table).values(**values).on_conflict_do_nothing(index_elements=index))


class next_id(FunctionElement):  # noqa: N801 - used as a SQL function
    """The id the next row of ``table`` will get, drawn now: its sequence's ``nextval`` on
    PostgreSQL; on SQLite one more than the largest (the drawing transaction holds the
    write lock, so no other can draw the same)."""

    inherit_cache = True
    type = Integer()
    #: the table's name is part of the statement's cache key (two tables, two statements)
    _traverse_internals = [*FunctionElement._traverse_internals,
                           ("table_name", InternalTraversal.dp_string)]

    def __init__(self, table: Table) -> None:
        self.table_name = table.name
        super().__init__()


@compiles(next_id)
def _next_id_sqlite(element: next_id, compiler: Any, **kw: Any) -> str:
    return f"(SELECT coalesce(max(id), 0) + 1 FROM {element.table_name})"


@compiles(next_id, "postgresql")
def _next_id_postgresql(element: next_id, compiler: Any, **kw: Any) -> str:
    return f"nextval(pg_get_serial_sequence('{element.table_name}', 'id'))"


def _install_sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001 - DBAPI types
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        # pysqlite's own transaction handling is off (isolation_level=None), so we start the
        # transaction ourselves; IMMEDIATE takes the write lock up front (SQLite has no row
        # locks) and a second writer waits on busy_timeout rather than deadlocking later.
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")


def _turn_file(engine: Engine) -> str | None:
    """The file writers to ``engine`` queue on: beside the database file, one per database."""
    if not is_sqlite(engine) or sys.platform == "win32":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return database + "-writers"


class DatabaseBusy(Exception):
    """Another writer has held the database for longer than the busy timeout (a console that
    hangs inside a transaction): refused with a clear reason instead of waiting for ever."""

    def __init__(self, path: str, seconds: float) -> None:
        self.path, self.seconds = path, seconds
        super().__init__(f"another writer has held {path} for over {seconds:g} s")


class _Waiter:
    """Waits for the lock in the kernel on a thread of its own, so the caller can give up
    after a timeout (``flock`` has none) without polling; a lock it gets after the caller gave
    up is given back at once."""

    def __init__(self, fd: int) -> None:
        self.fd, self.got, self.abandoned = fd, False, False
        self.done = threading.Event()
        self.mutex = threading.Lock()
        threading.Thread(target=self._wait, name="portops-write-turn", daemon=True).start()

    def _wait(self) -> None:
        import fcntl

        fcntl.flock(self.fd, fcntl.LOCK_EX)
        with self.mutex:
            self.got = True
            if self.abandoned:
                os.close(self.fd)  # the caller left: release the turn it never took
        self.done.set()

    def wait(self, timeout: float) -> bool:
        self.done.wait(timeout)
        with self.mutex:
            if not self.got:
                self.abandoned = True
            return self.got


@contextmanager
def _flock(path: str, timeout: float) -> Iterator[None]:
    import fcntl

    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError:  # a read-only directory: SQLite's own busy wait still keeps writers apart
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free: the usual case, no thread
    except BlockingIOError:
        if not _Waiter(fd).wait(timeout):  # woken in the kernel the moment it is free
            raise DatabaseBusy(path, timeout) from None  # the waiter closes fd if it gets it
    try:
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock, also if the process dies


def write_turn(engine: Engine, reading: bool = False, timeout: float | None = None):
    """Wait for this process's turn to write to an SQLite database: a kernel file lock.

    SQLite's busy handler polls: a writer that finds the database locked sleeps 1, 2, 5, 10,
    ... 100 ms and tries again, so with eight clerks the lock is often free while everyone
    sleeps, and whoever happens to wake first wins (not the one that waited longest). An
    exclusive ``flock`` on ``<database>-writers`` taken before ``BEGIN IMMEDIATE`` makes the
    writers wait in the kernel instead, and the next one starts as soon as the last commits.
    SQLite's own lock still decides (a writer outside portops just waits on busy_timeout).
    A writer that waits longer than ``timeout`` (the busy timeout, 30 s) gets
    :class:`DatabaseBusy`, as SQLite's busy handler would give up. Nothing on PostgreSQL (row
    locks), for read-only checks, or for in-memory databases.
    """
    path = None if reading else _turn_file(engine)
    if path is None:
        return nullcontext()
    return _flock(path, BUSY_TIMEOUT_MS / 1000 if timeout is None else timeout)


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session whose transaction holds the write lock; commits on success, rolls back on error."""
    with Session(engine) as session, session.begin():
        yield session


def reader(engine: Engine) -> Engine:
    """``engine`` for transactions that only read: on SQLite they must not take the write
    lock at BEGIN (another console may hold it), so they begin DEFERRED."""
    return engine.execution_options(sqlite_begin="DEFERRED") if is_sqlite(engine) else engine


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session for queries: on SQLite a deferred transaction, so readers never block writers."""
    with Session(reader(engine)) as session:
        yield session
