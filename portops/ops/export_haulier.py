"""A shipper nominates the haulier that delivers its export boxes; the haulier then books the
deliveries itself (issue 18).

The import side's secure chain hands the right to collect a box from party to party; the
export side had no such link, so only the shipper (or the terminal) could book a delivery and
the haulier that actually drives the box had to phone. Here the booking's shipper (or its
forwarder) *nominates* a haulier on one of its bookings (``customer.nominate``: a row and an
event, revocable with ``customer.revoke_nomination``), and the nominated haulier books and
cancels delivery appointments on it (``customer.haulier_export_book`` / ``_cancel``) with
itself as the haulier. The gate clerk's ``export.appointment`` judges each booking through
``ops.through``: the receiving window, the cut-offs, the booking's quantity and the slot's
room refuse a haulier with the clerk's rule, sentence and remedy. A booking the haulier is
not nominated on is refused as if it did not exist (``customer.booking.not_found``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import col, select

from portops.clock import show
from portops.i18n import N_
from portops.model import (
    ExportBooking,
    HaulierNomination,
    NominationState,
    Party,
    PartyKind,
    Receival,
    ReceivalState,
    Role,
)
from portops.model.base import pk
from portops.ops import receiving
from portops.ops.core import Tx, operation
from portops.ops.customer import ahead_rule, customer_rules, me, typed_ref
from portops.ops.customer_export import _no_booking
from portops.ops.no_show import peak_rule
from portops.ops.through import through
from portops.scope import Caller, booking_refs
from portops.textcheck import typed

#: Who nominates: the booking's shipper, or a forwarder acting as one (the consignee role).
_SHIPPERS = (Role.SHIPPER, Role.CONSIGNEE)


def _own_booking(tx: Tx, caller: Caller, booking_ref: str) -> ExportBooking:
    """The caller's booking (a shipper's own, or one a haulier is nominated on)."""
    ref = booking_ref.strip().upper()
    b = tx.session.exec(select(ExportBooking).where(
        ExportBooking.ref == ref, col(ExportBooking.ref).in_(booking_refs(caller)))).first()
    if b is None:
        _no_booking(tx, caller, ref)
    tx.about("booking", b.id, b.ref)
    return b


def _active(tx: Tx, booking_id: int, haulier_id: int) -> HaulierNomination | None:
    return tx.session.exec(select(HaulierNomination).where(
        HaulierNomination.booking_id == booking_id,
        HaulierNomination.haulier_party_id == haulier_id,
        HaulierNomination.state == NominationState.ACTIVE)).first()


@operation("customer.nominate", *_SHIPPERS)
def nominate(tx: Tx, booking_ref: str, haulier: str, reference: str = "") -> int:
    """Nominate a haulier to deliver the boxes of one of the party's export bookings."""
    caller = me(tx)
    b = _own_booking(tx, caller, booking_ref)
    typed(tx, "customer.nominate", haulier=haulier, ref=reference)
    code = haulier.strip().upper()
    hp = tx.session.exec(select(Party).where(Party.code == code)).first()
    ok = hp is not None and hp.kind == PartyKind.HAULIER and hp.active
    tx.rule(ok, "customer.nominate.haulier", N_("{haulier!r} is not a registered haulier"),
            N_("name a haulier from the terminal's directory"), haulier=code)
    tx.rule(not ok or _active(tx, pk(b), pk(hp)) is None, "customer.nominate.exists",
            N_("{haulier} is nominated on booking {ref} already"), N_("nothing to do"),
            haulier=code, ref=b.ref)
    tx.ensure()
    n = HaulierNomination(booking_id=pk(b), haulier_party_id=pk(hp), by_party_id=caller.party_id,
                          reference=reference.strip()[:64], created_at=tx.now(),
                          created_by=tx.actor.name)
    tx.session.add(n)
    tx.session.flush()
    tx.record(haulier=code, by=caller.code)
    return pk(n)


@operation("customer.revoke_nomination", *_SHIPPERS)
def revoke_nomination(tx: Tx, booking_ref: str, haulier: str, reason: str) -> list[str]:
    """Withdraw a haulier's nomination on one of the party's bookings; its open delivery
    appointments on the booking are cancelled with it."""
    caller = me(tx)
    b = _own_booking(tx, caller, booking_ref)
    typed(tx, "customer.nominate", haulier=haulier, reason=reason)
    code = haulier.strip().upper()
    hp = tx.session.exec(select(Party).where(Party.code == code)).first()
    n = _active(tx, pk(b), pk(hp)) if hp is not None else None
    tx.rule(n is not None, "customer.nomination.not_found",
            N_("{haulier} is not nominated on booking {ref}"),
            N_("check the haulier in the booking's nominations"), haulier=code, ref=b.ref)
    tx.rule(reason.strip(), "customer.nomination.reason", N_("a revocation needs a reason"),
            N_("write why"))
    tx.ensure()
    assert n is not None  # customer.nomination.not_found refused otherwise
    refs = list(tx.session.exec(select(Receival.ref).where(
        Receival.booking_id == pk(b), Receival.haulier == code,
        Receival.state == ReceivalState.BOOKED).order_by(col(Receival.id))))
    for ref in refs:
        through(tx, receiving.cancel_receival, ref=ref,
                reason=f"nomination revoked: {reason.strip()}"[:256])
    n.state, n.revoked_at, n.revoked_by = NominationState.REVOKED, tx.now(), tx.actor.name
    tx.record(haulier=code, cancelled=refs)
    return refs


@operation("customer.haulier_export_book", Role.HAULIER, late_begin=True)
def haulier_export_book(tx: Tx, booking_ref: str, container: str, size_type: str,
                        slot_start: datetime, plate: str, driver_name: str, driver_id: str,
                        vgm_kg: int | None = None, seal: str = "") -> dict:
    """Book a truck to deliver an export box on a booking the haulier is nominated on."""
    caller = me(tx)
    b = _own_booking(tx, caller, booking_ref)
    cfg = customer_rules(tx.session)
    ahead_rule(tx, cfg, slot_start)
    peak_rule(tx, caller, slot_start)
    return through(tx, receiving.book_receival, booking_ref=b.ref, container=container,
                   size_type=size_type, slot_start=slot_start, haulier=caller.code,
                   plate=plate, driver_name=driver_name, driver_id=driver_id, vgm_kg=vgm_kg,
                   seal=seal)


@operation("customer.haulier_export_cancel", Role.HAULIER)
def haulier_export_cancel(tx: Tx, ref: str, reason: str) -> None:
    """Cancel one of the haulier's delivery appointments (up to the change cut-off)."""
    caller = me(tx)
    ref = typed_ref(tx, ref)
    found = tx.session.exec(select(Receival.ref, Receival.slot_start).join(
        ExportBooking, col(ExportBooking.id) == Receival.booking_id).where(
        Receival.ref == ref, Receival.haulier == caller.code,
        Receival.state == ReceivalState.BOOKED,
        col(ExportBooking.ref).in_(booking_refs(caller)))).first()
    if found is None:
        tx.fail("customer.receival.not_found", N_("{party} has no open delivery appointment {ref}"),
                N_("check the reference in your receiving plan"), party=caller.code, ref=ref)
    cfg = customer_rules(tx.session)
    until = found[1] - timedelta(minutes=cfg.change_cutoff_minutes)
    tx.rule(tx.now() < until, "customer.change.too_late",
            N_("appointment {ref} can be changed or cancelled until {until}"),
            N_("ask the terminal's gate to change it"), ref=ref,
            until=show(until, cfg.timezone))
    through(tx, receiving.cancel_receival, ref=ref, reason=reason, by_party=caller.code)
