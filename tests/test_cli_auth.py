"""The command line acts only as someone who proved it (issue 16): ``--user boss`` with boss's
password or an API token of boss's, never by name alone; the system account only for init,
upgrades and imports a site set up as unattended (a token an admin issued to it). Every event
says where it came from: the OS account, the host and the face (``via``)."""

from __future__ import annotations

import getpass
import hashlib
import socket
from pathlib import Path

import pytest
from sqlmodel import Session, select

from portops.cli import main
from portops.db import make_engine
from portops.model import ApiToken, Event, User
from tests.conftest import TEST_PASSWORD

LAYOUT = Path(__file__).resolve().parent.parent / "schedules" / "demo" / "layout.yaml"


@pytest.fixture
def db(db_file, monkeypatch) -> str:
    """``db_file`` (its admin is ``admin``) with nobody named in the environment."""
    monkeypatch.delenv("PORTOPS_USER")
    monkeypatch.delenv("PORTOPS_PASSWORD")
    return str(db_file)


def _users(db: str) -> set[str]:
    with Session(make_engine(db)) as s:
        return set(s.exec(select(User.name)).all())


def _events(db: str, operation: str) -> list[Event]:
    with Session(make_engine(db)) as s:
        return list(s.exec(select(Event).where(Event.operation == operation)))


def test_a_name_without_its_password_acts_as_nobody(db, monkeypatch, capsys):
    """The issue's repro: PORTOPS_PASSWORD=x --user boss user add evil --role admin."""
    monkeypatch.setenv("PORTOPS_PASSWORD", "x")
    assert main(["--db", db, "--user", "admin", "user", "add", "evil", "--role", "admin"]) == 1
    err = capsys.readouterr().err
    assert "unknown user 'admin' or wrong password; nothing changed" in err
    assert "evil" not in _users(db)
    assert [e.subject_ref for e in _events(db, "user.sign_in_failed")] == ["admin"]


def test_no_user_or_the_system_account_is_refused(db, monkeypatch, capsys):
    monkeypatch.setenv("PORTOPS_NEW_PASSWORD", "evil-password")
    assert main(["--db", db, "user", "add", "evil", "--role", "admin"]) == 2
    assert "say who you are" in capsys.readouterr().err
    assert main(["--db", db, "--user", "system", "user", "add", "evil", "--role", "admin"]) == 2
    assert "the system account never signs in" in capsys.readouterr().err
    assert main(["--db", db, "import", str(LAYOUT)]) == 2
    assert "evil" not in _users(db) and not _events(db, "layout.import")


def test_with_the_password_the_event_says_who_and_from_where(db, monkeypatch):
    monkeypatch.setenv("PORTOPS_PASSWORD", TEST_PASSWORD)
    monkeypatch.setenv("PORTOPS_NEW_PASSWORD", "clerk-password")
    assert main(["--db", db, "--user", "admin", "user", "add", "li", "--role", "gate_clerk"]) == 0
    event = _events(db, "user.add")[-1]
    assert event.user == "admin"
    assert event.data["via"] == {"face": "cli", "os_user": getpass.getuser(),
                                 "host": socket.gethostname()}


def test_a_read_needs_no_sign_in(db, capsys):
    assert main(["--db", db, "events", "--limit", "1"]) == 0


