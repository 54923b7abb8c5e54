"""The demo terminal: built in mid-operation through operations; init --demo twice is safe."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from portops.cli import main
from portops.clock import FixedClock
from portops.db import make_engine
from portops.demo import build_demo
from portops.model import Container, Event, Flag, FlagState, Phase, VesselVisit, Where
from portops.ops import Core

NOW = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)  # 14:00 in Shanghai on the file's own day


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    assert main(["--db", str(path), "init"]) == 0
    engine = make_engine(path)
    build_demo(Core(engine, FixedClock(NOW)))
    engine.dispose()
    return path


def test_demo_is_in_mid_operation(demo_db):
    engine = make_engine(demo_db)
    with Session(engine) as s:
        phases = Counter(v.phase for v in s.exec(select(VesselVisit)))
        where = Counter(c.location for c in s.exec(select(Container)))
        flags = Counter((f.type_code, f.state) for f in s.exec(select(Flag)))
        events = s.exec(select(func.count()).select_from(Event)).one()
    assert sum(phases.values()) >= 20
    assert phases[Phase.WORKING] >= 2 and phases[Phase.DEPARTED] >= 3
    assert phases[Phase.PLANNED] >= 3
    assert where[Where.YARD] >= 5000 and where[Where.VESSEL] >= 500
    assert flags[("PORT_ENTRY", FlagState.GRANTED)] >= 10
    assert flags[("CUSTOMS_IMPORT", FlagState.GRANTED)] >= 50
    assert flags[("XRAY", FlagState.ACTIVE)] >= 1
    assert events > 100
    engine.dispose()


def test_init_demo_and_import_twice_changes_nothing_the_second_time(demo_db, tmp_path,
                                                                    capsys):
    """On a copy: ``portops init --demo`` runs on the real clock, and the other tests here
    judge the demo as built at ``NOW`` (after midnight in Shanghai the real clock's demo
    moved the visits they look at)."""
    import sqlite3

    copy = tmp_path / "demo.db"
    src, dst = sqlite3.connect(demo_db), sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    dst.close()
    demo_db = copy
    demo = Path(__file__).resolve().parent.parent / "schedules" / "demo"
    files = [str(p) for p in sorted(demo.glob("*.yaml"))]
    engine = make_engine(demo_db)
    with Session(engine) as s:
        before = (s.exec(select(func.count()).select_from(VesselVisit)).one(),
                  s.exec(select(func.count()).select_from(Container)).one())
    engine.dispose()
    assert main(["--db", str(demo_db), "init", "--admin", "admin"]) == 0  # who imports
    for _ in range(2):
        assert main(["--db", str(demo_db), "init", "--demo"]) == 0
        capsys.readouterr()
        assert main(["--db", str(demo_db), "import", *files]) == 0
        out = capsys.readouterr().out
        assert " 0 added" in out and "visits 0 added" in out
    engine = make_engine(demo_db)
    with Session(engine) as s:
        after = (s.exec(select(func.count()).select_from(VesselVisit)).one(),
                 s.exec(select(func.count()).select_from(Container)).one())
    engine.dispose()
    assert after == before
    capsys.readouterr()
    assert main(["--db", str(demo_db), "events", "--limit", "3"]) == 0
    assert capsys.readouterr().out.count("schedule.import") == 1


def test_demo_has_a_discharge_in_progress(demo_db):
    from portops.model import DischargeItem, DischargePlan

    engine = make_engine(demo_db)
    with Session(engine) as s:
        plans = s.exec(select(DischargePlan)).all()
        status = Counter(i.status for i in s.exec(select(DischargeItem)))
        planned_slots = s.exec(select(func.count()).select_from(DischargeItem).where(
            DischargeItem.yard_block_id.is_not(None))).one()
    engine.dispose()
    assert len(plans) >= 2 and any(p.started_at for p in plans)
    assert status["discharged"] >= 5 and status["short"] >= 1 and status["planned"] >= 100
    assert planned_slots >= status["planned"]


def test_demo_lets_a_user_walk_export(demo_db):
    """A visit whose receiving window is open now, with bookings, boxes in with arrival
    reports (some released by customs) and appointments for today; a working visit with a
    load plan (partly following the line's load list) and the first boxes tallied."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from portops.model import (
        ArrivalEntry,
        ExportBooking,
        LoadItem,
        Receival,
        StowInstruction,
    )
    from portops.queries.export import receiving_plan

    engine = make_engine(demo_db)
    with Session(engine) as s:
        open_now = [v for v in s.exec(select(VesselVisit).where(VesselVisit.phase == "planned"))
                    if v.etb and timedelta(days=2) <= v.etb - NOW <= timedelta(days=7)]
        assert open_now
        visit = open_now[0]
        window = {r.visit: r for r in receiving_plan(s)}[visit.key]
        assert window.opens <= NOW < window.cargo_cutoff
        assert s.exec(select(ExportBooking).where(ExportBooking.visit_id == visit.id)).all()
        reported = s.exec(select(ArrivalEntry).where(ArrivalEntry.visit_id == visit.id)).all()
        released = {f.container_id for f in s.exec(select(Flag).where(
            Flag.type_code == "CUSTOMS_EXPORT", Flag.state == FlagState.GRANTED))}
        assert len(reported) >= 5
        assert 0 < len({r.container_id for r in reported} & released) < len(reported)
        tz = ZoneInfo("Asia/Shanghai")
        today = [r for r in s.exec(select(Receival).where(Receival.state == "booked"))
                 if r.slot_start >= NOW and r.slot_start.astimezone(tz).date()
                 == NOW.astimezone(tz).date()]
        assert len(today) >= 4 and any(r.vgm_kg is None for r in today)
        working = s.exec(select(VesselVisit).where(VesselVisit.phase == "working")).all()
        items = s.exec(select(LoadItem).where(LoadItem.visit_id.in_([v.id for v in working]))
                       ).all()
        states = Counter(i.state for i in items)
        assert states["planned"] >= 5 and states["loaded"] >= 1
        assert any(i.why == "line's stowage instruction" for i in items)
        assert s.exec(select(StowInstruction)).all()
    engine.dispose()


