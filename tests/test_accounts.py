"""Accounts from the command line: the first admin from ``portops init --admin``, passwords
hashed with scrypt and never stored or logged in clear (not even in the event's data)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlmodel import Session, select

from portops.auth import verify_password
from portops.cli import main
from portops.model import Event, User

SECRET = "correct horse battery staple"


def _everything_stored(engine, db_url: str) -> bytes:
    """Every byte the database holds for this test (SQLite: the files; PG: the rows as text)."""
    if engine.dialect.name == "sqlite":
        engine.dispose()
        return b"".join(p.read_bytes() for p in Path(db_url).parent.glob("portops.db*"))
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT row_to_json(e)::text FROM event e UNION ALL "
            "SELECT row_to_json(u)::text FROM user_account u")).scalars().all()
    return "\n".join(rows).encode()


def test_init_creates_the_first_admin_with_a_hashed_password(db_url, engine, monkeypatch,
                                                             capsys):
    monkeypatch.setenv("PORTOPS_ADMIN_PASSWORD", SECRET)
    assert main(["--db", db_url, "init", "--admin", "harbour.master"]) == 0
    monkeypatch.setenv("PORTOPS_PASSWORD", SECRET)  # harbour.master's, who runs the commands
    monkeypatch.setenv("PORTOPS_NEW_PASSWORD", SECRET + "!")
    assert main(["--db", db_url, "--user", "harbour.master", "user", "add", "li.wei",
                 "--role", "gate_clerk"]) == 0
    assert main(["--db", db_url, "--user", "harbour.master", "user", "passwd", "li.wei"]) == 0
    out = capsys.readouterr()
    assert SECRET not in out.out + out.err
    with Session(engine) as s:
        admin = s.exec(select(User).where(User.name == "harbour.master")).one()
        clerk = s.exec(select(User).where(User.name == "li.wei")).one()
        events = s.exec(select(Event).where(Event.subject_kind == "user",
                                            Event.operation != "system.init")).all()
    assert admin.role == "admin" and admin.password_hash.startswith("scrypt$")
    assert verify_password(SECRET, admin.password_hash)
    assert not verify_password("wrong password", admin.password_hash)
    assert verify_password(SECRET + "!", clerk.password_hash)
    assert [(e.operation, e.user, e.data["password"]) for e in events] == [
        ("user.add", "system", "***"), ("user.add", "harbour.master", "***"),
        ("user.passwd", "harbour.master", "***")]
    assert SECRET.encode() not in _everything_stored(engine, db_url)


def test_init_refuses_a_short_admin_password_and_creates_no_admin(db_url, engine, monkeypatch,
                                                                 capsys):
    monkeypatch.setenv("PORTOPS_ADMIN_PASSWORD", "short")
    assert main(["--db", db_url, "init", "--admin", "boss"]) == 1
    err = capsys.readouterr().err
    assert "user.password.short" in err and "Traceback" not in err
    with Session(engine) as s:
        assert s.exec(select(User).where(User.name == "boss")).first() is None


def test_a_non_admin_cannot_add_users_even_from_a_script(db_url, engine, monkeypatch, capsys):
    monkeypatch.setenv("PORTOPS_ADMIN_PASSWORD", SECRET)
    assert main(["--db", db_url, "init", "--admin", "boss"]) == 0
    monkeypatch.setenv("PORTOPS_PASSWORD", SECRET)
    monkeypatch.setenv("PORTOPS_NEW_PASSWORD", SECRET)
    assert main(["--db", db_url, "--user", "boss", "user", "add", "gate1",
                 "--role", "gate_clerk"]) == 0
    assert main(["--db", db_url, "--user", "gate1", "user", "add", "gate2",
                 "--role", "admin"]) == 1
    assert "role.not_permitted" in capsys.readouterr().err


def test_a_password_with_no_terminal_to_type_it_is_a_clear_error(tmp_path, monkeypatch,
                                                                capsys):
    """``portops init --admin`` from a script without $PORTOPS_ADMIN_PASSWORD: getpass had no
    terminal and the command ended in a traceback. Now it says what to set, before it
    touches the database."""
    import io

    monkeypatch.delenv("PORTOPS_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    new = tmp_path / "new.db"
    assert main(["--db", str(new), "init", "--admin", "boss"]) != 0
    err = capsys.readouterr().err
    assert "PORTOPS_ADMIN_PASSWORD" in err and "Traceback" not in err
    assert not new.exists()
