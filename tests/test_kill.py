"""Nothing lost: importers and operation streams killed with SIGKILL at random moments.

Each round forks an importer (``portops import`` of one schedule file after another, each a
few hundred calls in one transaction) and a stream of operations (grants, holds, releases,
visit phase changes, one after another), lets them run for a random moment and kills both
with SIGKILL — mid-parse, mid-transaction, mid-commit or between operations, wherever it
falls. Afterwards, on SQLite and PostgreSQL alike:

* the database passes its integrity check (SQLite ``integrity_check`` and
  ``foreign_key_check``; PostgreSQL ``amcheck`` over every B-tree index);
* every import is wholly there (all its calls and its one event) or wholly absent;
* every operation is wholly there with its event or wholly absent, and every operation the
  stream saw committed is there (the domain rows and the events are compared both ways);
* the console still opens on the database, and a dispatcher signs in.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import os
import random
import signal
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from portops.cli import main
from portops.model import Event, Flag, FlagState, Phase, Role, VesselVisit
from tests.conftest import as_role

pytestmark = pytest.mark.slow

#: Each round kills two processes (an importer and a stream): 25 rounds, 50 kills.
ROUNDS = int(os.environ.get("PORTOPS_KILL_ROUNDS", "25"))
CALLS_PER_FILE = 80
VISITS = 8  # visits the stream moves through their phases
LAYOUT = Path(__file__).resolve().parent.parent / "schedules" / "demo" / "layout.yaml"
_CTX = mp.get_context("fork")
_LIFECYCLE = ["visit.arrive", "visit.berth", "visit.start_work", "visit.complete_work",
              "visit.depart", "visit.close"]


def _schedule(prefix: str) -> str:
    lines = ["kind: schedule", "version: 1", "terminal: CNSHA-DEMO", "vessels:",
             '  - {imo: "9074729", name: KILL TEST, call_sign: VRAB1, loa_m: 200.0, '
             "beam_m: 30.0, max_draft_m: 10.0}", "calls:"]
    for i in range(CALLS_PER_FILE):
        d = 1 + i % 28
        lines.append(f'  - {{key: {prefix}-{i:04d}, imo: "9074729", line: COSU, '
                     f"voyage_in: {i}W, voyage_out: {i}E, eta: 2026-12-{d:02d}T01:00+08:00, "
                     f"etb: 2026-12-{d:02d}T02:00+08:00, etd: 2026-12-{d:02d}T20:00+08:00}}")
    return "\n".join(lines) + "\n"


def _importer(db_url: str, folder: Path, rnd: int) -> None:
    """Import one new schedule file after another until killed."""
    user = as_role(Role.DISPATCHER)
    # what the importer prints, line by line (pytest's capture is no use across a fork)
    sys.stdout = sys.stderr = open(folder / f"importer-{rnd:03d}.log", "w", buffering=1)  # noqa: SIM115
    for j in range(10_000):
        path = folder / f"K{rnd:03d}-{j:03d}.yaml"
        path.write_text(_schedule(path.stem))
        main(["--db", db_url, "--user", user, "import", str(path)])


def _stream(db_url: str, log: Path, rnd: int, visits: list[int]) -> None:
    """Perform operations one after another until killed; log each before and after."""
    from portops.clock import SystemClock
    from portops.db import make_engine
    from portops.ops import OPERATIONS, Core, Refused
    from portops.ops.flags import apply_hold, grant_permission, release_hold

    core = Core(make_engine(db_url), SystemClock())
    d = as_role(Role.DISPATCHER)
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    hold = None
    for i in range(100_000):
        key = f"S{rnd:03d}-{i:05d}"
        os.write(fd, f"start {key}\n".encode())
        if i % 4 == 0:
            core.run(d, grant_permission, code="CUSTOMS_IMPORT", reference=key, bl_number=key)
        elif i % 4 == 1:
            hold = core.run(d, apply_hold, code="XRAY", reason=key, bl_number=key)
        elif i % 4 == 2:
            core.run(d, release_hold, flag_id=hold, reference=key)
        else:
            visit = visits[(i // 4) % len(visits)]
            for name in _LIFECYCLE:  # the next phase this visit can take
                try:
                    core.run(d, OPERATIONS[name], visit_id=visit)
                    break
                except Refused:
                    continue
        os.write(fd, f"done {key}\n".encode())
        time.sleep(0.01)  # a console, not a tight loop: SQLite's busy wait is not a queue


def _visits(engine, n: int) -> list[int]:
    """Planned visits for the stream to move (set-up data, written directly)."""
    from portops.model import Vessel

    with Session(engine) as s, s.begin():
        vessel = Vessel(imo="9811000", name="KILL STREAM", call_sign="KS1", loa_m=200,
                        beam_m=30, max_draft_m=10)
        s.add(vessel)
        s.flush()
        rows = [VesselVisit(key=f"STREAM-{i}", vessel_id=vessel.id, line_operator="COSU",
                            voyage_in="1W", voyage_out="1E",
                            eta=datetime(2026, 12, 1, tzinfo=UTC),
                            etb=datetime(2026, 12, 1, 1, tzinfo=UTC),
                            etd=datetime(2026, 12, 1, 9, tzinfo=UTC)) for i in range(n)]
        s.add_all(rows)
        s.flush()
        return [v.id for v in rows]


def test_sigkill_loses_nothing_and_leaves_no_half_operation(db_url, engine, owner_engine, core,
                                                            tmp_path, capsys):
    assert main(["--db", db_url, "import", str(LAYOUT)]) == 0  # also loads the importers
    visits = _visits(engine, VISITS)
    engine.dispose()  # no connection of ours may cross a fork
    folder, log = tmp_path / "imports", tmp_path / "stream.log"
    folder.mkdir()
    (folder / "warm.yaml").write_text(_schedule("WARM"))
    assert main(["--db", db_url, "import", "--dry-run", str(folder / "warm.yaml")]) == 0
    engine.dispose()
    rng = random.Random(7)
    for rnd in range(ROUNDS):
        procs = [_CTX.Process(target=_importer, args=(db_url, folder, rnd)),
                 _CTX.Process(target=_stream, args=(db_url, log, rnd, visits))]
        for p in procs:
            p.start()
        try:
            if rnd % 5 == 4:  # however loaded the machine: let one import through, then kill
                _wait_for_an_import(folder / f"importer-{rnd:03d}.log")
                time.sleep(rng.uniform(0.0, 0.5))
            else:
                time.sleep(rng.uniform(0.2, 2.0))  # an import takes half a second or so
        finally:
            for p in procs:
                os.kill(p.pid, signal.SIGKILL)
            for p in procs:
                p.join()
        assert [p.exitcode for p in procs] == [-signal.SIGKILL] * 2, "a worker ended early"
    capsys.readouterr()

    _integrity(owner_engine)  # amcheck is the owner's (a superuser's) to install
    imported = _imports_whole_or_absent(engine, folder)
    streamed = _stream_whole_or_absent(engine, log)
    assert imported >= ROUNDS // 5 and streamed >= ROUNDS // 5, "nothing ever committed"
    asyncio.run(_console_opens(core, engine))


async def _console_opens(core, engine) -> None:
    """The console opens on the database and a dispatcher signs in and sees the schedule."""
    from portops.ops.users import set_password
    from portops.ui import Settings, make_app
    from tests.ui.conftest import PASSWORD, sign_in

    core.run("system", set_password, name=as_role(Role.DISPATCHER), password=PASSWORD)
    app = make_app(engine, settings=Settings(tick=False))
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        assert app.user is not None and app.user.name == as_role(Role.DISPATCHER)


def _wait_for_an_import(importer_log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if importer_log.exists() and "schedule:" in importer_log.read_text():
            return
        time.sleep(0.05)
    raise AssertionError("no import finished in two minutes")


def _integrity(engine) -> None:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalars().all() == ["ok"]
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            return
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck"))
        checked = conn.execute(text(
            "SELECT count(bt_index_check(c.oid, true)) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE a.amname = 'btree' AND n.nspname = 'public'")).scalar()
        assert checked > 10
        conn.commit()


def _imports_whole_or_absent(engine, folder: Path) -> int:
    """Every schedule file: all of its calls and one event, or none of either."""
    with Session(engine) as s:
        sources = [e.data["source"] for e in s.exec(
            select(Event).where(Event.operation == "schedule.import"))]
        keys = s.exec(select(VesselVisit.key).where(VesselVisit.key.like("K%"))).all()
    per_file: dict[str, int] = {}
    for key in keys:
        per_file[key.rsplit("-", 1)[0]] = per_file.get(key.rsplit("-", 1)[0], 0) + 1
    assert len(sources) == len(set(sources))
    assert sorted(Path(src).stem for src in sources) == sorted(per_file)
    assert set(per_file.values()) <= {CALLS_PER_FILE}, "an import was cut in half"
    return len(sources)


def _stream_whole_or_absent(engine, log: Path) -> int:
    """Compare the flag rows and visit phases with the events, both ways; nothing committed
    is missing."""
    lines = log.read_text().splitlines()
    done = {line.split()[1] for line in lines if line.startswith("done ")}
    with Session(engine) as s:
        events = s.exec(select(Event).where(Event.operation.in_(
            ["permission.grant", "hold.apply", "hold.release", *_LIFECYCLE]))).all()
        flags = s.exec(select(Flag)).all()
        phases = {v.id: v.phase for v in s.exec(
            select(VesselVisit).where(VesselVisit.key.like("STREAM-%")))}
    by_op: dict[str, set[str]] = {}
    last_phase: dict[int, str] = {}
    for e in events:
        if e.operation.startswith("visit."):
            last_phase[e.subject_id] = e.data["phase_to"]
        else:
            ref = e.data["reason"] if e.operation == "hold.apply" else e.data["reference"]
            by_op.setdefault(e.operation, set()).add(ref)
    assert by_op.get("permission.grant", set()) == {
        f.reference for f in flags if f.type_code == "CUSTOMS_IMPORT"
        and f.state == FlagState.GRANTED}
    assert by_op.get("hold.apply", set()) == {f.reason for f in flags if f.type_code == "XRAY"}
    assert by_op.get("hold.release", set()) == {
        f.clear_reference for f in flags if f.state == FlagState.RELEASED}
    for visit, phase in phases.items():
        assert phase == last_phase.get(visit, Phase.PLANNED.value)
    in_db = set().union(*by_op.values()) if by_op else set()
    flag_ops = {k for k in done if int(k.rsplit("-", 1)[1]) % 4 != 3}
    assert flag_ops <= in_db, f"committed but lost: {sorted(flag_ops - in_db)[:5]}"
    return len(done)
