"""Granting and revoking permissions, applying and releasing holds.

Every type (``portops.flags.FLAG_TYPES``) is set and cleared only by the roles it names (admin
always may): the operations are open to every role and judge the role per type, so a tally
clerk may apply and release a damage hold but not touch a customs release. Each change carries
what a later reader needs: a grant its reference (the customs entry, the clearance number), a
hold its reason, a release the reference that cleared it, a revocation its reason; the other
of the pair may be given too (a hold's inspection order, why a hold was released: the event
keeps it). Typed values are checked for length and shape here, so the console, the CLI and
a feed are told the same sentence.
"""

from __future__ import annotations

from sqlmodel import select

from portops import textcheck
from portops.codes import CodeError, parse_container_number
from portops.flags import FLAG_TYPES, FlagType, Target
from portops.i18n import N_
from portops.model import (
    STAFF_ROLES,
    CollectRight,
    Container,
    Flag,
    FlagState,
    RightState,
    Role,
    VesselVisit,
    Where,
)
from portops.model.base import pk
from portops.ops.core import Choices, Term, Tx, operation

_ANY_FLAG_ROLE = STAFF_ROLES  # each flag type names its own

#: Longest reference (a customs entry, a release or survey number) and reason (formats use them).
REFERENCE_MAX = textcheck.REFERENCE.max_len
REASON_MAX = textcheck.NOTE.max_len
_KINDS = {"reference": (textcheck.REFERENCE, N_("reference")),
          "reason": (textcheck.NOTE, N_("reason")),
          "bl_number": (textcheck.REFERENCE, N_("B/L")),
          "booking_ref": (textcheck.REFERENCE, N_("booking"))}


def _shape(tx: Tx, field: str, value: str | None) -> None:
    """A typed value, if given, has its kind's length and characters (``portops.textcheck``:
    a reference up to 35 letters, digits and - / . _, a reason up to 256 printable)."""
    kind, label = _KINDS[field]
    textcheck.rule(tx, kind, value, f"flag.{field}.shape", label)


def _flag_type(tx: Tx, code: str, kind: str) -> FlagType:
    ft = FLAG_TYPES.get(code.upper())
    if ft is None or ft.kind != kind:
        known = ", ".join(c for c, t in FLAG_TYPES.items() if t.kind == kind)
        tx.fail(f"{kind}.unknown_type", N_("{code!r} is not a {kind} type"),
                N_("use one of: {known}"), code=code, kind=Term(kind), known=known)
    tx.rule(tx.actor.role == Role.ADMIN or tx.actor.role in ft.roles,
            f"{kind}.{ft.code.lower()}.role",
            N_("a {role} may not set or clear the {title}"), N_("ask a {roles}"),
            role=Term(tx.actor.role.label), title=Term(ft.title),
            roles=Choices(sorted(r.label for r in ft.roles)))
    return ft


def _subject(tx: Tx, ft: FlagType, visit_id: int | None, container: str | None,
             bl_number: str | None, booking_ref: str | None) -> dict:
    if ft.target == Target.VISIT:
        visit = tx.get(VesselVisit, visit_id, what="visit") if visit_id is not None else None
        if visit is None:
            tx.fail("flag.subject", N_("the {title} applies to a vessel visit"),
                    N_("name the visit"), title=Term(ft.title))
        tx.about("visit", visit.id, visit.key)
        return {"visit_id": visit.id}
    if container:
        try:
            container = parse_container_number(container)
        except CodeError as exc:
            tx.fail("container.number", exc.template, N_("read the number again"), **exc.params)
        row = tx.session.exec(select(Container).where(
            Container.number == container, Container.location != Where.GONE)).first()
        if row is None:
            tx.fail("container.not_found",
                    N_("container {container} is not at or expected at the terminal"),
                    N_("check the number"), container=container)
        tx.about("container", row.id, row.number)
        return {"container_id": row.id}
    if bl_number and bl_number.strip():
        _shape(tx, "bl_number", bl_number)
        tx.about("bl", None, bl_number.strip()[:35])
        return {"bl_number": bl_number.strip()}
    if booking_ref and booking_ref.strip():
        _shape(tx, "booking_ref", booking_ref)
        tx.about("booking", None, booking_ref.strip()[:35])
        return {"booking_ref": booking_ref.strip()}
    tx.fail("flag.subject", N_("the {title} needs a container, B/L or booking"),
            N_("name the container number, the bill of lading or the booking"), title=Term(ft.title))
    raise AssertionError


