"""Site settings in the layout file: shifts, line-handling gangs, gate lanes, appointment
slots. Imported by upsert, reported as changed; custom shift names still get their gangs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, select

from portops.cli import main
from portops.db import make_engine
from portops.model import Terminal

HEAD = """kind: layout
terminal:
  code: SITE
  name: A site
  locode: CNSHA
  timezone: Asia/Shanghai
"""


def _import(db: Path, tmp_path: Path, capsys, body: str) -> tuple[int, str, str]:
    f = tmp_path / "layout.yaml"
    f.write_text(HEAD + body)
    capsys.readouterr()
    code = main(["--db", str(db), "import", "-v", str(f)])
    out = capsys.readouterr()
    return code, out.out, out.err


def _terminal(db: Path) -> Terminal:
    with Session(make_engine(db)) as s:
        return s.exec(select(Terminal)).one()


def test_settings_are_set_and_reported_as_changed(db_file, tmp_path, capsys):
    code, _, err = _import(db_file, tmp_path, capsys, """\
  gate_lanes: [{name: G1, use: in}, {name: G2, use: out}, {name: X, use: trouble}]
  appointments: {slot_minutes: 30, slot_capacity: 12, tolerance_minutes: 15}
""")
    assert code == 0, err
    t = _terminal(db_file)
    assert [g["name"] for g in t.gate_lanes] == ["G1", "G2", "X"]
    assert (t.appt_slot_minutes, t.appt_slot_capacity, t.appt_tolerance_minutes) == (30, 12, 15)
    code, out, err = _import(db_file, tmp_path, capsys, """\
  gate_lanes: [{name: G1, use: in}, {name: G2, use: out}, {name: X, use: trouble}]
  appointments: {slot_minutes: 30, slot_capacity: 16, tolerance_minutes: 15}
""")
    assert code == 0, err
    assert "changed terminal SITE: appt_slot_capacity 12 -> 16" in out
    assert _terminal(db_file).appt_slot_capacity == 16
    code, out, err = _import(db_file, tmp_path, capsys, "")
    assert code == 0 and "1 unchanged" in out  # what the file leaves out stays
    assert _terminal(db_file).appt_slot_capacity == 16


def test_custom_shift_names_get_gangs_in_the_work_plan(db_file, tmp_path, capsys):
    assert _import(db_file, tmp_path, capsys, "")[0] == 0  # the default day and night
    code, out, err = _import(db_file, tmp_path, capsys, """\
  shifts:
    - {name: early, start: "06:00", end: "14:00"}
    - {name: late, start: "14:00", end: "22:00"}
    - {name: night, start: "22:00", end: "06:00"}
""")
    assert code == 0, err
    t = _terminal(db_file)
    assert {s for g in t.line_gangs for s in g["shifts"]} == {"early", "late", "night"}
    assert "line_gangs" in out and "shifts" in out  # reported as changed
    from portops.planning import workplan as wp

    calls = [wp.Call(f"V{h}", "Vessel", "B1", datetime(2026, 12, 7, h, tzinfo=UTC), None)
             for h in (0, 8, 15)]  # 08:00, 16:00 and 23:00 in Shanghai
    plan = wp.plan_day(date(2026, 12, 7), t.timezone, wp.shifts_from_config(t.shifts),
                       [wp.Gang(g["name"], tuple(g["shifts"])) for g in t.line_gangs], calls)
    assert [p.name for p in plan.shifts] == ["early", "late", "night"]
    gangs = {m.key: m.gang for p in plan.shifts for m in p.movements}
    assert gangs == {"V0": "A", "V8": "C", "V15": "E"}  # each shift's first gang, not "—"


def test_gangs_given_must_work_the_files_shifts(db_file, tmp_path, capsys):
    code, out, err = _import(db_file, tmp_path, capsys, """\
  shifts: [{name: early, start: "06:00", end: "18:00"}, {name: late, start: "18:00", end: "06:00"}]
  line_gangs: [{name: A, shifts: [early]}, {name: B, shifts: [day]}]
""")
    assert code == 1
    assert "layout.yaml:8" in err and "'day' is not one of the terminal's shifts" in err


def test_gangs_alone_are_judged_against_the_terminals_shifts(db_file, tmp_path, capsys):
    assert _import(db_file, tmp_path, capsys, "")[0] == 0
    code, out, err = _import(db_file, tmp_path, capsys,
                             "  line_gangs: [{name: A, shifts: [early]}]\n")
    assert code == 1 and "line gang A works shift 'early'" in err and "day, night" in err
    code, out, err = _import(db_file, tmp_path, capsys,
                             "  line_gangs: [{name: A, shifts: [day, night]}]\n")
    assert code == 0, err
    assert _terminal(db_file).line_gangs == [{"name": "A", "shifts": ["day", "night"]}]


@pytest.mark.parametrize(("body", "says"), [
    ("  appointments: {slot_minutes: 7}\n", "does not divide the day"),
    ("  appointments: {slot_capacity: 0}\n", "out of range"),
    ("  appointments: {slots: 3}\n", "appointments has no key 'slots'"),
    ("  gate_lanes: [{name: G1, use: sideways}]\n", "'sideways' is not one of: in, out"),
    ("  gate_lanes: [{name: G1}, {name: G1}]\n", "gate lane G1 is listed twice"),
])
def test_bad_settings_say_where_and_what(db_file, tmp_path, capsys, body, says):
    code, _, err = _import(db_file, tmp_path, capsys, body)
    assert code == 1 and says in err and "layout.yaml:" in err and "Traceback" not in err


def test_demo_layout_states_the_demo_settings(db_file, capsys):
    demo = Path(__file__).resolve().parent.parent / "schedules" / "demo" / "layout.yaml"
    assert main(["--db", str(db_file), "import", str(demo)]) == 0
    t = _terminal(db_file)
    assert [g["name"] for g in t.line_gangs] == ["A", "B", "C", "D"]
    assert any(lane["use"] == "trouble" for lane in t.gate_lanes)
    assert (t.appt_slot_minutes, t.appt_slot_capacity, t.appt_tolerance_minutes) == (60, 20, 30)
