"""The migrations are the schema: one head, and they build exactly what the model declares."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

import portops.model
from portops import schema
from portops.schema import alembic_config


def test_one_head() -> None:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, f"migrations have several heads {heads}: re-chain the newest"


def test_head_read_from_the_scripts_is_alembics_head() -> None:
    """The CLI checks the database against ``head_revision`` without importing Alembic."""
    assert schema.head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_current_revision_of_an_empty_and_an_upgraded_database(tmp_path) -> None:
    from portops.db import make_engine

    engine = make_engine(tmp_path / "fresh.db")
    assert schema.current_revision(engine) is None
    schema.upgrade(engine)
    assert schema.current_revision(engine) == schema.head_revision()
    engine.dispose()


def test_a_database_url_with_a_percent_sign_is_migrated(tmp_path) -> None:
    """A socket directory or password in a URL is percent-escaped (``host=%2Fvar%2Frun``);
    Alembic's configuration must not read it as an interpolation."""
    from portops.db import make_engine

    engine = make_engine(tmp_path / "50%off.db")
    schema.upgrade(engine)
    assert schema.current_revision(engine) == schema.head_revision()
    engine.dispose()


def test_migrations_match_the_model(engine) -> None:
    portops.model.load_all()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == [], f"the model and the migrations differ; add a migration: {diff}"


def test_a_terminal_in_use_upgrades_although_a_migration_rebuilds_a_referenced_table(
        core, engine, small_terminal) -> None:
    """SQLite rebuilds a table to alter it (copy, drop, rename): with another table's rows
    referring to it, the drop failed with 'FOREIGN KEY constraint failed' and `portops db
    upgrade` stopped half-way on every terminal in use (0320 rebuilds appointment, which
    truck_visit refers to). An empty database never showed it."""
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL alters a table in place")
    from alembic import command
    from sqlmodel import Session, func, select

    from portops.model import Appointment, TruckVisit
    from portops.ops.appointments import book
    from tests.gate_world import CLERK, booking, build, release

    world = build(core, engine, small_terminal)
    release(core, world["boxes"][0])
    appt = core.run(CLERK, book, **booking(world["boxes"][0]))
    with Session(engine) as s, s.begin():  # test set-up: the truck that came for it
        s.add(TruckVisit(appointment_id=appt["id"], plate="沪A12345",
                         arrived_at=datetime.now(UTC), state="admitted"))
    cfg = alembic_config(engine)
    with engine.connect() as conn:  # back to before 0320, data and all
        conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        with conn.begin():
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0335_api_rate")
        conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")
    assert schema.current_revision(engine) == "0335_api_rate"
    schema.upgrade(engine)
    assert schema.current_revision(engine) == schema.head_revision()
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(Appointment)).one() == 1
        assert s.exec(select(TruckVisit.appointment_id)).one() == appt["id"]
        assert not s.connection().exec_driver_sql("PRAGMA foreign_key_check").fetchall()


def test_a_migration_that_fails_is_undone_and_said_in_one_sentence(tmp_path, capsys) -> None:
    """`portops db upgrade` printed Alembic's traceback when a migration failed; now one
    sentence, and the database stays at its revision (the DDL is rolled back with it)."""
    from sqlalchemy import text

    from portops.cli import main
    from portops.db import make_engine

    url = f"sqlite:///{tmp_path / 't.db'}"
    engine = make_engine(url)
    schema.upgrade(engine, "0335_api_rate")
    with engine.begin() as conn:  # a table in the way of the next migration's own
        conn.execute(text("CREATE TABLE haulier_nomination (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    code = main(["--db", str(tmp_path / "t.db"), "db", "upgrade"])
    err = capsys.readouterr().err
    assert code != 0 and "Traceback" not in err
    assert "failed and was undone" in err and "haulier_nomination" in err
    assert len(err.strip().splitlines()) == 1
    assert schema.current_revision(make_engine(url)) == "0335_api_rate"
