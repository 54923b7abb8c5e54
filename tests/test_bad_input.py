"""Bad input and bad conditions (issue 16): each printed a traceback; each now gets one
clear sentence saying where and what, exit status 1 or 2, and changes nothing."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from portops.cli import main
from portops.codes import container_check_digit
from portops.db import make_engine

DEMO = Path(__file__).resolve().parents[1] / "schedules" / "demo"
MANIFEST_HEADER = "bl_number,container,consignee,goods,packages,gross_kg,pol,pod\n"

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def db(db_file) -> Path:
    assert main(["--db", str(db_file), "import", str(DEMO / "layout.yaml"),
                 str(DEMO / "schedule.yaml")]) == 0
    return db_file


def _events(path: Path) -> int:
    engine = make_engine(path)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM event")).scalar()
    finally:
        engine.dispose()


def _one_sentence(capsys, *needles: str) -> str:
    captured = capsys.readouterr()
    err = captured.err
    assert "Traceback" not in err + captured.out
    assert err.count("\n") == 1, err
    for needle in needles:
        assert needle in err, err
    return err


def _import(db: Path, path: Path) -> int:
    return main(["--db", str(db), "import", str(path)])


def test_a_csv_field_over_the_size_limit(db, tmp_path, capsys):
    f = tmp_path / "manifest.csv"
    f.write_text(MANIFEST_HEADER + "COSU287484583,MSCU2401740," + "A" * 140_000
                 + ",PARTS,1,24430,BEANR,CNSHA\n")
    before = _events(db)
    capsys.readouterr()
    assert _import(db, f) == 1
    _one_sentence(capsys, "manifest.csv:2:", "longer than 131,072 characters")
    assert _events(db) == before


def test_a_carriage_return_in_an_unquoted_csv_field(db, tmp_path, capsys):
    f = tmp_path / "manifest.csv"
    f.write_bytes((MANIFEST_HEADER + "COSU287484583,MSCU2401740,AB\rC,PARTS,1,24430,BEANR,"
                   "CNSHA\n").encode())
    capsys.readouterr()
    assert _import(db, f) == 1
    _one_sentence(capsys, "manifest.csv:2:", "carriage return", "quotes")


def test_a_release_feed_with_a_carriage_return(db, tmp_path, capsys):
    f = tmp_path / "releases.csv"
    f.write_bytes(b"kind,reference,container\r\ncustoms,R1,MSCU24\r01740\r\n")
    capsys.readouterr()
    assert _import(db, f) == 1
    _one_sentence(capsys, "releases.csv:2:", "carriage return")


def test_an_infinite_weight_in_yaml(db, tmp_path, capsys):
    f = tmp_path / "inventory.yaml"
    f.write_text("kind: inventory\ncontainers:\n  - number: CSQU3054383\n    size_type: 45G1\n"
                 "    gross_kg: 1e999\n    yard: A01.02.1.1\n")
    capsys.readouterr()
    assert _import(db, f) == 1
    _one_sentence(capsys, "inventory.yaml:5:", "gross_kg", "not a finite number")


def test_a_block_taking_a_length_there_is_not(db, tmp_path, capsys):
    f = tmp_path / "layout.yaml"
    f.write_text((DEMO / "layout.yaml").read_text().replace(
        "takes: [20, 40, 45], purpose: import, quay_m: 100",
        "takes: [20, 80], purpose: import, quay_m: 100", 1))
    before = _events(db)
    capsys.readouterr()
    assert _import(db, f) == 1
    _one_sentence(capsys, "layout.yaml:", "takes", "20, 40, 45")
    assert _events(db) == before


@pytest.mark.parametrize("value", ["99999999999999999999", "-1", "x"])
def test_an_events_limit_out_of_range(db, capsys, value):
    capsys.readouterr()
    with pytest.raises(SystemExit) as stop:
        main(["--db", str(db), "events", "--limit", value])
    assert stop.value.code == 2
    _one_sentence(capsys, "--limit")


def test_a_db_that_is_not_a_database(tmp_path, capsys):
    f = tmp_path / "x.csv"
    f.write_text("a\n")
    assert main(["events", "--db", str(f)]) == 1
    _one_sentence(capsys, "x.csv is not a database")
    assert f.read_text() == "a\n"


@pytest.mark.parametrize("url", ["mysql://u@localhost/db", "oracle://u@h/db"])
def test_a_db_url_of_another_kind(url, capsys):
    assert main(["events", "--db", url]) == 2
    _one_sentence(capsys, "--db:", "SQLite", "PostgreSQL")


def _inventory(path: Path, prefix: str, boxes: int) -> Path:
    lines = ["kind: inventory", "containers:"]
    for n in range(boxes):
        number = f"{prefix}{n:06d}"
        number += container_check_digit(number)
        bay, row = 1 + 2 * (n // 6), 1 + n % 6
        lines.append(f"  - {{number: {number}, size_type: 22G1, operator: COSU, category: "
                     f"import, gross_kg: 20000, yard: A01.{bay:02d}.{row}.1}}")
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_full_disk_during_an_import_names_the_cause(db, tmp_path, capsys):
    """The database may not grow (SQLite's max_page_count: what a full disk does to it) while
    a big import writes: the one line says the disk is full; the database is as it was."""
    big = _inventory(tmp_path / "inventory.yaml", "TGHU", 120)
    before = db.read_bytes()
    events = _events(db)

    def no_room(dbapi_conn, _record):  # noqa: ANN001
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 2}")

    event.listen(Engine, "connect", no_room)
    try:
        capsys.readouterr()
        assert _import(db, big) == 1
    finally:
        event.remove(Engine, "connect", no_room)
    _one_sentence(capsys, "disk is full", "nothing was written")
    assert _events(db) == events
    assert main(["--db", str(db), "audit", "verify"]) == 0
    assert len(db.read_bytes()) == len(before)


_HOLDER = """
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
c.execute("UPDATE terminal SET name = name")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
c.execute("ROLLBACK")
"""


def test_readers_do_not_wait_for_a_writer(db, capsys):
    """Another process holds the write lock (a console mid-transaction): portops events
    opens the database, checks its schema and reads at once (WAL), not after 30 s."""
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(db), "20"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        capsys.readouterr()
        started = time.monotonic()
        assert main(["--db", str(db), "events", "--limit", "1"]) == 0
        assert time.monotonic() - started < 5
        assert "schedule" in capsys.readouterr().out
        assert main(["--db", str(db), "audit", "verify"]) == 0
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.parametrize("argv", [
    ["token", "revoke", "99999999999999999999"],
    ["hold", "release", "--flag", "99999999999999999999", "--reason", "x", "--reference", "r"],
    ["permission", "revoke", "--flag", "-99999999999999999999", "--reason", "x",
     "--reference", "r"],
])
def test_a_whole_number_beyond_the_database_is_refused_by_every_command(db, capsys, argv):
    """Every type=int argument (found by the fuzz harness: an OverflowError each)."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as stop:
        main(["--db", str(db), *argv])
    assert stop.value.code == 2
    _one_sentence(capsys, "out of range")


def test_an_eir_id_beyond_the_database(db, capsys):
    capsys.readouterr()
    assert main(["--db", str(db), "export", "eir", "--id", "99999999999999999999"]) == 1
    _one_sentence(capsys, "--id 99999999999999999999: there is no EIR")


def test_a_manifest_weight_of_1e999(db, tmp_path, capsys):
    """Found by the fuzz harness (OverflowError: cannot convert float infinity to integer)."""
    f = tmp_path / "manifest.csv"
    f.write_text(MANIFEST_HEADER + "COSU287484583,MSCU2401740,X,PARTS,1,1e999,BEANR,CNSHA\n")
    capsys.readouterr()
    assert _import(db, f) == 1
    _one_sentence(capsys, "manifest.csv:2:", "gross_kg '1e999' is not a whole number")


def test_an_edifact_count_of_5000_digits(tmp_path):
    """Found by the fuzz harness: UNT's segment count as 5,000 digits (ValueError: Exceeds the
    limit (4300 digits) for integer string conversion). Read with a warning instead."""
    sample = (Path(__file__).parent / "data" / "edi" / "iso1984.edi").read_text()
    f = tmp_path / "bay.edi"
    f.write_text(sample.replace("UNT+44+1'", "UNT+" + "9" * 5000 + "+1'"))
    from portops.formats import registry

    (prepared,) = registry.prepare([f])
    assert any("UNT says message" in str(p.what) for p in prepared.problems)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_plan_day_at_the_end_of_the_calendar(db, capsys, day):
    """Found walking the fuzz harness's ground: OverflowError: date value out of range."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as stop:
        main(["--db", str(db), "export", "work-plan", "--date", day])
    assert stop.value.code == 2
    _one_sentence(capsys, "--date", "between 1900 and 9000")


def test_a_berth_with_bollards_that_are_not_two_numbers(db, tmp_path, capsys):
    """Found by the fuzz harness (TypeError in formats/layout.py, as for takes)."""
    f = tmp_path / "layout.yaml"
    text_ = (DEMO / "layout.yaml").read_text()
    assert "bollards: [" in text_
    start = text_.index("bollards: [")
    f.write_text(text_[:start] + "bollards: x" + text_[text_.index("]", start) + 1:])
    capsys.readouterr()
    assert _import(db, f) == 1
    _one_sentence(capsys, "layout.yaml:", "bollards", "[1, 14]")


def test_a_postgresql_server_that_is_not_there(capsys):
    """psycopg's reason runs over two lines (the second a hint): one line is printed."""
    assert main(["events", "--db", "postgresql+psycopg://u@127.0.0.1:1/x"]) == 1
    _one_sentence(capsys, "cannot open database", "127.0.0.1")
