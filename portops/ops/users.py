"""User accounts: added, given passwords and disabled by an admin; every change is audited."""

from __future__ import annotations

import re

from sqlmodel import Session, select

from portops.auth import hash_password
from portops.clock import Clock
from portops.i18n import N_
from portops.model import SYSTEM_USER, Event, Role, User
from portops.model.base import pk
from portops.ops.core import Term, Tx, operation

_NAME = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")


@operation("user.add", Role.ADMIN)
def add_user(tx: Tx, name: str, role: str, password: str | None = None,
             full_name: str = "", party: str = "") -> int:
    """Add a user account.

    A customer's account (``party``: the party's code) is made by the terminal's admin as
    that party's admin, who then manages the party's other accounts itself
    (``customer.user_add``)."""
    from portops.ops.customer import party_for_role  # customers' rules live with them

    name = name.strip().lower()
    party_row = party_for_role(tx, role, party)
    tx.about("user", None, name)
    tx.rule(_NAME.match(name), "user.name", N_("{name!r} is not a valid user name"),
            N_("use 2-32 lower-case letters, digits, . _ -"), name=name)
    tx.rule(role in {r.value for r in Role}, "user.role", N_("{role!r} is not a role"),
            N_("use one of: {choices}"), role=Term(role), choices=", ".join(r.value for r in Role))
    exists = tx.session.exec(select(User).where(User.name == name)).first()
    tx.rule(exists is None, "user.exists", N_("user {name!r} exists already"),
            N_("choose another name"), name=name)
    tx.rule(password is None or len(password) >= 8, "user.password.short",
            N_("a password needs at least 8 characters"), N_("choose a longer password"))
    tx.ensure()
    user = User(name=name, role=Role(role), full_name=full_name, created_at=tx.now(),
                password_hash=hash_password(password) if password else None,
                party_id=party_row.id if party_row else None, party_admin=party_row is not None)
    tx.session.add(user)
    tx.session.flush()
    tx.about("user", user.id, name)
    tx.data["password"] = "***" if password else None
    return pk(user)


@operation("user.passwd", Role.ADMIN)
def set_password(tx: Tx, name: str, password: str) -> None:
    """Set a user's password."""
    user = _user(tx, name)
    tx.rule(user.name != SYSTEM_USER, "user.system.password",
            N_("the system account never signs in"), N_("set a person's password"))
    tx.rule(len(password) >= 8, "user.password.short", N_("a password needs at least 8 characters"),
            N_("choose a longer password"))
    tx.ensure()
    user.password_hash = hash_password(password)
    tx.data["password"] = "***"


def _user(tx: Tx, name: str) -> User:
    name = name.strip().lower()
    user = tx.session.exec(select(User).where(User.name == name)).first()
    if user is None:
        tx.fail("user.not_found", N_("there is no user {name!r}"), N_("check the name"), name=name)
    tx.about("user", user.id, user.name)
    return user


def _other_admins(tx: Tx, user: User) -> int:
    return len(tx.session.exec(select(User.id).where(
        User.role == Role.ADMIN, User.active, User.id != user.id,
        User.name != SYSTEM_USER)).all())


@operation("user.disable", Role.ADMIN)
def disable_user(tx: Tx, name: str) -> None:
    """Disable a user account (it stays in the audit log)."""
    user = _user(tx, name)
    tx.rule(user.name != SYSTEM_USER, "user.system", N_("the system account cannot be disabled"),
            N_("disable a person's account instead"))
    tx.rule(user.active, "user.disabled", N_("user {name!r} is disabled already"),
            N_("nothing to do"), name=user.name)
    tx.rule(user.name != tx.actor.name, "user.self",
            N_("you cannot disable your own account"),
            N_("ask another admin to do it"))
    tx.ensure()
    user.active = False


@operation("user.enable", Role.ADMIN)
def enable_user(tx: Tx, name: str) -> None:
    """Enable a disabled user account again."""
    user = _user(tx, name)
    tx.rule(not user.active, "user.active", N_("user {name!r} is active already"),
            N_("nothing to do"), name=user.name)
    tx.ensure()
    user.active = True


@operation("user.set_role", Role.ADMIN)
def set_role(tx: Tx, name: str, role: str) -> None:
    """Change the role of a user account (what they may do from their next sign-in)."""
    user = _user(tx, name)
    tx.rule(role in {r.value for r in Role}, "user.role", N_("{role!r} is not a role"),
            N_("use one of: {choices}"), role=Term(role), choices=", ".join(r.value for r in Role))
    tx.rule(user.name != SYSTEM_USER, "user.system.role",
            N_("the system account's role cannot change"), N_("change a person's account"))
    tx.rule(user.role != role, "user.role.same", N_("{name} is a {role} already"),
            N_("choose another role"), name=user.name, role=Term(role))
    tx.rule(user.role != Role.ADMIN or role == Role.ADMIN or _other_admins(tx, user) > 0,
            "user.last_admin", N_("{name} is the last active admin"),
            N_("make another user admin first"), name=user.name)
    tx.rule(role not in {r.value for r in Role}
            or Role(role).is_customer == (user.party_id is not None), "user.role.party",
            N_("a party's account keeps a customer role, and a staff account a staff role"),
            N_("add a new account instead"))
    tx.ensure()
    tx.record(old=str(user.role))
    user.role = Role(role)


def bootstrap(session: Session, clock: Clock) -> bool:
    """Create the built-in ``system`` account on an empty database (with its event).

    This is the one write outside an operation: operations need an account to act as, so the
    first account is made here, once, and audited like everything else.
    """
    if session.exec(select(User).where(User.name == SYSTEM_USER)).first() is not None:
        return False
    now = clock.now()
    session.add(User(name=SYSTEM_USER, role=Role.ADMIN, full_name="portops itself",
                     created_at=now))
    from portops.audit import chained  # the first link of the audit chain

    session.flush()
    session.add(Event(**chained(session.connection(), dict(
        at=now, user=SYSTEM_USER, role=Role.ADMIN.value, operation="system.init",
        subject_kind="user", subject_id=None, subject_ref=SYSTEM_USER, dcsa=None, data={}))))
    return True
