"""What the terminal's customers do for themselves: book, change and cancel trucks, hand the
right to collect on, and manage their own party's accounts.

Each operation acts for the caller's party only (``portops.scope``): a box, an appointment or
an account that is not the party's is refused as if it did not exist ("ACME has no container
X here"), so a customer learns nothing of another's data, not even that it exists. Once the
thing is the caller's, the terminal's own operation judges it (``appointment.book``,
``right.pass_on``...) with the caller's party fixed as the booker and holder: a customer is
refused by the same rules, ids and sentences a clerk booking on its behalf would see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NoReturn

from sqlmodel import col, select

from portops.auth import hash_password
from portops.clock import as_utc, show
from portops.i18n import N_
from portops.model import (
    CUSTOMER_ROLES,
    LIVE_APPTS,
    Appointment,
    AppointmentSlot,
    CollectRight,
    Container,
    Party,
    RightState,
    Role,
    Terminal,
    User,
)
from portops.model.base import pk
from portops.ops import appointments, releases
from portops.ops.core import Term, Tx, operation
from portops.ops.no_show import peak_rule
from portops.ops.through import through
from portops.refs import canonical, mistyped
from portops.scope import ROLE_OF_KIND, Caller, appointment_ids, caller_of

_HAULIER = (Role.HAULIER,)
#: Who may hold and pass on the right to collect: consignees and forwarders, and hauliers
#: (to another haulier). A line gives it, by its release (``customer.release``).
_HOLDERS = (Role.CONSIGNEE, Role.HAULIER)
_EVERY_CUSTOMER = tuple(sorted(CUSTOMER_ROLES))
_NAME = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")


def party_for_role(tx: Tx, role: str, party: str) -> Party | None:
    """State the rules tying an account's role to its party (``user.add``): a customer role
    needs a party of its kind, a staff role none. Returns the party, if the rules hold."""
    code = (party or "").strip().upper()
    try:
        customer = Role(role).is_customer
    except ValueError:  # not a role: ``user.add`` says so
        return None
    if not customer:
        tx.rule(not code, "user.party.staff",
                N_("a {role} is one of the terminal's staff and belongs to no party"),
                N_("leave the party out, or choose a customer role"), role=Term(role))
        return None
    p = tx.session.exec(select(Party).where(Party.code == code)).first() if code else None
    tx.rule(p is not None and p.active, "user.party",
            N_("a {role}'s account belongs to a registered party; {party!r} is not one"),
            N_("name the party's code (register the party first)"), role=Term(role),
            party=code)
    if p is None:
        return None
    want = ROLE_OF_KIND.get(p.kind)
    tx.rule(want == Role(role), "user.party.kind",
            N_("{party} is a {kind}: its accounts are {want} accounts, not {role}"),
            N_("choose the role {want}"), party=p.code, kind=Term(p.kind),
            want=Term(want.value if want else ""), role=Term(role))
    return p if want == Role(role) else None


def me(tx: Tx) -> Caller:
    """The caller as a customer of one party; refused for anyone else (the terminal's admin
    too: the customer's pages act for a party, and the admin belongs to none)."""
    caller = caller_of(tx.session, tx.actor.name)
    if caller is None:
        tx.fail("customer.no_party", N_("{user} is not an account of a party"),
                N_("sign in with your company's account"), user=tx.actor.name)
    return caller


def _not_found(tx: Tx, caller: Caller, number: str) -> NoReturn:
    tx.fail("customer.box.not_found", N_("{party} has no container {number} here"),
            N_("check the number; you see the boxes you hold the right to collect"),
            party=caller.code, number=number)


def _holds(tx: Tx, caller: Caller, number: str) -> bool:
    """Does ``caller``'s party hold the active right to collect box ``number``?"""
    return tx.session.exec(select(CollectRight.id).join(
        Container, col(Container.id) == CollectRight.container_id).where(
        Container.number == number, CollectRight.state == RightState.ACTIVE,
        CollectRight.holder_party_id == caller.party_id)).first() is not None


def typed_ref(tx: Tx, ref: str) -> str:
    """A reference as the customer typed it, as stored (case, spaces, hyphens, O for 0 and I
    or L for 1 forgiven); one mistyped character is said as such, as at the gate, not as a
    reference the party does not have."""
    if mistyped(ref):
        tx.fail("customer.ref_invalid", N_("{ref!r} is not a valid reference"),
                N_("a character is mistyped: read the reference again"), ref=ref)
    return canonical(ref)


def _own_appointment(tx: Tx, caller: Caller, ref: str) -> str:
    """The appointment's ref if it is the caller's, after the terminal's change cut-off rule
    (a change or cancellation too close to its slot is the terminal's to make)."""
    ref = typed_ref(tx, ref)
    found = tx.session.exec(select(Appointment.ref, AppointmentSlot.start).join(
        AppointmentSlot, col(AppointmentSlot.id) == Appointment.slot_id).where(
        Appointment.ref == ref, col(Appointment.id).in_(appointment_ids(caller)))).first()
    if found is None:
        tx.fail("customer.appointment.not_found", N_("{party} has no appointment {ref}"),
                N_("check the reference in your appointments"), party=caller.code, ref=ref)
    found_ref, start = found
    cfg = customer_rules(tx.session)
    until = start - timedelta(minutes=cfg.change_cutoff_minutes)
    tx.rule(tx.now() < until, "customer.change.too_late",
            N_("appointment {ref} can be changed or cancelled until {until}"),
            N_("ask the terminal's gate to change it"), ref=ref,
            until=show(until, cfg.timezone))
    return found_ref


@dataclass(frozen=True)
class CustomerRules:
    """What the terminal lets its customers do themselves (the layout's ``appointments``)."""

    days_ahead: int = 7
    change_cutoff_minutes: int = 120
    max_open_per_haulier: int = 0  # 0: no limit
    timezone: str = "UTC"


def customer_rules(session) -> CustomerRules:
    row = session.exec(select(Terminal.appt_book_days_ahead, Terminal.appt_change_cutoff_minutes,
                              Terminal.appt_max_open_per_haulier, Terminal.timezone)
                       .order_by(col(Terminal.id)).limit(1)).first()
    return CustomerRules() if row is None else CustomerRules(*row)


def ahead_rule(tx: Tx, cfg: CustomerRules, slot_start: datetime) -> None:
    """A customer books at most ``days_ahead`` days ahead (the terminal opens a day at a time)."""
    tx.rule(as_utc(slot_start) < tx.now() + timedelta(days=cfg.days_ahead),
            "customer.book.too_far", N_("the slot {start} is more than {days} days ahead"),
            N_("book a slot within {days} days; the terminal opens them a day at a time"),
            start=show(slot_start, cfg.timezone), days=cfg.days_ahead)


def _open_count(tx: Tx, caller: Caller) -> int:
    return len(tx.session.exec(select(Appointment.id).where(
        Appointment.haulier_id == caller.party_id, col(Appointment.state).in_(LIVE_APPTS))).all())


@operation("customer.book", *_HAULIER, late_begin=True)
def book(tx: Tx, container: str, slot_start: datetime, plate: str, driver_name: str,
         driver_id: str) -> dict:
    """Book a truck to collect an import box the haulier holds the right to collect."""
    caller = me(tx)
    number = container.strip().upper()
    if not _holds(tx, caller, number):
        _not_found(tx, caller, number)
    cfg = customer_rules(tx.session)
    ahead_rule(tx, cfg, slot_start)
    peak_rule(tx, caller, slot_start)
    if cfg.max_open_per_haulier:
        held = _open_count(tx, caller)
        tx.rule(held < cfg.max_open_per_haulier, "customer.book.max_open",
                N_("{party} holds {held} open appointments, as many as the terminal allows"),
                N_("use or cancel one of them first"), party=caller.code, held=held)
    return through(tx, appointments.book, container=number, slot_start=slot_start,
                   haulier=caller.code, by_party=caller.code, plate=plate,
                   driver_name=driver_name, driver_id=driver_id)


@operation("customer.change", *_HAULIER)
def change(tx: Tx, ref: str, slot_start: datetime | None = None, plate: str | None = None,
           driver_name: str | None = None, driver_id: str | None = None) -> None:
    """Change the slot, truck or driver of one of the haulier's appointments."""
    caller = me(tx)
    ref = _own_appointment(tx, caller, ref)
    through(tx, appointments.change, ref=ref, by_party=caller.code, slot_start=slot_start,
            plate=plate, driver_name=driver_name, driver_id=driver_id)


@operation("customer.cancel", *_HAULIER)
def cancel(tx: Tx, ref: str, reason: str) -> None:
    """Cancel one of the haulier's appointments."""
    caller = me(tx)
    ref = _own_appointment(tx, caller, ref)
    through(tx, appointments.cancel, ref=ref, reason=reason, by_party=caller.code)


@operation("customer.pass_on", *_HOLDERS)
def pass_on(tx: Tx, container: str, to_party: str, reference: str = "") -> int:
    """Hand the right to collect a box the party holds to another party (a haulier)."""
    caller = me(tx)
    number = container.strip().upper()
    if not _holds(tx, caller, number):
        _not_found(tx, caller, number)
    return through(tx, releases.pass_on, container=number, by_party=caller.code,
                   to_party=to_party, reference=reference)


@operation("customer.release", Role.LINE)
def release(tx: Tx, container: str, to_party: str, reference: str) -> list[int]:
    """Release one of the line's import boxes, giving the right to collect to a named party."""
    caller = me(tx)
    number = container.strip().upper()
    mine = tx.session.exec(select(Container.id).where(
        Container.number == number, Container.operator == caller.code)).first()
    if mine is None:
        _not_found(tx, caller, number)
    tx.about("container", mine, number)
    ids = releases._line_release(tx, caller.code, to_party, reference, number, None)
    tx.record(rights=len(ids), holder=to_party.strip().upper())
    return ids


def _party_admin(tx: Tx, caller: Caller) -> None:
    tx.rule(caller.party_admin, "customer.user.not_admin",
            N_("only {party}'s admin manages its accounts"),
            N_("ask your company's admin"), party=caller.code)


@operation("customer.user_add", *_EVERY_CUSTOMER)
def user_add(tx: Tx, name: str, password: str, full_name: str = "",
             party_admin: bool = False) -> int:
    """Add an account to the party (its admin only)."""
    caller = me(tx)
    name = name.strip().lower()
    tx.about("user", None, name)
    _party_admin(tx, caller)
    tx.rule(_NAME.match(name), "user.name", N_("{name!r} is not a valid user name"),
            N_("use 2-32 lower-case letters, digits, . _ -"), name=name)
    exists = tx.session.exec(select(User.id).where(User.name == name)).first()
    tx.rule(exists is None, "user.exists", N_("user {name!r} exists already"),
            N_("choose another name"), name=name)
    tx.rule(len(password) >= 8, "user.password.short",
            N_("a password needs at least 8 characters"), N_("choose a longer password"))
    tx.ensure()
    user = User(name=name, role=caller.role, full_name=full_name.strip()[:128],
                created_at=tx.now(), password_hash=hash_password(password),
                party_id=caller.party_id, party_admin=bool(party_admin))
    tx.session.add(user)
    tx.session.flush()
    tx.about("user", user.id, name)
    tx.data["password"] = "***"
    tx.record(party=caller.code)
    return pk(user)


def _own_user(tx: Tx, caller: Caller, name: str) -> User:
    name = name.strip().lower()
    user = tx.session.exec(select(User).where(User.name == name,
                                              User.party_id == caller.party_id)).first()
    if user is None:
        tx.fail("customer.user.not_found", N_("{party} has no account {name!r}"),
                N_("check the name"), party=caller.code, name=name)
    tx.about("user", user.id, user.name)
    return user


@operation("customer.user_disable", *_EVERY_CUSTOMER)
def user_disable(tx: Tx, name: str) -> None:
    """Disable one of the party's accounts (its admin only)."""
    caller = me(tx)
    user = _own_user(tx, caller, name)
    _party_admin(tx, caller)
    tx.rule(user.active, "user.disabled", N_("user {name!r} is disabled already"),
            N_("nothing to do"), name=user.name)
    tx.rule(user.name != caller.user, "user.self", N_("you cannot disable your own account"),
            N_("ask another admin to do it"))
    tx.ensure()
    user.active = False


@operation("customer.user_password", *_EVERY_CUSTOMER)
def user_password(tx: Tx, name: str, password: str) -> None:
    """Set the password of one of the party's accounts (its admin, or the account itself)."""
    caller = me(tx)
    user = _own_user(tx, caller, name)
    if user.name != caller.user:
        _party_admin(tx, caller)
    tx.rule(len(password) >= 8, "user.password.short",
            N_("a password needs at least 8 characters"), N_("choose a longer password"))
    tx.ensure()
    user.password_hash = hash_password(password)
    tx.data["password"] = "***"
