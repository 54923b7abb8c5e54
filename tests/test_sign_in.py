"""Sign-in that stands up to guessing (issue 16): unknown names cost what a wrong password
costs, a back-off that grows by name and by source, a lockout at the site's count with an
event and an admin's unlock, and old password hashes remade at today's cost."""

from __future__ import annotations

import time

import pytest
from sqlmodel import Session, select

from portops import auth
from portops.model import Event, SignInFailure, Terminal, User
from portops.ops import Refused
from portops.ops.signin import attempt, backoff, unlock_user
from tests.conftest import TEST_PASSWORD

CLERK = "gate-clerk"


def _wrong(core, clock, name=CLERK, source="ssh:10.0.0.9", times=1):
    results = []
    for _ in range(times):
        results.append(attempt(core, name, "not the password", source))
        clock.advance(hours=0, seconds=backoff(99) + 1)  # past any wait: count the failures
    return results


def test_the_right_password_signs_in_and_a_wrong_one_is_recorded(core, engine, clock):
    assert attempt(core, CLERK, TEST_PASSWORD, "ssh:10.0.0.9").account.name == CLERK
    assert attempt(core, CLERK, "guess", "ssh:10.0.0.9").reason == "unknown"
    with Session(engine) as s:
        failure = s.exec(select(SignInFailure)).one()
        user = s.exec(select(User).where(User.name == CLERK)).one()
        events = s.exec(select(Event.operation, Event.user).where(
            Event.operation == "user.sign_in_failed")).all()
    assert (failure.name, failure.source) == (CLERK, "ssh:10.0.0.9")
    assert user.failed_sign_ins == 1
    assert events == [("user.sign_in_failed", "system")]


def test_the_back_off_grows_by_name_and_answers_at_once(core, clock):
    for _ in range(3):
        assert attempt(core, CLERK, "guess", "ssh:10.0.0.1").reason == "unknown"
    waited = attempt(core, CLERK, TEST_PASSWORD, "ssh:10.0.0.2")  # another source, same name
    assert (waited.reason, waited.wait_seconds) == ("wait", 1)
    clock.advance(seconds=1)
    assert attempt(core, CLERK, "guess", "ssh:10.0.0.3").reason == "unknown"
    assert attempt(core, CLERK, TEST_PASSWORD, "ssh:10.0.0.4").wait_seconds == 2
    clock.advance(seconds=2)
    assert attempt(core, CLERK, TEST_PASSWORD, "ssh:10.0.0.4").account.name == CLERK
    # the right password cleared the count: the next wrong one costs nothing again
    assert attempt(core, CLERK, "guess", "ssh:10.0.0.4").reason == "unknown"
    assert attempt(core, CLERK, "guess", "ssh:10.0.0.4").reason == "unknown"


def test_the_back_off_grows_by_source_across_names(core, clock):
    for name in ("dispatcher", "yard-planner", "tally-clerk"):
        assert attempt(core, name, "guess", "web:203.0.113.7").reason == "unknown"
    refused = attempt(core, "line-handler", TEST_PASSWORD, "web:203.0.113.7")
    assert refused.reason == "wait" and refused.wait_seconds >= 1
    # another source is not held up by this one's guessing
    assert attempt(core, "line-handler", TEST_PASSWORD, "ssh:10.0.0.5").account is not None


def test_200_wrong_passwords_lock_the_account_once_with_an_event(core, engine, clock):
    results = _wrong(core, clock, times=200)
    assert [r.reason for r in results[:9]] == ["unknown"] * 9
    assert {r.reason for r in results[9:]} == {"locked"}
    assert attempt(core, CLERK, TEST_PASSWORD, "ssh:10.0.0.9").reason == "locked"
    with Session(engine) as s:
        locks = s.exec(select(Event).where(Event.operation == "user.lock")).all()
        failures = s.exec(select(SignInFailure)).all()
    assert [(e.user, e.subject_ref, e.data["failures"]) for e in locks] == [
        ("system", CLERK, 10)]
    assert len(failures) == 10  # a locked account's guesses check and write nothing


def test_an_admin_unlocks_and_the_right_password_works_again(core, engine, clock):
    _wrong(core, clock, times=10)
    with pytest.raises(Refused) as refused:
        core.run(CLERK, unlock_user, name=CLERK)
    assert refused.value.rules == ["role.not_permitted"]
    core.run("admin", unlock_user, name=CLERK)
    assert attempt(core, CLERK, TEST_PASSWORD, "ssh:10.0.0.9").account.name == CLERK
    with pytest.raises(Refused) as again:
        core.run("admin", unlock_user, name=CLERK)
    assert again.value.rules == ["user.not_locked"]


