"""Segments the transport messages share (UNB/BGM/DTM/TDT/LOC header; EQD, LOC, MEA, TMP,
DGS, NAD, RFF, SEL, FTX, DAM per box), read into and written from ``records``.

One place for each segment's codes so that BAPLIE, COPRAR, COARRI and CODECO agree:

* ``MEA``: ``WT``/``G``/``AET`` is the gross weight, ``VGM`` the verified gross mass, in the
  D.95B form (``MEA+WT++KGM:22000``) and the D.00B/D.13B form (``MEA+AAE+VGM+KGM:22000``);
  pounds (``LBR``) are converted to kg.
* ``LOC+9`` port of loading, ``+11`` port of discharge, ``+83``/``+7`` final destination.
* ``EQD`` full/empty indicator ``4`` empty, ``5`` full; status ``2`` export, ``3`` import,
  ``6`` tranship. ISO 6346:1984 size/type codes (``4310``) become 1995 ones (``42G1``).
* Times are read as UTC (EDIFACT carries no zone); written as ``CCYYMMDDHHMM`` (format 203).
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache

from portops.codes import (
    CheckDigitError,
    CodeError,
    parse_container_number,
    parse_locode,
    parse_size_type,
    size_type_doubt,
)
from portops.formats.edifact.interchange import Interchange, Message, open_interchange, parse
from portops.formats.edifact.problems import BOX, WARNING, note
from portops.formats.edifact.records import (
    Damage,
    DangerousGoods,
    Header,
    Slot,
    StowedBox,
    compact,
    sharing,
)
from portops.formats.edifact.syntax import (
    DEFAULT,
    EdifactError,
    EdifactText,
    Segment,
    interchange_text,
    paused_gc,
    serialize_segment,
)
from portops.formats.yamlsrc import reason
from portops.i18n import N_, Said

_DATE_FORMATS = {"203": "%Y%m%d%H%M", "201": "%y%m%d%H%M", "102": "%Y%m%d", "101": "%y%m%d",
                 "204": "%Y%m%d%H%M%S", "304": "%Y%m%d%H%M%S"}
_BY_LENGTH = {12: "203", 10: "201", 8: "102", 6: "101", 14: "204"}


def raw(seg: Segment) -> str:
    """A segment as EDIFACT text (default separators), to keep what was not interpreted: one
    string per distinct text (a real plan repeats the same kept segments box after box)."""
    return sys.intern(serialize_segment(seg, DEFAULT))


def read_datetime(seg: Segment, element: int = 0) -> datetime | None:
    """``DTM+137:202611270600:203`` and the other usual formats, as aware UTC."""
    value, fmt = seg.get(element, 1), seg.get(element, 2)
    if not value:
        return None
    if fmt == "304":
        value = value[:14]
    fmt = fmt or _BY_LENGTH.get(len(value), "")
    pattern = _DATE_FORMATS.get(fmt)
    if pattern is None:
        raise seg.error(Said(N_("date/time format {value} of {value2!r} is not understood (use "
                                "203: CCYYMMDDHHMM)"), value=fmt or '(none)', value2=value))
    try:
        return datetime.strptime(value, pattern).replace(tzinfo=UTC)
    except ValueError:
        raise seg.error(Said(N_("{value!r} is not a date/time in format {fmt}"),
                             value=value, fmt=fmt)) from None


def dtm(qualifier: str, when: datetime) -> tuple:
    return ("DTM", [qualifier, when.astimezone(UTC).strftime("%Y%m%d%H%M"), "203"])


def checked(seg: Segment, parse: Callable[[str], str], value: str) -> str:
    """Validate with a ``portops.codes`` parser; a bad code refuses the message at ``seg``."""
    try:
        return parse(value)
    except CodeError as exc:
        raise seg.error(reason(exc)) from None


# The same few ports and size/type codes recur thousands of times in a bay plan.
_locode = lru_cache(maxsize=4096)(parse_locode)
_size_type = lru_cache(maxsize=1024)(parse_size_type)
_size_doubt = lru_cache(maxsize=1024)(size_type_doubt)


def _doubt_said(doubt: str) -> str:
    """``size_type_doubt``'s English ("height digit 5 and type 36") as words to translate."""
    parts: list[str] = []
    for part in doubt.split(" and "):
        if part.startswith("height digit "):
            parts.append(Said(N_("height digit {digit}"), digit=part[13:]))
        elif part.startswith("type "):
            parts.append(Said(N_("type {code}"), code=part[5:]))
        else:
            return doubt
    if len(parts) == 2:
        return Said(N_("{first} and {second}"), first=parts[0], second=parts[1])
    return parts[0] if len(parts) == 1 else doubt


