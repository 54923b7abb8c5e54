"""Export receiving (seed II.(2) steps 1-3): bookings, receiving appointments, the gate check
(验箱) and the arrival report (运抵报告).

A box comes in only with an appointment on a booking, inside its visit's receiving window
(`portops.planning.receiving`), and only when the gate check passes: a valid ISO 6346 number
matching the appointment, the size/type booked, a seal, a VGM, and no damage. A dispatcher may
let a late box in with a written reason. An admitted box gets an in-gate EIR, a CODECO gate-in,
a yard slot chosen for loading (vessel, port of discharge, weight class) and its arrival
report entry, all in one transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, func, select

from portops.clock import as_utc
from portops.codes import (
    CodeError,
    is_reefer,
    parse_container_number,
    parse_size_type,
)
from portops.formats.gate_codeco import GateOut, codeco
from portops.i18n import N_
from portops.model import (
    ArrivalEntry,
    Category,
    Container,
    Eir,
    ExportBooking,
    Phase,
    Receival,
    ReceivalState,
    Role,
    Terminal,
    TruckState,
    TruckVisit,
    VesselVisit,
    Where,
)
from portops.model.base import pk, table
from portops.ops.appointments import count_place, room_rule, slot_row
from portops.ops.core import Term, Tx, operation
from portops.ops.eir_numbers import eir_number
from portops.ops.export_bookings import add_booking, import_bookings  # noqa: F401 (here before)
from portops.ops.export_inspection import gross_limits, inspect
from portops.ops.gate_checks import active_container, normalise_plate, settings, slot_bounds
from portops.ops.yard import berth_position, box_length, yard_state
from portops.planning.receiving import CutOffs, Window, window
from portops.planning.yard import BoxInfo, plan_yard
from portops.refs import canonical, unused_ref
from portops.textcheck import typed

_CLERKS = (Role.GATE_CLERK, Role.DISPATCHER)


def _terminal(tx: Tx) -> Terminal | None:
    return tx.session.exec(select(Terminal).order_by(col(Terminal.id))).first()


def cutoffs(t: Terminal | None) -> CutOffs:
    if t is None:
        return CutOffs()
    return CutOffs(t.receiving_open_days, t.cargo_cutoff_hours, t.reefer_cutoff_hours,
                   t.dg_cutoff_hours)


def visit_window(session, visit: VesselVisit) -> Window | None:
    """The receiving window of a visit, from its current ETB (None without one)."""
    etb = visit.atb or visit.etb
    if etb is None:
        return None
    t = session.exec(select(Terminal).order_by(col(Terminal.id))).first()
    return window(etb, cutoffs(t))


def weight_class(kg: int | None) -> str:
    """Light / medium / heavy, the weight classes export stacks are sorted by."""
    if not kg:
        return "unknown"
    return "light" if kg < 10_000 else "medium" if kg < 20_000 else "heavy"


def _booking(tx: Tx, ref: str) -> ExportBooking:
    b = tx.session.exec(select(ExportBooking).where(
        ExportBooking.ref == ref.strip().upper())).first()
    if b is None:
        tx.fail("export.booking.not_found", N_("there is no booking {ref!r}"),
                N_("check the booking reference with the line"), ref=ref)
    return b


def _window_rule(tx: Tx, visit: VesselVisit, when: datetime, reefer: bool, dangerous: bool,
                 rule: str, late_ok: bool = False) -> None:
    w = visit_window(tx.session, visit)
    if w is None:
        tx.rule(False, f"{rule}.no_etb", N_("visit {visit} has no berthing time yet"),
                N_("wait for the schedule to give an ETB"), visit=visit.key)
        return
    state = w.state_at(when, reefer=reefer, dangerous=dangerous)
    closes = w.closes_for(reefer=reefer, dangerous=dangerous)
    tx.rule(state != "not_open", f"{rule}.not_open",
            N_("receiving for {visit} opens {opens:%Y-%m-%d %H:%M}"),
            N_("book a slot inside the receiving window"), visit=visit.key, opens=w.opens)
    tx.rule(state != "closed" or late_ok, f"{rule}.closed",
            N_("receiving for {visit} closed at {closes:%Y-%m-%d %H:%M} (cut-off)"),
            N_("a dispatcher may accept the late box with a written reason"), visit=visit.key,
            closes=closes)


@operation("export.appointment", *_CLERKS)
def book_receival(tx: Tx, booking_ref: str, container: str, size_type: str, slot_start: datetime,
                  haulier: str, plate: str, driver_name: str, driver_id: str,
                  vgm_kg: int | None = None, seal: str = "", reefer_temp_c: float | None = None,
                  imdg_class: str | None = None, un_number: str | None = None) -> dict:
    """Book an appointment to bring an export box in."""
    return new_receival(tx, booking_ref, container, size_type, slot_start, haulier, plate,
                        driver_name, driver_id, vgm_kg, seal, reefer_temp_c, imdg_class,
                        un_number)


def new_receival(tx: Tx, booking_ref: str, container: str, size_type: str, slot_start: datetime,
                 haulier: str, plate: str, driver_name: str, driver_id: str,
                 vgm_kg: int | None = None, seal: str = "", reefer_temp_c: float | None = None,
                 imdg_class: str | None = None, un_number: str | None = None,
                 late_reason: str | None = None) -> dict:
    """``export.appointment``'s change; given a ``late_reason`` (only by the dispatcher's
    ``export.accept_late_box``, which requires it) a closed receiving window lets the
    appointment pass, the reason recorded on it, as the window's refusal promises."""
    b = _booking(tx, booking_ref)
    visit = tx.session.get(VesselVisit, b.visit_id)
    assert visit is not None  # export_booking.visit_id is a foreign key to vessel_visit
    tx.about("booking", b.id, b.ref)
    number = container.strip().upper()
    try:
        number = parse_container_number(container)
    except CodeError as exc:
        tx.rule(False, "export.appointment.container", exc.template,
                N_("correct the container number"), **exc.params)
    try:
        st = parse_size_type(size_type)
        tx.rule(st == b.size_type, "export.appointment.size_type",
                N_("booking {ref} is for {size_type}, not {st}"), N_("bring the size/type booked"),
                ref=b.ref, size_type=b.size_type, st=st)
    except CodeError as exc:
        tx.rule(False, "export.appointment.size_type", exc.template, N_("correct the size/type"),
                **exc.params)
    used = tx.session.exec(select(func.count()).select_from(Receival).where(
        Receival.booking_id == b.id, Receival.state != ReceivalState.CANCELLED)).one()
    tx.rule(used < b.quantity, "export.appointment.booking_full",
            N_("booking {ref} is for {quantity} box(es), all already booked in"),
            N_("ask the line to amend the booking"), ref=b.ref, quantity=b.quantity)
    live = tx.session.exec(select(Receival.ref).where(
        Receival.container_number == number, Receival.state == ReceivalState.BOOKED)).first()
    tx.rule(live is None, "export.appointment.box_booked",
            N_("container {number} already has receiving appointment {live}"),
            N_("cancel that appointment first"), number=number, live=live)
    tx.rule(active_container(tx.session, number) is None, "export.appointment.box_here",
            N_("container {number} is already at the terminal"), N_("check the number"),
            number=number)
    typed(tx, "export.appointment", haulier=haulier, plate=plate, driver_name=driver_name,
          driver_id=driver_id, seal=seal)
    low, high = gross_limits(b.size_type)
    # a declared VGM no box of the size can weigh was stored and met only at the gate
    tx.rule(vgm_kg is None or low <= vgm_kg <= high, "export.appointment.vgm_kg",
            N_("a VGM of {vgm} kg is not possible for a {size_type} box ({low}–{high} kg)"),
            N_("correct the declared VGM, or leave it out for the gate to weigh"), vgm=vgm_kg,
            size_type=b.size_type, low=low, high=high)
    tx.rule(normalise_plate(plate) and haulier.strip(), "export.appointment.truck",
            N_("the appointment needs the haulier and the truck's plate"), N_("enter both"))
    tx.rule(driver_name.strip() and driver_id.strip(), "export.appointment.driver",
            N_("the appointment needs the driver's name and licence/ID number"),
            N_("enter the driver"))
    cfg = settings(tx.session)
    start, end = slot_bounds(as_utc(slot_start), cfg)
    tx.rule(end > tx.now(), "export.appointment.slot_past",
            N_("the slot starting {start:%Y-%m-%d %H:%M} is over"), N_("choose a later slot"),
            start=start)
    _window_rule(tx, visit, start, b.reefer_temp_c is not None or reefer_temp_c is not None,
                 bool(b.imdg_class or imdg_class), "export.window", late_ok=late_reason is not None)
    slot = slot_row(tx, start, end, cfg.capacity, lock=True)
    room_rule(tx, slot.booked < slot.capacity, slot)
    tx.ensure()
    count_place(tx, slot.id, +1)
    ref = unused_ref(tx.conn, table(Receival).c.ref, "RA")  # random: not guessable
    r = Receival(ref=ref, booking_id=pk(b), container_number=number, size_type=b.size_type,
                 vgm_kg=vgm_kg, seals=seal.strip().upper(),
                 reefer_temp_c=reefer_temp_c if reefer_temp_c is not None else b.reefer_temp_c,
                 imdg_class=imdg_class or b.imdg_class, un_number=un_number or b.un_number,
                 haulier=haulier.strip().upper(), plate=normalise_plate(plate),
                 driver_name=driver_name.strip(), driver_id=driver_id.strip().upper(),
                 slot_start=start, late_reason=(late_reason or "").strip()[:256],
                 created_at=tx.now(), created_by=tx.actor.name)
    tx.session.add(r)
    tx.session.flush()
    tx.about("receival", r.id, r.ref)
    tx.record(container=number, slot=start)
    return {"id": r.id, "ref": r.ref, "slot_start": start}


