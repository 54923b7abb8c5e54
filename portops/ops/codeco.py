"""A CODECO from a line or a depot, reconciled against this terminal's gate record.

Lines and depots keep their own record of what passed the terminal's gate (a line's
equipment control, the depot that trucks the empties) and send it back as CODECO gate-in
(``BGM+34``) and gate-out (``BGM+36``) reports. The question for the gate is whether they
agree with the interchanges issued here (``Eir``): :func:`reconcile_gate_reports` compares
each reported move with the terminal's EIR for that box and direction (the one the report
names by its EIR number, ``RFF+ZZZ``, else the nearest in time) and names each difference: a
move with no interchange recorded here, another truck, a time more than
:data:`SLACK_MINUTES` apart. It writes nothing but its audit event: the EIR is the
terminal's record.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlmodel import col

from portops.formats import registry
from portops.formats.edifact import files
from portops.formats.edifact.codeco import read_codeco
from portops.formats.edifact.records import GATE_IN, GateReport
from portops.i18n import N_, Message, Translate, as_is
from portops.model import Eir, Role
from portops.ops.cargo_visits import LISTED
from portops.ops.core import Term, Tx, operation
from portops.ops.report import counted

#: How far apart (minutes) a reported gate time may be from the EIR's and still agree.
SLACK_MINUTES = 120
#: The report's direction, as a difference names it (``records.GATE_IN`` / ``GATE_OUT``).
DIRECTIONS = (N_("gate-in"), N_("gate-out"))


@dataclass
class GateReconciliation:
    counts: dict[str, int] = field(default_factory=dict)
    differences: list[Message] = field(default_factory=list)

    def summary(self, translate: Translate = as_is) -> str:
        return translate(N_("gate report reconciled with the gate record: {counts}")).format(
            counts=counted(self.counts, translate))

    def details(self, translate: Translate = as_is) -> list[str]:
        return [d.text(translate) for d in self.differences]


def _plate(value: str) -> str:
    return "".join(ch for ch in value.upper() if ch.isalnum())


@operation("gate.reconcile", Role.GATE_CLERK, Role.DISPATCHER, log_args=("source",))
def reconcile_gate_reports(tx: Tx, report: GateReport, source: str = "") -> GateReconciliation:
    """Compare each move of a line's or depot's CODECO with the EIRs issued here."""
    tx.about("feed", None, source[-64:])
    direction = "in" if report.direction == GATE_IN else "out"
    numbers = sorted({m.box.number for m in report.moves})
    eirs: dict[str, list[Eir]] = {}
    for eir in tx.session.execute(select(Eir).where(
            col(Eir.container_number).in_(numbers), col(Eir.direction) == direction)).scalars():
        eirs.setdefault(eir.container_number, []).append(eir)
    where = source or "report"
    out = GateReconciliation()
    agree = 0
    for move in report.moves:
        number = move.box.number
        found = eirs.get(number, [])
        eir = next((e for e in found if move.eir and e.number == move.eir), None)
        if eir is None and found:
            eir = min(found, key=lambda e: abs((e.issued_at - move.at).total_seconds())
                      if move.at else 0)
        before = len(out.differences)
        if eir is None:
            out.differences.append(Message(
                N_("{where}: container {number}: reported {direction}, no such gate move "
                   "recorded here"), where=where, number=number,
                direction=Term(report.direction)))
            continue
        if move.truck_plate and eir.plate and _plate(move.truck_plate) != _plate(eir.plate):
            out.differences.append(Message(
                N_("{where}: container {number}: reported on truck {plate}, EIR {eir} has "
                   "{recorded}"), where=where, number=number, plate=move.truck_plate,
                eir=eir.number, recorded=eir.plate))
        if move.at is not None:
            minutes = round(abs((eir.issued_at - move.at).total_seconds()) / 60)
            if minutes > SLACK_MINUTES:
                out.differences.append(Message(
                    N_("{where}: container {number}: reported {minutes} min from the time of "
                       "EIR {eir}"), where=where, number=number, minutes=minutes,
                    eir=eir.number))
        agree += len(out.differences) == before
    out.counts = {N_("reported"): len(report.moves), N_("agree"): agree,
                  N_("differences"): len(out.differences)}
    tx.record(source=source[-256:], direction=report.direction, counts=out.counts,
              differences=[d.text() for d in out.differences[:LISTED * 5]])
    return out


registry.register("codeco", sniff=files.sniffer("CODECO"),
                  parse=files.parser(read_codeco, "report"), operation=reconcile_gate_reports,
                  summary=N_("gate-in or gate-out report from a line or depot (CODECO), "
                  "reconciled with the gate record"))
