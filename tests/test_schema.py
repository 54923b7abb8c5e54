"""The migrations are the schema: one head, and they build exactly what the model declares."""

from __future__ import annotations

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
