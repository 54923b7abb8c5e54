"""API tokens: what a script presents instead of a password (``PORTOPS_TOKEN``), issued to one
user and acting as that user. Only the token's SHA-256 is stored; the token itself is returned
once, by ``token.issue``, and never written anywhere by portops (not in the event either).

Anyone may issue and revoke their own tokens; an admin may for any account, and only an admin
may issue one to the system account: that is how a site sets up unattended imports (a token
of the system account serves ``portops import`` and nothing else; README).
"""

from __future__ import annotations

from sqlmodel import select

from portops.auth import new_token, token_hash
from portops.i18n import N_
from portops.model import SYSTEM_USER, ApiToken, Role, User
from portops.model.base import pk
from portops.ops.core import Tx, operation

EVERYONE = tuple(Role)


def _user(tx: Tx, name: str) -> User:
    name = name.strip().lower()
    user = tx.session.exec(select(User).where(User.name == name)).first()
    if user is None:
        tx.fail("user.not_found", N_("there is no user {name!r}"), N_("check the name"),
                name=name)
    return user


@operation("token.issue", *EVERYONE, log_args=["user", "note"])
def issue_token(tx: Tx, user: str, note: str = "") -> str:
    """Issue an API token (shown once; only its hash is kept)."""
    owner = _user(tx, user)
    tx.about("user", owner.id, owner.name)
    tx.rule(owner.name == tx.actor.name or tx.actor.role == Role.ADMIN, "token.other",
            N_("only an admin issues a token for another account"),
            N_("issue one for yourself, or ask an admin"))
    tx.rule(owner.active, "user.disabled", N_("user {user!r} is disabled"),
            N_("enable the account first"), user=owner.name)
    tx.rule(len(note) <= 128, "token.note.long", N_("a token's note has at most 128 characters"),
            N_("shorten the note"))
    tx.ensure()
    token = new_token()
    row = ApiToken(user_id=pk(owner), token_sha256=token_hash(token), shown=token[:10],
                   note=note.strip(), created_at=tx.now(), created_by=tx.actor.name)
    tx.session.add(row)
    tx.session.flush()
    tx.record(token=row.id, shown=row.shown, system=owner.name == SYSTEM_USER)
    return token


@operation("token.revoke", *EVERYONE)
def revoke_token(tx: Tx, token_id: int) -> None:
    """Revoke an API token (scripts using it are refused from now on)."""
    row = tx.session.get(ApiToken, token_id)
    if row is None:
        tx.fail("token.not_found", N_("there is no token {ident}"),
                N_("see portops token list"), ident=token_id)
    owner = tx.session.get(User, row.user_id)
    assert owner is not None  # api_token.user_id is a foreign key to user
    tx.about("user", owner.id, owner.name)
    tx.rule(owner.name == tx.actor.name or tx.actor.role == Role.ADMIN, "token.other",
            N_("only an admin revokes another account's token"),
            N_("revoke one of yours, or ask an admin"))
    tx.rule(row.revoked_at is None, "token.revoked", N_("token {ident} is revoked already"),
            N_("nothing to do"), ident=token_id)
    tx.ensure()
    row.revoked_at = tx.now()
    tx.record(shown=row.shown)