@operation("permission.grant", *_ANY_FLAG_ROLE)
def grant_permission(tx: Tx, code: str, reference: str, visit_id: int | None = None,
                     container: str | None = None, bl_number: str | None = None,
                     booking_ref: str | None = None, reason: str = "") -> int:
    """Grant a permission (customs release, line release, port-entry formalities).

    ``reason``: an optional note kept with the grant (what the release covers)."""
    ft = _flag_type(tx, code, "permission")
    where = _subject(tx, ft, visit_id, container, bl_number, booking_ref)
    tx.lock("permission", ft.code, *sorted(where.items()))  # two clerks, one grant
    tx.rule(reference.strip(), "permission.reference",
            N_("granting the {title} needs its reference"),
            N_("enter the customs entry or clearance number"), title=Term(ft.title))
    _shape(tx, "reference", reference)
    _shape(tx, "reason", reason)
    existing = tx.session.exec(select(Flag).where(
        Flag.type_code == ft.code, Flag.state == FlagState.GRANTED,
        *[getattr(Flag, k) == v for k, v in where.items()])).first()
    tx.rule(existing is None, "permission.already_granted",
            N_("the {title} is already granted (ref {ref})"), N_("nothing to do"), title=Term(ft.title),
            ref=existing.reference if existing else '')
    tx.ensure()
    flag = Flag(type_code=ft.code, state=FlagState.GRANTED, reference=reference.strip(),
                reason=reason.strip(), set_by=tx.actor.name, set_at=tx.now(), **where)
    tx.session.add(flag)
    tx.session.flush()
    return pk(flag)


@operation("permission.revoke", *_ANY_FLAG_ROLE)
def revoke_permission(tx: Tx, flag_id: int, reason: str, reference: str = "") -> None:
    """Revoke a granted permission (customs withdraws a release).

    A line release revoked ends the rights to collect it gave, as ``release.line_withdraw``
    does: a right left standing would still let its holder book the box."""
    flag = tx.get(Flag, flag_id, what="flag", for_update=True)
    _flag_type(tx, flag.type_code, "permission")
    tx.about("flag", flag.id, flag.reference)
    tx.rule(flag.state == FlagState.GRANTED, "permission.not_granted",
            N_("this permission is not in force"), N_("nothing to revoke"))
    tx.rule(reason.strip(), "permission.revoke.reason", N_("a revocation needs a reason"),
            N_("write why it is revoked"))
    _shape(tx, "reason", reason)
    _shape(tx, "reference", reference)
    tx.ensure()
    flag.state = FlagState.REVOKED
    flag.cleared_by, flag.cleared_at, flag.reason = tx.actor.name, tx.now(), reason.strip()
    flag.clear_reference = reference.strip() or None
    ended = 0
    if flag.type_code == "LINE_RELEASE":
        for r in tx.session.exec(select(CollectRight).where(
                CollectRight.release_flag_id == flag.id, CollectRight.state == RightState.ACTIVE)):
            r.state, r.ended_at = RightState.WITHDRAWN, tx.now()
            ended += 1
    tx.record(reason=reason.strip(), rights_ended=ended)


@operation("hold.apply", *_ANY_FLAG_ROLE)
def apply_hold(tx: Tx, code: str, reason: str, container: str | None = None,
               bl_number: str | None = None, booking_ref: str | None = None,
               reference: str = "") -> int:
    """Put a hold on a container, B/L or booking."""
    ft = _flag_type(tx, code, "hold")
    where = _subject(tx, ft, None, container, bl_number, booking_ref)
    tx.rule(reason.strip(), "hold.reason", N_("a hold needs a reason"), N_("write why it is held"))
    _shape(tx, "reason", reason)
    _shape(tx, "reference", reference)
    tx.ensure()
    flag = Flag(type_code=ft.code, state=FlagState.ACTIVE, reason=reason.strip(),
                reference=reference.strip(), set_by=tx.actor.name, set_at=tx.now(), **where)
    tx.session.add(flag)
    tx.session.flush()
    return pk(flag)


@operation("hold.release", *_ANY_FLAG_ROLE)
def release_hold(tx: Tx, flag_id: int, reference: str, reason: str = "") -> None:
    """Release a hold, with the reference that cleared it (and why, kept in the event)."""
    flag = tx.get(Flag, flag_id, what="flag", for_update=True)
    ft = _flag_type(tx, flag.type_code, "hold")
    tx.about("flag", flag.id, flag.reference or ft.code)
    tx.rule(flag.state == FlagState.ACTIVE, "hold.not_active", N_("this hold is not in force"),
            N_("nothing to release"))
    tx.rule(reference.strip(), "hold.release.reference",
            N_("releasing a hold needs the reference that cleared it"),
            N_("enter the inspection, scan or payment reference"))
    _shape(tx, "reference", reference)
    _shape(tx, "reason", reason)
    tx.ensure()
    if reason.strip():
        tx.record(reason=reason.strip())
    flag.state = FlagState.RELEASED
    flag.cleared_by, flag.cleared_at = tx.actor.name, tx.now()
    flag.clear_reference = reference.strip()
