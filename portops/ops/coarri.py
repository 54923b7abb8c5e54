"""A stevedore's or a partner terminal's COARRI, reconciled against the tally.

A COARRI discharge or load report says, box by box, what was handled for a call. When a
stevedore or a partner terminal sends one, the question is whether it agrees with what the
tally clerks recorded here: the boxes reported against the boxes tallied, and each difference
named (a box reported discharged and not tallied, tallied and not reported, reported
short-landed and tallied off the vessel, taken from or put into another slot).

:func:`reconcile_reports` compares and writes nothing but its audit event (who compared which
report, the counts and the differences): the tally stays the record; a difference is for a
person to settle (``discharge.confirm``, ``discharge.short_land``, ``load.confirm``). Each
message of an interchange is its own report (``read_coarri_reports``), each compared with its
own visit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlmodel import col

from portops.formats import registry
from portops.formats.edifact import files
from portops.formats.edifact.coarri import read_coarri_reports
from portops.formats.edifact.records import SHORT_LANDED, HandlingReport
from portops.i18n import N_, Message, Translate, as_is
from portops.model import (
    DischargeItem,
    DischargePlan,
    ItemStatus,
    LoadItem,
    LoadState,
    Role,
    VesselVisit,
)
from portops.ops.cargo_visits import LISTED, find_visit
from portops.ops.core import Term, Tx, operation
from portops.ops.report import counted

#: How each side says what happened to a box (the words of a difference).
REPORTED_OFF, REPORTED_ON, REPORTED_SHORT, NOT_REPORTED = (
    N_("discharged"), N_("loaded"), N_("short-landed"), N_("not in the report"))
# keyed by value: a state read back from the database may be the plain string
_TALLIED: dict[str, str] = {
    ItemStatus.DISCHARGED: N_("discharged"), ItemStatus.OVER: N_("discharged"),
    ItemStatus.SHORT: N_("short-landed"), ItemStatus.PLANNED: N_("not tallied yet"),
    LoadState.LOADED: N_("loaded"), LoadState.ROLLED: N_("rolled"),
    LoadState.PLANNED: N_("not loaded yet")}
NOT_PLANNED = N_("not on the plan")


@dataclass
class Reconciliation:
    """What the comparison found, for the CLI and the console."""

    visits: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    differences: list[Message] = field(default_factory=list)

    def summary(self, translate: Translate = as_is) -> str:
        return translate(N_("report reconciled with the tally of {visits}: {counts}")).format(
            visits=", ".join(self.visits), counts=counted(self.counts, translate))

    def details(self, translate: Translate = as_is) -> list[str]:
        return [d.text(translate) for d in self.differences]


def _slot(bay, row, tier) -> str:
    return f"{bay:03d}{row:02d}{tier:02d}" if bay is not None else ""


def _tally(tx: Tx, visit: VesselVisit, kind: str) -> dict[str, tuple[str, str]]:
    """Number -> (state, slot on board) of every box the visit's tally knows for ``kind``."""
    if kind == "discharge":
        plan = tx.session.execute(select(DischargePlan).where(
            col(DischargePlan.visit_id) == visit.id)).scalars().first()
        if plan is None:
            return {}
        return {i.number: (i.status, _slot(i.vessel_bay, i.vessel_row, i.vessel_tier))
                for i in tx.session.execute(select(DischargeItem).where(
                    col(DischargeItem.plan_id) == plan.id)).scalars()}
    return {i.number: (i.state, _slot(i.bay, i.row, i.tier)) for i in tx.session.execute(
        select(LoadItem).where(col(LoadItem.visit_id) == visit.id)).scalars()}


def _compare(report: HandlingReport, tally: dict[str, tuple[str, str]], where: str
             ) -> tuple[dict[str, int], list[Message]]:
    done = ItemStatus.DISCHARGED, ItemStatus.OVER, LoadState.LOADED
    reported: dict[str, tuple[str, str]] = {}
    for move in report.moves:
        said = (REPORTED_SHORT if move.condition == SHORT_LANDED else
                REPORTED_OFF if report.kind == "discharge" else REPORTED_ON)
        reported[move.box.number] = (said, move.box.slot.code if move.box.slot else "")
    differences: list[Message] = []
    agree = 0
    for number, (said, slot) in reported.items():
        state, planned_slot = tally.get(number, (None, ""))
        tallied = _TALLIED[state] if state is not None else NOT_PLANNED
        if said != tallied:
            differences.append(Message(
                N_("{where}: container {number}: reported {said}, tallied {tallied}"),
                where=where, number=number, said=Term(said), tallied=Term(tallied)))
        elif slot and planned_slot and slot != planned_slot and said != REPORTED_SHORT:
            differences.append(Message(
                N_("{where}: container {number}: reported at slot {slot}, the plan has "
                   "{planned}"), where=where, number=number, slot=slot, planned=planned_slot))
        else:
            agree += 1
    handled = [n for n, (state, _) in tally.items() if state in done]
    for number in handled:
        if number not in reported:
            differences.append(Message(
                N_("{where}: container {number}: tallied {tallied}, {said}"), where=where,
                number=number, tallied=Term(_TALLIED[tally[number][0]]),
                said=Term(NOT_REPORTED)))
    counts = {N_("reported"): len(reported), N_("tallied"): len(handled), N_("agree"): agree,
              N_("differences"): len(differences)}
    return counts, differences


@operation("tally.reconcile", Role.TALLY_CLERK, Role.DISPATCHER,
           log_args=("source", "visit_key"))
def reconcile_reports(tx: Tx, reports: list[HandlingReport], source: str = "",
                      visit_key: str | None = None, force: bool = False) -> Reconciliation:
    """Compare each COARRI report with the tally of its visit; record what differs."""
    out = Reconciliation()
    found: list[tuple[HandlingReport, VesselVisit, dict]] = []
    # every report's visit first (finding one may refuse at once), then every tally rule, so
    # that a refusal lists each report's
    visits = [find_visit(tx, r.header, visit_key, N_("discharge report") if r.kind ==
                         "discharge" else N_("load report"), force) for r in reports]
    for report, visit in zip(reports, visits, strict=True):
        tally = _tally(tx, visit, report.kind)
        tx.rule(tally, "tally.reconcile.nothing",
                N_("visit {visit} has no {kind} tally to compare the report with"),
                N_("reconcile once the visit's discharge or load plan is made and tallied"),
                where=source, visit=visit.key, kind=Term(report.kind))
        found.append((report, visit, tally))
    tx.ensure()
    recorded = []
    for report, visit, tally in found:
        tx.about("visit", visit.id, visit.key)
        if visit.key not in out.visits:
            out.visits.append(visit.key)
        counts, differences = _compare(report, tally, source or "report")
        for k, v in counts.items():
            out.counts[k] = out.counts.get(k, 0) + v
        out.differences += differences
        recorded.append({"visit": visit.key, "kind": report.kind, "counts": counts,
                         "differences": [d.text() for d in differences[:LISTED * 5]]})
    tx.record(source=source[-256:], reports=recorded)
    return out


registry.register("coarri", sniff=files.sniffer("COARRI"),
                  parse=files.parser(read_coarri_reports, "reports"),
                  operation=reconcile_reports,
                  summary=N_("discharge or load report (COARRI), reconciled with the tally"))
