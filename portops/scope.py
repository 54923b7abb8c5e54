"""What belongs to a party: the one definition every customer-facing query and operation uses.

A customer's account belongs to a party (``user_account.party_id``). The terminal's data is
not the customer's: a haulier sees only the boxes it holds the right to collect (and those of
its own appointments, past ones too), a consignee or forwarder the boxes whose right it holds
or held (the hand-over chain) and those its B/L names it consignee of, a shipper its export
bookings' boxes, a line (or its agent) the boxes it operates. Written once here as SQL
conditions, so a query and an operation cannot disagree on what a party may see, and a new
kind of party is one branch to add.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, literal, or_, select
from sqlalchemy.sql import Select

from portops.model import (
    Appointment,
    CollectRight,
    Container,
    ExportBooking,
    HaulierNomination,
    NominationState,
    Party,
    PartyKind,
    RightHandover,
    RightState,
    Role,
    User,
)

#: The customer role that a party's accounts have, by the party's kind.
ROLE_OF_KIND: dict[PartyKind, Role] = {
    PartyKind.HAULIER: Role.HAULIER,
    PartyKind.CONSIGNEE: Role.CONSIGNEE,
    PartyKind.FORWARDER: Role.CONSIGNEE,
    PartyKind.SHIPPER: Role.SHIPPER,
    PartyKind.LINE: Role.LINE,
    PartyKind.AGENT: Role.LINE,
}


@dataclass(frozen=True)
class Caller:
    """A customer's account and its party, as a query or an operation acts for it."""

    user: str
    role: Role
    party_id: int
    code: str
    name: str
    kind: PartyKind
    party_admin: bool


def caller_of(session, user: str) -> Caller | None:
    """The active customer account ``user`` with its active party; None for anyone else (the
    terminal's staff, a disabled account, a party switched off): they see nothing here."""
    row = session.execute(
        select(User.name.label("user"), User.role, User.party_admin, Party.id, Party.code,
               Party.name.label("party_name"), Party.kind)
        .join(Party, Party.id == User.party_id)
        .where(User.name == user.strip().lower(), User.active, Party.active)).first()
    if row is None or not Role(row.role).is_customer:
        return None
    return Caller(row.user, Role(row.role), row.id, row.code, row.party_name,
                  PartyKind(row.kind), row.party_admin)


def _named(column, me: Caller):
    """A free-text name column (a B/L's consignee, a booking's shipper) naming the party by
    its code or its registered name, case and surrounding spaces aside."""
    text_ = func.upper(func.trim(column))
    return or_(text_ == me.code.upper(), text_ == me.name.strip().upper())


def box_ids(me: Caller) -> Select:
    """The ids of the containers ``me`` may see (a SELECT to use in ``IN``)."""
    held = select(CollectRight.container_id).where(CollectRight.holder_party_id == me.party_id)
    if me.kind == PartyKind.HAULIER:
        return held.where(CollectRight.state == RightState.ACTIVE).union(
            select(Appointment.container_id).where(or_(
                Appointment.haulier_id == me.party_id,
                Appointment.booked_by_party_id == me.party_id))).subquery().select()
    if me.kind in (PartyKind.CONSIGNEE, PartyKind.FORWARDER):
        chain = select(CollectRight.container_id).join(
            RightHandover, RightHandover.right_id == CollectRight.id).where(or_(
                RightHandover.from_party_id == me.party_id,
                RightHandover.to_party_id == me.party_id))
        named = select(Container.id).where(_named(Container.consignee, me))
        return held.union(chain, named).subquery().select()
    if me.kind == PartyKind.SHIPPER:
        return select(Container.id).where(Container.booking_ref.in_(
            select(ExportBooking.ref).where(_named(ExportBooking.shipper, me))))
    if me.kind in (PartyKind.LINE, PartyKind.AGENT):
        return select(Container.id).where(Container.operator == me.code)
    return select(Container.id).where(literal(False))


def appointment_ids(me: Caller) -> Select:
    """The appointments ``me`` may see: a haulier its own (its trucks, or booked by it);
    anyone else those for its boxes."""
    if me.kind == PartyKind.HAULIER:
        return select(Appointment.id).where(or_(Appointment.haulier_id == me.party_id,
                                                Appointment.booked_by_party_id == me.party_id))
    return select(Appointment.id).where(Appointment.container_id.in_(box_ids(me)))


def booking_refs(me: Caller) -> Select:
    """The export bookings ``me`` may see: a shipper's (or forwarder's) own, a line's, and
    those a haulier is nominated on (``customer.nominate``)."""
    if me.kind in (PartyKind.SHIPPER, PartyKind.FORWARDER):
        return select(ExportBooking.ref).where(_named(ExportBooking.shipper, me))
    if me.kind in (PartyKind.LINE, PartyKind.AGENT):
        return select(ExportBooking.ref).where(ExportBooking.line_operator == me.code)
    if me.kind == PartyKind.HAULIER:  # those its shipper nominated it on, while nominated
        return select(ExportBooking.ref).join(
            HaulierNomination, HaulierNomination.booking_id == ExportBooking.id).where(
            HaulierNomination.haulier_party_id == me.party_id,
            HaulierNomination.state == NominationState.ACTIVE)
    return select(ExportBooking.ref).where(literal(False))
