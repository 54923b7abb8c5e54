"""A small terminal with boxes in the yard, parties and releases, for the gate tests.

Layout and boxes are written directly (set-up); releases, hand-overs and bookings go through
the operations so their rules run.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, select
from stdnum import iso6346

from portops.model import Category, Container, Role, Terminal, VesselVisit, Where, YardBlock
from portops.ops import Core
from portops.ops.flags import grant_permission
from portops.ops.releases import line_release, pass_on, register_party
from tests.conftest import as_role

DISPATCHER = as_role(Role.DISPATCHER)
CLERK = as_role(Role.GATE_CLERK)
SLOT = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)  # 14:00 in Shanghai; the clock's hour


def number(owner: str, serial: int) -> str:
    raw = f"{owner[:3]}U{serial:06d}"
    return raw + iso6346.calc_check_digit(raw)


def build(core: Core, engine, small_terminal, *, boxes: int = 4, capacity: int = 20) -> dict:
    """Boxes 0..n-1 in block A1, bay 1, one per row; box 'top' sits on box 0."""
    with Session(engine) as s, s.begin():
        t = s.exec(select(Terminal)).one()
        t.appt_slot_capacity = capacity
        block = YardBlock(name="A1", bays=10, rows=6, tiers=4)
        s.add(block)
        visit = s.get(VesselVisit, small_terminal["visit"])
        s.flush()
        block_id = block.id
        nums = [number("COSU", 100 + i) for i in range(boxes)]
        for i, n in enumerate(nums):
            s.add(Container(number=n, size_type="22G1", operator="COSU", category=Category.IMPORT,
                            seals=f"SL{i:04d}", bl_number="BL-1" if i < 2 else f"BL-{i}",
                            in_visit_id=visit.id, location=Where.YARD, yard_block_id=block.id,
                            yard_bay=1, yard_row=i + 1, yard_tier=1, time_in=SLOT))
        top = number("COSU", 99)
        s.add(Container(number=top, size_type="22G1", operator="COSU", category=Category.IMPORT,
                        in_visit_id=visit.id, location=Where.YARD, yard_block_id=block.id,
                        yard_bay=1, yard_row=1, yard_tier=2))
        advised = number("COSU", 98)
        s.add(Container(number=advised, size_type="45G1", operator="COSU",
                        category=Category.IMPORT, in_visit_id=visit.id,
                        location=Where.ADVISED))
    for code, kind, ident in [("COSU", "line", ""), ("FWD1", "forwarder", "EORI-CN-1"),
                              ("HAUL1", "haulier", "USCI-91310000X"),
                              ("HAUL2", "haulier", "USCI-91310000Y")]:
        core.run(DISPATCHER, register_party, code=code, name=f"{code} Ltd", kind=kind,
                 identity=ident)
    return {"boxes": nums, "top": top, "advised": advised, "block": block_id}


def release(core: Core, box: str, *, to: str = "HAUL1", customs: bool = True) -> None:
    """Customs and line release of ``box``, the right passed FWD1 -> ``to``."""
    if customs:
        core.run(DISPATCHER, grant_permission, code="CUSTOMS_IMPORT", reference=f"C-{box}",
                 container=box)
    core.run(DISPATCHER, line_release, line="COSU", to_party="FWD1", reference=f"DO-{box}",
             container=box)
    core.run(DISPATCHER, pass_on, container=box, by_party="FWD1", to_party=to)


def booking(box: str, **kw) -> dict:
    args = {"container": box, "slot_start": SLOT, "haulier": "HAUL1", "plate": "沪A12345",
            "driver_name": "Wang Wei", "driver_id": "D-310001"}
    args.update(kw)
    return args
