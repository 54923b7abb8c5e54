"""A shipper books its own export deliveries (集港预约) and cancels them (issue 18).

The shipper (or a forwarder acting as one) books a truck to bring a box in on one of its
bookings, within the call's published receiving window: the booking must be the party's
(``portops.scope.booking_refs``; another's is refused as if it did not exist), then the
gate clerk's own ``export.appointment`` judges it through ``ops.through``, so the window, the
cut-offs, the booking's quantity and the slot's room refuse a shipper with the clerk's rule,
sentence and remedy. The terminal's limit on how far ahead customers book applies too.
"""

from __future__ import annotations

from datetime import datetime
from typing import NoReturn

from sqlmodel import col, select

from portops.i18n import N_
from portops.model import ExportBooking, Receival, ReceivalState, Role
from portops.ops import receiving
from portops.ops.core import Tx, operation
from portops.ops.customer import ahead_rule, customer_rules, me, typed_ref
from portops.ops.through import through
from portops.scope import Caller, booking_refs

#: Who books deliveries on its own bookings: a shipper, a forwarder (the consignee role).
_SHIPPERS = (Role.SHIPPER, Role.CONSIGNEE)


def _no_booking(tx: Tx, caller: Caller, ref: str) -> NoReturn:
    tx.fail("customer.booking.not_found", N_("{party} has no booking {ref}"),
            N_("check the reference in your receiving plan"), party=caller.code, ref=ref)


@operation("customer.export_book", *_SHIPPERS, late_begin=True)
def export_book(tx: Tx, booking_ref: str, container: str, size_type: str,
                slot_start: datetime, haulier: str, plate: str, driver_name: str,
                driver_id: str, vgm_kg: int | None = None, seal: str = "") -> dict:
    """Book a truck to deliver an export box on one of the party's bookings."""
    caller = me(tx)
    ref = booking_ref.strip().upper()
    mine = tx.session.exec(select(ExportBooking.ref).where(
        ExportBooking.ref == ref, col(ExportBooking.ref).in_(booking_refs(caller)))).first()
    if mine is None:
        _no_booking(tx, caller, ref)
    ahead_rule(tx, customer_rules(tx.session), slot_start)
    return through(tx, receiving.book_receival, booking_ref=ref, container=container,
                   size_type=size_type, slot_start=slot_start, haulier=haulier, plate=plate,
                   driver_name=driver_name, driver_id=driver_id, vgm_kg=vgm_kg, seal=seal)


@operation("customer.export_cancel", *_SHIPPERS)
def export_cancel(tx: Tx, ref: str, reason: str) -> None:
    """Cancel a delivery appointment on one of the party's bookings."""
    caller = me(tx)
    ref = typed_ref(tx, ref)
    found = tx.session.exec(select(Receival.ref).join(
        ExportBooking, col(ExportBooking.id) == Receival.booking_id).where(
        Receival.ref == ref, Receival.state == ReceivalState.BOOKED,
        col(ExportBooking.ref).in_(booking_refs(caller)))).first()
    if found is None:
        tx.fail("customer.receival.not_found", N_("{party} has no open delivery appointment {ref}"),
                N_("check the reference in your receiving plan"), party=caller.code, ref=ref)
    through(tx, receiving.cancel_receival, ref=ref, reason=reason, by_party=caller.code)
