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
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
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
        make_url(value)  # raises ArgumentError with a clear message on a malformed URL
        return value
    return f"sqlite:///{Path(value).expanduser().absolute()}"


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
        engine = create_engine(url, echo=echo)
    return engine


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


@contextmanager
def _flock(path: str) -> Iterator[None]:
    import fcntl

    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError:  # a read-only directory: SQLite's own busy wait still keeps writers apart
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # blocks in the kernel; woken the moment it is free
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock, also if the process dies


def write_turn(engine: Engine, reading: bool = False):
    """Wait for this process's turn to write to an SQLite database: a kernel file lock.

    SQLite's busy handler polls: a writer that finds the database locked sleeps 1, 2, 5, 10,
    ... 100 ms and tries again, so with eight clerks the lock is often free while everyone
    sleeps, and whoever happens to wake first wins (not the one that waited longest). An
    exclusive ``flock`` on ``<database>-writers`` taken before ``BEGIN IMMEDIATE`` makes the
    writers wait in the kernel instead, and the next one starts as soon as the last commits.
    SQLite's own lock still decides (a writer outside portops just waits on busy_timeout).
    Nothing on PostgreSQL (row locks), for read-only checks, or for in-memory databases.
    """
    path = None if reading else _turn_file(engine)
    return nullcontext() if path is None else _flock(path)


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
