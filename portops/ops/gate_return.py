"""After a refused gate-out: the box goes back to the yard and the truck leaves empty.

A gate-out is refused when the seal does not match, a hold was put on after the hand-over,
or the box is not the one handed over. The truck is then inside with a box it may not take
out. Two steps clear it, each an event: :func:`return_to_yard` takes the box off the truck
into a yard slot (the one it came from if still free, else one the yard planner chooses,
or one the clerk names) with the reason, and ends the appointment as *refused* (the right to
collect stays with its holder, who may book again); :func:`out_empty` lets the truck out
without a box. A truck admitted but never loaded (a hold found in the yard) leaves empty the
same way.
"""

from __future__ import annotations

from sqlmodel import select

from portops.i18n import N_
from portops.model import (
    LIVE_APPTS,
    Appointment,
    ApptState,
    Container,
    Role,
    TruckState,
    TruckVisit,
    Where,
    YardBlock,
)
from portops.model.base import pk
from portops.ops.core import Term, Tx, operation
from portops.ops.gate_checks import yard_label
from portops.ops.yard import box_info, parse_block, yard_state
from portops.planning.yard import Slot, plan_yard
from portops.textcheck import typed

_ROLES = (Role.GATE_CLERK, Role.YARD_PLANNER, Role.DISPATCHER)


def _old_slot(tx: Tx, label: str) -> Slot | None:
    """The slot the box was handed over from, read back from its label (``A1 03-02-1``)."""
    try:
        name, spot = label.rsplit(" ", 1)
        bay, row, tier = (int(p) for p in spot.split("-"))
    except ValueError:
        return None
    block = tx.session.exec(select(YardBlock).where(YardBlock.name == name)).first()
    return Slot(pk(block), bay, row, tier) if block else None


def _end_appointment(tx: Tx, tv: TruckVisit, reason: str) -> str:
    appt = tx.session.get(Appointment, tv.appointment_id) if tv.appointment_id else None
    if appt is None or appt.state not in LIVE_APPTS:
        return ""
    appt.state, appt.ended_at = ApptState.REFUSED, tx.now()
    appt.end_reason = reason[:256]
    return appt.ref


@operation("gate.return_to_yard", *_ROLES)
def return_to_yard(tx: Tx, truck_visit_id: int, reason: str, block: str = "",
                   bay: int | None = None, row: int | None = None,
                   tier: int | None = None) -> dict:
    """Take the box off a truck refused at the out-gate and put it back in a yard slot."""
    tv = tx.get(TruckVisit, truck_visit_id, what="truck visit", for_update=True)
    tx.about("truck", tv.id, tv.plate)
    c = tx.session.get(Container, tv.container_id) if tv.container_id else None
    tx.rule(tv.state == TruckState.LOADED and c is not None and c.location == Where.TRUCK,
            "gate.return.state", N_("truck {plate} is {state} and carries no box"),
            N_("only a loaded truck's box goes back to the yard"), plate=tv.plate,
            state=Term(tv.state))
    typed(tx, "gate.return", reason=reason)
    tx.rule(reason.strip(), "gate.return.reason",
            N_("a box goes back to the yard only with a reason"),
            N_("write why the gate-out was refused (seal, hold, wrong box)"))
    if not tx.unmet and c is not None:  # (no rule unmet: c is there)
        slot, how = _slot(tx, c, tv, block, bay, row, tier)
    tx.ensure()
    assert c is not None and slot is not None  # the rules above refused otherwise
    c.location = Where.YARD
    c.yard_block_id, c.yard_bay, c.yard_row, c.yard_tier = (slot.block_id, slot.bay, slot.row,
                                                             slot.tier)
    tx.session.flush()
    label = yard_label(tx.session, c)
    old = tv.yard_slot
    ref = _end_appointment(tx, tv, reason.strip())
    tv.state, tv.yard_slot = TruckState.RETURNED, label
    tv.note = reason.strip()[:256]
    tx.record(container=c.number, yard_slot=label, from_slot=old, slot_chosen=how,
              reason=reason.strip(), appointment=ref)
    return {"container": c.number, "yard_slot": label, "slot_chosen": how, "appointment": ref}


def _slot(tx: Tx, c: Container, tv: TruckVisit, block: str, bay, row, tier
          ) -> tuple[Slot | None, str]:
    """The slot named by the clerk, else the box's old slot if it is still free, else the
    planner's choice; every hard yard rule is checked on a named slot."""
    box = box_info(0, c)
    if block.strip():
        blk = parse_block(tx, block)
        if blk is None:
            return None, ""
        tx.rule(None not in (bay, row, tier), "gate.return.slot_incomplete",
                N_("a slot needs bay, row and tier"), N_("give the whole slot, e.g. A1 3 2 1"))
        if None in (bay, row, tier):
            return None, ""
        slot = Slot(pk(blk), int(bay), int(row), int(tier))
        for p in yard_state(tx.session, block_ids={pk(blk)}).problems(box, slot):
            tx.rule(False, p.rule, p.template, N_("choose another slot"), **p.params)
        return slot, "given"
    old = _old_slot(tx, tv.yard_slot)
    if old is not None and not yard_state(tx.session, block_ids={old.block_id}).problems(box,
                                                                                         old):
        return old, "old"
    state = yard_state(tx.session)
    quay = tx.get(YardBlock, old.block_id).quay_m if old is not None else 0.0
    result = plan_yard([box], state, quay)
    tx.rule(result.allocations, "gate.return.no_room", N_("{box}: {why}"),
            N_("name the slot the box goes to"), box=c.number,
            why=result.unplaced[0][1] if result.unplaced else "")
    return (result.allocations[0].slot, "planned") if result.allocations else (None, "")


@operation("gate.out_empty", *_ROLES)
def out_empty(tx: Tx, truck_visit_id: int, reason: str = "") -> dict:
    """Let a truck out of the terminal without a box (its box went back to the yard)."""
    tv = tx.get(TruckVisit, truck_visit_id, what="truck visit", for_update=True)
    tx.about("truck", tv.id, tv.plate)
    tx.rule(tv.state in (TruckState.RETURNED, TruckState.ADMITTED), "gate.out_empty.state",
            N_("truck {plate} is {state}"),
            N_("a loaded truck's box goes back to the yard first"), plate=tv.plate,
            state=Term(tv.state))
    typed(tx, "gate.out_empty", reason=reason)
    tx.rule(tv.state != TruckState.ADMITTED or reason.strip(), "gate.out_empty.reason",
            N_("truck {plate} was admitted for a box: leaving without it needs a reason"),
            N_("write why the truck leaves empty"), plate=tv.plate)
    tx.ensure()
    c = tx.session.get(Container, tv.container_id) if tv.container_id else None
    why = reason.strip() or tv.note
    ref = _end_appointment(tx, tv, why) if tv.state == TruckState.ADMITTED else ""
    tv.state, tv.out_at = TruckState.OUT, tx.now()
    if reason.strip():
        tv.note = reason.strip()[:256]
    tx.record(empty=True, container_left_in_yard=c.number if c else "", reason=why,
              appointment=ref)
    return {"plate": tv.plate, "container_left_in_yard": c.number if c else ""}
