"""The one place that opens databases.

``make_engine`` is the only engine factory: on SQLite it sets, on every connection, foreign keys
on, WAL, a busy timeout and ``synchronous=NORMAL``, and makes every transaction that may write
start with ``BEGIN IMMEDIATE`` so that two writers queue on the lock instead of failing half
way. On PostgreSQL the operations take row locks (``with_for_update``) where races matter.

Nothing opens a database at import time; callers pass an engine around.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlmodel import Session, create_engine

from portops.prepared import begin_late_before

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


def make_engine(db: str | os.PathLike[str] | None = None, *, echo: bool = False) -> Engine:
    """Create the engine for ``db`` with portops's connection settings."""
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
        if engine.dialect.driver == "psycopg":
            event.listen(engine, "do_connect", _psycopg_connect)
            event.listen(engine, "before_cursor_execute", _begin_late)
    return engine


def _begin_late(conn, _cursor, statement, _params, _context, _many):  # noqa: ANN001, ANN202
    begin_late_before(conn, statement)


def _psycopg_connect(dialect, _record, cargs, cparams):  # noqa: ANN001, ANN202 - DBAPI
    return _keeping_prepared().connect(*cargs, **cparams)


@functools.cache
def _keeping_prepared() -> type:
    """psycopg's connection, except that a ROLLBACK keeps the statements it has prepared.

    psycopg forgets every prepared statement at a rollback and has the server drop them
    (``DEALLOCATE ALL``, one more round trip), in case the rollback undid a table they name.
    A refused operation, a check and every read end with a rollback, so on a console or a
    gate lane the hot statements (``portops.prepared``) were hardly ever prepared for long:
    each was parsed and planned again five times before being prepared again (seen as half
    the server's CPU for a booking under load). Prepared statements outlive a transaction on
    the server, and portops changes its schema only in migrations, which fail loudly if a
    statement names a table that is gone. With another psycopg (no ``_prepared``), its own
    rollback runs unchanged."""
    import psycopg

    class Connection(psycopg.Connection):
        def rollback(self) -> None:
            manager = getattr(self, "_prepared", None)
            if manager is None or not hasattr(manager, "clear"):
                return super().rollback()
            manager.clear = lambda: False  # for this rollback only: forget nothing
            try:
                super().rollback()
            finally:
                del manager.clear

    return Connection


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


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session for queries: on SQLite a deferred transaction, so readers never block writers."""
    bind = engine.execution_options(sqlite_begin="DEFERRED") if is_sqlite(engine) else engine
    with Session(bind) as session:
        yield session
