"""The CODECO gate report for one box passing the gate by truck, through the EDIFACT writer.

Only the mapping lives here (what the out-gate knows -> ``GateReport``); the message itself is
written by :func:`portops.formats.edifact.codeco.write_codeco`, and reads back with
:func:`~portops.formats.edifact.codeco.read_codeco`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from portops.formats.edifact.codeco import write_codeco
from portops.formats.edifact.records import (
    GATE_IN,
    GATE_OUT,
    Damage,
    GateMove,
    GateReport,
    Header,
    StowedBox,
)


@dataclass(frozen=True)
class GateOut:
    eir: str  # the EIR number: message and interchange reference
    container: str
    size_type: str
    full: bool
    operator: str  # the line the report goes to
    seals: tuple[str, ...]
    plate: str
    haulier: str
    driver: str
    at: datetime  # aware UTC
    terminal: str  # sender
    bl_number: str = ""
    damage: str = ""  # found at the gate, free text; empty = intact
    direction: str = GATE_OUT  # GATE_IN for an export box received (BGM+34)
    booking_ref: str = ""


def codeco(move: GateOut) -> str:
    """The CODECO for one gate move: BGM+36 gate-out, or BGM+34 gate-in (``direction``)."""
    box = StowedBox(move.container, move.size_type, full=move.full, operator=move.operator,
                    seals=list(move.seals), bl_number=move.bl_number,
                    booking_ref=move.booking_ref,
                    status="2" if move.direction == GATE_IN else "3")
    damage = [Damage("ZZ", note=move.damage[:70])] if move.damage else []
    report = GateReport(Header(sender=move.terminal, recipient=move.operator or "ZZZ",
                               message_ref=move.eir, message_type="CODECO", prepared=move.at),
                        move.direction, [GateMove(box, move.direction, move.at, move.plate, move.haulier,
                                            move.driver, move.eir, damage)])
    return write_codeco(report, control_ref=move.eir[-14:], prepared=move.at)
