"""The terminal layout file (``kind: layout``): the terminal, its berths and its yard blocks.

See ``docs/formats.md`` for the format. Parsing checks everything the file can say about
itself (numbers in range, codes valid, berths not overlapping along the quay); the operation
:func:`portops.ops.layout.import_layout` checks it against the database.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from typing import Any

from portops import codes
from portops.formats import registry
from portops.formats.fields import boolean, choice, clock_time, code, number, text, timezone
from portops.formats.yamlsrc import Fields, Map, SourceError
from portops.i18n import N_, Said
from portops.ops.layout import (
    AppointmentSpec,
    BerthSpec,
    BlockSpec,
    GangSpec,
    LaneSpec,
    LayoutSpec,
    ShiftSpec,
    TerminalSpec,
    import_layout,
)

_TOP = ["kind", "version", "terminal", "berths", "yard"]
_TERMINAL = ["code", "name", "locode", "timezone", "shifts", "vessel_clearance_m", "ukc_m",
             "line_gangs", "gate_lanes", "appointments", "sign_in_lockout"]
_APPOINTMENTS = ["slot_minutes", "slot_capacity", "tolerance_minutes", "book_days_ahead",
                 "change_cutoff_minutes", "max_open_per_haulier", "max_open_per_box",
                 "no_show_rate_pct", "no_show_window_days", "no_show_min_appointments",
                 "peak_hours", "peak_cap_penalised", "delay_grace_minutes"]
LANE_USES = ("in", "out", "both", "trouble")
_BERTH = ["name", "quay_start_m", "quay_end_m", "depth_m", "bollards"]
_BLOCK = ["name", "bays", "rows", "tiers", "takes", "reefer_rows", "dangerous_goods", "purpose",
          "quay_m"]
PURPOSES = ("import", "export", "empty", "mixed", "reefer", "dangerous")


def parse_layout(doc: Map, path: str) -> dict:
    """Read a layout document into a :class:`LayoutSpec` (all problems at once)."""
    f = Fields()
    f.known(doc, _TOP, Said(N_("a layout file")))
    f.get(doc, "version", choice(1), default=1)
    terminal = None
    if "terminal" in doc:
        t = f.mapping(doc["terminal"], doc, "terminal", "terminal")
        if t is not None:
            terminal = _terminal(f, t)
    berths = [_berth(f, b) for b in f.items(doc, "berths", Said(N_("berths")), required=False)]
    blocks = [_block(f, b) for b in f.items(doc, "yard", Said(N_("yard blocks")), required=False)]
    f.unique([(b.name, b.where) for b in berths], Said(N_("berth")))
    f.unique([(b.name, b.where) for b in blocks], Said(N_("yard block")))
    ordered = sorted((b for b in berths if b.quay_end_m > b.quay_start_m),
                     key=lambda b: b.quay_start_m)
    for left, right in zip(ordered, ordered[1:], strict=False):
        if right.quay_start_m < left.quay_end_m:
            f.errors.append(SourceError.at(right.where, Said(N_("berth {name} starts at "
                                                                "{quay_start_m:g} m, inside "
                                                                "berth {name2} (to "
                                                                "{quay_end_m:g} m); berths must "
                                                                "not overlap"),
                                                             name=right.name,
                                                             quay_start_m=right.quay_start_m,
                                                             name2=left.name,
                                                             quay_end_m=left.quay_end_m)))
    f.raise_if_any()
    return {"source": path, "layout": LayoutSpec(terminal, berths, blocks)}


def _terminal(f: Fields, t: Map) -> TerminalSpec:
    f.known(t, _TERMINAL, "terminal")
    shifts = []
    for s in f.items(t, "shifts", Said(N_("shifts")), required=False):
        f.known(s, ["name", "start", "end"], Said(N_("a shift")))
        shifts.append(ShiftSpec(f.get(s, "name", text(16)), f.get(s, "start", clock_time),
                                f.get(s, "end", clock_time)))
    names = [s.name for s in shifts if s.name]
    f.unique([(s.name or None, t.where_of("shifts")) for s in shifts], Said(N_("shift")))
    return TerminalSpec(
        where=t.where,
        code=f.get(t, "code", text(16)),
        name=f.get(t, "name", text(128)),
        locode=f.get(t, "locode", code(codes.parse_locode)),
        timezone=f.get(t, "timezone", timezone),
        shifts=shifts,
        vessel_clearance_m=f.get(t, "vessel_clearance_m", number(0, 200), default=20.0),
        ukc_m=f.get(t, "ukc_m", number(0, 10), default=0.5),
        line_gangs=_gangs(f, t, names) if "line_gangs" in t else None,
        gate_lanes=_lanes(f, t) if "gate_lanes" in t else None,
        appointments=_appointments(f, t) if "appointments" in t else None,
        sign_in_lockout=f.get(t, "sign_in_lockout", number(0, 1000, integer=True),
                              default=None),
    )


def _gangs(f: Fields, t: Map, shifts: list[str]) -> list[GangSpec]:
    """Line-handling gangs; with the file's own shifts, each must work some of them."""
    gangs = []
    for g in f.items(t, "line_gangs", Said(N_("line-handling gangs"))):
        f.known(g, ["name", "shifts"], Said(N_("a line gang")))
        works = f.get(g, "shifts", _names("the shifts the gang works, e.g. [day]"))
        for name in works or ():
            if shifts and name not in shifts:
                f.fail(g, "shifts", Said(N_("shifts: {name!r} is not one of the terminal's "
                                            "shifts ({shifts})"),
                                         name=name, shifts=', '.join(shifts)))
        gangs.append(GangSpec(g.where, f.get(g, "name", text(16)) or "", tuple(works or ())))
    f.unique([(g.name or None, g.where) for g in gangs], Said(N_("line gang")))
    return gangs


