"""Importing the terminal layout: the terminal row, berths and yard blocks, upserted by name.

A layout file is the terminal's master data; importing it again updates what changed and
reports every entry as added, changed (with the fields) or unchanged. Nothing is deleted: a
berth or block missing from the file stays (a note says so), because visits and boxes refer
to it. A block may not shrink under boxes standing in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from typing import Any

from sqlmodel import col, func, or_, select

from portops.i18n import N_, Message
from portops.model import Berth, Container, Role, Terminal, Where, YardBlock
from portops.model.terminal import DEFAULT_LINE_GANGS, DEFAULT_SHIFTS
from portops.ops.core import Tx, operation
from portops.ops.report import ImportReport


@dataclass(frozen=True)
class ShiftSpec:
    name: str
    start: time
    end: time


@dataclass(frozen=True)
class GangSpec:
    """A line-handling (mooring) gang and the shifts it works."""

    where: str
    name: str
    shifts: tuple[str, ...]


@dataclass(frozen=True)
class LaneSpec:
    """A gate lane and what it is for: in, out, both, or trouble."""

    name: str
    use: str


@dataclass(frozen=True)
class AppointmentSpec:
    """Truck appointments: slot length and trucks per slot, how early or late a truck may
    come."""

    slot_minutes: int = 60
    slot_capacity: int = 20
    tolerance_minutes: int = 30
    #: The customers' own bookings (``customer.*``): how far ahead, how late a change, how
    #: many open per haulier (0: no limit).
    book_days_ahead: int = 7
    change_cutoff_minutes: int = 120
    max_open_per_haulier: int = 0
    #: Open pickup appointments a box may have at once; no-shows and late cancels over a
    #: rate cost a haulier its peak-hour slots; a truck that came in time and waited longer
    #: than the grace is the terminal's delay (``portops.ops.no_show``, ``queries.delays``).
    max_open_per_box: int = 1
    no_show_rate_pct: int = 0
    no_show_window_days: int = 28
    no_show_min_appointments: int = 5
    peak_hours: tuple[str, ...] = ()
    peak_cap_penalised: int = 0
    delay_grace_minutes: int = 15


@dataclass(frozen=True)
class TerminalSpec:
    where: str
    code: str
    name: str
    locode: str
    timezone: str
    shifts: list[ShiftSpec] = field(default_factory=list)
    vessel_clearance_m: float = 20.0
    ukc_m: float = 0.5
    #: None: the file does not say; the terminal keeps what it has.
    line_gangs: list[GangSpec] | None = None
    gate_lanes: list[LaneSpec] | None = None
    appointments: AppointmentSpec | None = None
    #: Wrong passwords in a row that lock an account (0: never); None: as the terminal has it.
    sign_in_lockout: int | None = None


@dataclass(frozen=True)
class BerthSpec:
    where: str
    name: str
    quay_start_m: float
    quay_end_m: float
    depth_m: float
    bollard_first: int | None = None
    bollard_last: int | None = None


@dataclass(frozen=True)
class BlockSpec:
    where: str
    name: str
    bays: int
    rows: int
    tiers: int
    takes_20: bool = True
    takes_40: bool = True
    takes_45: bool = False
    reefer_rows: int = 0
    dangerous_goods: bool = False
    purpose: str = "mixed"
    quay_m: float = 0.0


@dataclass(frozen=True)
class LayoutSpec:
    terminal: TerminalSpec | None
    berths: list[BerthSpec]
    blocks: list[BlockSpec]


def _values(spec: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {n: getattr(spec, n) for n in names}


_TERMINAL_FIELDS = ("name", "locode", "timezone", "shifts", "vessel_clearance_m", "ukc_m")
_BERTH_FIELDS = ("quay_start_m", "quay_end_m", "depth_m", "bollard_first", "bollard_last")
_BLOCK_FIELDS = ("bays", "rows", "tiers", "takes_20", "takes_40", "takes_45", "reefer_rows",
                 "dangerous_goods", "purpose", "quay_m")


@operation("layout.import", Role.ADMIN, log_args=["source"])
def import_layout(tx: Tx, layout: LayoutSpec, source: str = "") -> ImportReport:
    """Import the terminal layout (terminal, berths, yard blocks)."""
    report = ImportReport(N_("layout"))
    terminal = tx.session.exec(select(Terminal)).first()
    spec = layout.terminal
    tx.about("terminal", terminal.id if terminal else None,
             spec.code if spec else (terminal.code if terminal else ""))
    if spec is None:
        tx.rule(terminal is not None, "layout.terminal.missing",
                N_("the database has no terminal yet and the file does not define one"),
                N_("add a 'terminal:' section (code, name, locode, timezone)"), where=source)
    else:
        tx.rule(terminal is None or terminal.code == spec.code, "layout.terminal.other",
                N_("this database runs terminal {terminal}, the file is for {spec}"),
                N_("import the file into that terminal's database"), where=spec.where,
                terminal=terminal.code if terminal else '', spec=spec.code)
    berths = {b.name: b for b in tx.session.exec(select(Berth))}
    blocks = {b.name: b for b in tx.session.exec(select(YardBlock))}
    _check_quay(tx, layout.berths, berths)
    for b in layout.blocks:
        if b.name in blocks:
            _check_shrink(tx, blocks[b.name], b)

    if spec is not None:
        new = _site_settings(tx, spec, terminal)
    tx.ensure()

    if spec is not None:
        report.add(N_("terminal"), spec.code,
                   None if terminal is None else _values(terminal, tuple(new)), new)
        if terminal is None:
            terminal = Terminal(code=spec.code, **new)
            tx.session.add(terminal)
        else:
            for k, v in new.items():
                setattr(terminal, k, v)
    for spec_b in layout.berths:
        _upsert(tx, report, N_("berth"), berths.get(spec_b.name), Berth, spec_b, _BERTH_FIELDS)
    for spec_y in layout.blocks:
        _upsert(tx, report, N_("yard block"), blocks.get(spec_y.name), YardBlock, spec_y,
                _BLOCK_FIELDS)
    in_file = {b.name for b in layout.berths} | {b.name for b in layout.blocks}
    kept = sorted(n for n in (*berths, *blocks) if n not in in_file)
    if kept and (layout.berths or layout.blocks):
        report.notes.append(Message(N_("not in the file, kept as they are: {names}"),
                                    names=", ".join(kept)))
    tx.session.flush()
    if terminal is not None:
        tx.about("terminal", terminal.id, terminal.code)
    tx.record(**report.event_data())
    return report


def _site_settings(tx: Tx, spec: TerminalSpec, terminal: Terminal | None) -> dict[str, Any]:
    """The terminal row's new values; what the file leaves out stays as the terminal has it.

    Gangs must work shifts the terminal has. When the file renames the shifts and lists no
    gangs, gangs that worked the old shifts would get no mooring (the work plan's gang "—"):
    the terminal then gets two gangs per shift, lettered in turn, and the report shows it.
    """
    new = _values(spec, _TERMINAL_FIELDS)
    if spec.shifts:
        new["shifts"] = [{"name": s.name, "start": s.start.strftime("%H:%M"),
                          "end": s.end.strftime("%H:%M")} for s in spec.shifts]
    else:
        new.pop("shifts")  # keep the terminal's (default) shifts
    shifts = [s["name"] for s in new.get("shifts") or
              (terminal.shifts if terminal else DEFAULT_SHIFTS)]
    if spec.line_gangs is not None:
        new["line_gangs"] = [{"name": g.name, "shifts": list(g.shifts)} for g in spec.line_gangs]
        for g in spec.line_gangs:
            for name in g.shifts:
                tx.rule(name in shifts, "layout.gang.shift",
                        N_("line gang {gang} works shift {shift!r}, which the terminal does not have"),
                        N_("use one of the shifts: {shifts}"), where=g.where, gang=g.name,
                        shift=name, shifts=", ".join(shifts))
    else:
        gangs = terminal.line_gangs if terminal else DEFAULT_LINE_GANGS
        if any(s not in shifts for g in gangs for s in g.get("shifts", ())):
            new["line_gangs"] = default_gangs(shifts)
    if spec.gate_lanes is not None:
        new["gate_lanes"] = [{"name": lane.name, "use": lane.use} for lane in spec.gate_lanes]
    if spec.sign_in_lockout is not None:
        new["sign_in_lockout"] = spec.sign_in_lockout
    if spec.appointments is not None:
        a = spec.appointments
        new.update(appt_slot_minutes=a.slot_minutes, appt_slot_capacity=a.slot_capacity,
                   appt_tolerance_minutes=a.tolerance_minutes,
                   appt_book_days_ahead=a.book_days_ahead,
                   appt_change_cutoff_minutes=a.change_cutoff_minutes,
                   appt_max_open_per_haulier=a.max_open_per_haulier,
                   appt_max_open_per_box=a.max_open_per_box,
                   no_show_rate_pct=a.no_show_rate_pct,
                   no_show_window_days=a.no_show_window_days,
                   no_show_min_appointments=a.no_show_min_appointments,
                   peak_hours=list(a.peak_hours), peak_cap_penalised=a.peak_cap_penalised,
                   delay_grace_minutes=a.delay_grace_minutes)
    return new


def default_gangs(shifts: list[str]) -> list[dict[str, Any]]:
    """Two line-handling gangs per shift, lettered A, B, C... in the shifts' order."""
    letters = iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return [{"name": next(letters), "shifts": [s]} for s in shifts[:13] for _ in range(2)]


def _upsert(tx: Tx, report: ImportReport, kind: str, row: Any, model: type, spec: Any,
            names: tuple[str, ...]) -> None:
    new = _values(spec, names)
    report.add(kind, spec.name, None if row is None else _values(row, names), new)
    if row is None:
        tx.session.add(model(name=spec.name, **new))
    else:
        for k, v in new.items():
            setattr(row, k, v)


def _check_quay(tx: Tx, specs: list[BerthSpec], existing: dict[str, Berth]) -> None:
    """Berths in the file must not overlap berths already in the database (and not in it)."""
    in_file = {s.name for s in specs}
    for s in specs:
        for other in existing.values():
            if other.name in in_file:
                continue
            if s.quay_start_m < other.quay_end_m and other.quay_start_m < s.quay_end_m:
                tx.rule(False, "layout.berth.overlap",
                        N_("berth {name} ({quay_start_m:g}-{quay_end_m:g} m) overlaps berth {other} ({quay_start_m2:g}-{quay_end_m2:g} m)"),
                        N_("move it along the quay or list {other} with its new extent"),
                        where=s.where, name=s.name, quay_start_m=s.quay_start_m,
                        quay_end_m=s.quay_end_m, other=other.name, quay_start_m2=other.quay_start_m,
                        quay_end_m2=other.quay_end_m)


def _check_shrink(tx: Tx, block: YardBlock, spec: BlockSpec) -> None:
    """A block may not shrink under boxes that stand in it."""
    if (spec.bays, spec.rows, spec.tiers) >= (block.bays, block.rows, block.tiers) and \
            spec.bays >= block.bays and spec.rows >= block.rows and spec.tiers >= block.tiers:
        return
    outside = tx.session.exec(select(func.count()).select_from(Container).where(
        Container.location == Where.YARD, Container.yard_block_id == block.id,
        or_(col(Container.yard_bay) > 2 * spec.bays, col(Container.yard_row) > spec.rows,
            col(Container.yard_tier) > spec.tiers))).one()
    tx.rule(outside == 0, "layout.block.occupied",
            N_("yard block {block} would shrink to {bays}x{rows}x{tiers} but {outside} box(es) stand outside that"),
            N_("move those boxes first"), where=spec.where, block=block.name, bays=spec.bays,
            rows=spec.rows, tiers=spec.tiers, outside=outside)
