"""BAPLIE, the bay plan: read (D.95B with SMDG 1.5-2.x, and SMDG 3.x) and write (D.95B SMDG 2.2).

Each box is a group that starts at its stowage position ``LOC+147`` and runs to the next one:
weights (``MEA``), reefer temperature (``TMP``), POL/POD (``LOC+9/+11``), B/L (``RFF+BM``), the
container (``EQD+CN``), its operator (``NAD+CA``/``NAD+CF``) and dangerous goods (``DGS``). SMDG
3.x nests the same segments below ``EQD`` and writes ``MEA+AAE+VGM``; both read the same way.

Refused, with the segment number: a broken segment, an invalid container number, size/type or
LOCODE, a stowage position given twice, a container given twice, a position without a
container, a container without a port of discharge. Segments the reader does not interpret are kept on the box (``StowedBox.extra``)
or the header (``Header.extra``) and written back out.
"""

from __future__ import annotations

from datetime import datetime

from portops.formats.edifact import fields as f
from portops.formats.edifact.records import BayPlan, StowedBox
from portops.formats.edifact.syntax import EdifactError, Segment

IDENTIFIER = ("BAPLIE", "D", "95B", "UN", "SMDG22")


def read_baplie(text: str, source: str = "") -> BayPlan:
    """Read a BAPLIE interchange (all its BAPLIE messages) into a :class:`BayPlan`."""
    with f.reading(source):
        inter, messages = f.messages_of(text, "BAPLIE")
        plan = BayPlan(f.new_header(messages[0], inter))
        slots: dict = {}
        numbers: dict[str, int] = {}
        for message in messages:
            _read_message(plan, message.body, slots, numbers)
        return plan


def _read_message(plan: BayPlan, body: list[Segment], slots: dict,
                  numbers: dict[str, int]) -> None:
    header = plan.header
    box: StowedBox | None = None
    start: Segment | None = None
    for seg in body:
        tag = seg.tag
        if tag == "LOC" and seg.get(0) == "147":
            _finish(box, start)
            slot = f.read_slot(seg)
            if slot in slots:
                raise seg.error(f"stowage position {slot} is given twice (first at segment "
                                f"{slots[slot]}); a slot holds one container")
            slots[slot] = seg.number
            box = StowedBox(number="", slot=slot, segment=seg.number)
            start = seg
            plan.boxes.append(box)
        elif box is None:
            if not f.read_header_segment(header, seg):
                header.extra.append(f.raw(seg))
        elif tag == "EQD" and seg.get(0) == "CN":
            if box.number:  # a bundle (flat racks stacked in one slot)
                eq = f.read_eqd(seg, size_required=False)
                box.bundled.append(eq.number)
                _unique(numbers, eq.number, seg)
                continue
            eq = f.read_eqd(seg)
            _unique(numbers, eq.number, seg)
            box.number, box.size_type, box.status, box.full = (
                eq.number, eq.size_type, eq.status, eq.full)
        elif tag == "CNT":
            continue
        elif not f.read_box_segment(box, seg):
            box.extra.append(f.raw(seg))
    _finish(box, start)


def _unique(numbers: dict[str, int], number: str, seg: Segment) -> None:
    if number in numbers:
        raise seg.error(f"container {number} is given twice (first at segment "
                        f"{numbers[number]}); a container stands in one slot")
    numbers[number] = seg.number


def _finish(box: StowedBox | None, start: Segment | None) -> None:
    if box is not None and not box.number:
        raise start.error(f"stowage position {box.slot} has no container (EQD+CN)")
    if box is not None and not box.pod:
        raise start.error(f"container {box.number} at {box.slot} has no port of discharge "
                          "(LOC+11); without it nobody can say whether it is discharged here")


def baplie_segments(plan: BayPlan) -> list:
    """The message body (BGM..CNT) of a D.95B SMDG 2.2 BAPLIE."""
    body = f.header_segments(plan.header, "", "9")
    for box in plan.boxes:
        if box.slot is None:
            raise EdifactError(f"container {box.number} has no stowage position; a bay plan "
                               "lists boxes by slot")
        body.append(("LOC", "147", [box.slot.code, "", "5"]))
        body += f.remarks(box)
        body += f.weight_segments(box, d95=True)
        body += f.tmp(box)
        body += f.place_segments(box)
        body += f.reference_segments(box)
        body.append(f.eqd(box))
        body += [("EQD", "CN", n) for n in box.bundled]
        body += f.operator(box)
        body += [f.dgs(d) for d in box.dangerous]
        body += box.extra
    return body


def write_baplie(plan: BayPlan, *, control_ref: str, prepared: datetime) -> str:
    """A BAPLIE interchange for ``plan`` (e.g. the departure bay plan after loading)."""
    return f.one_interchange(IDENTIFIER, plan.header, baplie_segments(plan),
                             control_ref=control_ref, prepared=prepared)
