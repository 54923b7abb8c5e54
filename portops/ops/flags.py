"""Granting and revoking permissions, applying and releasing holds."""

from __future__ import annotations

from sqlmodel import select

from portops.flags import FLAG_TYPES, FlagType, Target
from portops.i18n import N_
from portops.model import Container, Flag, FlagState, Role, VesselVisit, Where
from portops.ops.core import Choices, Term, Tx, operation

_ANY_FLAG_ROLE = tuple(Role)


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
        row = tx.session.exec(select(Container).where(
            Container.number == container.upper(), Container.location != Where.GONE)).first()
        if row is None:
            tx.fail("container.not_found",
                    N_("container {container} is not at or expected at the terminal"),
                    N_("check the number"), container=container)
        tx.about("container", row.id, row.number)
        return {"container_id": row.id}
    if bl_number:
        tx.about("bl", None, bl_number)
        return {"bl_number": bl_number}
    if booking_ref:
        tx.about("booking", None, booking_ref)
        return {"booking_ref": booking_ref}
    tx.fail("flag.subject", N_("the {title} needs a container, B/L or booking"),
            N_("name the container number, the bill of lading or the booking"), title=Term(ft.title))
    raise AssertionError


@operation("permission.grant", *_ANY_FLAG_ROLE)
def grant_permission(tx: Tx, code: str, reference: str, visit_id: int | None = None,
                     container: str | None = None, bl_number: str | None = None,
                     booking_ref: str | None = None) -> int:
    """Grant a permission (customs release, line release, port-entry formalities)."""
    ft = _flag_type(tx, code, "permission")
    where = _subject(tx, ft, visit_id, container, bl_number, booking_ref)
    tx.lock("permission", ft.code, *sorted(where.items()))  # two clerks, one grant
    tx.rule(reference.strip(), "permission.reference",
            N_("granting the {title} needs its reference"),
            N_("enter the customs entry or clearance number"), title=Term(ft.title))
    existing = tx.session.exec(select(Flag).where(
        Flag.type_code == ft.code, Flag.state == FlagState.GRANTED,
        *[getattr(Flag, k) == v for k, v in where.items()])).first()
    tx.rule(existing is None, "permission.already_granted",
            N_("the {title} is already granted (ref {ref})"), N_("nothing to do"), title=Term(ft.title),
            ref=existing.reference if existing else '')
    tx.ensure()
    flag = Flag(type_code=ft.code, state=FlagState.GRANTED, reference=reference.strip(),
                set_by=tx.actor.name, set_at=tx.now(), **where)
    tx.session.add(flag)
    tx.session.flush()
    return flag.id


@operation("permission.revoke", *_ANY_FLAG_ROLE)
def revoke_permission(tx: Tx, flag_id: int, reason: str) -> None:
    """Revoke a granted permission (customs withdraws a release)."""
    flag = tx.get(Flag, flag_id, what="flag", for_update=True)
    _flag_type(tx, flag.type_code, "permission")
    tx.about("flag", flag.id, flag.reference)
    tx.rule(flag.state == FlagState.GRANTED, "permission.not_granted",
            N_("this permission is not in force"), N_("nothing to revoke"))
    tx.rule(reason.strip(), "permission.revoke.reason", N_("a revocation needs a reason"),
            N_("write why it is revoked"))
    tx.ensure()
    flag.state = FlagState.REVOKED
    flag.cleared_by, flag.cleared_at, flag.reason = tx.actor.name, tx.now(), reason.strip()


@operation("hold.apply", *_ANY_FLAG_ROLE)
def apply_hold(tx: Tx, code: str, reason: str, container: str | None = None,
               bl_number: str | None = None, booking_ref: str | None = None,
               reference: str = "") -> int:
    """Put a hold on a container, B/L or booking."""
    ft = _flag_type(tx, code, "hold")
    where = _subject(tx, ft, None, container, bl_number, booking_ref)
    tx.rule(reason.strip(), "hold.reason", N_("a hold needs a reason"), N_("write why it is held"))
    tx.ensure()
    flag = Flag(type_code=ft.code, state=FlagState.ACTIVE, reason=reason.strip(),
                reference=reference, set_by=tx.actor.name, set_at=tx.now(), **where)
    tx.session.add(flag)
    tx.session.flush()
    return flag.id


@operation("hold.release", *_ANY_FLAG_ROLE)
def release_hold(tx: Tx, flag_id: int, reference: str) -> None:
    """Release a hold, with the reference that cleared it."""
    flag = tx.get(Flag, flag_id, what="flag", for_update=True)
    ft = _flag_type(tx, flag.type_code, "hold")
    tx.about("flag", flag.id, flag.reference or ft.code)
    tx.rule(flag.state == FlagState.ACTIVE, "hold.not_active", N_("this hold is not in force"),
            N_("nothing to release"))
    tx.rule(reference.strip(), "hold.release.reference",
            N_("releasing a hold needs the reference that cleared it"),
            N_("enter the inspection, scan or payment reference"))
    tx.ensure()
    flag.state = FlagState.RELEASED
    flag.cleared_by, flag.cleared_at = tx.actor.name, tx.now()
    flag.clear_reference = reference.strip()
