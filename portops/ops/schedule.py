"""Importing the vessel schedule (船期表): vessels by IMO number, visits upserted by key.

The schedule arrives again and again (daily from the lines' service schedules); importing it
updates the calls it names and never duplicates one. Each vessel and visit is reported as
added, changed (with the fields, old -> new) or unchanged.

A visit that has already arrived, or that the dispatcher locked, belongs to the day's
operation more than to the plan: a re-import leaves it as it is and says so in the report.
Times without an offset are terminal local time; ``rebase_day`` moves demo data to today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from portops.clock import as_utc
from portops.i18n import N_, Message
from portops.model import Berth, Phase, Role, Terminal, Vessel, VesselVisit
from portops.model.base import pk
from portops.ops.core import Tx, operation
from portops.ops.report import ImportReport


@dataclass(frozen=True)
class VesselSpec:
    where: str
    imo: str
    name: str
    call_sign: str
    loa_m: float
    beam_m: float
    max_draft_m: float


@dataclass(frozen=True)
class CallSpec:
    where: str
    key: str
    imo: str
    line_operator: str
    service: str = ""
    voyage_in: str = ""
    voyage_out: str = ""
    #: Naive times are terminal local time (resolved with the terminal's time zone).
    eta: datetime | None = None
    etb: datetime | None = None
    etd: datetime | None = None
    berth: str | None = None
    berth_where: str = ""
    quay_from_m: float | None = None
    side: str | None = None
    cranes: int | None = None
    moves_discharge: int = 0
    moves_load: int = 0
    arrival_draft_m: float | None = None


@dataclass(frozen=True)
class ScheduleSpec:
    terminal: str | None
    terminal_where: str
    vessels: list[VesselSpec]
    calls: list[CallSpec]
    #: The day the file's times are written around ("today" in the file); on import every
    #: time moves by whole days so that this day becomes today (demo and training data).
    #: None for a real schedule.
    rebase_day: date | None = None


_VESSEL_FIELDS = ("name", "call_sign", "loa_m", "beam_m", "max_draft_m")
_PLAN_FIELDS = ("vessel_imo", "line_operator", "service", "voyage_in", "voyage_out", "eta",
                "etb", "etd", "berth", "quay_from_m", "side", "cranes", "moves_discharge",
                "moves_load", "arrival_draft_m")


def day_shift(rebase_day: date, now: datetime, tz: str) -> timedelta:
    """Whole days from ``rebase_day`` to today (``now`` in the terminal's time zone)."""
    return as_utc(now).astimezone(ZoneInfo(tz)).date() - rebase_day


def resolve_time(when: datetime | None, tz: str, shift: timedelta) -> datetime | None:
    """A file's time as aware UTC: naive means terminal local; shift moves local wall time."""
    if when is None:
        return None
    zone = ZoneInfo(tz)
    local = when.replace(tzinfo=zone) if when.tzinfo is None else when.astimezone(zone)
    return as_utc((local.replace(tzinfo=None) + shift).replace(tzinfo=zone))


@operation("schedule.import", Role.DISPATCHER, log_args=["source"])
def import_schedule(tx: Tx, schedule: ScheduleSpec, source: str = "") -> ImportReport:
    """Import a vessel schedule (vessels and their calls)."""
    report = ImportReport(N_("schedule"))
    terminal = tx.session.exec(select(Terminal)).first()
    if terminal is None:
        tx.fail("schedule.no_terminal", N_("the database has no terminal layout yet"),
                N_("import the layout file first (kind: layout)"), where=source)
    tx.about("terminal", terminal.id, terminal.code)
    tx.rule(schedule.terminal in (None, terminal.code), "schedule.terminal.other",
            N_("the schedule is for terminal {terminal}, this database runs {terminal2}"),
            N_("import it into that terminal's database"), where=schedule.terminal_where,
            terminal=schedule.terminal, terminal2=terminal.code)
    tz = terminal.timezone
    shift = day_shift(schedule.rebase_day, tx.now(), tz) if schedule.rebase_day else \
        timedelta(0)
    berths = {b.name: b for b in tx.session.exec(select(Berth))}
    vessels = {v.imo: v for v in tx.session.exec(select(Vessel))}
    in_file = {v.imo for v in schedule.vessels}
    visits = {v.key: v for v in tx.session.exec(select(VesselVisit).where(
        col(VesselVisit.key).in_([c.key for c in schedule.calls])))}
    imo_of = {pk(v): v.imo for v in vessels.values()}
    planned: list[tuple[CallSpec, dict[str, Any]]] = []
    for call in schedule.calls:
        tx.rule(call.imo in in_file or call.imo in vessels, "schedule.vessel.unknown",
                N_("call {call}: vessel IMO {imo} is not in the file's vessels nor known to the terminal"),
                N_("add the vessel under 'vessels:'"), where=call.where, call=call.key, imo=call.imo)
        tx.rule(call.berth is None or call.berth in berths, "schedule.berth.unknown",
                N_("call {call}: there is no berth {berth!r}"),
                N_("use one of: {choices}") if berths else N_("import the layout first"),
                where=call.berth_where or call.where, call=call.key, berth=call.berth,
                choices=", ".join(sorted(berths)))
        eta, etb, etd = (resolve_time(t, tz, shift) for t in (call.eta, call.etb, call.etd))
        times = [t for t in (eta, etb, etd) if t is not None]
        tx.rule(times == sorted(times), "schedule.times.order",
                N_("call {call}: times must run ETA <= ETB <= ETD"), N_("check the dates"),
                where=call.where, call=call.key)
        tx.rule(etb is None or etd is None or etd > etb, "schedule.times.order",
                N_("call {call}: ETD must be after ETB"), N_("check the dates"), where=call.where,
                call=call.key)
        existing = visits.get(call.key)
        if existing is not None and existing.vessel_id in imo_of:
            tx.rule(imo_of[existing.vessel_id] == call.imo, "schedule.call.vessel_changed",
                    N_("call {call} is vessel {vessel_imo} in the terminal, IMO {imo} in the file"),
                    N_("a call keeps its vessel; give the new call its own key (or cancel the old one)"),
                    where=call.where, call=call.key, vessel_imo=imo_of[existing.vessel_id], imo=call.imo)
        planned.append((call, {
            "vessel_imo": call.imo, "line_operator": call.line_operator,
            "service": call.service, "voyage_in": call.voyage_in,
            "voyage_out": call.voyage_out, "eta": eta, "etb": etb, "etd": etd,
            "berth": call.berth, "quay_from_m": call.quay_from_m, "side": call.side,
            "cranes": call.cranes, "moves_discharge": call.moves_discharge,
            "moves_load": call.moves_load, "arrival_draft_m": call.arrival_draft_m}))
    tx.ensure()

    for spec in schedule.vessels:
        row = vessels.get(spec.imo)
        new = {k: getattr(spec, k) for k in _VESSEL_FIELDS}
        report.add(N_("vessel"), spec.imo, None if row is None else
                   {k: getattr(row, k) for k in _VESSEL_FIELDS}, new)
        if row is None:
            row = Vessel(imo=spec.imo, **new)
            tx.session.add(row)
            vessels[spec.imo] = row
        else:
            for k, v in new.items():
                setattr(row, k, v)
    tx.session.flush()
    kept: list[str] = []
    for call, new in planned:
        visit = visits.get(call.key)
        old: dict[str, Any] | None = None
        if visit is not None:
            old = _plan_of(visit, imo_of, berths)
            if visit.locked or visit.phase != Phase.PLANNED:
                if old != new:
                    kept.append(call.key)
                report.add(N_("visit"), call.key, old, old)
                continue
        report.add(N_("visit"), call.key, old, new)
        if visit is None:
            visit = VesselVisit(key=call.key, vessel_id=pk(vessels[call.imo]),
                                line_operator=new["line_operator"])
            tx.session.add(visit)
        _apply(visit, new, vessels, berths)
    if kept:
        report.notes.append(Message(N_("under way or locked, kept as they are: {keys}"),
                                    keys=", ".join(kept)))
    tx.session.flush()
    tx.record(**report.event_data(), kept=kept, rebased_days=shift.days)
    return report


def _plan_of(visit: VesselVisit, imo_of: dict[int, str], berths: dict[str, Berth]
             ) -> dict[str, Any]:
    names = {b.id: n for n, b in berths.items()}
    values = {k: getattr(visit, k) for k in _PLAN_FIELDS
              if k not in ("vessel_imo", "berth")}
    values["vessel_imo"] = imo_of.get(visit.vessel_id)
    values["berth"] = names.get(visit.berth_id)
    return {k: values[k] for k in _PLAN_FIELDS}


def _apply(visit: VesselVisit, new: dict[str, Any], vessels: dict[str, Vessel],
           berths: dict[str, Berth]) -> None:
    for k, v in new.items():
        if k == "vessel_imo":
            visit.vessel_id = pk(vessels[v])
        elif k == "berth":
            visit.berth_id = berths[v].id if v else None
        else:
            setattr(visit, k, v)
