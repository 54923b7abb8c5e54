"""The day-and-night work plan: shifts, moves per shift, gangs, issue and what changed, export."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlmodel import Session

from portops.cli import main
from portops.model import Phase, Role, VesselVisit
from portops.ops.berthplan import set_times
from portops.ops.checklists import tick
from portops.ops.visits import arrive
from portops.ops.workplans import issue
from portops.planning import workplan as wp
from portops.queries.workplan import build, changes_since_issue, local_today
from tests.conftest import as_role

D = as_role(Role.DISPATCHER)
DAY = date(2026, 11, 27)


def _work(engine, vid, **kw):
    with Session(engine) as s, s.begin():
        v = s.get(VesselVisit, vid)
        for k, val in {"cranes": 3, "moves_discharge": 1000, "moves_load": 800, **kw}.items():
            setattr(v, k, val)


def test_shifts_cut_the_day_in_local_time():
    shifts = wp.shifts_from_config([{"name": "day", "start": "08:00", "end": "20:00"},
                                    {"name": "night", "start": "20:00", "end": "08:00"}])
    (d0, d1), (n0, n1) = wp.shift_windows(DAY, "Asia/Shanghai", shifts)
    assert (d0.isoformat(), d1.isoformat()) == ("2026-11-27T08:00:00+08:00",
                                                "2026-11-27T20:00:00+08:00")
    assert (n0.isoformat(), n1.isoformat()) == ("2026-11-27T20:00:00+08:00",
                                                "2026-11-28T08:00:00+08:00")
    three = [wp.Shift("a", time(7), time(15)), wp.Shift("b", time(15), time(23)),
             wp.Shift("c", time(23), time(7))]
    assert [w[1].hour for w in wp.shift_windows(DAY, "UTC", three)] == [15, 23, 7]


def test_plan_lists_berthing_gang_and_moves_per_shift(core, engine, small_terminal):
    _work(engine, small_terminal["visit"])
    with Session(engine) as s:
        plan = build(s, DAY)
    day, night = plan.shifts
    (m,) = day.movements
    assert (m.kind, m.at, m.key, m.berth, m.gang, m.pilot) == (
        "berthing", "16:00", "TST-001", "B1", "A", "")
    assert night.movements == ()
    # 24 h alongside: 4 h of it in the day shift, 12 h in the night shift
    assert [(w.cranes, w.discharge, w.load) for w in day.cranes] == [(3, 167, 133)]
    assert [(w.discharge, w.load) for w in night.cranes] == [(500, 400)]
    _work(engine, small_terminal["visit"], phase=Phase.BERTHED)  # alongside by the next day
    with Session(engine) as s:
        nxt = build(s, date(2026, 11, 28))
    assert [(m.kind, m.at) for m in nxt.shifts[0].movements] == [("unberthing", "16:00")]
    total = sum(w.discharge for p in (plan, nxt) for sh in p.shifts for w in sh.cranes)
    assert total == 1000


def test_a_visit_that_never_came_is_overdue_not_unberthed(core, engine, small_terminal):
    """Issue 13: the plan showed 离泊 at 13:00 for a visit that never arrived. A visit due
    before the day and not alongside gets no unberthing and no crane work: it is listed once,
    "overdue" at the day and time it was due; once alongside, its unberthing is planned."""
    vid = small_terminal["visit"]
    _work(engine, vid)
    with Session(engine) as s:
        plan = build(s, date(2026, 11, 28))  # ETB 27th 16:00 local, ETD 28th 16:00, planned
    day, night = plan.shifts
    assert [(m.kind, m.at, m.key, m.gang) for m in day.movements] == [
        ("overdue", "27 16:00", "TST-001", "")]
    assert night.movements == () and day.cranes == () and night.cranes == ()
    core.run(D, arrive, visit_id=vid)  # at anchorage: still expected, still overdue
    with Session(engine) as s:
        assert [m.kind for m in build(s, date(2026, 11, 28)).shifts[0].movements] == [
            "overdue"]
    _work(engine, vid, phase=Phase.BERTHED)
    with Session(engine) as s:
        day = build(s, date(2026, 11, 28)).shifts[0]
    assert [(m.kind, m.at) for m in day.movements] == [("unberthing", "16:00")]
    assert [w.key for w in day.cranes] == ["TST-001"]


def test_pilot_comes_from_the_checklist(core, engine, small_terminal):
    vid = small_terminal["visit"]
    core.run(D, arrive, visit_id=vid)  # mooring steps are worked once the vessel is there
    for step in ("BERTH_CLEARED",):
        core.run(D, tick, visit_id=vid, checklist="berthing", step=step)
    core.run(as_role(Role.LINE_HANDLER), tick, visit_id=vid, checklist="berthing",
             step="FLOATS_AND_MARKS_SET")
    core.run(D, tick, visit_id=vid, checklist="berthing", step="POSITION_CONFIRMED",
             values={"pilot": "Zhang Wei", "bollard_fore": "12", "bollard_aft": "20"})
    with Session(engine) as s:
        assert build(s, DAY).shifts[0].movements[0].pilot == "Zhang Wei"


def test_issue_then_regenerate_shows_what_changed(core, engine, small_terminal, chinese):
    _work(engine, small_terminal["visit"])
    first = core.run(D, issue, day=DAY)
    assert first["first"] and first["changes"] == []
    with Session(engine) as s:
        assert changes_since_issue(s, DAY)[1] == []
    core.run(D, set_times, visit_id=small_terminal["visit"],
             etb=datetime(2026, 11, 27, 10, 0, tzinfo=UTC))
    with Session(engine) as s:
        issued, messages = changes_since_issue(s, DAY)
    changes = [str(m) for m in messages]  # the English, as the event keeps them
    assert issued.id == first["id"] and issued.issued_by == "dispatcher"
    assert changes[0] == "changed day shift berthing TST-001: at 16:00 -> 18:00"
    assert "changed day shift crane work TST-001: discharge 167 -> 91, load 133 -> 73" in changes
    again = core.run(D, issue, day=DAY)
    assert again["changes"] == changes and not again["first"]
    assert messages[0].text(chinese) == "变更 日班 靠泊 TST-001：at 16:00 -> 18:00"


def test_plan_day_after_midnight_is_yesterday_s_night_shift(core, engine, small_terminal):
    with Session(engine) as s:
        assert local_today(s, datetime(2026, 11, 27, 23, 0, tzinfo=UTC)) == DAY  # 07:00 +08
        assert local_today(s, datetime(2026, 11, 27, 1, 0, tzinfo=UTC)) == DAY  # 09:00 +08


def test_export_work_plan_markdown_and_csv(core, engine, small_terminal, tmp_path, capsys):
    _work(engine, small_terminal["visit"])
    db = engine.url.render_as_string(hide_password=False)
    assert main(["--db", db, "export", "work-plan", "--date", "2026-11-27"]) == 0
    md = capsys.readouterr().out
    assert "# Day-and-night work plan 2026-11-27 — Test terminal" in md
    assert "| 16:00 | berthing | TST-001 | TEST STAR | B1 | — | A |" in md
    assert "| TST-001 | TEST STAR | B1 | 3 | 167 | 133 |" in md
    assert md.rstrip().splitlines()[-1].startswith("audit head: event ")  # issue 16
    out = tmp_path / "plan.csv"
    assert main(["--db", db, "export", "work-plan", "--date", "2026-11-27", "--format", "csv",
                 "-o", str(out)]) == 0
    lines = out.read_text().splitlines()
    assert lines[0].startswith("day,shift,section,time,kind")
    assert lines[1] == "2026-11-27,day,movements,16:00,berthing,TST-001,TEST STAR,B1,,A,,,,"
    assert len(lines) == 4
    # the printed plan in the console's language; the CSV's columns stay machine-readable
    try:
        assert main(["--db", db, "--lang", "zh_CN", "export", "work-plan", "--date",
                     "2026-11-27"]) == 0
        zh = capsys.readouterr().out
        assert zh.startswith("# 昼夜作业计划 2026-11-27 — Test terminal")
        assert "时间均为码头当地时间（Asia/Shanghai）。" in zh
        assert "## 日班 11-27 08:00–11-27 20:00" in zh  # dates as Chinese clerks write them
        assert "| 16:00 | 靠泊 | TST-001 | TEST STAR | B1 | — | A |" in zh
        assert "| **合计** |" in zh
        assert main(["--db", db, "--lang", "xx", "export", "work-plan", "--date",
                     "2026-11-27"]) == 2
        assert "unknown language 'xx'" in capsys.readouterr().err
    finally:
        from portops import i18n

        i18n.set_language("en")


def test_export_bad_date_is_one_line(core, engine, small_terminal, capsys):
    try:
        main(["--db", engine.url.render_as_string(hide_password=False), "export",
              "work-plan", "--date", "27/11/2026"])
    except SystemExit as exc:
        assert exc.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "'27/11/2026' is not a date; write YYYY-MM-DD" in err[0]


def test_the_plan_shows_each_shift_s_gate_appointments(core, engine, small_terminal):
    """Gate appointments per shift (issue: "gate appointments per shift once they exist"):
    each slot with its pickups against capacity; cancelled ones do not count."""
    from portops.ops.appointments import book, cancel
    from tests import gate_world as gw

    w = gw.build(core, engine, small_terminal, capacity=12)
    for box in w["boxes"][:3]:
        gw.release(core, box)
    refs = [core.run(gw.CLERK, book, **gw.booking(box, plate=f"沪A1234{i}"))["ref"]
            for i, box in enumerate(w["boxes"][:3])]
    core.run(gw.CLERK, cancel, ref=refs[2], reason="truck broke down")
    with Session(engine) as s:
        plan = build(s, DAY)
    day, night = plan.shifts
    assert day.sections["gate appointments"] == [
        {"slot": "14:00–15:00", "pickups": 2, "capacity": 12, "deliveries": 0}]
    assert night.sections["gate appointments"] == []
    md = wp_markdown(plan)
    assert "### Gate appointments" in md and "| 14:00–15:00 | 2 | 12 | 0 |" in md


def wp_markdown(plan) -> str:
    from portops.formats.workplan import to_markdown

    return to_markdown(plan)
