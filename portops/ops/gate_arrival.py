"""A truck's arrival at the gate, before it is served (issue 18: the terminal's delay).

The gate records a truck when it is served: admitted (``gate.admit``) or stopped on the
trouble list (``gate.trouble``). A truck that came in time and then queued for an hour looked
as if it had come an hour late. Here its arrival is recorded when it is first seen at the gate
(the queue's plate camera, a kiosk, or a clerk walking the queue): ``gate.arrive``, one per
appointment, the first sighting counting; a truck bringing an export box is recorded
against its delivery appointment (``DeliveryArrival``). The delay report
(``portops.queries.delays``) reads the wait from it.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import select

from portops.clock import show
from portops.i18n import N_
from portops.model import ApptState, DeliveryArrival, GateArrival, Receival, ReceivalState, Role
from portops.model.base import pk
from portops.ops.core import Term, Tx, operation
from portops.ops.gate_checks import find_for_gate, normalise_plate, settings
from portops.ops.receiving import find_receival
from portops.textcheck import typed


@operation("gate.arrive", Role.GATE_CLERK, Role.DISPATCHER)
def arrive(tx: Tx, lookup: str, plate: str = "") -> int:
    """Record that a truck for a pickup appointment has arrived at the gate and waits.

    With no pickup appointment found, the lookup is an export delivery's (its RA reference or
    its plate): the truck bringing a box waits as one collecting does."""
    typed(tx, "gate", lookup=lookup, plate=plate)
    appt = find_for_gate(tx.session, lookup, tx.now()) if lookup.strip() else None
    if appt is None and lookup.strip():
        delivery = find_receival(tx.session, lookup)
        if delivery is not None:
            return _delivery_arrives(tx, delivery, plate)
    if appt is None:
        tx.fail("gate.no_appointment", N_("no appointment found for {lookup!r}"),
                N_("check the plate or reference, or send the truck to trouble"), lookup=lookup)
    tx.about("appointment", appt.id, appt.ref)
    seen = tx.session.exec(select(GateArrival.arrived_at).where(
        GateArrival.appointment_id == appt.id)).first()
    return _first_sighting(tx, appt.ref, appt.state, appt.state == ApptState.BOOKED, seen,
                           GateArrival(appointment_id=pk(appt),
                                       plate=normalise_plate(plate) or appt.plate,
                                       arrived_at=tx.now(), recorded_by=tx.actor.name))


def _delivery_arrives(tx: Tx, r: Receival, plate: str) -> int:
    """The truck bringing an export box is first seen: the start of its wait, as a pickup's."""
    tx.about("receival", r.id, r.ref)
    seen = tx.session.exec(select(DeliveryArrival.arrived_at).where(
        DeliveryArrival.receival_id == r.id)).first()
    return _first_sighting(tx, r.ref, r.state, r.state == ReceivalState.BOOKED, seen,
                           DeliveryArrival(receival_id=pk(r), plate=normalise_plate(plate) or r.plate,
                                           arrived_at=tx.now(), recorded_by=tx.actor.name))


def _first_sighting(tx: Tx, ref: str, state: str, booked: bool, seen: datetime | None,
                    row: GateArrival | DeliveryArrival) -> int:
    """The rules of an arrival (its appointment booked, its truck not seen yet), then its row:
    one for a pickup's and a delivery's alike."""
    tx.rule(booked, "gate.arrive.state", N_("appointment {appt} is {state}"),
            N_("nothing to record"), appt=ref, state=Term(state))
    tx.rule(seen is None, "gate.arrive.recorded",
            N_("the truck for {appt} was recorded at the gate at {at} already"),
            N_("nothing to do: the first arrival counts"), appt=ref,
            at=show(seen, settings(tx.session).timezone) if seen else "")
    tx.ensure()
    tx.session.add(row)
    tx.session.flush()
    tx.record(plate=row.plate)
    return pk(row)