def test_the_lockout_count_is_the_sites(core, engine, clock, small_terminal):
    with Session(engine) as s, s.begin():
        s.exec(select(Terminal)).one().sign_in_lockout = 4
    assert [r.reason for r in _wrong(core, clock, times=5)] == ["unknown"] * 3 + ["locked"] * 2


def test_an_unknown_name_is_answered_like_a_known_one(core, engine, clock, monkeypatch):
    """Same answer, and about the same time: the unknown name is hashed against a dummy.
    (At a cost where the hash, not the database, takes the time, as in production.)"""
    monkeypatch.setenv("PORTOPS_TEST_ONLY_SCRYPT_N", str(2**14))
    with Session(engine) as s, s.begin():
        s.exec(select(User).where(User.name == CLERK)).one().password_hash = \
            auth.hash_password(TEST_PASSWORD)
    auth.waste_a_verification("warm")  # the dummy hash is made once per process
    timings: dict[str, list[float]] = {}
    for name in (CLERK, "no-such-user") * 3:
        start = time.perf_counter()
        result = attempt(core, name, "guess", f"ssh:{name}")
        timings.setdefault(name, []).append(time.perf_counter() - start)
        clock.advance(seconds=60)
        assert result.reason == "unknown"
    fast, slow = sorted(min(t) for t in timings.values())
    assert fast > slow / 2, timings  # was 0.3 ms against 310 ms


def test_an_unknown_name_locks_like_an_account_would(core, clock):
    assert {r.reason for r in _wrong(core, clock, name="nobody", times=12)[10:]} == {"locked"}


def test_an_old_hash_is_remade_at_todays_cost_on_sign_in(core, engine, monkeypatch):
    monkeypatch.setenv("PORTOPS_TEST_ONLY_SCRYPT_N", "512")
    old = auth.hash_password("an-old-password")
    with Session(engine) as s, s.begin():
        s.exec(select(User).where(User.name == CLERK)).one().password_hash = old
    monkeypatch.setenv("PORTOPS_TEST_ONLY_SCRYPT_N", "1024")
    assert auth.needs_rehash(old)
    assert attempt(core, CLERK, "an-old-password", "ssh:x").account is not None
    with Session(engine) as s:
        new = s.exec(select(User).where(User.name == CLERK)).one().password_hash
        event = s.exec(select(Event).where(Event.operation == "user.sign_in")).one()
    assert new.startswith("scrypt$1024$8$1$") and auth.verify_password("an-old-password", new)
    assert event.data.get("rehashed") is True and "an-old-password" not in str(event.data)


def test_production_cost_is_owasps_and_only_the_test_setting_lowers_it(monkeypatch):
    monkeypatch.delenv("PORTOPS_TEST_ONLY_SCRYPT_N")
    assert auth._cost() == 2**17
    monkeypatch.setenv("PORTOPS_TEST_ONLY_SCRYPT_N", "1000")  # not a power of two: ignored
    assert auth._cost() == 2**17
    assert auth.needs_rehash("scrypt$16384$8$1$c2FsdA==$ZGlnZXN0")  # portops' old N=2^14


def test_the_layout_file_sets_the_lockout_count(db_file, tmp_path, capsys):
    from portops.cli import main
    from portops.db import make_engine

    f = tmp_path / "layout.yaml"
    f.write_text("kind: layout\nterminal:\n  code: SITE\n  name: A site\n  locode: CNSHA\n"
                 "  timezone: Asia/Shanghai\n  sign_in_lockout: 5\n")
    assert main(["--db", str(db_file), "import", str(f)]) == 0
    with Session(make_engine(db_file)) as s:
        assert s.exec(select(Terminal.sign_in_lockout)).one() == 5
    f.write_text(f.read_text().replace("sign_in_lockout: 5", "sign_in_lockout: -1"))
    assert main(["--db", str(db_file), "import", str(f)]) == 1
    assert "sign_in_lockout" in capsys.readouterr().err


def test_a_name_that_is_no_account_is_kept_only_as_a_digest(core, engine, clock):
    """People type their password into the name field: it was kept in clear in the table
    and the event (seen walking the console)."""
    assert attempt(core, "My-Secret-Pass!", "x", "ssh:10.0.0.9").reason == "unknown"
    with Session(engine) as s:
        names = s.exec(select(SignInFailure.name)).all()
        events = s.exec(select(Event).where(Event.operation == "user.sign_in_failed")).all()
    assert names[0].startswith("?") and "secret" not in names[0]
    assert "secret" not in str([(e.subject_ref, e.data) for e in events]).lower()