def find_receival(session, lookup: str) -> Receival | None:
    """The appointment by its ref, or the truck's next booked one by plate (the gate's look-up)."""
    key = lookup.strip().upper()
    if not key:
        return None
    return session.exec(select(Receival).where(
        (Receival.ref == canonical(key)) | ((Receival.plate == normalise_plate(key))
                                 & (Receival.state == ReceivalState.BOOKED)))
        .order_by(col(Receival.slot_start))).first()


def stopped_truck(session, plate: str) -> TruckVisit | None:
    """The truck bringing an export box that waits on the trouble list (no pickup
    appointment), taken again when its box is admitted."""
    return session.exec(select(TruckVisit).where(
        TruckVisit.plate == plate, col(TruckVisit.appointment_id).is_(None),
        TruckVisit.state == TruckState.TROUBLE)).first()


def _receival(tx: Tx, lookup: str) -> Receival:
    r = find_receival(tx.session, lookup)
    if r is None:
        tx.fail("export.receive.no_appointment", N_("no receiving appointment for {lookup!r}"),
                N_("the haulier must book an appointment on the booking first"), lookup=lookup)
    tx.about("receival", r.id, r.ref)
    return r


@operation("export.accept_late", Role.DISPATCHER)
def accept_late(tx: Tx, ref: str, reason: str) -> None:
    """Let a box in after its cut-off, with a written reason."""
    r = _receival(tx, ref)
    tx.rule(r.state == ReceivalState.BOOKED, "export.accept_late.state",
            N_("appointment {ref} is {state}"), N_("nothing to accept"), ref=r.ref, state=Term(r.state))
    typed(tx, "export.accept_late", reason=reason)
    tx.rule(reason.strip(), "export.accept_late.reason", N_("a late acceptance needs a reason"),
            N_("write why the late box is accepted"))
    tx.ensure()
    r.late_reason = reason.strip()[:256]