def locode(seg: Segment) -> str:
    value = seg.get(1)
    return checked(seg, _locode, value) if value else ""


# -- header ----------------------------------------------------------------------------------

def new_header(message: Message, inter) -> Header:
    return Header(sender=inter.sender, recipient=inter.recipient, message_type=message.type,
                  version=":".join(p for p in (message.version, message.release, message.agency,
                                               message.association) if p))


def read_header_segment(h: Header, seg: Segment) -> bool:
    """Interpret a header segment; ``False`` when it is not one of ours (kept as extra)."""
    tag = seg.tag
    if tag == "BGM":
        h.message_ref = seg.get(1)
    elif tag == "DTM" and seg.get(0) in ("137", "178", "132", "136", "133"):
        q = seg.get(0)
        try:
            when = read_datetime(seg)
        except EdifactError as exc:  # an ETA of month 00 (seen in a real plan): not the boxes'
            note(WARNING, seg, exc.reason, Said(N_("the message is read without this date")))
            return True
        if q == "137":
            h.prepared = when
        elif q in ("178", "132"):
            h.arrival = h.arrival if (q == "132" and h.arrival) else when
        elif q in ("136", "133"):
            h.departure = h.departure if (q == "133" and h.departure) else when
    elif tag == "TDT" and seg.get(0) == "20":
        h.voyage = seg.get(1)
        h.carrier = seg.get(4)
        ident, code_list, name = seg.get(7), seg.get(7, 1), seg.get(7, 3)
        if code_list == "146" or (ident.isdigit() and len(ident) == 7):
            h.imo = ident
        else:
            h.call_sign = ident
        h.vessel_name = name
    elif tag == "RFF" and seg.get(0, 0) == "VON":
        h.voyage = h.voyage or seg.get(0, 1)
    elif tag == "LOC" and seg.get(0) in ("5", "61"):
        if seg.get(0) == "5":
            h.port = locode(seg)
        else:
            h.next_port = locode(seg)
    elif tag == "NAD" and seg.get(0) == "CA" and not h.carrier:
        h.carrier = seg.get(1)
    elif tag in ("CNT", "UNS"):
        pass  # control totals: the reader counts for itself; UNS: section control (3.x)
    else:
        return False
    return True


def header_segments(h: Header, doc_code: str, function: str = "9") -> list:
    """BGM, DTM+137, TDT+20 (+RFF+VON), LOC+5/61, DTM arrival/departure."""
    out: list = [("BGM", doc_code, h.message_ref, function)]
    if h.prepared:
        out.append(dtm("137", h.prepared))
    if h.voyage or h.vessel_name:
        ident = [h.imo, "146", "11", h.vessel_name] if h.imo else \
            [h.call_sign, "103", "", h.vessel_name]
        out.append(("TDT", "20", h.voyage, "", "", [h.carrier, "172", "20"] if h.carrier else "",
                    "", "", ident))
        if h.voyage:
            out.append(("RFF", ["VON", h.voyage]))
    if h.port:
        out.append(("LOC", "5", [h.port, "139", "6"]))
    if h.next_port:
        out.append(("LOC", "61", [h.next_port, "139", "6"]))
    if h.arrival:
        out.append(dtm("178", h.arrival))
    if h.departure:
        out.append(dtm("136", h.departure))
    out += h.extra
    return out


# -- boxes -------------------------------------------------------------------------------------

def read_slot(seg: Segment) -> Slot:
    """``LOC+147+0100282::5``: BBBRRTT, also the older 6-digit BBRRTT and 5-digit BRRTT."""
    code = seg.get(1).strip()
    if not code.isdigit() or not 5 <= len(code) <= 7:
        raise seg.error(Said(N_("stowage position {code!r} is not bay/row/tier digits (BBBRRTT, "
                                "e.g. 0100282)"), code=code))
    code = code.zfill(7)
    return Slot(int(code[:3]), int(code[3:5]), int(code[5:]))


