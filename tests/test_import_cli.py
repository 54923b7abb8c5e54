"""``portops import``: a bad file is refused whole, one line per problem, database unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from portops.cli import main
from tests.conftest import TEST_PASSWORD, file_sha


@pytest.fixture
def db(db_file) -> Path:
    return db_file


def _import(db: Path, capsys, *files) -> tuple[int, list[str], str]:
    capsys.readouterr()
    code = main(["--db", str(db), "import", *map(str, files)])
    out = capsys.readouterr()
    return code, out.err.splitlines(), out.out


def test_yaml_syntax_error_is_one_line_and_changes_nothing(db, tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: layout\nterminal:\n  code: [X\n")
    before = file_sha(db)
    code, err, _ = _import(db, capsys, bad)
    assert code == 1
    assert len(err) == 1 and err[0].startswith(f"{bad}:4: YAML syntax error")
    assert file_sha(db) == before


def test_unknown_kind_and_missing_file_are_all_reported(db, tmp_path, capsys):
    odd = tmp_path / "odd.yaml"
    odd.write_text("# a file\nkind: timetable\n")
    code, err, _ = _import(db, capsys, odd, tmp_path / "nope.yaml")
    assert code == 1
    assert err[0].startswith(f"{odd}:2: kind 'timetable' is not one portops imports")
    assert err[1] == f"{tmp_path / 'nope.yaml'}: no such file; check the path"


def test_db_and_user_may_follow_the_command(tmp_path, capsys, monkeypatch):
    db = tmp_path / "after.db"
    layout = Path(__file__).resolve().parent.parent / "schedules" / "demo" / "layout.yaml"
    monkeypatch.setenv("PORTOPS_ADMIN_PASSWORD", TEST_PASSWORD)
    monkeypatch.delenv("PORTOPS_USER")
    assert main(["init", "--db", str(db), "--admin", "boss"]) == 0
    assert main(["import", str(layout), "--db", str(db), "--user", "boss"]) == 0
    capsys.readouterr()
    assert main(["events", "--db", str(db)]) == 0
    assert "layout.import" in capsys.readouterr().out
    assert main(["--db", str(db), "import", str(layout), "--user", "nobody"]) == 1
    assert "unknown user 'nobody' or wrong password" in capsys.readouterr().err