def test_a_token_acts_as_its_user_and_is_stored_hashed(db, monkeypatch, capsys):
    monkeypatch.setenv("PORTOPS_PASSWORD", TEST_PASSWORD)
    assert main(["--db", db, "--user", "admin", "token", "issue", "--note", "reports"]) == 0
    token = capsys.readouterr().out.splitlines()[0]
    assert token.startswith("pot_") and len(token) > 40
    with Session(make_engine(db)) as s:
        row = s.exec(select(ApiToken)).one()
    assert row.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
    assert token.encode() not in Path(db).read_bytes()
    assert token not in str([e.data for e in _events(db, "token.issue")])

    monkeypatch.delenv("PORTOPS_PASSWORD")
    monkeypatch.setenv("PORTOPS_TOKEN", token)
    monkeypatch.setenv("PORTOPS_NEW_PASSWORD", "clerk-password")
    assert main(["--db", db, "user", "add", "li", "--role", "gate_clerk"]) == 0
    assert _events(db, "user.add")[-1].user == "admin"
    assert main(["--db", db, "--user", "li", "user", "add", "x2", "--role", "admin"]) == 2
    assert "is not the owner of $PORTOPS_TOKEN" in capsys.readouterr().err
    assert main(["--db", db, "token", "list"]) == 0
    assert "reports" in capsys.readouterr().out
    assert main(["--db", db, "token", "revoke", str(row.id)]) == 0
    assert main(["--db", db, "user", "add", "x3", "--role", "admin"]) == 1
    assert "no valid token" in capsys.readouterr().err
    assert {"x2", "x3"}.isdisjoint(_users(db))


def test_only_an_admin_issues_a_token_for_someone_else(db, monkeypatch, capsys):
    monkeypatch.setenv("PORTOPS_PASSWORD", TEST_PASSWORD)
    monkeypatch.setenv("PORTOPS_NEW_PASSWORD", "clerk-password")
    assert main(["--db", db, "--user", "admin", "user", "add", "li", "--role", "gate_clerk"]) == 0
    monkeypatch.setenv("PORTOPS_PASSWORD", "clerk-password")
    assert main(["--db", db, "--user", "li", "token", "issue", "--for", "admin"]) == 1
    assert "token.other" in capsys.readouterr().err
    assert main(["--db", db, "--user", "li", "token", "issue"]) == 0


def test_unattended_imports_run_with_a_token_of_the_system_account(db, monkeypatch, capsys):
    monkeypatch.setenv("PORTOPS_PASSWORD", TEST_PASSWORD)
    assert main(["--db", db, "--user", "admin", "token", "issue", "--for", "system",
                 "--note", "nightly feed"]) == 0
    token = capsys.readouterr().out.splitlines()[0]
    monkeypatch.delenv("PORTOPS_PASSWORD")
    monkeypatch.setenv("PORTOPS_TOKEN", token)
    assert main(["--db", db, "import", str(LAYOUT)]) == 0
    assert [e.user for e in _events(db, "layout.import")] == ["system"]
    monkeypatch.setenv("PORTOPS_NEW_PASSWORD", "evil-password")
    assert main(["--db", db, "user", "add", "evil", "--role", "admin"]) == 1
    assert "serves unattended imports only" in capsys.readouterr().err
    assert "evil" not in _users(db)


def test_the_cli_is_held_to_the_sign_in_back_off(db, monkeypatch, capsys):
    monkeypatch.setenv("PORTOPS_PASSWORD", "guess")
    monkeypatch.setenv("PORTOPS_NEW_PASSWORD", "evil-password")
    for _ in range(3):
        assert main(["--db", db, "--user", "admin", "user", "add", "e", "--role", "admin"]) == 1
    capsys.readouterr()
    monkeypatch.setenv("PORTOPS_PASSWORD", TEST_PASSWORD)  # right, but too soon
    assert main(["--db", db, "--user", "admin", "user", "add", "e", "--role", "admin"]) == 1
    assert "wait 1 s" in capsys.readouterr().err


def test_an_admin_unlocks_from_the_command_line(db, monkeypatch, capsys):
    from portops.clock import SystemClock
    from portops.ops import Core
    from portops.ops.signin import lock_user

    Core(make_engine(db), SystemClock()).run("system", lock_user, name="admin")
    monkeypatch.setenv("PORTOPS_PASSWORD", TEST_PASSWORD)
    assert main(["--db", db, "--user", "admin", "user", "list"]) == 0
    assert "locked" in capsys.readouterr().out
    monkeypatch.setenv("PORTOPS_ADMIN_PASSWORD", "second-admin-pw")
    assert main(["--db", db, "--user", "admin", "user", "unlock", "admin"]) == 1
    assert "is locked after too many wrong passwords" in capsys.readouterr().err