#: The doubt a box carries when its number's check digit is wrong (``StowedBox.doubts``).
CHECK_DIGIT = "check digit"
#: The doubt a box carries when its ISO 6346:1984 size/type code is one public sources do not
#: confirm (``portops.codes.size_type_doubt``): read as mapped, to be checked at the box.
SIZE_TYPE = "size/type"


def read_eqd(seg: Segment, *, size_required: bool = True) -> StowedBox | None:
    """``EQD+CN+CSQU3054383+45G1:102:5++3+5``: number, size/type, status, full/empty.

    Problems of one box are the box's, not the file's (see ``problems``): a wrong check
    digit takes the box in flagged (``doubts``); a number that is no container number or an
    unknown size/type skips the box (``None``)."""
    number = seg.get(1)
    if not number:
        note(BOX, seg, Said(N_("EQD+CN has no container number")), Said(N_("the box is skipped")))
        return None
    doubts = []
    try:
        number = parse_container_number(number)
    except CheckDigitError as exc:
        note(BOX, seg, reason(exc),
             Said(N_("taken in flagged for the tally and the gate to verify")))
        number, doubts = exc.number, [CHECK_DIGIT]
    except CodeError as exc:
        note(BOX, seg, reason(exc), Said(N_("the box is skipped")))
        return None
    size = code = seg.get(2) or seg.get(2, 3)
    if size:
        try:
            size, doubt = _size_type(code), _size_doubt(code)
        except CodeError as exc:
            note(BOX, seg, reason(exc), Said(N_("container {number} is skipped"), number=number))
            return None
        if doubt:
            what = (Said(N_("size/type {code!r} is a carrier's own code no public source "
                            "lists"), code=code)
                    if doubt == "carrier code" else
                    Said(N_("size/type {code!r} is an ISO 6346:1984 code whose {doubt} no "
                            "public source confirms"), code=code, doubt=_doubt_said(doubt)))
            note(WARNING, seg, Said(N_("{what}; read as {size}"), what=what, size=size),
                 Said(N_("container {number} is taken in flagged for the tally to check"),
                      number=number))
            doubts.append(SIZE_TYPE)
    elif size_required:
        note(BOX, seg, Said(N_("container {number} has no size/type code"), number=number),
             Said(N_("the box is skipped")))
        return None
    full_empty = seg.get(5)
    if full_empty not in ("", "4", "5"):
        raise seg.error(Said(N_("full/empty indicator {full_empty!r} must be 4 (empty) or 5 "
                                "(full)"), full_empty=full_empty))
    return StowedBox(number=number, size_type=size, status=seg.get(4), full=full_empty != "4",
                     segment=seg.number, doubts=doubts)


def eqd(box: StowedBox) -> tuple:
    return ("EQD", "CN", box.number, [box.size_type, "102", "5"] if box.size_type else "", "",
            box.status, "5" if box.full else "4")


def _kg(seg: Segment) -> int:
    unit, value = seg.get(2, 0), seg.get(2, 1)
    if not value.strip():
        raise seg.error(Said(N_("weight has no value")))
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        raise seg.error(Said(N_("weight {value!r} is not a number"), value=value)) from None
    if number < 0 or number > 200_000:
        raise seg.error(Said(N_("weight {value!r} {unit} is not plausible for a container"),
                             value=value, unit=unit))
    if unit in ("LBR", "LBS"):
        number *= 0.45359237
    elif unit not in ("KGM", "KG", ""):
        raise seg.error(Said(N_("weight unit {unit!r} is not understood (KGM or LBR)"), unit=unit))
    return round(number)


