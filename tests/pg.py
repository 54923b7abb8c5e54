"""PostgreSQL for the tests: an empty, migrated database for every test, quickly.

``PORTOPS_TEST_PG_URL`` names a server (any database on it, e.g. ``.../postgres``) where the
tests may create and drop databases. A template is migrated once per test session. Copying it
(``CREATE DATABASE ... TEMPLATE``) costs about half a second, so ordinary tests share one
working copy that :func:`fresh_database` empties before handing it out: other sessions on it
are ended, every table is emptied with triggers off (``session_replication_role = replica``,
which also lets the cleaner past the append-only guard — test machinery only) and every
sequence restarts, so ids begin at 1 as in a new database. A test that needs a database of its
own (migrations, ``portops init``) asks :func:`create_database`.

The tests work as the everyday role ``portops db grants`` makes (issue 16): the working copy
is handed out with :data:`APP_ROLE` as its user, granted by ``portops.grants.grants_sql``
exactly as a site grants it, so an operation that needs more than those grants fails its
test. The tables belong to the server's user (the one in ``PORTOPS_TEST_PG_URL``, who
migrated the template): what only an owner may do (drop a trigger, as an attacker with the
database would) a test does through :func:`owner_url`.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import NullPool

ENV = "PORTOPS_TEST_PG_URL"
SKIP_REASON = (f"PostgreSQL not tested: set {ENV}=postgresql+psycopg://USER@HOST:PORT/postgres "
               "(.ci/run starts a throw-away cluster and sets it)")

_state: dict[str, object] = {}


def server_url() -> str | None:
    return os.environ.get(ENV) or None


def report_header() -> str:
    url = server_url()
    if not url:
        return "database backends: sqlite only; " + SKIP_REASON
    return f"database backends: sqlite and {make_url(url).render_as_string(hide_password=True)}"


def _admin() -> Engine:
    if "admin" not in _state:
        _state["admin"] = create_engine(server_url(), isolation_level="AUTOCOMMIT")
    return _state["admin"]  # type: ignore[return-value]


def url_of(database: str) -> str:
    return make_url(server_url()).set(database=database).render_as_string(hide_password=False)


#: The everyday role the tests connect as (one per server: roles are the server's, not a
#: database's). The test cluster trusts local connections; the password is for form.
APP_ROLE = "portops_tests_app"
_APP_PASSWORD = "app-role-pw-1234"


def _grant_everyday_role(database: str) -> None:
    """``portops db grants``'s statements for :data:`APP_ROLE` on ``database``, run as its
    owner (the role is created on first use)."""
    from sqlalchemy.exc import DBAPIError

    from portops.grants import grants_sql

    with _admin().connect() as conn:
        if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"),
                        {"r": APP_ROLE}).first() is None:
            with contextlib.suppress(DBAPIError):  # another test process made it meanwhile
                conn.execute(text(f"CREATE ROLE {APP_ROLE} LOGIN PASSWORD '{_APP_PASSWORD}'"))
    eng = create_engine(url_of(database), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with eng.connect() as conn:
        conn.exec_driver_sql(grants_sql(APP_ROLE, database))
    eng.dispose()


def app_url_of(database: str) -> str:
    return (make_url(server_url()).set(database=database, username=APP_ROLE,
                                      password=_APP_PASSWORD)
            .render_as_string(hide_password=False))


def owner_url(url: str) -> str:
    """``url`` as the tables' owner (the server's user) instead of the everyday role."""
    return url_of(make_url(url).database)


def _drop(name: str) -> None:
    with _admin().connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _template() -> str:
    """The migrated template database of this session (made on first use)."""
    if "template" not in _state:
        from portops import schema
        from portops.db import make_engine

        name = f"portops_tpl_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        with _admin().connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        atexit.register(_drop, name)
        eng = make_engine(url_of(name))
        schema.upgrade(eng)
        eng.dispose()
        _state["template"] = name
    return _state["template"]  # type: ignore[return-value]


def create_database(*, empty: bool = False) -> tuple[str, str]:
    """A new database (migrated unless ``empty``): its name and URL. Drop it with ``drop``."""
    name = f"portops_t_{uuid.uuid4().hex[:12]}"
    template = "template0" if empty else _template()
    with _admin().connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    return name, url_of(name)


def drop(name: str) -> None:
    _drop(name)


def _empty(name: str) -> None:
    """End other sessions on ``name``, delete every row, restart every sequence."""
    eng = create_engine(url_of(name), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with eng.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        tables = conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename <> 'alembic_version'")).scalars().all()
        seqs = conn.execute(text(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")).scalars().all()
        stmts = ["SET session_replication_role = replica"]
        stmts += [f'DELETE FROM "{t}"' for t in tables]
        stmts += [f"SELECT setval('\"{q}\"', 1, false)" for q in seqs]
        stmts.append("SET session_replication_role = origin")
        conn.exec_driver_sql("; ".join(stmts))
    eng.dispose()


@contextmanager
def fresh_database() -> Iterator[str]:
    """The URL of an empty, migrated database for one test (the session's shared copy), as
    the everyday role (:data:`APP_ROLE`)."""
    if "work" not in _state:
        name, _ = create_database()
        atexit.register(_drop, name)
        _grant_everyday_role(name)
        _state["work"] = name
    name = _state["work"]
    _empty(name)  # type: ignore[arg-type]
    yield app_url_of(name)  # type: ignore[arg-type]
