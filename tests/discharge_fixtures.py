"""Set-up data for the discharge, yard and tally tests: yard blocks and boxes on board.

Written directly (fixtures may); the rules under test always go through operations. Until
the bay plan importer is used here, boxes come aboard through :func:`stow`.
"""

from __future__ import annotations

from sqlmodel import Session
from stdnum import iso6346

from portops.model import Category, Container, OnBoard, Where, YardBlock


def number(owner: str, serial: int) -> str:
    """A valid ISO 6346 number, e.g. ``number("TEST", 1)``; owner is 3 letters + U."""
    body = f"{owner[:3]}U{serial:06d}"
    return body + iso6346.calc_check_digit(body)


def yard(engine, **over) -> dict[str, int]:
    """Three blocks along the quay: A (import, 20'/40', 2 reefer rows) near the berth, B
    (import) further off, D (dangerous goods)."""
    specs = [
        dict(name="A", bays=6, rows=4, tiers=3, reefer_rows=1, purpose="import", quay_m=150),
        dict(name="B", bays=6, rows=4, tiers=3, purpose="import", quay_m=600, takes_45=True),
        dict(name="D", bays=4, rows=2, tiers=2, dangerous_goods=True, purpose="import",
             quay_m=300),
        dict(name="E", bays=4, rows=2, tiers=3, purpose="export", quay_m=100),
    ]
    out = {}
    with Session(engine) as s, s.begin():
        for spec in specs:
            spec.update(over.get(spec["name"], {}))
            b = YardBlock(**spec)
            s.add(b)
            s.flush()
            out[b.name] = b.id
    return out


def stow(engine, visit_id: int, boxes: list[dict]) -> list[str]:
    """Put boxes on board: dicts with slot ``(bay, row, tier)`` and Container fields."""
    numbers = []
    with Session(engine) as s, s.begin():
        for i, spec in enumerate(boxes, start=1):
            spec = dict(spec)
            bay, row, tier = spec.pop("slot")
            spec.setdefault("number", number("TST", i))
            spec.setdefault("size_type", "22G1")
            spec.setdefault("pod", "CNSHA")
            spec.setdefault("category", Category.IMPORT)
            c = Container(location=Where.VESSEL, visit_id=visit_id, in_visit_id=visit_id,
                          vessel_bay=bay, vessel_row=row, vessel_tier=tier, **spec)
            s.add(c)
            numbers.append(c.number)
    return numbers


def remain_on_board(engine, visit_id: int, boxes: list[dict]) -> None:
    """Boxes staying on board (another port of discharge), as the bay plan import keeps them."""
    with Session(engine) as s, s.begin():
        for i, spec in enumerate(boxes, start=1):
            spec = dict(spec)
            bay, row, tier = spec.pop("slot")
            spec.setdefault("number", number("ROB", i))
            spec.setdefault("size_type", "42G1")
            s.add(OnBoard(visit_id=visit_id, bay=bay, row=row, tier=tier, **spec))


def in_yard(engine, block_id: int, bay: int, row: int, tier: int, **spec) -> str:
    with Session(engine) as s, s.begin():
        spec.setdefault("size_type", "22G1")
        c = Container(location=Where.YARD, yard_block_id=block_id, yard_bay=bay, yard_row=row,
                      yard_tier=tier, **spec)
        s.add(c)
        return c.number