def _names(example: str):
    def parse(value) -> list[str]:
        if (not isinstance(value, list) or not value
                or not all(isinstance(v, str) and v.strip() for v in value)):
            raise ValueError(Said(N_("write a list of names: {example}"), example=example))
        return [v.strip() for v in value]
    return parse


def _lanes(f: Fields, t: Map) -> list[LaneSpec]:
    lanes, wheres = [], []
    for lane in f.items(t, "gate_lanes", Said(N_("gate lanes"))):
        f.known(lane, ["name", "use"], Said(N_("a gate lane")))
        lanes.append(LaneSpec(f.get(lane, "name", text(16)) or "",
                              f.get(lane, "use", choice(*LANE_USES), default="both")))
        wheres.append(lane.where)
    f.unique([(lane.name or None, w) for lane, w in zip(lanes, wheres, strict=True)],
             Said(N_("gate lane")))
    return lanes


def _appointments(f: Fields, t: Map) -> AppointmentSpec | None:
    a = f.mapping(t["appointments"], t, "appointments", "appointments")
    if a is None:
        return None
    f.known(a, _APPOINTMENTS, "appointments")
    minutes = f.get(a, "slot_minutes", number(5, 720, integer=True), default=60)
    if minutes and 1440 % minutes:
        f.fail(a, "slot_minutes", Said(N_("slot_minutes: {minutes} does not divide the day into "
                                          "whole slots; use e.g. 15, 30, 60 or 120"),
                                       minutes=minutes))
    values = {name: f.get(a, name, parse, default=default) or fallback
              for name, parse, default, fallback in _APPOINTMENT_SETTINGS}
    return AppointmentSpec(slot_minutes=minutes or 60, **values)


def _whole(low: int, high: int) -> Callable[[Any], Any]:
    return number(low, high, integer=True)


def _peak_hours(value) -> tuple[str, ...]:
    """``["07:00-10:00", "16:00-19:00"]``: the peak hours, terminal-local."""
    shape = Said(N_('list local time ranges, e.g. ["07:00-10:00", "16:00-19:00"]'))
    if not isinstance(value, list):
        raise ValueError(shape)
    out = []
    for v in value:
        parts = v.split("-") if isinstance(v, str) else []
        try:
            a, b = (time.fromisoformat(p.strip()) for p in parts)
        except ValueError:
            raise ValueError(Said(N_("{v!r}: {shape}"), v=v, shape=shape)) from None
        if a == b or len(parts[0].strip()) != 5 or len(parts[1].strip()) != 5:
            raise ValueError(Said(N_("{v!r}: {shape}"), v=v, shape=shape))
        out.append(f"{a:%H:%M}-{b:%H:%M}")
    return tuple(out)