@operation("export.cancel", *_CLERKS)
def cancel_receival(tx: Tx, ref: str, reason: str, by_party: str = "") -> None:
    """Cancel a receiving appointment.

    For its customer when ``by_party`` names its haulier or the booking's shipper (the no-show
    sweep may mark it a late cancel), else the terminal's own."""
    r = _receival(tx, ref)
    tx.rule(r.state == ReceivalState.BOOKED, "export.cancel.state",
            N_("appointment {ref} is {state}"), N_("nothing to cancel"), ref=r.ref, state=Term(r.state))
    typed(tx, "export.cancel", reason=reason, by_party=by_party)
    tx.rule(reason.strip(), "export.cancel.reason", N_("a cancellation needs a reason"),
            N_("write why"))
    if by_party:
        from portops.ops.export_no_show import party_of_receival

        tx.rule(party_of_receival(tx.session, r, by_party), "export.cancel.not_customer",
                N_("{by_party} is neither the haulier nor the shipper of appointment {ref}"),
                N_("name the haulier or the shipper; the terminal may cancel without naming "
                   "a party"), by_party=by_party, ref=r.ref)
    tx.ensure()
    r.state, r.ended_at = ReceivalState.CANCELLED, tx.now()
    r.end_reason = (("customer: " if by_party else "terminal: ") + reason.strip())[:256]
    from portops.model import AppointmentSlot

    q = select(AppointmentSlot).where(AppointmentSlot.start == r.slot_start)
    # locked like a booking's slot, so this count and a booking's never overwrite each other
    slot = tx.session.exec(q.with_for_update() if tx.locks_rows else q).first()
    if slot is not None and slot.booked > 0:
        slot.booked -= 1


