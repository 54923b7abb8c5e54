"""Sign-in that stands up to guessing: a back-off that grows by name and by source, a lockout
after the site's count of wrong passwords in a row, an admin's unlock, and no timing that
tells which user names exist (issue 16).

A sign-in reads; what it must remember is written by operations run as the system account,
each with its event: ``user.sign_in_failed`` (the account's name, or a digest of a name
that is no account, and where from; never the password), ``user.lock`` when the count is reached, ``user.sign_in`` when a right password
clears the count or its hash is remade at today's cost. A sign-in still waiting out its
back-off is answered at once, checks no password and writes nothing: guessing faster than
the back-off only finds more waits.
"""

from __future__ import annotations

import hashlib
import math
from contextlib import suppress
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import col, select

from portops.accounts import Account, SignInResult
from portops.auth import hash_password, needs_rehash, verify_password, waste_a_verification
from portops.i18n import N_
from portops.model import SYSTEM_USER, Role, SignInFailure, Terminal, User
from portops.ops.core import Core, Refused, Tx, operation

#: Failures (by name or source) that cost nothing; from then on each doubles the wait.
FREE_TRIES = 3
#: The longest wait the back-off asks for, seconds.
LONGEST_WAIT = 15 * 60
#: How far back failures from a source (or for a name that is no account) are counted.
WINDOW = timedelta(hours=1)
#: How far back failures for a name that is no account count toward its pretended lockout
#: (an account's count runs until its right password or an unlock).
UNKNOWN_LOCK_WINDOW = timedelta(days=1)
#: The lockout count when the site has set none (no terminal imported yet).
DEFAULT_LOCKOUT = 10


def backoff(failures: int) -> float:
    """Seconds to wait after ``failures`` in a row: none for the first few, then 1, 2, 4...
    up to :data:`LONGEST_WAIT`."""
    if failures < FREE_TRIES:
        return 0.0
    return float(min(2 ** (failures - FREE_TRIES), LONGEST_WAIT))


def lockout_count(session) -> int:  # noqa: ANN001
    """The site's lockout count (``sign_in_lockout`` in the layout file; 0: never)."""
    value = session.exec(select(Terminal.sign_in_lockout).order_by(col(Terminal.id))).first()
    return DEFAULT_LOCKOUT if value is None else int(value)


def _name(name: str) -> str:
    return name.strip().lower()[:64]


def _unknown(typed: str) -> str:
    """How a name that is no account is kept: a digest, never as typed (people type their
    password into the name field; it must not land in the log in clear)."""
    return "?" + hashlib.sha256(typed.encode()).hexdigest()[:32]


def attempt(core: Core, name: str, password: str, source: str) -> SignInResult:
    """Sign ``name`` in with ``password`` from ``source`` (what the back-off by source counts:
    an SSH or web client's address, or the OS account and host). Unknown names, wrong
    passwords and accounts without one all answer ``unknown`` after the same scrypt work."""
    from portops.db import read_session

    typed, source = _name(name), source[:128]
    now = core.clock.now()
    with read_session(core.engine) as s:
        user = s.exec(select(User).where(User.name == typed)).first()
        if user is None:
            typed = _unknown(typed)
        recent = (select(func.count(), func.max(SignInFailure.at))
                  .where(SignInFailure.at > now - WINDOW))
        by_source = s.exec(recent.where(SignInFailure.source == source)).one()
        by_name = s.exec(recent.where(SignInFailure.name == typed)).one()
        named_today = s.exec(select(func.count()).where(
            SignInFailure.name == typed, SignInFailure.at > now - UNKNOWN_LOCK_WINDOW)).one()
        limit = lockout_count(s)
    if user is not None and user.locked_at is not None:
        return SignInResult(None, "locked")
    if user is None and limit and named_today >= limit:
        return SignInResult(None, "locked")  # as an account would be: names stay unknown
    waits = [_left(by_source[1], backoff(by_source[0]), now)]
    if user is not None:
        waits.append(_left(user.last_failed_at, backoff(user.failed_sign_ins), now))
    else:
        waits.append(_left(by_name[1], backoff(by_name[0]), now))
    wait = max(waits)
    if wait > 0:
        return SignInResult(None, "wait", math.ceil(wait))
    if user is None or user.name == SYSTEM_USER or not user.password_hash:
        waste_a_verification(password)
        right = False
    else:
        right = verify_password(password, user.password_hash)
    if not right:
        locked = core.run(SYSTEM_USER, sign_in_failed, name=typed, source=source)
        if locked:
            with suppress(Refused):  # locked meanwhile by another console: one event
                core.run(SYSTEM_USER, lock_user, name=typed)
            return SignInResult(None, "locked")
        return SignInResult(None, "unknown")
    assert user is not None  # right only for an account
    if not user.active:
        return SignInResult(None, "disabled")
    if user.failed_sign_ins or needs_rehash(user.password_hash):
        core.run(SYSTEM_USER, signed_in, name=typed, password=password, source=source)
    return SignInResult(Account(user.name, user.full_name, Role(user.role)))


