"""VERMAS, the verified gross mass declaration (SOLAS VI/2): read.

A shipper, forwarder or line declares each export box's VGM (D.16A, SMDG/ITIGG VERMAS
guide). One group per box from ``EQD+CN``: its booking (``RFF+BN``), the VGM
(``MEA+AAE+VGM+KGM:<value>``), when it was determined (``DTM+798``), the weighing method
(``DOC+SM1``/``SM2``), and who is responsible for it (``NAD+SPC``, the party that signs) —
its name or, failing that, its code.

A box declared without a value (``MEA+AAE+VGM+KGM``) or without the VGM segment declares
nothing: it is a problem of that box (skipped, the rest read), not of the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from portops.formats.edifact import fields as f
from portops.formats.edifact.problems import BOX, note
from portops.formats.edifact.records import Header, StowedBox
from portops.formats.edifact.syntax import EdifactText, Segment
from portops.i18n import N_, Said


@dataclass(slots=True)
class VgmDeclaration:
    """One box's declared VGM."""

    number: str
    vgm_kg: int
    booking_ref: str = ""
    determined_at: datetime | None = None
    method: str = ""  # SM1 weighed whole, SM2 contents added to the tare
    responsible: str = ""  # NAD+SPC: the party that signs the VGM
    segment: int = 0
    doubts: list[str] = field(default_factory=list)


@dataclass
class VgmDeclarations:
    """A VERMAS: the declarations of one or more messages."""

    header: Header
    declarations: list[VgmDeclaration] = field(default_factory=list)


def read_vermas(text: EdifactText, source: str = "") -> VgmDeclarations:
    """Read a VERMAS interchange (a string or an open text file)."""
    with f.reading(source):
        inter, messages = f.messages_of(text, "VERMAS")
        out = VgmDeclarations(f.new_header(messages[0], inter))
        for message in messages:
            for box, state in f.read_equipment_groups(out.header, message.body, _special):
                if box.vgm_kg is None:
                    where = state.get("mea") or _eqd(message.body, box)
                    note(BOX, where, Said(N_("container {number} is declared without a VGM value"),
                                          number=box.number), Said(N_("the box is skipped")))
                    continue
                out.declarations.append(VgmDeclaration(
                    box.number, box.vgm_kg, box.booking_ref, state.get("at"),
                    state.get("method", ""), state.get("responsible", ""), box.segment,
                    list(box.doubts)))
        return out


def _eqd(body: list[Segment], box: StowedBox) -> Segment:
    return next(s for s in body if s.number == box.segment)


def _special(box: StowedBox, seg: Segment, state: dict) -> bool:
    tag, q = seg.tag, seg.get(0)
    if tag == "DTM" and q == "798":
        state["at"] = f.read_datetime(seg)
    elif tag == "DOC" and q in ("SM1", "SM2"):
        state["method"] = q
    elif tag == "NAD" and q == "SPC":
        state["responsible"] = seg.get(3) or seg.get(2) or seg.get(1)
    elif tag == "MEA" and "VGM" in (q, seg.get(1)):
        state["mea"] = seg
        # without a value it declares nothing (a problem of the box, below); with one it is
        # read as in every message (fields.read_box_segment: kg, pounds converted)
        return not seg.get(2, 1).strip()
    else:
        # the declaration's other segments (contacts, places, documents) are not the box's;
        # nothing of a VERMAS is written out again, so they are not kept
        return tag in ("NAD", "DOC", "DTM", "TDT", "LOC", "CTA", "COM", "ATT")
    return True
