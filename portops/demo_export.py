"""Demo data for export (seed II.(2)): receiving, the gate check, release and loading.

So that a user can walk export from the console:

* next week's call of the COSCO Europe service (ETB four days after the demo clock) is added
  to the schedule: its receiving window is open now. It has bookings for three ports; boxes
  received yesterday (each with its in-gate EIR and arrival report), most of them released by
  customs; and receiving appointments for today, one of them without a VGM, so the gate
  check (F9) fails until the driver's VGM is entered;
* the visit berthed last and being worked has its export boxes received before its cut-off,
  released, the line's stowage instructions for some of them (a COPRAR load list) and a load
  plan, with the first boxes tallied on board: the bay view (F6) and the tally screen open on
  loading in progress.

Everything goes through the operations, run at the time it would have happened.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlmodel import Session, select

from portops.clock import FixedClock
from portops.demo_base import Demo, extend
from portops.formats.edifact.records import ContainerList, Header, Slot, StowedBox
from portops.i18n import N_, Said
from portops.model import Container, OnBoard, Vessel, VesselVisit, Where
from portops.ops import Core, Refused
from portops.ops.flags import grant_permission
from portops.ops.load_lists import import_load_list
from portops.ops.loading import confirm, make_plan
from portops.ops.receiving import add_booking, book_receival, receive, truck_out
from portops.ops.schedule import CallSpec, ScheduleSpec, import_schedule
from portops.planning.stowage import VesselShape

USER = "system"
SEED = 20261127
#: Next week's call: (key, IMO in the demo schedule, line, service, voyage, berth, quay m).
NEXT_CALL = ("COSU-AEU3-126", "9795610", "COSU", "AEU3", "126", "B1", 15.0)
#: Bookings of a visit: (suffix, port of discharge, size/type, boxes, reefer °C).
BOOKINGS = [("A", "NLRTM", "45G1", 8, None), ("B", "DEHAM", "22G1", 6, None),
            ("C", "BEANR", "45R1", 2, -18.0)]
HAULIERS = [("SHTR1", "沪A"), ("DHLOG", "沪D"), ("ZJYD2", "浙B")]
DRIVERS = ["Wang Wei", "Li Na", "Zhang Qiang", "Liu Yang", "Chen Jie", "Zhao Lei"]


def _at(core: Core, when: datetime) -> Core:
    return Core(core.engine, FixedClock(when))


@extend
def export_walk(core: Core, now: datetime, demo: Demo) -> None:
    rng = random.Random(SEED)
    used: set[str] = set()
    open_visit = _next_call(core, now, demo)
    if open_visit is not None:
        _receiving_open(core, now, demo, open_visit, rng, used)
    working = _last_working(core)
    if working is not None:
        _loading(core, now, demo, working, rng, used)


def _next_call(core: Core, now: datetime, demo: Demo) -> VesselVisit | None:
    key, imo, line, service, voyage, berth, quay = NEXT_CALL
    etb = now.replace(minute=0, second=0, microsecond=0) + timedelta(days=4)
    call = CallSpec("demo", key, imo, line, service, f"{voyage}W", f"{voyage}E",
                    eta=etb - timedelta(hours=4), etb=etb, etd=etb + timedelta(hours=30),
                    berth=berth, quay_from_m=quay, side="starboard", cranes=5,
                    moves_discharge=1650, moves_load=1580, arrival_draft_m=14.5)
    try:
        core.run(USER, import_schedule, schedule=ScheduleSpec(None, "demo", [], [call]),
                 source="demo: next week's call")
    except Refused as exc:
        demo.notes.append(Said(N_("export demo: {exc}"), exc=exc.describe()))
        return None
    with Session(core.engine) as s:
        visit = s.exec(select(VesselVisit).where(VesselVisit.key == key)).first()
    demo.visits[key] = "planned"
    return visit


def _last_working(core: Core) -> VesselVisit | None:
    with Session(core.engine) as s:
        return s.exec(select(VesselVisit).where(VesselVisit.phase == "working")
                      .order_by(VesselVisit.etb.desc())).first()


def _number(rng: random.Random, used: set[str]) -> str:
    from portops.formats.edifact.samples import container_number

    return container_number(rng, used)


def _bookings(core: Core, visit: VesselVisit, demo: Demo) -> list[tuple[str, str, str, float]]:
    out = []
    for suffix, pod, size_type, quantity, reefer in BOOKINGS:
        ref = f"{visit.line_operator}{visit.key[-3:]}{suffix}{visit.id:04d}"
        try:
            core.run(USER, add_booking, ref=ref, visit_key=visit.key, line=visit.line_operator,
                     pod=pod, size_type=size_type, quantity=quantity,
                     shipper="Ningbo Demo Exports Co.", reefer_temp_c=reefer)
        except Refused as exc:
            demo.notes.append(Said(N_("export demo booking {ref}: {exc}"),
                                   ref=ref, exc=exc.describe()))
            continue
        out += [(ref, size_type, pod, reefer)] * quantity
    return out


def _appointment(core: Core, ref: str, size_type: str, number: str, when: datetime,
                 k: int, vgm: bool = True) -> dict:
    haulier, prefix = HAULIERS[k % len(HAULIERS)]
    return core.run(USER, book_receival, booking_ref=ref, container=number, size_type=size_type,
                    slot_start=when, haulier=haulier, plate=f"{prefix}{52100 + k:05d}",
                    driver_name=DRIVERS[k % len(DRIVERS)], driver_id=f"31011{k:07d}",
                    vgm_kg=(18000 + 700 * (k % 15)) if vgm else None, seal=f"CN{7300100 + k}")


def _bring_in(core: Core, when: datetime, boxes: list, rng, used, demo: Demo,
              start: int) -> list[str]:
    """Book and receive ``boxes`` (booking lines) from ``when`` on, one every 20 minutes."""
    numbers = []
    for k, (ref, size_type, _pod, _reefer) in enumerate(boxes):
        at = when + timedelta(minutes=20 * k)
        number = _number(rng, used)
        try:
            appt = _appointment(_at(core, at), ref, size_type, number, at + timedelta(minutes=5),
                                start + k)
            got = _at(core, at + timedelta(minutes=10)).run(
                "system", receive, lookup=appt["ref"], container=number, size_type=size_type,
                seal=f"CN{7300100 + start + k}")
            # The truck grounds its box and leaves empty (it would not still be inside).
            _at(core, at + timedelta(minutes=25)).run(
                "system", truck_out, truck_visit_id=got["truck_visit_id"])
        except Refused as exc:
            demo.notes.append(Said(N_("export demo receive {number}: {exc}"),
                                   number=number, exc=exc.describe()))
            continue
        numbers.append(number)
    return numbers


def _release(core: Core, numbers: list[str], prefix: str) -> None:
    for i, number in enumerate(numbers):
        core.run(USER, grant_permission, code="CUSTOMS_EXPORT", container=number,
                 reference=f"{prefix}{i:06d}")


def _receiving_open(core: Core, now: datetime, demo: Demo, visit: VesselVisit, rng, used) -> None:
    lines = _bookings(core, visit, demo)
    received = _bring_in(core, now - timedelta(hours=20), lines[:9], rng, used, demo, 0)
    _release(core, received[:6], "2201EXP")
    today = lines[9:15]
    first = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    booked = 0
    for k, (ref, size_type, _pod, _reefer) in enumerate(today):
        try:
            _appointment(core, ref, size_type, _number(rng, used), first + timedelta(hours=k // 2),
                         40 + k, vgm=k != 1)
            booked += 1
        except Refused as exc:
            demo.notes.append(Said(N_("export demo appointment: {exc}"), exc=exc.describe()))
    demo.notes.append(Said(N_("export: {key} receiving open, {received} boxes in, {booked} "
                              "appointments today"),
                           key=visit.key, received=len(received), booked=booked))


def _loading(core: Core, now: datetime, demo: Demo, visit: VesselVisit, rng, used) -> None:
    lines = _bookings(core, visit, demo)[:12]
    when = visit.etb - timedelta(days=3)
    received = _bring_in(core, when, lines, rng, used, demo, 100)
    _release(core, received, "2201LDX")
    _line_instructions(core, demo, visit, received[:3])
    try:
        plan = core.run(USER, make_plan, visit_id=visit.id)
    except Refused as exc:
        demo.notes.append(Said(N_("export demo load plan: {exc}"), exc=exc.describe()))
        return
    for number in _sequence(core, visit.id)[:3]:
        try:
            core.run(USER, confirm, visit_id=visit.id, number=number, seal="")
        except Refused as exc:
            demo.notes.append(Said(N_("export demo tally {number}: {exc}"),
                                   number=number, exc=exc.describe()))
    demo.notes.append(Said(N_("export: {key} loading, {planned} boxes planned"),
                           key=visit.key, planned=plan["planned"]))


def _sequence(core: Core, visit_id: int) -> list[str]:
    from portops.model import LoadItem

    with Session(core.engine) as s:
        return list(s.exec(select(LoadItem.number).where(LoadItem.visit_id == visit_id)
                           .order_by(LoadItem.crane, LoadItem.seq)))


def _line_instructions(core: Core, demo: Demo, visit: VesselVisit, numbers: list[str]) -> None:
    """The line's load list placing the first boxes itself (deck, aftmost hatch, bottom tier)."""
    with Session(core.engine) as s:
        vessel = s.get(Vessel, visit.vessel_id)
        boxes = {c.number: c for c in s.exec(select(Container).where(
            Container.number.in_(numbers)))}
        taken = {(r.bay, r.row, r.tier) for r in s.exec(select(OnBoard).where(
            OnBoard.visit_id == visit.id))}
        taken |= {(c.vessel_bay, c.vessel_row, c.vessel_tier) for c in s.exec(
            select(Container).where(Container.visit_id == visit.id,
                                    Container.location == Where.VESSEL))}
    shape = VesselShape.of(vessel.loa_m, vessel.beam_m)
    header = Header(sender=visit.line_operator, message_ref=f"LL{visit.id}",
                    message_type="COPRAR", voyage=visit.voyage_out)
    listed = []
    tier = 82
    for r in range(shape.rows):
        if len(listed) == len(numbers):
            break
        c = boxes[numbers[len(listed)]]
        bay = 4 * shape.hatches - (2 if c.size_type[0] != "2" else 1)
        slot = (bay, shape.row_number(r), tier)
        if slot in taken:
            continue
        listed.append(StowedBox(c.number, c.size_type, Slot(*slot), pol=c.pol, pod=c.pod,
                                vgm_kg=c.vgm_kg))
    try:
        core.run(USER, import_load_list, orders=ContainerList(header, "load", listed),
                 source="demo load list", visit_key=visit.key)
    except Refused as exc:
        demo.notes.append(Said(N_("export demo load list: {exc}"), exc=exc.describe()))