def read_box_segment(box: StowedBox, seg: Segment) -> bool:
    """Interpret one segment about ``box``; ``False`` when not understood (kept as extra)."""
    tag = seg.tag
    q = seg.get(0)
    if tag == "LOC":
        if q == "9" or (q == "6" and not box.pol):  # SMDG 1.5: 6 place of departure
            box.pol = locode(seg)
        elif q == "11" or (q == "12" and not box.pod):  # SMDG 1.5: 12 port of discharge
            box.pod = locode(seg)
        elif q in ("83", "7"):
            if q == "83" or not box.final_destination:
                box.final_destination = locode(seg)
        elif q == "147":
            if seg.get(1).strip():
                box.slot = read_slot(seg)
            else:  # LOC+147+:139:5 (a real discharge report, every box): no position given
                note(WARNING, seg, Said(N_("LOC+147 gives no stowage position")),
                     Said(N_("container {number} is read without one"), number=box.number))
        else:
            return False
    elif tag == "MEA":
        kinds = {q, seg.get(1)}
        if "VGM" in kinds:
            if not seg.get(2, 1).strip():  # MEA+VGM++KGM: common for empties, tranships
                box.vgm_kg = None
                note(WARNING, seg, Said(N_("MEA+VGM has no value")),
                     Said(N_("container {value} recorded without a VGM"),
                          value=box.number or 'at ' + str(box.slot)))
            else:
                box.vgm_kg = _kg(seg)
        elif kinds & {"WT", "G", "AET"}:
            box.gross_kg = _kg(seg)
        else:
            return False
    elif tag == "TMP" and q == "2":
        value, unit = seg.get(1, 0), seg.get(1, 1)
        try:
            temp = float(value.replace(",", "."))
        except ValueError:
            raise seg.error(Said(N_("reefer temperature {value!r} is not a number"),
                                 value=value)) from None
        box.reefer_temp_c = round((temp - 32) / 1.8, 1) if unit == "FAH" else temp
    elif tag == "DGS":
        box.dangerous.append(_read_dgs(seg))
    elif tag == "NAD" and q in ("CA", "CF"):
        # one string per line operator, not one per box (a bay plan names a dozen lines)
        box.operator = box.operator or sys.intern(seg.get(1))
    elif tag == "RFF" and q in ("BM", "BN"):
        if q == "BM":
            box.bl_number = seg.get(0, 1)
        else:
            box.booking_ref = seg.get(0, 1)
    elif tag == "SEL":
        if q:
            box.seals.append(q)
    elif tag == "FTX" and seg.get(3):
        box.remarks.append(sys.intern(":".join(c for c in seg[3] if c)))
        box.remark_segments.append(raw(seg))
    else:
        return False
    return True


def _read_dgs(seg: Segment) -> DangerousGoods:
    cls, un = seg.get(1), seg.get(2)
    if not cls:
        raise seg.error(Said(N_("DGS has no IMDG class")))
    if un and not (un.isdigit() and len(un) == 4):
        raise seg.error(Said(N_("UN number {un!r} is not 4 digits"), un=un))
    flash = None
    if seg.get(3):
        try:
            flash = float(seg.get(3).replace(",", "."))
        except ValueError:
            raise seg.error(Said(N_("flashpoint {seg!r} is not a number"),
                                 seg=seg.get(3))) from None
        if seg.get(3, 1) == "FAH":
            flash = round((flash - 32) / 1.8, 1)
    return DangerousGoods(cls, un, flash, seg.get(4), seg.get(5))


def dgs(d: DangerousGoods) -> tuple:
    flash = [f"{d.flashpoint_c:g}", "CEL"] if d.flashpoint_c is not None else ""
    return ("DGS", "IMD", d.imdg_class, d.un_number, flash, d.packing_group, d.ems)


def weight_segments(box: StowedBox, *, d95: bool) -> list:
    out = []
    if box.gross_kg is not None:
        out.append(("MEA", "WT", "", ["KGM", box.gross_kg]) if d95 else
                   ("MEA", "AAE", "G", ["KGM", box.gross_kg]))
    if box.vgm_kg is not None:
        out.append(("MEA", "VGM", "", ["KGM", box.vgm_kg]) if d95 else
                   ("MEA", "AAE", "VGM", ["KGM", box.vgm_kg]))
    return out


def place_segments(box: StowedBox) -> list:
    out = []
    for q, code in (("9", box.pol), ("11", box.pod), ("83", box.final_destination)):
        if code:
            out.append(("LOC", q, [code, "139", "6"]))
    return out


def reference_segments(box: StowedBox) -> list:
    out = []
    if box.bl_number:
        out.append(("RFF", ["BM", box.bl_number]))
    if box.booking_ref:
        out.append(("RFF", ["BN", box.booking_ref]))
    return out


