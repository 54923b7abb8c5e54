"""Read-only views of discharge: the plan, the tally report (理货报告), late reports.

Plain dataclasses for screens, the CLI and the COARRI export; nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from portops.clock import local
from portops.damage import DAMAGE_CODES
from portops.i18n import N_, Translate, as_is
from portops.model import (
    Container,
    DischargeItem,
    DischargePlan,
    ItemStatus,
    Terminal,
    Vessel,
    VesselVisit,
    YardBlock,
)
from portops.model.base import pk
from portops.ops.tally import REPORT_DUE_HOURS


@dataclass(frozen=True)
class TallyLine:
    number: str
    size_type: str
    status: str  # discharged / over / short
    vessel_slot: str  # BBBRRTT, "" if unknown
    yard_slot: str  # block-bay-row-tier, "" if none
    number_read: str = ""
    seal: str = ""
    seal_ok: bool | None = None
    damage_codes: tuple[str, ...] = ()
    damage_note: str = ""
    note: str = ""
    at: datetime | None = None
    by: str = ""
    #: The seal(s) the line declared (bay plan, discharge list, manifest), comma-separated.
    seal_booked: str = ""


@dataclass
class TallyReport:
    visit_key: str
    vessel: str
    imo: str
    call_sign: str
    voyage: str
    operator: str
    port: str
    started_at: datetime | None
    completed_at: datetime | None
    reported_at: datetime | None
    planned: int
    lines: list[TallyLine] = field(default_factory=list)

    def of(self, status: str) -> list[TallyLine]:
        return [ln for ln in self.lines if ln.status == status]

    @property
    def damaged(self) -> list[TallyLine]:
        return [ln for ln in self.lines if ln.damage_codes]

    @property
    def seal_problems(self) -> list[TallyLine]:
        return [ln for ln in self.lines if ln.status != ItemStatus.SHORT and ln.seal_ok is False]


def _slot(block: str | None, bay, row, tier) -> str:
    return f"{block}-{bay:02d}-{row}-{tier}" if block else ""


def tally_report(session: Session, visit_id: int) -> TallyReport | None:
    """The tally report of a visit's discharge, or None if it has no discharge plan."""
    visit = session.get(VesselVisit, visit_id)
    plan = session.exec(select(DischargePlan).where(
        DischargePlan.visit_id == visit_id)).first() if visit else None
    if visit is None or plan is None:
        return None
    vessel = session.get(Vessel, visit.vessel_id)
    terminal = session.exec(select(Terminal)).first()
    names = {b.id: b.name for b in session.exec(select(YardBlock))}
    items = session.exec(select(DischargeItem).where(DischargeItem.plan_id == plan.id).order_by(
        col(DischargeItem.crane), col(DischargeItem.seq), col(DischargeItem.id))).all()
    booked = dict(session.exec(select(Container.id, Container.seals).where(
        col(Container.id).in_({i.container_id for i in items if i.container_id} or {0}))).all())
    lines = []
    for i in items:
        vslot = (f"{i.vessel_bay:03d}{i.vessel_row:02d}{i.vessel_tier:02d}"
                 if i.vessel_bay is not None else "")
        if i.status in (ItemStatus.DISCHARGED, ItemStatus.OVER):
            yslot = _slot(names.get(i.actual_block_id), i.actual_bay, i.actual_row, i.actual_tier)
        elif i.status == ItemStatus.PLANNED:
            yslot = _slot(names.get(i.yard_block_id), i.yard_bay, i.yard_row, i.yard_tier)
        else:
            yslot = ""
        lines.append(TallyLine(i.number, i.size_type, str(i.status), vslot, yslot,
                               i.number_read, i.seal_read, i.seal_ok,
                               tuple(c for c in i.damage_codes.split(",") if c),
                               i.damage_note, i.note, i.tallied_at, i.tallied_by or "",
                               booked.get(i.container_id) or ""))
    return TallyReport(visit.key, vessel.name if vessel else "", vessel.imo if vessel else "",
                       vessel.call_sign if vessel else "", visit.voyage_in,
                       visit.line_operator, terminal.locode if terminal else "",
                       plan.started_at, plan.completed_at, plan.reported_at,
                       sum(1 for i in items if i.status != ItemStatus.OVER), lines)


