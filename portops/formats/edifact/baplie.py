"""BAPLIE, the bay plan: read (D.95B with SMDG 1.5-2.x, and SMDG 3.x) and write (D.95B SMDG 2.2
or D.13B SMDG 3.1).

Each box is a group that starts at its stowage position ``LOC+147`` and runs to the next one:
weights (``MEA``), reefer temperature (``TMP``), POL/POD (``LOC+9/+11``), B/L (``RFF+BM``), the
container (``EQD+CN``), its operator (``NAD+CA``/``NAD+CF``) and dangerous goods (``DGS``). SMDG
3.x nests the same segments below ``EQD`` and writes ``MEA+AAE+VGM``; both read the same way.

Refused, with the segment number: a broken segment, an invalid LOCODE, a stowage position
given twice, a container given twice, a container without a port of discharge. A box whose
number or size/type cannot be read, or a position without a container, is a problem of that
box (``problems``: skipped, the rest read); a wrong check digit takes the box in flagged.
SMDG 3.x empty-slot groups (``LOC+147`` with ``FTX+AGW`` and no ``EQD``) and ``UNS`` are read
past. Segments the reader does not interpret are kept on the box (``StowedBox.extra``)
or the header (``Header.extra``) and written back out.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from portops.formats.edifact import fields as f
from portops.formats.edifact.problems import BOX, note
from portops.formats.edifact.records import BayPlan, StowedBox, compact
from portops.formats.edifact.syntax import EdifactError, EdifactText, Segment
from portops.i18n import N_, Said

IDENTIFIER = ("BAPLIE", "D", "95B", "UN", "SMDG22")
IDENTIFIER_31 = ("BAPLIE", "D", "13B", "UN", "SMDG31")


def read_baplie(text: EdifactText, source: str = "") -> BayPlan:
    """Read a BAPLIE interchange (all its BAPLIE messages) into a :class:`BayPlan`."""
    with f.reading(source):
        inter, messages = f.each_message(text, "BAPLIE")
        plan: BayPlan | None = None
        slots: dict = {}
        numbers: dict[str, int] = {}
        for message, body in messages:  # streamed: one box's segments held at a time
            if plan is None:
                plan = BayPlan(f.new_header(message, inter))
            _read_message(plan, body, slots, numbers)
        assert plan is not None  # each_message refuses an interchange without a message
        return plan


def _read_message(plan: BayPlan, body: Iterable[Segment], slots: dict,
                  numbers: dict[str, int]) -> None:
    header = plan.header
    group: _Group | None = None
    for seg in body:
        tag = seg.tag
        if tag == "LOC" and seg.get(0) == "147":
            _finish(plan, group, slots)
            group = _Group(seg, StowedBox(number="", slot=f.read_slot(seg), segment=seg.number))
        elif tag == "UNS":
            continue  # section control (SMDG 3.x): header | detail | summary
        elif group is None:
            if not f.read_header_segment(header, seg):
                header.extra.append(f.raw(seg))
        elif group.skipped:
            continue
        elif tag == "EQD" and seg.get(0) == "CN":
            box = group.box
            if box.number:  # a bundle (flat racks stacked in one slot)
                eq = f.read_eqd(seg, size_required=False)
                if eq is not None:
                    _unique(numbers, eq.number, seg, group)
                    box.bundled.append(eq.number)
                continue
            eq = f.read_eqd(seg)
            if eq is None:
                group.skipped = True
                continue
            _unique(numbers, eq.number, seg, group)
            box.number, box.size_type, box.status, box.full, box.doubts = (
                eq.number, eq.size_type, eq.status, eq.full, eq.doubts)
        elif tag == "CNT":
            continue
        elif tag == "FTX" and seg.get(0) == "AGW":
            group.agw = True  # a slot not available (SMDG 3.x empty-slot group)
            if not f.read_box_segment(group.box, seg):
                group.box.extra.append(f.raw(seg))
        elif not f.read_box_segment(group.box, seg):
            group.box.extra.append(f.raw(seg))
    _finish(plan, group, slots)


class _Group:
    """One ``LOC+147`` group being read: its box, whether it was skipped, whether it only
    says the slot is not available (``FTX+AGW``, no ``EQD``)."""

    __slots__ = ("agw", "box", "skipped", "start")

    def __init__(self, start: Segment, box: StowedBox):
        self.start, self.box, self.skipped, self.agw = start, box, False, False


def _unique(numbers: dict[str, int], number: str, seg: Segment, group: _Group) -> None:
    """Refuse a container given twice, naming the slot group it was first given in (the
    group's number: the same int the box keeps, so 20,000 boxes add no 20,000 ints)."""
    if number in numbers:
        raise seg.error(Said(N_("container {number} is given twice (first in the slot group at "
                                "segment {numbers}); a container stands in one slot"),
                             number=number, numbers=numbers[number]))
    numbers[number] = group.start.number


def _finish(plan: BayPlan, group: _Group | None, slots: dict) -> None:
    if group is None or group.skipped:
        return
    box, start = group.box, group.start
    if not box.number:
        if not group.agw:  # an empty-slot group (FTX+AGW) holds no box, and says so
            note(BOX, start, Said(N_("stowage position {slot} has no container (EQD+CN)"),
                                  slot=box.slot),
                 Said(N_("the position is skipped")))
        return
    if box.slot in slots:
        raise start.error(Said(N_("stowage position {slot} is given twice (first at segment "
                                  "{slots}); a slot holds one container"),
                               slot=box.slot, slots=slots[box.slot]))
    slots[box.slot] = start.number
    if not box.pod:  # the box's problem, not the file's: the rest of the plan goes in
        note(BOX, start, Said(N_("container {number} at {slot} has no port of discharge "
                                 "(LOC+11); without it nobody can say whether it is discharged "
                                 "here"), number=box.number, slot=box.slot),
             Said(N_("the box is skipped")))
        return
    plan.boxes.append(compact(box))


def baplie_segments(plan: BayPlan) -> list:
    """The message body (BGM..CNT) of a D.95B SMDG 2.2 BAPLIE."""
    body = f.header_segments(plan.header, "", "9")
    for box in plan.boxes:
        if box.slot is None:
            raise EdifactError(Said(N_("container {number} has no stowage position; a bay plan "
                                       "lists boxes by slot"), number=box.number))
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


def baplie31_segments(plan: BayPlan) -> list:
    """The message body of a D.13B SMDG 3.1 BAPLIE: the header, ``UNS+D``, one group per
    slot (``LOC+147`` with ISO 9711, ``EQD`` with ISO 6346 code lists and the equipment's
    segments below it, ``MEA+AAE+VGM``), ``UNS+S``."""
    h = plan.header
    body: list = [("BGM", "659", h.message_ref, "9")]
    if h.prepared:
        body.append(f.dtm("137", h.prepared))
    if h.carrier:
        body.append(("NAD", "CA", [h.carrier, "LINES", "306"]))
    if h.voyage or h.vessel_name:
        ident = [h.imo, "IMO", "ZZZ", h.vessel_name] if h.imo else \
            [h.call_sign, "103", "ZZZ", h.vessel_name]
        body.append(("TDT", "20", h.voyage, "", "", [h.carrier, "LINES", "306"] if h.carrier
                     else "", "", "", ident))
        if h.voyage:
            body.append(("RFF", ["VON", h.voyage]))
    for q, code in (("5", h.port), ("61", h.next_port)):
        if code:
            body.append(("LOC", q, [code, "139", "6"]))
    if h.arrival:
        body.append(f.dtm("178", h.arrival))
    if h.departure:
        body.append(f.dtm("136", h.departure))
    body += h.extra
    body.append(("UNS", "D"))
    for box in plan.boxes:
        if box.slot is None:
            raise EdifactError(Said(N_("container {number} has no stowage position; a bay plan "
                                       "lists boxes by slot"), number=box.number))
        body.append(("LOC", "147", [box.slot.code, "9711", "5"]))
        body += f.remarks(box)
        body.append(("EQD", "CN", [box.number, "6346", "5"],
                     [box.size_type, "6346", "5"] if box.size_type else "", "", box.status,
                     "5" if box.full else "4"))
        body += [("EQD", "CN", [n, "6346", "5"]) for n in box.bundled]
        if box.operator:
            body.append(("NAD", "CF", [box.operator, "LINES", "306"]))
        body += f.weight_segments(box, d95=False)
        body += f.tmp(box)
        body += f.place_segments(box)
        body += f.reference_segments(box)
        body += [f.dgs(d) for d in box.dangerous]
        body += box.extra
    body.append(("UNS", "S"))
    return body


def write_baplie31(plan: BayPlan, *, control_ref: str, prepared: datetime) -> str:
    """The same bay plan as a D.13B SMDG 3.1 BAPLIE (for partners on the 3.x guide)."""
    return f.one_interchange(IDENTIFIER_31, plan.header, baplie31_segments(plan),
                             control_ref=control_ref, prepared=prepared)

