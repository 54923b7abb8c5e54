"""COARRI, the terminal's discharge or load report to the line (the tally report): read, write.

``BGM`` 44 (D.95B) / 119 (D.00B) is a discharge report, 46 / 122 a load report. One group per
box, starting at ``EQD+CN``: references, the stowage position it came from or went to
(``LOC+147``), POL/POD, weights, seals, reefer temperature, dangerous goods, when it was
handled (``DTM+203``) and damage (``DAM``). A box not handled as ordered carries
``FTX+AAI++OVL`` (over-landed: discharged though not on the plan) or ``FTX+AAI++SHL``
(short-landed: on the plan, not found on board).
"""

from __future__ import annotations

from datetime import datetime

from portops.formats.edifact import fields as f
from portops.formats.edifact.records import (
    AS_ORDERED,
    OVER_LANDED,
    SHORT_LANDED,
    HandledBox,
    HandlingReport,
    StowedBox,
)
from portops.formats.edifact.syntax import EdifactError, EdifactText, Segment
from portops.i18n import N_, Said

KINDS = {"44": "discharge", "119": "discharge", "46": "load", "122": "load"}
DOC_CODE = {"discharge": "44", "load": "46"}
IDENTIFIER = ("COARRI", "D", "95B", "UN", "SMDG16")
_CONDITION_CODE = {OVER_LANDED: "OVL", SHORT_LANDED: "SHL"}
_CONDITION = {v: k for k, v in _CONDITION_CODE.items()}


def read_coarri(text: EdifactText, source: str = "") -> HandlingReport:
    """Read a COARRI interchange into one :class:`HandlingReport` (all its messages, which
    must be of one kind: a discharge and a load message together are refused, use
    :func:`read_coarri_reports`)."""
    reports = read_coarri_reports(text, source)
    kinds = sorted({r.kind for r in reports})
    if len(kinds) > 1:
        raise EdifactError(Said(N_("the interchange holds {kinds} reports; read each message on "
                                   "its own"), kinds=Said(N_("discharge and load"))
                                if kinds == ["discharge", "load"] else " and ".join(kinds)),
                           source=source)
    report = reports[0]
    for other in reports[1:]:
        report.moves += other.moves
    return report


def read_coarri_reports(text: EdifactText, source: str = "") -> list[HandlingReport]:
    """Each COARRI message of an interchange as its own :class:`HandlingReport`, with its
    own kind (a stevedore's interchange may carry a discharge and a load report)."""
    with f.reading(source):
        inter, messages = f.each_message(text, "COARRI")  # streamed
        out = []
        for message, body in messages:
            kind, body = f.peek_kind(message, body, "COARRI", KINDS, "a discharge report (44 "
                                     "or 119) or a load report (46 or 122)")
            report = HandlingReport(f.new_header(message, inter), kind)
            groups = f.read_equipment_groups(report.header, body, _special)
            report.moves = [HandledBox(box, st.get("at"), st.get("condition", AS_ORDERED),
                                       st.get("damage", [])) for box, st in groups]
            out.append(report)
        return out


def _special(box: StowedBox, seg: Segment, state: dict) -> bool:
    if seg.tag == "DTM" and seg.get(0) == "203":
        state["at"] = f.read_datetime(seg)
    elif seg.tag == "FTX" and seg.get(0) == "AAI" and seg.get(2) in _CONDITION:
        state["condition"] = _CONDITION[seg.get(2)]
    elif seg.tag == "DAM":
        state.setdefault("damage", []).append(f.read_damage(seg))
    else:
        return False
    return True


def coarri_segments(report: HandlingReport) -> list:
    if report.kind not in DOC_CODE:
        raise ValueError(Said(N_("report kind {kind!r} is neither discharge nor load"),
                              kind=report.kind))
    body = f.header_segments(report.header, DOC_CODE[report.kind], "9")
    for move in report.moves:
        box = move.box
        body.append(f.eqd(box))
        body += f.reference_segments(box)
        if box.slot is not None:
            body.append(("LOC", "147", [box.slot.code, "", "5"]))
        body += f.cargo_segments(box)
        if move.at is not None:
            body.append(f.dtm("203", move.at))
        body += [f.dam(d) for d in move.damage]
        if move.condition != AS_ORDERED:
            body.append(("FTX", "AAI", "", _CONDITION_CODE[move.condition]))
        body += f.closing_segments(box)
    body.append(("CNT", ["16", str(len(report.moves))]))
    return body


def write_coarri(report: HandlingReport, *, control_ref: str, prepared: datetime) -> str:
    """A COARRI interchange: the discharge or load report for one vessel call."""
    return f.one_interchange(IDENTIFIER, report.header, coarri_segments(report),
                             control_ref=control_ref, prepared=prepared)
