"""A database made by an older portops upgrades to the newest schema with its data intact.

The database is created at the first revision (0001) and filled there with plain SQL (the
models describe the newest schema, not 0001's), then upgraded to head one revision at a time
and checked through the current models. Every later migration is exercised against real rows
this way; the test grows in meaning as migrations are added.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlmodel import Session, select

from portops import schema
from portops.db import make_engine
from portops.model import Berth, Container, Event, Flag, Terminal, User, Vessel, VesselVisit

FIRST = "0001"
AT = "2026-11-20 08:00:00.000000"

ROWS = {
    "user_account": [{"id": 1, "name": "system", "full_name": "portops itself", "role": "admin",
                      "active": 1, "created_at": AT}],
    "terminal": [{"id": 1, "code": "OLD", "name": "Old terminal", "locode": "CNSHA",
                  "timezone": "Asia/Shanghai", "shifts": "[]", "vessel_clearance_m": 20.0,
                  "ukc_m": 0.5}],
    "berth": [{"id": 1, "name": "B1", "quay_start_m": 0.0, "quay_end_m": 350.0,
               "depth_m": 15.0}],
    "yardblock": [{"id": 1, "name": "A01", "bays": 20, "rows": 6, "tiers": 5, "takes_20": 1,
                   "takes_40": 1, "takes_45": 0, "reefer_rows": 0, "dangerous_goods": 0,
                   "purpose": "import", "quay_m": 100.0}],
    "vessel": [{"id": 1, "imo": "9074729", "name": "OLD STAR", "call_sign": "VRAB1",
                "loa_m": 300.0, "beam_m": 48.0, "max_draft_m": 14.0}],
    "vessel_visit": [{"id": 1, "key": "OLD-001", "vessel_id": 1, "line_operator": "COSU",
                      "service": "AEU1", "voyage_in": "001W", "voyage_out": "001E",
                      "etb": AT, "berth_id": 1, "phase": "berthed", "moves_discharge": 10,
                      "moves_load": 5, "locked": 0, "atb": AT}],
    "container": [{"id": 1, "number": "CSQU3054383", "size_type": "45G1", "operator": "COSU",
                   "full": 1, "category": "import", "seals": "CN1", "pol": "NLRTM",
                   "pod": "CNSHA", "bl_number": "COSU1", "location": "yard",
                   "yard_block_id": 1, "yard_bay": 2, "yard_row": 1, "yard_tier": 1,
                   "in_visit_id": 1, "time_in": AT, "damage": ""}],
    "flag": [{"id": 1, "type_code": "CUSTOMS_IMPORT", "bl_number": "COSU1",
              "state": "granted", "reference": "2231", "reason": "", "set_by": "system",
              "set_at": AT}],
    "event": [{"id": 1, "at": AT, "user": "system", "role": "admin",
               "operation": "system.init", "subject_kind": "user", "subject_ref": "system",
               "data": "{}"}],
}


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(schema.alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def test_revisions_form_one_line_from_0001():
    revs = _revisions()
    assert revs[0] == FIRST and revs[-1] == schema.head_revision()


@pytest.fixture
def old_db(tmp_path):
    engine = make_engine(tmp_path / "old.db")
    schema.upgrade(engine, FIRST)
    insp = inspect(engine)
    columns = {table: {c["name"] for c in insp.get_columns(table)} for table in ROWS}
    with engine.begin() as conn:
        for table, rows in ROWS.items():
            have = columns[table]
            for row in rows:
                row = {k: v for k, v in row.items() if k in have}
                cols = ", ".join(f'"{k}"' for k in row)
                conn.execute(text(f'INSERT INTO "{table}" ({cols}) VALUES '
                                  f'({", ".join(":" + k for k in row)})'), row)
    yield engine
    engine.dispose()


def test_upgrading_an_old_database_keeps_its_data(old_db):
    assert schema.current_revision(old_db) == FIRST
    for rev in _revisions()[1:]:  # one step at a time, as a database a year old would go
        schema.upgrade(old_db, rev)
        assert schema.current_revision(old_db) == rev
    assert schema.is_current(old_db)
    at = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    with Session(old_db) as s:
        assert s.exec(select(User.name)).all() == ["system"]
        assert s.exec(select(Terminal.code)).one() == "OLD"
        assert s.exec(select(Berth.name)).one() == "B1"
        assert s.exec(select(Vessel.imo)).one() == "9074729"
        visit = s.exec(select(VesselVisit)).one()
        assert (visit.key, visit.phase, visit.atb, visit.berth_id) == ("OLD-001", "berthed",
                                                                       at, 1)
        box = s.exec(select(Container)).one()
        assert (box.number, box.location, box.yard_bay, box.time_in) == (
            "CSQU3054383", "yard", 2, at)
        assert s.exec(select(Flag.reference)).one() == "2231"
        assert s.exec(select(Event.operation)).one() == "system.init"


def test_upgraded_database_still_refuses_to_rewrite_history(old_db):
    schema.upgrade(old_db)
    with pytest.raises(Exception), old_db.begin() as conn:  # noqa: B017 - either driver error
        conn.execute(text("UPDATE event SET user = 'someone else'"))


def test_a_database_from_another_build_is_refused_in_one_line(tmp_path, capsys):
    """A schema revision these migrations do not know: a clear line, not Alembic's traceback,
    and the database is left as it was."""
    import sqlite3

    from portops.cli import main

    db = tmp_path / "other.db"
    assert main(["init", "--db", str(db)]) == 0
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0999_elsewhere'")
    capsys.readouterr()
    assert main(["db", "upgrade", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "'0999_elsewhere'" in err and "another version of portops" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (
            "0999_elsewhere",)