def tmp(box: StowedBox) -> list:
    return [] if box.reefer_temp_c is None else \
        [("TMP", "2", [f"{box.reefer_temp_c:g}", "CEL"])]


def operator(box: StowedBox, qualifier: str = "CA") -> list:
    return [("NAD", qualifier, [box.operator, "172", "20"])] if box.operator else []


def seals(box: StowedBox) -> list:
    return [("SEL", s, "CA") for s in box.seals]


def remarks(box: StowedBox) -> list:
    """The box's FTX segments: as they came where read from a message, else ``FTX+AAI``."""
    kept = box.remark_segments
    return [kept[i] if i < len(kept) and kept[i] else ("FTX", "AAI", "", "", [r])
            for i, r in enumerate(box.remarks)]


def cargo_segments(box: StowedBox) -> list:
    """POL/POD, weights (D.00B form), reefer temperature and seals of an equipment group."""
    return place_segments(box) + weight_segments(box, d95=False) + tmp(box) + seals(box)


def closing_segments(box: StowedBox) -> list:
    """Remarks, operator (NAD+CF), dangerous goods and the kept unread segments."""
    return remarks(box) + operator(box, "CF") + [dgs(d) for d in box.dangerous] + box.extra


def one_interchange(identifier: tuple[str, ...], header: Header, body: list, *,
                    control_ref: str, prepared: datetime) -> str:
    return interchange_text([(identifier, body)], sender=header.sender,
                            recipient=header.recipient, control_ref=control_ref,
                            prepared=prepared)


def read_damage(seg: Segment) -> Damage:
    """``DAM+1+DT:::dent left side+LX``: damage type code, note, location on the box."""
    code = seg.get(1)
    if not code:
        raise seg.error(Said(N_("DAM has no damage type code")))
    return Damage(code, seg.get(2), seg.get(1, 3))


def dam(d: Damage) -> tuple:
    return ("DAM", "1", [d.code, "", "", d.note] if d.note else d.code, d.location)


# -- messages ----------------------------------------------------------------------------------

@contextmanager
def reading(source: str) -> Iterator[None]:
    """Around a reader: name the file in any EdifactError raised inside (``bayplan.edi:
    segment 12 (EQD): ...``), and pause the garbage collector while records are built."""
    try:
        with paused_gc(), sharing():
            yield
    except EdifactError as exc:
        if source and not exc.source:
            exc.at(source)
        raise


def messages_of(text: EdifactText, message_type: str) -> tuple[Interchange, list[Message]]:
    """The interchange and its messages of ``message_type``; refuses a file holding none."""
    inter = parse(text)
    found = [m for m in inter.messages if m.type == message_type]
    if not found:
        kinds = ", ".join(sorted({m.type for m in inter.messages}))
        raise inter.messages[0].segments[0].error(
            Said(N_("this is not a {message_type} message (UNH says {kinds})"),
                 message_type=message_type, kinds=kinds))
    return inter, found


def each_message(text: EdifactText, message_type: str
                 ) -> tuple[Interchange, Iterator[tuple[Message, Iterator[Segment]]]]:
    """The interchange and, as a stream, its messages of ``message_type`` each with its body
    (``interchange.open_interchange``: nothing kept but what the reader keeps); refuses a
    file holding none, once the stream has passed them all."""
    inter, messages = open_interchange(text)

    def only() -> Iterator[tuple[Message, Iterator[Segment]]]:
        first, kinds, found = None, set(), False
        for message, body in messages:
            first = first or message.segments[0]
            if message.type == message_type:
                found = True
                yield message, body
            else:
                kinds.add(message.type)
        if not found and first is not None:
            raise first.error(Said(N_("this is not a {message_type} message (UNH says {kinds})"),
                                   message_type=message_type, kinds=', '.join(sorted(kinds))))

    return inter, only()


def open_message(text: EdifactText, message_type: str, kinds: dict[str, str], expected: str
                 ) -> tuple[Interchange, list[Message], str]:
    """The interchange, its messages of ``message_type`` and their kind by BGM document code
    (``kinds``: code -> kind); an unknown code refuses with what was ``expected``."""
    inter, messages = messages_of(text, message_type)
    return inter, messages, message_kind(messages[0], message_type, kinds, expected)


