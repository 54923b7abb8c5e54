"""Who may sign in to a console, and what the console shows about the database it runs on.

The dataclasses load without SQLAlchemy (the console draws its sign-in form before the
database layer is imported, issue 3); each query imports what it reads with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from portops.accounts import Account, SignInResult  # noqa: F401 - the console's names
from portops.model import Role

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def sign_in(engine: Engine, name: str, password: str, source: str = "local",
            clock=None) -> SignInResult:  # noqa: ANN001
    """Check a name and password (scrypt; disabled and locked users refused), with the
    back-off and lockout of ``portops.ops.signin`` (which records failures by operations).

    A wrong password and an unknown name give the same answer after the same work, so the
    screen cannot be used to find out which names exist. The system account never signs in.
    """
    from portops.ops import Core
    from portops.ops.signin import attempt

    return attempt(Core(engine, clock), name, password, source)


def account(engine: Engine, name: str) -> Account | None:
    """An active account by name, without a password (the demo's "who are you" picker)."""
    from sqlalchemy import select
    from sqlmodel import col

    from portops.db import read_session
    from portops.model import User

    with read_session(engine) as s:
        user = s.execute(select(User).where(col(User.name) == name)).scalar()
        if user is None or not user.active:
            return None
        return Account(user.name, user.full_name, Role(user.role))


def active_accounts(engine: Engine) -> list[Account]:
    """Every active person's account (not the system account), by role then name."""
    from sqlalchemy import select
    from sqlmodel import col

    from portops.db import read_session
    from portops.model import SYSTEM_USER, User

    with read_session(engine) as s:
        rows = s.execute(select(User).where(col(User.active), col(User.name) != SYSTEM_USER)
                         .order_by(col(User.role), col(User.name))).scalars()
        return [Account(u.name, u.full_name, Role(u.role)) for u in rows]


@dataclass(frozen=True)
class TerminalInfo:
    code: str
    name: str
    timezone: str


def terminal_info(engine: Engine) -> TerminalInfo:
    """The terminal this database runs (UTC and no name before a layout is imported)."""
    from sqlalchemy import select
    from sqlmodel import col

    from portops.db import read_session
    from portops.model import Terminal

    with read_session(engine) as s:
        t = s.execute(select(Terminal).order_by(col(Terminal.id))).scalar()
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
    locked: bool = False
    failed_sign_ins: int = 0


def users(engine: Engine) -> list[UserRow]:
    """Every person's account, active or disabled (not the system account), by name: the
    admin's Users screen."""
    from sqlalchemy import select
    from sqlmodel import col

    from portops.db import read_session
    from portops.model import SYSTEM_USER, User

    with read_session(engine) as s:
        rows = s.execute(select(User).where(col(User.name) != SYSTEM_USER)
                         .order_by(col(User.name))).scalars()
        return [UserRow(u.name, u.full_name, Role(u.role), u.active, bool(u.password_hash),
                        u.locked_at is not None, u.failed_sign_ins) for u in rows]


def token_owner(engine: Engine, token: str) -> str | None:
    """The active user an unrevoked API token acts as; None for any other string."""
    from sqlalchemy import select
    from sqlmodel import col

    from portops.auth import token_hash
    from portops.db import read_session
    from portops.model import ApiToken, User

    with read_session(engine) as s:
        return s.execute(select(col(User.name)).join(
            ApiToken, col(ApiToken.user_id) == col(User.id)).where(
            col(ApiToken.token_sha256) == token_hash(token), col(ApiToken.revoked_at).is_(None),
            col(User.active))).scalar()


@dataclass(frozen=True)
class TokenRow:
    id: int
    user: str
    shown: str
    note: str
    created_at: object
    created_by: str
    revoked_at: object


def tokens(engine: Engine, user: str | None = None) -> list[TokenRow]:
    """API tokens (``user``'s, or every one), newest first; never the tokens themselves."""
    from sqlalchemy import select
    from sqlmodel import col

    from portops.db import read_session
    from portops.model import ApiToken, User

    with read_session(engine) as s:
        q = (select(ApiToken, col(User.name)).join(User, col(ApiToken.user_id) == col(User.id))
             .order_by(col(ApiToken.id).desc()))
        if user is not None:
            q = q.where(col(User.name) == user)
        return [TokenRow(t.id, name, t.shown, t.note, t.created_at, t.created_by, t.revoked_at)
                for t, name in s.execute(q)]
