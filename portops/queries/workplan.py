"""Gathering the day-and-night work plan from the schedule, and the last issued plan.

Other areas add a section per shift with :func:`register_section` (the gate adds its
appointments): a function ``rows(session, start, end) -> list[dict]`` for one shift's window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from portops.clock import as_utc
from portops.i18n import N_, Message
from portops.model import (
    Appointment,
    AppointmentSlot,
    ApptState,
    Berth,
    ChecklistStep,
    Phase,
    Receival,
    ReceivalState,
    Vessel,
    VesselVisit,
    WorkPlanIssue,
)
from portops.model.base import pk
from portops.ops.berthplan import terminal_settings
from portops.planning import workplan as wp

Section = Callable[[Session, datetime, datetime], list[dict[str, Any]]]
#: Extra sections of the plan, by name, in the order they print.
SECTIONS: dict[str, Section] = {}


def register_section(name: str, rows: Section) -> None:
    SECTIONS[name] = rows


def gate_appointments(session: Session, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """The gate's section of a shift: each appointment slot starting in it with the trucks
    booked to collect import boxes (pickups, against the slot's capacity) and to bring export
    boxes (deliveries). Cancelled appointments are not counted; slots with none are left out."""
    tz = ZoneInfo(terminal_settings(session).timezone)
    rows: dict[datetime, dict[str, Any]] = {}

    def row(at: datetime, until: datetime | None = None) -> dict[str, Any]:
        span = f"{at.astimezone(tz):%H:%M}" + (f"–{until.astimezone(tz):%H:%M}" if until else "")
        return rows.setdefault(at, {N_("slot"): span, N_("pickups"): 0, N_("capacity"): "—",
                                    N_("deliveries"): 0})

    slot_start, slot_end, capacity_ = (col(AppointmentSlot.start), col(AppointmentSlot.end),
                                       col(AppointmentSlot.capacity))
    for at, until, capacity, n in session.exec(
            select(slot_start, slot_end, capacity_, func.count(col(Appointment.id)))
            .join(Appointment, col(Appointment.slot_id) == col(AppointmentSlot.id))
            .where(slot_start >= start, slot_start < end,
                   Appointment.state != ApptState.CANCELLED)
            .group_by(col(AppointmentSlot.id), slot_start, slot_end, capacity_)):
        row(at, until).update({"pickups": n, "capacity": capacity})
    received_at = col(Receival.slot_start)
    for at, n in session.exec(
            select(received_at, func.count(col(Receival.id)))
            .where(received_at >= start, received_at < end,
                   Receival.state != ReceivalState.CANCELLED)
            .group_by(received_at)):
        row(at)["deliveries"] = n
    return [rows[at] for at in sorted(rows)]


def _pilots(session: Session, ids: list[int]) -> dict[tuple[int, str], str]:
    """The pilot recorded on each visit's checklists (a step value named ``pilot``)."""
    out: dict[tuple[int, str], str] = {}
    if ids:
        for r in session.exec(select(ChecklistStep).where(col(ChecklistStep.visit_id).in_(ids))):
            if r.values.get("pilot"):
                out[(r.visit_id, r.checklist)] = str(r.values["pilot"])
    return out


def build(session: Session, day: date) -> wp.WorkPlan:
    """The plan for terminal-local ``day``, from the schedule as it stands now."""
    term = terminal_settings(session)
    shifts = wp.shifts_from_config(term.shifts)
    windows = wp.shift_windows(day, term.timezone, shifts)
    start, end = as_utc(windows[0][0]), as_utc(windows[-1][1])
    begins = func.coalesce(VesselVisit.atb, VesselVisit.etb)
    ends = func.coalesce(VesselVisit.atd, VesselVisit.etd)
    rows = session.exec(
        select(VesselVisit, Vessel, Berth).join(Vessel, col(Vessel.id) == col(VesselVisit.vessel_id))
        .join(Berth, col(Berth.id) == col(VesselVisit.berth_id), isouter=True)
        .where(VesselVisit.phase != Phase.CANCELLED, begins < end, ends > start)).all()
    pilots = _pilots(session, [pk(v) for v, _, _ in rows])
    calls = [wp.Call(v.key, ves.name, b.name if b else None, v.atb or v.etb, v.atd or v.etd,
                     v.atb is not None, v.atd is not None, v.cranes or 0, v.moves_discharge,
                     v.moves_load, pilots.get((pk(v), "berthing"), ""),
                     pilots.get((pk(v), "unberthing"), ""), str(v.phase))
             for v, ves, b in rows]
    gangs = [wp.Gang(g["name"], tuple(g.get("shifts", ()))) for g in term.line_gangs]
    sections = {name: [fn(session, as_utc(a), as_utc(b)) for a, b in windows]
                for name, fn in SECTIONS.items()}
    return wp.plan_day(day, term.timezone, shifts, gangs, calls, sections)


@dataclass(frozen=True)
class Issued:
    id: int
    day: date
    issued_at: datetime
    issued_by: str
    body: dict[str, Any]


def last_issued(session: Session, day: date) -> Issued | None:
    row = session.exec(select(WorkPlanIssue).where(WorkPlanIssue.day == day)
                       .order_by(col(WorkPlanIssue.id).desc())).first()
    if row is None:
        return None
    return Issued(pk(row), row.day, row.issued_at, row.issued_by, dict(row.body))


def changes_since_issue(session: Session, day: date) -> tuple[Issued | None, list[Message]]:
    """The last plan issued for ``day`` and what the schedule has changed since."""
    issued = last_issued(session, day)
    if issued is None:
        return None, []
    return issued, wp.diff(issued.body, build(session, day).to_json())


def local_today(session: Session, now: datetime) -> date:
    """The plan day at ``now``: the night shift after midnight still belongs to yesterday's."""
    term = terminal_settings(session)
    here = now.astimezone(ZoneInfo(term.timezone))
    shifts = wp.shifts_from_config(term.shifts)
    if shifts and here.time() < shifts[0].start:
        return here.date() - timedelta(days=1)
    return here.date()


register_section(N_("gate appointments"), gate_appointments)