def render_tally_report(r: TallyReport, tz: str = "UTC", translate: Translate = as_is) -> str:
    """The tally report as text a line's agent reads (and prints), in the language of
    ``translate`` (English by default; ``portops export tally-report --lang zh_CN`` in
    Chinese). Container numbers, size/types, slots and damage codes stay as they are."""
    tr = translate

    def t(when):
        return local(when, tz).strftime("%Y-%m-%d %H:%M") if when else "-"

    done, over, short = r.of(ItemStatus.DISCHARGED), r.of(ItemStatus.OVER), r.of(ItemStatus.SHORT)
    out = [tr(N_("TALLY REPORT — discharge — {vessel} (IMO {imo}) voyage {voyage} [{visit}] "
                 "at {port}")).format(vessel=r.vessel, imo=r.imo, voyage=r.voyage,
                                      visit=r.visit_key, port=r.port),
           tr(N_("Operator {operator}. Discharge started {started}, completed {completed} "
                 "({tz}).")).format(operator=r.operator, started=t(r.started_at),
                                    completed=t(r.completed_at), tz=tz),
           tr(N_("Planned {planned}; discharged as planned {done}; over-landed {over}; "
                 "short-landed {short}; damaged {damaged}; seal discrepancies {seals}."))
           .format(planned=r.planned, done=len(done), over=len(over), short=len(short),
                   damaged=len(r.damaged), seals=len(r.seal_problems)), ""]
    none = "  " + tr("none")

    def table(title: str, rows: list[TallyLine]) -> None:
        out.append(tr(N_("{title} ({n})")).format(title=tr(title), n=len(rows)))
        if not rows:
            out.append(none)
        for ln in rows:
            seal = ln.seal or "-"
            if ln.seal_ok is False:
                seal += " " + tr(N_("(differs from manifest)"))
            dmg = tr(", ").join(f"{c} {tr(DAMAGE_CODES[c])}" if c in DAMAGE_CODES else c
                                for c in ln.damage_codes)
            extra = "; ".join(x for x in (
                dmg and tr(N_("damage {codes}")).format(codes=dmg), ln.damage_note, ln.note)
                if x)
            read = " " + tr(N_("read {number}")).format(number=ln.number_read) \
                if ln.number_read and ln.number_read.replace(" ", "").upper() != ln.number \
                else ""
            out.append(f"  {ln.number}{read} " + tr(N_(
                "{size_type} bay {bay} -> {yard} seal {seal} {at}")).format(
                    size_type=ln.size_type, bay=ln.vessel_slot or "-", yard=ln.yard_slot or "-",
                    seal=seal, at=t(ln.at)) + (f" — {extra}" if extra else ""))
        out.append("")

    out.append(tr(N_("{title} ({n})")).format(title=tr(N_("Seal discrepancies")),
                                              n=len(r.seal_problems)))
    out += ["  " + tr(N_("{number} {size_type} seal booked {booked}, found {found} {at}")).format(
        number=ln.number, size_type=ln.size_type, booked=ln.seal_booked or "-",
        found=ln.seal or "-", at=t(ln.at)) for ln in r.seal_problems] or [none]
    out.append("")
    table(N_("Over-landed (discharged, not on the plan)"), over)
    table(N_("Short-landed (on the plan, not discharged)"), short)
    table(N_("Damaged"), r.damaged)
    table(N_("Discharged"), done)
    return "\n".join(out).rstrip() + "\n"


@dataclass(frozen=True)
class LateReport:
    visit_id: int
    visit_key: str
    completed_at: datetime
    due_at: datetime
    overdue_by: timedelta


def late_tally_reports(session: Session, now: datetime) -> list[LateReport]:
    """Discharges completed more than 6 hours ago whose tally report has not gone out."""
    due = now - timedelta(hours=REPORT_DUE_HOURS)
    completed = col(DischargePlan.completed_at)
    rows = session.exec(select(DischargePlan, VesselVisit).join(
        VesselVisit, col(VesselVisit.id) == col(DischargePlan.visit_id)).where(
        completed.is_not(None), col(DischargePlan.reported_at).is_(None),
        completed < due)).all()
    late = []
    for p, v in rows:
        if p.completed_at is not None:  # (the query asked for it)
            due_at = p.completed_at + timedelta(hours=REPORT_DUE_HOURS)
            late.append(LateReport(pk(v), v.key, p.completed_at, due_at, now - due_at))
    return late
