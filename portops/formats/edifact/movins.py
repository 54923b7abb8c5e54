"""MOVINS, the stowage instructions from the line's planner: read (D.95B, SMDG 2.x).

The body is sections by handling instruction (``HAN+LOA`` load, ``HAN+DIS`` discharge,
``HAN+RES`` restow, ``HAN+SHI`` shift...), each a run of slot groups as in a bay plan: the
position (``LOC+147``), and below it the box for it (``EQD+CN``), its ports (``LOC+9/11``),
weight (``MEA``), reefer temperature, dangerous goods, operator.

For the terminal's load planning only the load section matters: each slot given a container
is a stowage instruction for that box (``load.import_instructions``, as a COPRAR load list).
A load slot without a container (the planner reserves it for a port or a type, the terminal
chooses the box) is left to the load plan: one warning says how many. The other sections are
the vessel's business on board and are read past, with their count in the same warning.
"""

from __future__ import annotations

from portops.formats.edifact import fields as f
from portops.formats.edifact.problems import BOX, WARNING, note
from portops.formats.edifact.records import ContainerList, StowedBox, compact
from portops.formats.edifact.syntax import EdifactText, Segment
from portops.i18n import N_, Said

LOAD = "LOA"


def read_movins(text: EdifactText, source: str = "") -> ContainerList:
    """Read a MOVINS interchange (a string or an open text file) into the load list it
    gives: a :class:`ContainerList` of kind ``load``, each box with its slot."""
    with f.reading(source):
        inter, messages = f.each_message(text, "MOVINS")
        result: ContainerList | None = None
        seen = _Seen()
        for message, body in messages:  # streamed, as a bay plan
            if result is None:
                result = ContainerList(f.new_header(message, inter), "load")
            _read_message(result, body, seen)
        assert result is not None  # each_message refuses an interchange without a message
        if seen.open_slots or seen.other:
            note(WARNING, seen.first, Said(N_("{open_slots} load slot(s) name no container and "
                                              "{other} slot(s) are for discharge, restow or "
                                              "shift"),
                                           open_slots=seen.open_slots, other=seen.other),
                 Said(N_("the load plan fills the open slots; the others are not the terminal's "
                         "load")))
        return result


class _Seen:
    __slots__ = ("first", "numbers", "open_slots", "other", "slots")

    def __init__(self):
        self.first: Segment | None = None
        self.open_slots = self.other = 0
        self.numbers: dict[str, int] = {}
        self.slots: dict = {}


def _read_message(result: ContainerList, body, seen: _Seen) -> None:
    handling = ""
    box: StowedBox | None = None
    group: Segment | None = None
    skipping = False
    for seg in body:
        tag = seg.tag
        if tag == "HAN":
            _finish(result, box, group, handling, seen)
            box, group, handling = None, None, seg.get(0)
        elif tag == "LOC" and seg.get(0) == "147":
            _finish(result, box, group, handling, seen)
            box, group, skipping = StowedBox("", slot=f.read_slot(seg), segment=seg.number), seg, \
                False
        elif group is None:
            if tag not in ("UNS", "CNT") and not f.read_header_segment(result.header, seg):
                result.header.extra.append(f.raw(seg))
        elif skipping or handling != LOAD or box is None:  # box: None only while skipping
            continue
        elif tag == "EQD" and seg.get(0) == "CN":
            eq = f.read_eqd(seg, size_required=False)
            if eq is None:
                skipping, box = True, None
                continue
            if eq.number in seen.numbers:
                raise seg.error(Said(N_("container {number} is given twice (first in the slot "
                                        "group at segment {numbers})"),
                                     number=eq.number, numbers=seen.numbers[eq.number]))
            seen.numbers[eq.number] = group.number
            box.number, box.size_type, box.status, box.full, box.doubts = (
                eq.number, eq.size_type, eq.status, eq.full, eq.doubts)
        elif tag not in ("CNT", "UNS") and not f.read_box_segment(box, seg):
            box.extra.append(f.raw(seg))
    _finish(result, box, group, handling, seen)


def _finish(result: ContainerList, box: StowedBox | None, group: Segment | None,
            handling: str, seen: _Seen) -> None:
    if group is None:
        return
    if handling != LOAD:
        seen.other += 1
        seen.first = seen.first or group
        return
    if box is None:  # skipped: its EQD was a problem of the box
        return
    if not box.number:
        seen.open_slots += 1
        seen.first = seen.first or group
        return
    if box.slot in seen.slots:
        note(BOX, group, Said(N_("stowage position {slot} is given to {number} and to {slots}"),
                              slot=box.slot, number=box.number,
                              slots=seen.slots[box.slot]), Said(N_("{number} is skipped"),
                                                                number=box.number))
        return
    seen.slots[box.slot] = box.number
    result.boxes.append(compact(box))