#: The appointments section's settings after slot_minutes, in the order their faults are
#: listed: (key, how it is read, its default, what stands in once it was refused).
_APPOINTMENT_SETTINGS: tuple[tuple[str, Callable[[Any], Any], Any, Any], ...] = (
    ("slot_capacity", _whole(1, 1000), 20, 1),
    ("tolerance_minutes", _whole(0, 240), 30, 0),
    ("book_days_ahead", _whole(1, 60), 7, 7),
    ("change_cutoff_minutes", _whole(0, 1440), 120, 0),
    ("max_open_per_haulier", _whole(0, 100_000), 0, 0),
    ("max_open_per_box", _whole(1, 9), 1, 1),
    ("no_show_rate_pct", _whole(0, 100), 0, 0),
    ("no_show_window_days", _whole(1, 365), 28, 28),
    ("no_show_min_appointments", _whole(1, 10_000), 5, 5),
    ("peak_hours", _peak_hours, (), ()),
    ("peak_cap_penalised", _whole(0, 1000), 0, 0),
    ("delay_grace_minutes", _whole(0, 240), 15, 0),
)


def _berth(f: Fields, b: Map) -> BerthSpec:
    f.known(b, _BERTH, Said(N_("a berth")))
    start = f.get(b, "quay_start_m", number(0, 100_000))
    end = f.get(b, "quay_end_m", number(0, 100_000))
    if start is not None and end is not None and end - start < 50:
        f.fail(b, "quay_end_m", Said(N_("quay_end_m: {end:g} m must be at least 50 m past "
                                        "quay_start_m ({start:g} m); a berth runs along the quay"),
                                     end=end, start=start))
    bollards = f.get(b, "bollards", _bollards, default=(None, None)) or (None, None)
    return BerthSpec(where=b.where, name=f.get(b, "name", text(16)), quay_start_m=start or 0,
                     quay_end_m=end or 0, depth_m=f.get(b, "depth_m", number(1, 40)) or 0,
                     bollard_first=bollards[0], bollard_last=bollards[1])


def _bollards(value) -> tuple[int, int]:
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value)
            or value[0] > value[1]):
        raise ValueError(Said(N_("write the first and last bollard numbers, e.g. [1, 14]")))
    return value[0], value[1]


def _takes(value) -> tuple[bool, bool, bool]:
    if not isinstance(value, list) or not value or any(v not in (20, 40, 45) for v in value):
        raise ValueError(Said(N_("list the box lengths the block takes, from 20, 40, 45, e.g. "
                                 "[20, 40]")))
    return 20 in value, 40 in value, 45 in value


def _block(f: Fields, b: Map) -> BlockSpec:
    f.known(b, _BLOCK, Said(N_("a yard block")))
    rows = f.get(b, "rows", number(1, 20, integer=True))
    reefer = f.get(b, "reefer_rows", number(0, 20, integer=True), default=0)
    if rows is not None and reefer is not None and reefer > rows:
        f.fail(b, "reefer_rows", Said(N_("reefer_rows: {reefer} is more than the block's {rows} "
                                         "rows"), reefer=reefer, rows=rows))
    # a refused value is None (the problem is collected and the file refused): go on with
    # the default so the rest of the block is still checked
    takes = f.get(b, "takes", _takes, default=(True, True, False)) or (True, True, False)
    return BlockSpec(
        where=b.where, name=f.get(b, "name", text(16)),
        bays=f.get(b, "bays", number(1, 200, integer=True)) or 0, rows=rows or 0,
        tiers=f.get(b, "tiers", number(1, 10, integer=True)) or 0,
        takes_20=takes[0], takes_40=takes[1], takes_45=takes[2], reefer_rows=reefer or 0,
        dangerous_goods=f.get(b, "dangerous_goods", boolean, default=False),
        purpose=f.get(b, "purpose", choice(*PURPOSES), default="mixed"),
        quay_m=f.get(b, "quay_m", number(0, 100_000), default=0.0))


registry.register_yaml("layout", parse_layout, import_layout,
                       summary=N_("terminal layout: terminal, berths, yard blocks"))
