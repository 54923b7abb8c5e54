"""The gate's small terminal with the customers' side: two parties of every kind, each with
its admin's account, one import box's journey belonging to the first of each (released by
COSU to FWD1, handed to HAUL1, booked, gated out with an EIR) and an export booking of SHP1.

The second party of each kind (HAUL2, FWD2, SHP2, MSCU) owns nothing: the scoping test
calls every customer query and operation as it against the first's data.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from portops.model import (
    Appointment,
    ApptState,
    ArrivalEntry,
    Category,
    Container,
    Eir,
    ExportBooking,
    Receival,
    TruckState,
    TruckVisit,
    Where,
)
from portops.ops import Core
from portops.ops.appointments import book
from portops.ops.export_haulier import nominate
from portops.ops.releases import register_party
from portops.ops.users import add_user
from tests import gate_world
from tests.gate_world import DISPATCHER, SLOT

PASSWORD = "customer-pw-1"
#: account name -> (role, party)
ACCOUNTS = {
    "haul1": ("haulier", "HAUL1"), "haul2": ("haulier", "HAUL2"),
    "fwd1": ("consignee", "FWD1"), "fwd2": ("consignee", "FWD2"),
    "shp1": ("shipper", "SHP1"), "shp2": ("shipper", "SHP2"),
    "cosu": ("line", "COSU"), "mscu": ("line", "MSCU"),
}
#: The accounts that own nothing, one per party kind.
OUTSIDERS = ("haul2", "fwd2", "shp2", "mscu")


def build(core: Core, engine, small_terminal) -> dict:
    world = gate_world.build(core, engine, small_terminal, boxes=4)
    for code, kind, ident in [("FWD2", "forwarder", "EORI-CN-2"), ("MSCU", "line", ""),
                              ("SHP1", "shipper", "USCI-91310000A"),
                              ("SHP2", "shipper", "USCI-91310000B")]:
        core.run(DISPATCHER, register_party, code=code, name=f"{code} Ltd", kind=kind,
                 identity=ident)
    for name, (role, party) in ACCOUNTS.items():
        core.run("system", add_user, name=name, role=role, party=party, password=PASSWORD)
    boxes = world["boxes"]
    # box 0: released, held by HAUL1, booked by it, gone out with an EIR
    gate_world.release(core, boxes[0], to="HAUL1")
    appt = core.run(DISPATCHER, book, **gate_world.booking(boxes[0], by_party="HAUL1"))
    # box 1: released, held by HAUL1, not booked (a customer operation's target)
    gate_world.release(core, boxes[1], to="HAUL1")
    # box 2: the line released it to FWD1, who still holds it
    _release_to_fwd1(core, boxes[2])
    export = gate_world.number("COSU", 500)
    export_next = gate_world.number("COSU", 501)
    with Session(engine) as s, s.begin():
        visit_id = small_terminal["visit"]
        s.add(ExportBooking(ref="BK-SHP1", visit_id=visit_id, line_operator="COSU", pod="NLRTM",
                            size_type="22G1", quantity=2, shipper="SHP1 Ltd", created_at=SLOT,
                            created_by=DISPATCHER))
        box = Container(number=export, size_type="22G1", operator="COSU",
                        category=Category.EXPORT, booking_ref="BK-SHP1", out_visit_id=visit_id,
                        location=Where.YARD)
        s.add(box)
        s.flush()
        # the export box came in (its arrival report line); a second truck is booked in
        s.add(ArrivalEntry(container_id=box.id, visit_id=visit_id, container_number=export,
                           booking_ref="BK-SHP1", eir_number="EIR-IN-1", reported_at=SLOT))
        booking_id = s.exec(select(ExportBooking.id).where(ExportBooking.ref == "BK-SHP1")).one()
        s.add(Receival(ref="RA-SHP1", booking_id=booking_id, container_number=export_next,
                       size_type="22G1", haulier="HAUL1", plate="沪A12345", slot_start=SLOT,
                       created_at=SLOT, created_by=DISPATCHER))
        # set-up: box 0 went out on HAUL1's truck (the gate's own tests walk that path)
        a = s.exec(select(Appointment).where(Appointment.ref == appt["ref"])).one()
        a.state = ApptState.COMPLETED
        s.get(Container, a.container_id).location = Where.GONE
        # it came on time and waited 50 minutes for its gate-in: the terminal's delay
        tv = TruckVisit(appointment_id=a.id, container_id=a.container_id, plate=a.plate,
                        haulier_code="HAUL1", state=TruckState.OUT, arrived_at=SLOT,
                        admitted_at=SLOT + timedelta(minutes=50),
                        out_at=SLOT + timedelta(minutes=70))
        s.add(tv)
        s.flush()
        s.add(Eir(number="EIR-0001", truck_visit_id=tv.id, container_id=a.container_id,
                  container_number=boxes[0], size_type="22G1", plate=a.plate,
                  driver_name=a.driver_name, haulier="HAUL1 Ltd", issued_at=SLOT,
                  issued_by="gate-clerk"))
    # SHP1 nominated HAUL1 to deliver BK-SHP1's boxes
    core.run("shp1", nominate, booking_ref="BK-SHP1", haulier="HAUL1")
    return {**world, "appt": appt["ref"], "export": export, "receival": "RA-SHP1"}


def _release_to_fwd1(core: Core, box: str) -> None:
    from portops.ops.flags import grant_permission
    from portops.ops.releases import line_release

    core.run(DISPATCHER, grant_permission, code="CUSTOMS_IMPORT", reference=f"C-{box}",
             container=box)
    core.run(DISPATCHER, line_release, line="COSU", to_party="FWD1", reference=f"DO-{box}",
             container=box)


def build_receiving(core: Core, engine, small_terminal) -> dict:
    """The world with its call berthing in three days: SHP1's booking's receiving window is
    open now (the exports' tests)."""
    from portops.model import VesselVisit

    world = build(core, engine, small_terminal)
    with Session(engine) as s, s.begin():
        s.get(VesselVisit, small_terminal["visit"]).etb = SLOT + timedelta(days=3)
    return world