def message_kind(message: Message, message_type: str, kinds: dict[str, str],
                 expected: str) -> str:
    """The kind of one message by its BGM document code; an unknown code refuses."""
    for seg in message.body:
        if seg.tag == "BGM":
            code, where = seg.get(0), seg
            break
    else:
        code, where = "", message.segments[0]
    if code not in kinds:
        raise where.error(Said(N_("{message_type} document code {value} is not {expected}"),
                               message_type=message_type, value=code or '(none)',
                               expected=expected))
    return kinds[code]


def peek_kind(message: Message, body: Iterator[Segment], message_type: str,
              kinds: dict[str, str], expected: str) -> tuple[str, Iterator[Segment]]:
    """The kind of a streamed message by its BGM document code, and its body with the
    segments read to find it put back in front (an unknown code refuses)."""
    head: list[Segment] = []
    code, where = "", message.segments[0]
    for seg in body:
        head.append(seg)
        if seg.tag == "BGM":
            code, where = seg.get(0), seg
            break
    if code not in kinds:
        raise where.error(Said(N_("{message_type} document code {value} is not {expected}"),
                               message_type=message_type, value=code or '(none)',
                               expected=expected))
    return kinds[code], itertools.chain(head, body)


def streamed_list(text: EdifactText, message_type: str, kinds: dict[str, str], expected: str
                  ) -> tuple[Header, str, Iterator[Segment]]:
    """The first message's header and kind, and the bodies of all messages of
    ``message_type`` one after the other, streamed (a COPRAR or CODECO of any size holds one
    box's segments at a time)."""
    inter, messages = each_message(text, message_type)
    message, body = next(messages)  # none at all: each_message refuses, naming what it holds
    kind, body = peek_kind(message, body, message_type, kinds, expected)

    def bodies() -> Iterator[Segment]:
        yield from body
        for _, rest in messages:
            yield from rest

    return new_header(message, inter), kind, bodies()


def read_equipment_groups(header: Header, body: Iterable[Segment],
                          special=None) -> list[tuple[StowedBox, dict]]:
    """Boxes of a message whose groups start at ``EQD+CN`` (COPRAR, COARRI, CODECO).

    ``special(box, seg, state)`` may claim a segment first (a COARRI time, a CODECO truck);
    ``state`` is a per-box dict it may fill. Returns (box, state) pairs."""
    out: list[tuple[StowedBox, dict]] = []
    numbers: dict[str, int] = {}
    slots: dict = {}
    box: StowedBox | None = None
    state: dict = {}
    skipping = False  # the segments of a box read_eqd skipped
    for seg in body:
        if seg.tag == "EQD" and seg.get(0) == "CN":
            _group_done(box, state, slots, out)
            box = read_eqd(seg, size_required=False)
            skipping = box is None
            if box is None:
                continue
            if box.number in numbers:
                raise seg.error(Said(N_("container {number} is given twice (first at segment "
                                        "{numbers})"),
                                     number=box.number, numbers=numbers[box.number]))
            numbers[box.number] = box.segment
            state = {}
            out.append((box, state))
        elif skipping:
            continue
        elif box is None:
            if not read_header_segment(header, seg):
                header.extra.append(raw(seg))
        elif seg.tag in ("CNT", "UNS") or special is not None and special(box, seg, state):
            continue
        elif not read_box_segment(box, seg):
            box.extra.append(raw(seg))
    _group_done(box, state, slots, out)
    return out


#: The state of every box a reader's ``special`` said nothing about (never changed after).
_NO_STATE: dict = {}


def _group_done(box: StowedBox | None, state: dict, slots: dict, out: list) -> None:
    """A box's group is read: its slot checked, and what it has not shared (its empty lists,
    an empty state), so that a list of any size costs its records and no more."""
    _check_slot(box, slots)
    if box is not None and out and out[-1][0] is box:
        compact(box)
        if not state:
            out[-1] = (box, _NO_STATE)


def _check_slot(box: StowedBox | None, slots: dict) -> None:
    if box is None or box.slot is None:
        return
    if box.slot in slots:
        raise EdifactError(Said(N_("stowage position {slot} is given to {number} and to {slots}"),
                                slot=box.slot, number=box.number,
                                slots=slots[box.slot]), box.segment, "EQD")
    slots[box.slot] = box.number
