"""CODECO, the gate report to the line: read, write.

``BGM+34`` is a gate-in report, ``BGM+36`` a gate-out report. One group per box from
``EQD+CN``: references (``RFF+BN`` booking, ``RFF+BM`` B/L, ``RFF+ZZZ`` our EIR number),
when (``DTM+7``), weights, seals, damage found at the gate (``DAM``), the truck
(``TDT+1++3+31+<haulier>+++<plate>``) and its driver (``NAD+DR+++<name>``), operator
(``NAD+CF``).
"""

from __future__ import annotations

from datetime import datetime

from portops.formats.edifact import fields as f
from portops.formats.edifact.records import GATE_IN, GATE_OUT, GateMove, GateReport, StowedBox
from portops.formats.edifact.syntax import EdifactText, Segment

DIRECTIONS = {"34": GATE_IN, "36": GATE_OUT}
DOC_CODE = {GATE_IN: "34", GATE_OUT: "36"}
IDENTIFIER = ("CODECO", "D", "95B", "UN", "ITG14")


def read_codeco(text: EdifactText, source: str = "") -> GateReport:
    """Read a CODECO interchange into a :class:`GateReport`."""
    with f.reading(source):
        header, direction, body = f.streamed_list(text, "CODECO", DIRECTIONS,
                                                  "gate-in (34) or gate-out (36)")
        report = GateReport(header, direction)
        groups = f.read_equipment_groups(header, body, _special)
        report.moves = [GateMove(box, report.direction, st.get("at"), st.get("plate", ""),
                                 st.get("haulier", ""), st.get("driver", ""), st.get("eir", ""),
                                 st.get("damage", [])) for box, st in groups]
        return report


def _special(box: StowedBox, seg: Segment, state: dict) -> bool:
    tag, q = seg.tag, seg.get(0)
    if tag == "DTM" and q == "7":
        state["at"] = f.read_datetime(seg)
    elif tag == "TDT" and q == "1":
        state["haulier"], state["plate"] = seg.get(4), seg.get(7)
    elif tag == "NAD" and q == "DR":
        state["driver"] = seg.get(3)
    elif tag == "RFF" and q == "ZZZ":
        state["eir"] = seg.get(0, 1)
    elif tag == "DAM":
        state.setdefault("damage", []).append(f.read_damage(seg))
    else:
        return False
    return True


def codeco_segments(report: GateReport) -> list:
    body = f.header_segments(report.header, DOC_CODE[report.direction], "9")
    for move in report.moves:
        box = move.box
        body.append(f.eqd(box))
        body += f.reference_segments(box)
        if move.eir:
            body.append(("RFF", ["ZZZ", move.eir]))
        if move.at is not None:
            body.append(f.dtm("7", move.at))
        body += f.cargo_segments(box)
        body += [f.dam(d) for d in move.damage]
        if move.truck_plate or move.haulier:
            body.append(("TDT", "1", "", "3", "31", move.haulier, "", "", move.truck_plate))
        if move.driver:
            body.append(("NAD", "DR", "", "", move.driver))
        body += f.closing_segments(box)
    body.append(("CNT", ["16", str(len(report.moves))]))
    return body


def write_codeco(report: GateReport, *, control_ref: str, prepared: datetime) -> str:
    """A CODECO interchange: gate-in or gate-out report (one message, any number of boxes)."""
    return f.one_interchange(IDENTIFIER, report.header, codeco_segments(report),
                             control_ref=control_ref, prepared=prepared)
