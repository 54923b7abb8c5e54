"""Plain records about accounts, shared by the sign-in operation and the account queries.

``portops.ops.signin`` judges a sign-in and ``portops.queries.accounts`` asks it to; both
return these, so neither imports the other for them (they did: an import cycle). They load
without SQLAlchemy: the console draws its sign-in form before the database layer is imported
(issue 3).
"""

from __future__ import annotations

from dataclasses import dataclass

from portops.model import Role


@dataclass(frozen=True)
class Account:
    name: str
    full_name: str
    role: Role


@dataclass(frozen=True)
class SignInResult:
    """``account`` when the name and password are right; otherwise ``reason`` says why not."""

    account: Account | None
    #: "unknown" (no such user or wrong password), "disabled", "locked" (too many wrong
    #: passwords: an admin unlocks) or "wait" (the back-off: ``wait_seconds`` more).
    reason: str = ""
    wait_seconds: int = 0
