"""The CODECO gate-out report for one box leaving by truck (terminal -> line).

:class:`GateMove` is the plain data a gate-out hands over; :func:`codeco` turns it into a
UN/EDIFACT CODECO D.95B (SMDG ITG 1.4 style) message with ``BGM+36`` (gate-out). This is the
gate's narrow interface to the EDIFACT writer owned by ``portops.formats.edifact``: once that
writer is on main, :func:`codeco` delegates to it and this module keeps only the mapping.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class GateMove:
    reference: str  # message / interchange reference (the EIR number)
    container: str
    size_type: str
    full: bool
    operator: str  # line (NAD+CA)
    seals: tuple[str, ...]
    plate: str
    haulier: str
    at: datetime  # aware UTC
    locode: str
    bl_number: str = ""
    damage: str = ""
    sender: str = "PORTOPS"
    recipient: str = ""


def _esc(value: str) -> str:
    out = []
    for ch in value:
        if ch in "?+:'":
            out.append("?")
        out.append(ch)
    return "".join(out)


def codeco(move: GateMove) -> str:
    """The CODECO gate-out message for ``move``, one segment per line."""
    ref = _esc(move.reference[:14])
    at = move.at
    body = [
        f"UNH+{ref}+CODECO:D:95B:UN:ITG14",
        f"BGM+36+{ref}+9",
        f"NAD+MS+{_esc(move.sender)}",
        f"NAD+CA+{_esc(move.operator or 'ZZZ')}:160:ZZZ",
        f"EQD+CN+{move.container}+{_esc(move.size_type)}:102:5++3+{4 if move.full else 5}",
    ]
    if move.bl_number:
        body.append(f"RFF+BM:{_esc(move.bl_number)}")
    body += [f"DTM+7:{at:%Y%m%d%H%M}:203", f"LOC+165+{move.locode}:139:6"]
    body += [f"SEL+{_esc(s)}+CA" for s in move.seals]
    if move.damage:
        body.append(f"FTX+DAR+++{_esc(move.damage[:70])}")
    body.append(f"TDT+1++3+31+{_esc(move.haulier)}:172:ZZZ+++{_esc(move.plate)}:146::"
                f"{_esc(move.plate)}")
    body.append("CNT+16:1")
    body.append(f"UNT+{len(body) + 1}+{ref}")
    head = [f"UNB+UNOC:3+{_esc(move.sender)}+{_esc(move.recipient or move.operator or 'ZZZ')}"
            f"+{at:%y%m%d}:{at:%H%M}+{ref}"]
    return "UNA:+.? '\n" + "'\n".join(head + body + [f"UNZ+1+{ref}"]) + "'\n"