def test_demo_gives_the_gate_clerk_work(demo_db):
    """Pickups booked in today's slots (current hour first) for released import boxes in the
    yard, and trucks at the gate: one loaded, one admitted, one on the trouble list."""
    from zoneinfo import ZoneInfo

    from portops.model import Appointment, AppointmentSlot, TruckVisit
    from portops.ops.gate_checks import blockers

    engine = make_engine(demo_db)
    tz = ZoneInfo("Asia/Shanghai")
    with Session(engine) as s:
        rows = s.exec(select(Appointment, AppointmentSlot).join(
            AppointmentSlot, AppointmentSlot.id == Appointment.slot_id)).all()
        today = [a for a, slot in rows
                 if slot.start.astimezone(tz).date() == NOW.astimezone(tz).date()]
        assert len(today) >= 6 and len({slot.start for _, slot in rows}) >= 3
        assert Counter(a.state for a in today) == Counter(booked=len(today) - 2, admitted=2)
        trucks = Counter(t.state for t in s.exec(select(TruckVisit).where(
            TruckVisit.appointment_id.is_not(None))))  # pickups (export receivals aside)
        assert trucks == Counter(loaded=1, admitted=1, trouble=1)
        stopped = s.exec(select(TruckVisit).where(TruckVisit.state == "trouble")).one()
        assert [r["rule"] for r in stopped.trouble] == ["gate.plate"]
        for a in today:  # every booked box is in the yard (or on the loaded truck)
            c = s.get(Container, a.container_id)
            assert c.location in (Where.YARD, Where.TRUCK)
            if c.location == Where.YARD:
                assert len(blockers(s, c)) <= 4
    engine.dispose()


def test_demo_has_a_mooring_job_for_the_line_handler(demo_db):
    """The arrived vessel that berths next has its particulars confirmed and its berth
    cleared, so a line handler signing in sees a job: set out the floats and marks."""
    from portops.queries.checklists import jobs

    engine = make_engine(demo_db)
    with Session(engine) as s:
        work = jobs(s, "line_handler")
    engine.dispose()
    assert work and (work[0].checklist, work[0].step.id) == ("berthing", "FLOATS_AND_MARKS_SET")


def test_demo_refuses_a_database_it_would_not_use(tmp_path, monkeypatch, capsys):
    """``portops demo --db URL`` built its demo in a temporary file all the same; it says so
    and names the command that puts the demo where asked. ``$PORTOPS_DB`` (a site's own
    database) does not stop the demo."""
    target = tmp_path / "site.db"
    assert main(["demo", "--db", str(target)]) == 2
    err = capsys.readouterr().err
    assert f"portops init --demo --db {target}" in err and "Traceback" not in err
    assert not target.exists()
    from portops.cli import build_parser

    monkeypatch.setenv("PORTOPS_DB", str(target))
    assert build_parser().parse_args(["demo"]).db is None
