"""Who may sign in to a console, and what the console shows about the database it runs on.

The dataclasses load without SQLAlchemy (the console draws its sign-in form before the
database layer is imported, issue 3); each query imports what it reads with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from portops.model import Role

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


@dataclass(frozen=True)
class Account:
    name: str
    full_name: str
    role: Role


@dataclass(frozen=True)
class SignInResult:
    """``account`` when the name and password are right; otherwise ``reason`` says why not."""

    account: Account | None
    reason: str = ""  # "unknown" (no such user or wrong password) or "disabled"


def sign_in(engine: Engine, name: str, password: str) -> SignInResult:
    """Check a name and password against the user table (scrypt; disabled users refused).

    A wrong password and an unknown name give the same answer, so the screen cannot be used to
    find out which names exist. The system account has no password and never signs in.
    """
    from sqlalchemy import select

    from portops.auth import verify_password
    from portops.db import read_session
    from portops.model import User

    with read_session(engine) as s:
        user = s.execute(select(User).where(User.name == name.strip().lower())).scalar()
        if user is None or not verify_password(password, user.password_hash):
            return SignInResult(None, "unknown")
        if not user.active:
            return SignInResult(None, "disabled")
        return SignInResult(Account(user.name, user.full_name, Role(user.role)))


def account(engine: Engine, name: str) -> Account | None:
    """An active account by name, without a password (the demo's "who are you" picker)."""
    from sqlalchemy import select

    from portops.db import read_session
    from portops.model import User

    with read_session(engine) as s:
        user = s.execute(select(User).where(User.name == name)).scalar()
        if user is None or not user.active:
            return None
        return Account(user.name, user.full_name, Role(user.role))


def active_accounts(engine: Engine) -> list[Account]:
    """Every active person's account (not the system account), by role then name."""
    from sqlalchemy import select

    from portops.db import read_session
    from portops.model import SYSTEM_USER, User

    with read_session(engine) as s:
        rows = s.execute(select(User).where(User.active, User.name != SYSTEM_USER)
                         .order_by(User.role, User.name)).scalars()
        return [Account(u.name, u.full_name, Role(u.role)) for u in rows]


@dataclass(frozen=True)
class TerminalInfo:
    code: str
    name: str
    timezone: str


def terminal_info(engine: Engine) -> TerminalInfo:
    """The terminal this database runs (UTC and no name before a layout is imported)."""
    from sqlalchemy import select

    from portops.db import read_session
    from portops.model import Terminal

    with read_session(engine) as s:
        t = s.execute(select(Terminal).order_by(Terminal.id)).scalar()
        if t is None:
            return TerminalInfo("", "", "UTC")
        return TerminalInfo(t.code, t.name, t.timezone)


@dataclass(frozen=True)
class UserRow:
    name: str
    full_name: str
    role: Role
    active: bool
    has_password: bool


def users(engine: Engine) -> list[UserRow]:
    """Every person's account, active or disabled (not the system account), by name: the
    admin's Users screen."""
    from sqlalchemy import select

    from portops.db import read_session
    from portops.model import SYSTEM_USER, User

    with read_session(engine) as s:
        rows = s.execute(select(User).where(User.name != SYSTEM_USER)
                         .order_by(User.name)).scalars()
        return [UserRow(u.name, u.full_name, Role(u.role), u.active, bool(u.password_hash))
                for u in rows]