def _left(last: datetime | None, wait: float, now: datetime) -> float:
    if last is None or not wait:
        return 0.0
    return (last + timedelta(seconds=wait) - now).total_seconds()


@operation("user.sign_in_failed", Role.ADMIN)
def sign_in_failed(tx: Tx, name: str, source: str) -> bool:
    """Record a refused sign-in (for the back-off; never the password typed)."""
    tx.about("user", None, name)
    tx.ensure()
    tx.session.add(SignInFailure(at=tx.now(), name=name, source=source))
    user = tx.session.exec(select(User).where(User.name == name)).first()
    if user is None:
        return False
    tx.about("user", user.id, user.name)
    user.failed_sign_ins += 1
    user.last_failed_at = tx.now()
    limit = lockout_count(tx.session)
    tx.record(failures=user.failed_sign_ins)
    return bool(limit) and user.failed_sign_ins >= limit and user.locked_at is None


@operation("user.lock", Role.ADMIN)
def lock_user(tx: Tx, name: str) -> None:
    """Lock an account after too many wrong passwords in a row (an admin unlocks it)."""
    user = tx.session.exec(select(User).where(User.name == _name(name))).first()
    if user is None:
        tx.fail("user.not_found", N_("there is no user {name!r}"), N_("check the name"),
                name=name)
    tx.about("user", user.id, user.name)
    tx.rule(user.locked_at is None, "user.locked", N_("user {name!r} is locked already"),
            N_("nothing to do"), name=user.name)
    tx.ensure()
    user.locked_at = tx.now()
    tx.record(failures=user.failed_sign_ins)


@operation("user.unlock", Role.ADMIN)
def unlock_user(tx: Tx, name: str) -> None:
    """Unlock an account locked by wrong passwords (its count of failures starts again)."""
    user = tx.session.exec(select(User).where(User.name == _name(name))).first()
    if user is None:
        tx.fail("user.not_found", N_("there is no user {name!r}"), N_("check the name"),
                name=name)
    tx.about("user", user.id, user.name)
    tx.rule(user.locked_at is not None or user.failed_sign_ins > 0, "user.not_locked",
            N_("user {name!r} is not locked"), N_("nothing to do"), name=user.name)
    tx.ensure()
    tx.record(failures=user.failed_sign_ins, locked_at=user.locked_at)
    user.locked_at = None
    user.failed_sign_ins = 0
    user.last_failed_at = None


@operation("user.sign_in", Role.ADMIN, log_args=["name", "source"])
def signed_in(tx: Tx, name: str, password: str, source: str) -> None:
    """Clear an account's wrong passwords at a right one; remake an old password hash."""
    user = tx.session.exec(select(User).where(User.name == name)).first()
    if user is None:
        tx.fail("user.not_found", N_("there is no user {name!r}"), N_("check the name"),
                name=name)
    tx.about("user", user.id, user.name)
    tx.ensure()
    tx.record(failures_cleared=user.failed_sign_ins)
    user.failed_sign_ins = 0
    user.last_failed_at = None
    if needs_rehash(user.password_hash) and verify_password(password, user.password_hash):
        user.password_hash = hash_password(password)
        tx.record(rehashed=True)
