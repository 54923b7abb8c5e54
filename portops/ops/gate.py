"""The gate: in-gate (admit or trouble), the yard hand-over, the out-gate with EIR and CODECO.

Every check is made again at the moment it matters: a box that lost its customs release after
booking is stopped at the in-gate, and a hold put on while the truck drove to the yard stops it
at the out-gate. A truck with a problem goes to the TROUBLE list with every reason; the clerk
then admits it once cleared, or turns it away.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from portops.flags import Action, blocking
from portops.formats.gate_codeco import GateOut, codeco
from portops.i18n import N_
from portops.model import (
    Appointment,
    ApptState,
    CollectRight,
    Container,
    Eir,
    ExportBooking,
    Party,
    ReceivalState,
    RightState,
    Role,
    Terminal,
    TruckState,
    TruckVisit,
    Where,
)
from portops.model.base import pk
from portops.ops import yard_moves
from portops.ops.core import Term, Tx, Unmet, operation
from portops.ops.eir_numbers import eir_number
from portops.ops.export_inspection import inspect
from portops.ops.gate_checks import (
    NONE,
    blockers,
    find_for_gate,
    gate_in_unmet,
    no_appointment,
    normalise_plate,
    right_unmet,
    yard_label,
)
from portops.ops.receiving import find_receival, stopped_truck
from portops.textcheck import typed

_GATE = (Role.GATE_CLERK, Role.DISPATCHER)


def _trouble_visit(tx: Tx, appt: Appointment | None) -> TruckVisit | None:
    if appt is None:
        return None
    return tx.session.exec(select(TruckVisit).where(
        TruckVisit.appointment_id == appt.id, TruckVisit.state == TruckState.TROUBLE)).first()


@operation("gate.admit", *_GATE)
def admit(tx: Tx, lookup: str, plate: str, haulier: str, driver_id: str) -> dict:
    """Admit a truck at the in-gate for its appointment."""
    appt = find_for_gate(tx.session, lookup, tx.now())
    if appt is None:
        tx.add(no_appointment(lookup, N_("check the plate or reference, or send the truck to "
                                         "trouble")))
        tx.ensure()
        raise AssertionError("refused above")
    tx.about("appointment", appt.id, appt.ref)
    if typed(tx, "gate", plate=plate, haulier=haulier, driver_id=driver_id):
        tx.add(*gate_in_unmet(tx.session, appt, tx.now(), plate, haulier, driver_id))
    tx.ensure()
    c = tx.get(Container, appt.container_id)
    tv = _trouble_visit(tx, appt)
    if tv is None:
        tv = TruckVisit(appointment_id=appt.id, plate=appt.plate, arrived_at=tx.now(),
                        state=TruckState.ADMITTED)
        tx.session.add(tv)
    tv.state, tv.admitted_at, tv.container_id = TruckState.ADMITTED, tx.now(), c.id
    tv.haulier_code, tv.driver_id = haulier.strip().upper(), driver_id.strip().upper()
    tv.yard_slot = yard_label(tx.session, c)
    appt.state = ApptState.ADMITTED
    tx.session.flush()
    planned = len(blockers(tx.session, c))
    tx.record(truck_visit=tv.id, container=c.number, yard_slot=tv.yard_slot,
              relocations_planned=planned)
    return {"truck_visit_id": tv.id, "ref": appt.ref, "container": c.number,
            "yard_slot": tv.yard_slot, "relocations_planned": planned}


@operation("gate.trouble", *_GATE)
def trouble(tx: Tx, lookup: str, plate: str, haulier: str = "", driver_id: str = "",
            note: str = "", box: dict | None = None) -> int:
    """Stop a truck at the in-gate and put it on the trouble list with every reason.

    A truck bringing an export box (a receiving appointment, no pickup) is stopped with the
    points of the gate check (验箱) that failed on what the clerk read on the box (``box``:
    container, size_type, seal, vgm_kg, damage as ``export.receive`` takes them)."""
    shaped = typed(tx, "gate", lookup=lookup, plate=plate, haulier=haulier, driver_id=driver_id,
                   note=note)
    appt = find_for_gate(tx.session, lookup, tx.now()) if lookup.strip() and shaped else None
    r = find_receival(tx.session, lookup) if appt is None and shaped else None
    reasons: list[Unmet] = []
    if r is not None and r.state == ReceivalState.BOOKED:  # an export box failed its 验箱
        tx.about("receival", r.id, r.ref)
        b = tx.get(ExportBooking, r.booking_id, what="booking")
        read: dict[str, Any] = {"container": "", "size_type": "", "seal": "", "vgm_kg": None,
                                "damage": ""}
        read.update(box or {})
        reasons = inspect(tx.session, r, b, **read)
        if normalise_plate(plate) != r.plate:
            reasons.append(Unmet.of("gate.plate", N_("plate {plate} is not the booked truck's"),
                                    N_("change the appointment's truck or turn away"),
                                    plate=plate or NONE))
        note = note or r.ref
    elif appt is None:
        r = None
        reasons.append(no_appointment(lookup or plate, N_("book an appointment, or turn away")))
    else:
        tx.about("appointment", appt.id, appt.ref)
        reasons += gate_in_unmet(tx.session, appt, tx.now(), plate, haulier, driver_id)
        tx.rule(appt.state in (ApptState.BOOKED,), "gate.trouble.appointment_state",
                N_("appointment {appt} is {state}"), N_("nothing to stop"), appt=appt.ref,
                state=Term(appt.state))
    tx.rule(reasons or note.strip(), "gate.trouble.reason",
            N_("every check passes: a truck goes to trouble only with a reason"),
            N_("admit the truck, or write why it is stopped"))
    tx.rule(normalise_plate(plate), "gate.trouble.plate", N_("the truck's plate is needed"),
            N_("type the plate"))
    tx.ensure()
    tv = _trouble_visit(tx, appt) if appt is not None else (
        stopped_truck(tx.session, r.plate) if r is not None else None)
    if tv is None:
        tv = TruckVisit(appointment_id=appt.id if appt else None, plate=normalise_plate(plate),
                        arrived_at=tx.now(), state=TruckState.TROUBLE)
        tx.session.add(tv)
    tv.plate, tv.haulier_code = normalise_plate(plate), haulier.strip().upper()
    tv.driver_id = driver_id.strip().upper()
    tv.trouble = [u.as_dict() for u in reasons]
    tv.note = note.strip()
    tx.session.flush()
    if appt is None and r is None:
        tx.about("truck", tv.id, tv.plate)
    tx.record(truck_visit=tv.id, reasons=[u.rule for u in reasons])
    return pk(tv)


@operation("gate.turn_away", *_GATE)
def turn_away(tx: Tx, truck_visit_id: int, reason: str) -> None:
    """Send a truck on the trouble list away without entering the terminal."""
    tv = tx.get(TruckVisit, truck_visit_id, what="truck visit", for_update=True)
    tx.about("truck", tv.id, tv.plate)
    tx.rule(tv.state == TruckState.TROUBLE, "gate.turn_away.state",
            N_("truck {plate} is {state}, not in trouble"),
            N_("only a stopped truck is turned away"), plate=tv.plate, state=Term(tv.state))
    typed(tx, "gate", reason=reason)
    tx.rule(reason.strip(), "gate.turn_away.reason", N_("turning a truck away needs a reason"),
            N_("write why"))
    tx.ensure()
    tv.state, tv.out_at, tv.note = TruckState.TURNED_AWAY, tx.now(), reason.strip()[:256]


@operation("gate.hand_over", Role.YARD_PLANNER, Role.GATE_CLERK, Role.DISPATCHER)
def hand_over(tx: Tx, truck_visit_id: int) -> dict:
    """Put the box on the truck at its yard slot, moving the boxes on top of it first."""
    tv = tx.get(TruckVisit, truck_visit_id, what="truck visit", for_update=True)
    tx.about("truck", tv.id, tv.plate)
    tx.rule(tv.state == TruckState.ADMITTED, "yard.hand_over.state", N_("truck {plate} is {state}"),
            N_("only an admitted truck is served in the yard"), plate=tv.plate, state=Term(tv.state))
    c = tx.session.get(Container, tv.container_id) if tv.container_id else None
    tx.rule(c is not None and c.location == Where.YARD, "yard.hand_over.not_in_yard",
            N_("the box for truck {plate} is not in the yard"), N_("find the box"), plate=tv.plate)
    moves = yard_moves.plan(tx.session, c) if c is not None and c.location == Where.YARD else []
    tx.rule(moves is not None, "yard.hand_over.no_room",
            N_("there is no room in the block for the boxes on top of this one"),
            N_("make room in the block (housekeeping) first"))
    tx.ensure()
    assert c is not None and moves is not None  # the rules above refused otherwise
    yard_moves.apply(tx, moves)
    tv.yard_slot = yard_label(tx.session, c) or tv.yard_slot  # where it goes back if refused
    c.location = Where.TRUCK
    c.yard_block_id = c.yard_bay = c.yard_row = c.yard_tier = None
    tv.state, tv.loaded_at = TruckState.LOADED, tx.now()
    tv.seals, tv.relocations = c.seals, len(moves)
    done = [m.as_dict() for m in moves]
    tx.record(container=c.number, relocations=len(moves), moves=done)
    return {"container": c.number, "relocations": len(moves), "moves": done}


def _seals(text: str) -> set[str]:
    return {s.strip().upper() for s in text.replace(";", ",").split(",") if s.strip()}


@operation("gate.out", *_GATE)
def gate_out(tx: Tx, truck_visit_id: int, container: str, seal: str, damage: str = "") -> dict:
    """Let a loaded truck out: check box and seal, re-check holds, issue the EIR and CODECO."""
    tv = tx.get(TruckVisit, truck_visit_id, what="truck visit", for_update=True)
    tx.about("truck", tv.id, tv.plate)
    if tv.state != TruckState.LOADED or tv.container_id is None:
        tx.fail("gate.out.state", N_("truck {plate} is {state}, not loaded"),
                N_("the box must be handed over in the yard first"), plate=tv.plate, state=Term(tv.state))
    c = tx.get(Container, tv.container_id)
    appt = tx.get(Appointment, tv.appointment_id, what="appointment")
    typed(tx, "gate.out", seal=seal, damage=damage)
    tx.rule(container.strip().upper() == c.number, "gate.out.container",
            N_("container {container} is not the box handed over ({number})"),
            N_("read the number on the box again; a wrong box goes back to the yard"),
            container=container or NONE, number=c.number)
    tx.rule(_seals(seal) == _seals(tv.seals), "gate.out.seal",
            N_("seal {seal} is not the seal handed over ({seals})"),
            N_("check the seal; a broken or changed seal goes to trouble"), seal=seal or NONE,
            seals=tv.seals or 'none')
    for u in blocking(tx.session, Action.DELIVER, container=c):
        tx.add(u)
    haulier = tx.get(Party, appt.haulier_id)
    right, unmet = right_unmet(tx.session, c, haulier, "gate.out")
    for u in unmet:
        tx.add(u)
    tx.ensure()
    assert right is not None  # right_unmet's rule refused otherwise
    now = tx.now()
    terminal = tx.session.exec(select(Terminal).order_by(col(Terminal.id))).first()
    found = damage.strip()
    eir = Eir(number="PENDING", truck_visit_id=pk(tv), container_id=pk(c),
              container_number=c.number, size_type=c.size_type, full=c.full,
              operator=c.operator, seals=tv.seals, plate=tv.plate,
              driver_name=appt.driver_name, driver_id=appt.driver_id,
              haulier=f"{haulier.code} {haulier.name}", damage=_condition(c.damage, found),
              issued_at=now, issued_by=tx.actor.name)
    tx.session.add(eir)
    tx.session.flush()
    eir.number = eir_number("out", now, pk(eir))
    eir.codeco = codeco(GateOut(
        eir=eir.number, container=c.number, size_type=c.size_type, full=c.full,
        operator=c.operator, seals=tuple(sorted(_seals(tv.seals))), plate=tv.plate,
        haulier=haulier.code, driver=appt.driver_name, at=now,
        terminal=terminal.code if terminal else "PORTOPS", bl_number=c.bl_number or "",
        damage=eir.damage))
    c.location, c.time_out = Where.GONE, now
    if found:
        c.damage = eir.damage
    appt.state, appt.ended_at = ApptState.COMPLETED, now
    right_row = tx.get(CollectRight, right.id)
    right_row.state, right_row.ended_at = RightState.USED, now
    tv.state, tv.out_at = TruckState.OUT, now
    tx.record(container=c.number, eir=eir.number, damage=eir.damage, found=found)
    return {"eir_id": eir.id, "eir": eir.number}


def _condition(recorded: str, found: str) -> str:
    """The box's condition on its EIR: the damage already recorded on it (at discharge, at
    loading, at an earlier gate) and what the gate clerk found now, each once. The EIR hands
    over liability: a box tallied dented leaves dented on paper too, whatever the gate form
    held (an EIR once read "intact" for a box the terminal itself had tallied damaged)."""
    recorded = recorded.strip()
    if not found or found in recorded:
        return recorded[:256]
    if recorded in found:
        return found[:256]
    return f"{recorded}; {found}"[:256]
