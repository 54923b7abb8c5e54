"""The vessel schedule file (``kind: schedule``, the 船期表): vessels and their calls.

See ``docs/formats.md``. Parsing checks what the file can say about itself: IMO numbers and
their check digits, dates (ISO 8601; without an offset they are terminal local time), numbers,
keys not repeated; :func:`portops.ops.schedule.import_schedule` checks the rest (berths exist,
the terminal matches) and upserts visits by key.
"""

from __future__ import annotations

import re
from datetime import date

from portops import codes
from portops.formats import registry
from portops.formats.fields import choice, code, iso_datetime, number, text
from portops.formats.yamlsrc import Fields, Map
from portops.i18n import N_, Said
from portops.ops.schedule import CallSpec, ScheduleSpec, VesselSpec, import_schedule

_TOP = ["kind", "version", "terminal", "rebase_day", "vessels", "calls"]
_VESSEL = ["imo", "name", "call_sign", "loa_m", "beam_m", "max_draft_m"]
_CALL = ["key", "imo", "vessel", "line", "service", "voyage_in", "voyage_out", "eta", "etb",
         "etd", "berth", "quay_from_m", "side", "cranes", "moves", "arrival_draft_m"]
_KEY = re.compile(r"^[A-Z0-9][A-Z0-9._/-]{0,31}$")
def day(value) -> date:
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(Said(N_("{value!r} is not a date; write YYYY-MM-DD"),
                              value=value)) from None


def call_key(value) -> str:
    raw = str(value).strip().upper() if isinstance(value, str | int) else ""
    if not _KEY.match(raw):
        raise ValueError(Said(N_("{value!r} is not a call key; use up to 32 letters, digits, . "
                                 "_ / -, e.g. COSU-AEU1-045E"), value=value))
    return raw


def parse_schedule(doc: Map, path: str) -> dict:
    """Read a schedule document into a :class:`ScheduleSpec` (all problems at once)."""
    f = Fields()
    f.known(doc, _TOP, Said(N_("a schedule file")))
    f.get(doc, "version", choice(1), default=1)
    vessels = [_vessel(f, v) for v in f.items(doc, "vessels", Said(N_("vessels")), required=False)]
    calls = [_call(f, c) for c in f.items(doc, "calls", Said(N_("calls")))]
    f.unique([(v.imo, v.where) for v in vessels], Said(N_("vessel IMO")))
    f.unique([(c.key, c.where) for c in calls], Said(N_("call key")))
    f.raise_if_any()
    return {"source": path, "schedule": ScheduleSpec(
        terminal=f.get(doc, "terminal", text(16), default=None),
        terminal_where=doc.where_of("terminal"), vessels=vessels, calls=calls,
        rebase_day=f.get(doc, "rebase_day", day, default=None))}


def _vessel(f: Fields, v: Map) -> VesselSpec:
    f.known(v, _VESSEL, Said(N_("a vessel")))
    loa = f.get(v, "loa_m", number(20, 500))
    beam = f.get(v, "beam_m", number(5, 80))
    if loa and beam and beam >= loa:
        f.fail(v, "beam_m", Said(N_("beam_m: {beam:g} m is not less than the length {loa:g} m"),
                                 beam=beam, loa=loa))
    return VesselSpec(where=v.where, imo=f.get(v, "imo", code(codes.parse_imo)),
                      name=f.get(v, "name", text(64)),
                      call_sign=f.get(v, "call_sign", text(16), default=""),
                      loa_m=loa, beam_m=beam, max_draft_m=f.get(v, "max_draft_m", number(1, 25)))


def _call(f: Fields, c: Map) -> CallSpec:
    f.known(c, _CALL, Said(N_("a call")))
    moves = {"discharge": 0, "load": 0}
    if "moves" in c:
        m = f.mapping(c["moves"], c, "moves", "moves")
        if m is not None:
            f.known(m, ["discharge", "load"], "moves")
            for k in moves:
                moves[k] = f.get(m, k, number(0, 30_000, integer=True), default=0)
    imo = f.get(c, "imo", code(codes.parse_imo))
    return CallSpec(
        where=c.where, key=f.get(c, "key", call_key), imo=imo,
        line_operator=f.get(c, "line", text(16)),
        service=f.get(c, "service", text(32), default=""),
        voyage_in=f.get(c, "voyage_in", text(16), default=""),
        voyage_out=f.get(c, "voyage_out", text(16), default=""),
        eta=f.get(c, "eta", iso_datetime, default=None), etb=f.get(c, "etb", iso_datetime,
                                                                   default=None),
        etd=f.get(c, "etd", iso_datetime, default=None),
        berth=f.get(c, "berth", text(16), default=None), berth_where=c.where_of("berth"),
        quay_from_m=f.get(c, "quay_from_m", number(0, 100_000), default=None),
        side=f.get(c, "side", choice("port", "starboard"), default=None),
        cranes=f.get(c, "cranes", number(1, 12, integer=True), default=None),
        moves_discharge=moves["discharge"] or 0, moves_load=moves["load"] or 0,
        arrival_draft_m=f.get(c, "arrival_draft_m", number(1, 25), default=None))


registry.register_yaml("schedule", parse_schedule, import_schedule,
                       summary=N_("vessel schedule: vessels and their calls, upserted by key"))
