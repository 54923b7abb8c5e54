"""The day-and-night work plan (昼夜作业计划): one terminal day cut into its shifts.

For each shift: every berthing and unberthing (time, berth, pilot, line-handling gang), each
vessel's cranes and the moves planned in that shift, and any further section another area
adds (gate appointments per shift). Jobs follow the visit's phase: a visit alongside is
unberthed; an expected one is berthed (and unberthed if it berths within the day); one due
before the day that never berthed is listed as "overdue" (its berthing), with no unberthing or
crane work (a 13:00 unberthing of a vessel that never came). A pure function of plain data,
so the console, the export and the issue operation all show the same plan; :func:`diff` says what changed
between two issues of the same day.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from portops.i18n import N_, Message, Term

#: The two movements of a plan (words the console and the printed plan translate).
BERTHING, UNBERTHING = N_("berthing"), N_("unberthing")
#: An expected visit due alongside before the day began that has not berthed: no unberthing
#: nor crane work is planned for it (it never came); it is listed so the schedule gets fixed.
OVERDUE = N_("overdue")
#: Phases of a visit not yet alongside: its jobs are planned from its estimated times.
EXPECTED = ("planned", "arrived")
#: How long one berthing or unberthing keeps a line-handling gang busy: a gang given a job
#: at 21:00 cannot take another, at another berth, before 22:00.
GANG_BUSY = timedelta(hours=1)
#: The default shifts' names, for the catalogs (a terminal's own shift names show as written).
_SHIFT_NAMES = (N_("day"), N_("night"))


@dataclass(frozen=True)
class Shift:
    name: str
    start: time
    end: time


@dataclass(frozen=True)
class Gang:
    name: str
    shifts: tuple[str, ...]


@dataclass(frozen=True)
class Call:
    """A vessel call as the plan needs it (times aware UTC)."""

    key: str
    vessel: str
    berth: str | None
    berth_at: datetime | None  # ATB if known, else ETB
    depart_at: datetime | None  # ATD if known, else ETD
    berth_actual: bool = False
    depart_actual: bool = False
    cranes: int = 0
    moves_discharge: int = 0
    moves_load: int = 0
    pilot_in: str = ""
    pilot_out: str = ""
    #: The visit's phase ("" when not known: planned from its times alone).
    phase: str = ""


@dataclass(frozen=True)
class Movement:
    kind: str  # berthing or unberthing
    at: str  # local time HH:MM
    key: str
    vessel: str
    berth: str
    pilot: str
    gang: str
    actual: bool


@dataclass(frozen=True)
class CraneWork:
    key: str
    vessel: str
    berth: str
    cranes: int
    discharge: int
    load: int


@dataclass(frozen=True)
class ShiftPlan:
    name: str
    start: datetime  # local
    end: datetime
    movements: tuple[Movement, ...]
    cranes: tuple[CraneWork, ...]
    #: Further sections by name (e.g. "gate"): rows of plain values.
    sections: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


@dataclass(frozen=True)
class WorkPlan:
    day: date
    timezone: str
    shifts: tuple[ShiftPlan, ...]

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["day"] = self.day.isoformat()
        for s in out["shifts"]:
            s["start"], s["end"] = s["start"].isoformat(), s["end"].isoformat()
        return out


def shifts_from_config(config: list[dict[str, Any]]) -> list[Shift]:
    return [Shift(s["name"], time.fromisoformat(s["start"]), time.fromisoformat(s["end"]))
            for s in config]


def shift_windows(day: date, tz: str, shifts: list[Shift]) -> list[tuple[datetime, datetime]]:
    """Each shift's local start and end on ``day`` (a shift ending at or before it starts
    runs past midnight)."""
    zone = ZoneInfo(tz)
    out = []
    base = day
    prev_end: datetime | None = None
    for s in shifts:
        start = datetime.combine(base, s.start, zone)
        if prev_end is not None and start < prev_end:
            start = datetime.combine(base + timedelta(days=1), s.start, zone)
        end = datetime.combine(start.date(), s.end, zone)
        if end <= start:
            end = datetime.combine(start.date() + timedelta(days=1), s.end, zone)
        out.append((start, end))
        prev_end = end
    return out


def _share(total: int, a: datetime, b: datetime, start: datetime, end: datetime) -> int:
    """The part of ``total`` moves spread evenly over ``a``..``b`` that falls in the shift."""
    span = (b - a).total_seconds()
    if total <= 0 or span <= 0:
        return 0
    lo, hi = max(a, start), min(b, end)
    if hi <= lo:
        return 0
    before = total * (lo - a).total_seconds() / span
    upto = total * (hi - a).total_seconds() / span
    return round(upto) - round(before)  # whole moves that add up across the shifts


def plan_day(day: date, tz: str, shifts: list[Shift], gangs: list[Gang], calls: list[Call],
             sections: dict[str, list[list[dict[str, Any]]]] | None = None) -> WorkPlan:
    """The work plan for terminal-local ``day`` in ``tz``; ``sections[name][i]`` are the rows
    of an extra section for the i-th shift."""
    zone = ZoneInfo(tz)
    plans = []
    windows = shift_windows(day, tz, shifts)
    # Jobs follow the phase: an expected visit berths (and may leave the same day); one that
    # was due before the day and never berthed gets neither an unberthing nor crane work.
    overdue = [c for c in calls if c.phase in EXPECTED and c.berth_at is not None
               and windows and c.berth_at < windows[0][0]]
    for i, (s, (start, end)) in enumerate(zip(shifts, windows, strict=True)):
        moves: list[tuple[datetime, str, Call]] = []
        work: list[CraneWork] = []
        if i == 0:
            moves += [(c.berth_at, OVERDUE, c) for c in overdue if c.berth_at]
        for c in calls:
            if c in overdue:
                continue
            if c.berth_at and start <= c.berth_at < end:
                moves.append((c.berth_at, BERTHING, c))
            if c.depart_at and start <= c.depart_at < end:
                moves.append((c.depart_at, UNBERTHING, c))
            if c.berth_at and c.depart_at and c.berth_at < end and c.depart_at > start:
                d = _share(c.moves_discharge, c.berth_at, c.depart_at, start, end)
                ld = _share(c.moves_load, c.berth_at, c.depart_at, start, end)
                work.append(CraneWork(c.key, c.vessel, c.berth or "", c.cranes, d, ld))
        crew = [g.name for g in gangs if s.name in g.shifts]
        free_at: dict[str, datetime] = {}
        jobs: dict[str, int] = {}
        movements = []
        for at, kind, c in sorted(moves, key=lambda m: (m[0], m[2].key)):
            if kind == OVERDUE:  # when it was due (day and time, as typed); no gang is sent
                movements.append(Movement(kind, at.astimezone(zone).strftime("%d %H:%M"),
                                          c.key, c.vessel, c.berth or "", c.pilot_in, "",
                                          False))
                continue
            gang = _free_gang(crew, free_at, jobs, at)
            movements.append(Movement(
                kind, at.astimezone(zone).strftime("%H:%M"), c.key, c.vessel, c.berth or "",
                (c.pilot_in if kind == BERTHING else c.pilot_out), gang,
                c.berth_actual if kind == BERTHING else c.depart_actual))
        extra = {name: rows[i] for name, rows in (sections or {}).items()}
        plans.append(ShiftPlan(s.name, start, end, tuple(movements),
                               tuple(sorted(work, key=lambda w: (w.berth, w.key))), extra))
    return WorkPlan(day, tz, tuple(plans))


def _free_gang(crew: list[str], free_at: dict[str, datetime], jobs: dict[str, int],
               at: datetime) -> str:
    """The shift's gang to send at ``at``: one not still busy (a gang cannot be at two berths
    at once), the one with fewest jobs so far first; ``""`` (shown "—") when none is free."""
    free = [g for g in crew if free_at.get(g) is None or free_at[g] <= at]
    if not free:
        return ""
    gang = min(free, key=lambda g: (jobs.get(g, 0), crew.index(g)))
    free_at[gang], jobs[gang] = at + GANG_BUSY, jobs.get(gang, 0) + 1
    return gang


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[Message]:
    """What changed from the issued plan ``old`` to ``new`` (both as ``to_json`` gives them):
    sentences a dispatcher reads in their language (``str()`` of each is the English)."""
    out: list[Message] = []
    for key, label in (("movements", "kind"), ("cranes", None)):
        before = {_ident(s["name"], r, label): r for s in old.get("shifts", []) for r in s[key]}
        after = {_ident(s["name"], r, label): r for s in new.get("shifts", []) for r in s[key]}
        for ident, row in after.items():
            prev = before.get(ident)
            if prev is None:
                out.append(Message(N_("added {shift} shift {what} {key}"), **_named(ident)))
            elif prev != row:
                changed = ", ".join(f"{k} {prev[k] or '-'} -> {row[k] or '-'}"
                                    for k in row if prev.get(k) != row[k])
                out.append(Message(N_("changed {shift} shift {what} {key}: {fields}"),
                                   fields=changed, **_named(ident)))
        out += [Message(N_("removed {shift} shift {what} {key}"), **_named(ident))
                for ident in before if ident not in after]
    for name in sorted({n for s in new.get("shifts", []) for n in s.get("sections", {})}):
        b = {s["name"]: s.get("sections", {}).get(name) for s in old.get("shifts", [])}
        for s in new.get("shifts", []):
            if b.get(s["name"]) != s["sections"].get(name):
                out.append(Message(N_("changed {shift} shift {section}"), shift=Term(s["name"]),
                                   section=Term(name)))
    return out


#: What a plan's crane line is called in its changes.
CRANE_WORK = N_("crane work")


def _ident(shift: str, row: dict[str, Any], label: str | None) -> tuple[str, str, str]:
    return shift, row[label] if label else CRANE_WORK, row["key"]


def _named(ident: tuple[str, str, str]) -> dict[str, Any]:
    shift, what, key = ident
    return {"shift": Term(shift), "what": Term(what), "key": key}
