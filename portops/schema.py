"""Creating and upgrading the database schema through Alembic.

Every database, new or old, is brought to the newest revision by the same migrations, so a
fresh ``portops init`` and ``portops db upgrade`` of a year-old file end in the same schema.
"""

from __future__ import annotations

import ast
import re
from importlib.resources import files
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config

#: ``revision = '0200'`` / ``down_revision = ('a', 'b')`` lines of a migration script.
_REVISION_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+?)\s*$", re.M)


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(files("portops") / "migrations"))
    if engine is not None:
        # a config value is interpolated: a % (a socket directory, a password) is written %%
        url = engine.url.render_as_string(hide_password=False)
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


class SchemaError(RuntimeError):
    """The database's schema cannot be brought to this portops's (said in one line)."""


def _graph() -> tuple[set[str], set[str]]:
    """Every revision the scripts define, and every revision some script builds on."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (files("portops") / "migrations" / "versions").iterdir():
        if not script.name.endswith(".py") or script.name.startswith("_"):
            continue
        found = dict(_REVISION_LINE.findall(script.read_text(encoding="utf-8")))
        if "revision" not in found:
            continue
        revisions.add(ast.literal_eval(found["revision"]))
        down = ast.literal_eval(found.get("down_revision", "None"))
        parents.update((down,) if isinstance(down, str) else down or ())
    return revisions, parents


def head_revision() -> str:
    """The newest revision, read from the scripts' ``revision``/``down_revision`` lines.

    Every command (the console too) checks the database against it before opening; reading
    the lines takes about a millisecond, while Alembic's script directory imports Alembic and
    runs every migration module (a fifth of a second of the console's start). The result is
    the same as Alembic's ``get_current_head`` (``tests/test_schema.py`` checks it).
    """
    revisions, parents = _graph()
    heads = sorted(revisions - parents)
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads ({', '.join(heads)}); "
                           "expected one")
    return heads[0]


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None: not initialised), without importing Alembic.

    It only reads, so on SQLite its transaction is deferred: it takes no write lock and does
    not wait for a writer (WAL lets it read meanwhile). A file that is not a database is
    refused with :class:`SchemaError`."""
    from sqlalchemy.exc import DatabaseError, OperationalError

    reader = engine.execution_options(sqlite_begin="DEFERRED") \
        if engine.dialect.name == "sqlite" else engine
    try:
        with reader.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            versions = conn.execute(text("SELECT version_num FROM alembic_version")
                                    ).scalars().all()
    except DatabaseError as exc:
        if isinstance(exc, OperationalError):  # cannot open, locked: the caller says so
            raise
        raise SchemaError(f"{engine.url.database or engine.url} is not a database portops "
                          f"can open ({exc.orig})") from None
    if len(versions) > 1:
        raise RuntimeError(f"the database is at {len(versions)} revisions at once "
                           f"({', '.join(versions)}); expected one")
    return versions[0] if versions else None


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision`` (the newest by default).

    A database at a revision these scripts do not know (written by another build of
    portops) is refused with :class:`SchemaError` before Alembic is asked, so the person
    reads what is wrong instead of Alembic's traceback.
    """
    from alembic import command

    current = current_revision(engine)
    if current is not None and current not in _graph()[0]:
        raise SchemaError(
            f"the database is at schema revision {current!r}, which this portops does not "
            "know (it was written by another version of portops); open it with that "
            "version, or start from a new database")

    cfg = alembic_config(engine)
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:  # see _sqlite_foreign_keys: before the transaction, where SQLite heeds it
            _sqlite_foreign_keys(conn, on=False)
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                try:
                    command.upgrade(cfg, revision)
                except DBAPIError as exc:  # rolled back whole: DDL is transactional in both
                    raise SchemaError(
                        f"the upgrade from schema {current or 'empty'} failed and was undone, "
                        f"so nothing was changed: {exc.orig}") from None
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:  # rolled back: the database stays at its old revision
                        table, rowid, parent, _ = broken[0]
                        raise SchemaError(
                            f"upgrading would leave {len(broken)} row(s) pointing at rows "
                            f"that do not exist (first: {table} row {rowid} → {parent}); "
                            "nothing was changed")
        finally:
            if sqlite:
                _sqlite_foreign_keys(conn, on=True)


def _sqlite_foreign_keys(conn: Connection, *, on: bool) -> None:
    """Switch SQLite's foreign-key enforcement for this connection.

    SQLite cannot alter a column in place: Alembic's batch mode copies a table, drops the old
    one and renames the copy. With enforcement on, that DROP fails as soon as another table's
    rows refer to the old one (an upgrade of a terminal in use, not of an empty one), so
    migrations run with it off, as Alembic's documentation prescribes, and ``upgrade`` checks
    every reference before it commits. The pragma is ignored inside a transaction, so it goes
    to the driver's connection directly (pysqlite's own transaction handling is off: it
    begins none)."""
    raw = conn.connection.dbapi_connection
    assert raw is not None
    raw.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def is_current(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()