@operation("export.receive", Role.GATE_CLERK)
def receive(tx: Tx, lookup: str, container: str, size_type: str, seal: str,
            vgm_kg: int | None = None, damage: str = "") -> dict:
    """Check an export box at the gate (验箱) and take it in."""
    r = _receival(tx, lookup)
    b = tx.session.get(ExportBooking, r.booking_id)
    assert b is not None  # receival.booking_id is a foreign key to export_booking
    visit = tx.session.get(VesselVisit, b.visit_id)
    assert visit is not None  # export_booking.visit_id is a foreign key to vessel_visit
    tx.rule(r.state == ReceivalState.BOOKED, "export.receive.state",
            N_("appointment {ref} is {state}"), N_("book a new appointment"), ref=r.ref,
            state=Term(r.state))
    tx.rule(visit.phase in (Phase.PLANNED, Phase.ARRIVED, Phase.BERTHED, Phase.WORKING),
            "export.receive.visit", N_("visit {visit} is {phase}"),
            N_("the line must move the booking to another visit"), visit=visit.key,
            phase=Term(visit.phase))
    tx.add(*inspect(tx.session, r, b, container, size_type, seal, vgm_kg, damage))
    reefer = r.reefer_temp_c is not None or is_reefer(r.size_type)
    _window_rule(tx, visit, tx.now(), reefer, bool(r.imdg_class), "export.window",
                 late_ok=bool(r.late_reason))
    tx.rule(active_container(tx.session, r.container_number) is None, "export.receive.box_here",
            N_("container {container_number} is already here"), N_("check the number"),
            container_number=r.container_number)
    vgm = vgm_kg or r.vgm_kg
    box = BoxInfo(0, r.container_number, box_length(r.size_type), reefer, bool(r.imdg_class),
                  True, vgm, f"{visit.key} {b.pod} {weight_class(vgm)}", export=True)
    allocation = None
    if not tx.unmet:
        result = plan_yard([box], yard_state(tx.session), berth_position(tx.session, visit))
        if result.allocations:
            allocation = result.allocations[0]
        else:
            tx.rule(False, "export.receive.no_slot", N_("no yard slot: {reason}"),
                    N_("make room in the export blocks"), reason=result.unplaced[0][1])
    tx.ensure()
    now = tx.now()
    terminal = _terminal(tx)
    assert allocation is not None  # export.receive.no_slot refused otherwise
    slot = allocation.slot
    c = Container(number=r.container_number, size_type=r.size_type, operator=b.line_operator,
                  full=True, category=Category.EXPORT, vgm_kg=vgm, gross_kg=vgm,
                  seals=seal.strip().upper(), reefer_temp_c=r.reefer_temp_c,
                  imdg_class=r.imdg_class, un_number=r.un_number,
                  pol=terminal.locode if terminal else "", pod=b.pod, booking_ref=b.ref,
                  out_visit_id=visit.id, location=Where.YARD, yard_block_id=slot.block_id,
                  yard_bay=slot.bay, yard_row=slot.row, yard_tier=slot.tier, time_in=now)
    tx.session.add(c)
    tx.session.flush()
    from portops.model import YardBlock

    block = tx.session.get(YardBlock, slot.block_id)
    assert block is not None  # the plan allocates in the yard's blocks
    label = f"{block.name} {slot.bay:02d}-{slot.row:02d}-{slot.tier}"
    tv = stopped_truck(tx.session, r.plate)  # sent to trouble before, now cleared
    if tv is None:
        tv = TruckVisit(plate=r.plate, arrived_at=now)
        tx.session.add(tv)
    tv.container_id, tv.haulier_code, tv.driver_id = c.id, r.haulier, r.driver_id
    tv.state, tv.admitted_at, tv.yard_slot, tv.seals = TruckState.ADMITTED, now, label, c.seals
    tx.session.flush()
    eir = Eir(number="PENDING", direction="in", truck_visit_id=pk(tv), container_id=pk(c),
              container_number=c.number, size_type=c.size_type, full=True, operator=c.operator,
              seals=c.seals, plate=r.plate, driver_name=r.driver_name, driver_id=r.driver_id,
              haulier=r.haulier, damage="", issued_at=now, issued_by=tx.actor.name)
    tx.session.add(eir)
    tx.session.flush()
    eir.number = eir_number("in", now, pk(eir))  # one format both ways (eir_numbers)
    eir.codeco = codeco(GateOut(
        eir=eir.number, container=c.number, size_type=c.size_type, full=True,
        operator=c.operator, seals=(c.seals,), plate=r.plate, haulier=r.haulier,
        driver=r.driver_name, at=now, terminal=terminal.code if terminal else "PORTOPS",
        direction="gate-in", booking_ref=b.ref))
    tx.session.add(ArrivalEntry(container_id=pk(c), visit_id=pk(visit), container_number=c.number,
                                booking_ref=b.ref, eir_number=eir.number, reported_at=now))
    r.state, r.container_id = ReceivalState.RECEIVED, c.id
    tx.about("container", c.id, c.number)
    tx.record(receival=r.ref, eir=eir.number, yard_slot=label, why=allocation.why,
              late=r.late_reason or None)
    return {"container_id": c.id, "eir": eir.number, "yard_slot": label,
            "truck_visit_id": tv.id, "why": allocation.why}


@operation("export.truck_out", Role.GATE_CLERK)
def truck_out(tx: Tx, truck_visit_id: int) -> None:
    """Let a truck that delivered an export box out of the terminal (empty)."""
    tv = tx.get(TruckVisit, truck_visit_id, what="truck visit", for_update=True)
    tx.about("truck", tv.id, tv.plate)
    tx.rule(tv.state == TruckState.ADMITTED, "export.truck_out.state",
            N_("truck {plate} is {state}"), N_("nothing to do"), plate=tv.plate, state=Term(tv.state))
    tx.ensure()
    tv.state, tv.out_at = TruckState.OUT, tx.now()
