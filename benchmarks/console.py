"""The console on a big terminal: start to an interactive schedule; refresh after a change.

    python benchmarks/console.py --db /tmp/console100k.db      # an existing database (copied)
    python benchmarks/console.py --containers 100000 --visits 500   # generate one first

Start: a fresh Python process per sample (``--start-once``) that imports the console, opens
the database, signs a dispatcher in and waits until the schedule table holds its rows; the
time runs from just before the process is spawned to that moment (interpreter start and
imports included). Refresh: two consoles in one process on the same file, as in
``tests/ui/test_live.py``; a dispatcher's change is committed by the other console's core, and
the time runs from the commit returning to the watching console's row showing the new ETB.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

USER = "bench-dispatcher"


def _prepare(db: str) -> None:
    from portops import schema
    from portops.db import make_engine
    from portops.ops import Core
    from portops.ops.users import add_user
    from portops.queries.accounts import account

    engine = make_engine(db)
    schema.upgrade(engine)
    if account(engine, USER) is None:
        Core(engine).run("system", add_user, name=USER, role="dispatcher")
    engine.dispose()


async def _until(pilot, condition, timeout: float = 60.0) -> None:
    end = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > end:
            raise TimeoutError("condition not met")
        await pilot.pause(0.005)


def start_once(db: str, spawned_at: float) -> None:
    """One console start (run in its own process); prints seconds since ``spawned_at``."""
    from portops.db import make_engine
    from portops.queries.accounts import account
    from portops.ui import Settings, make_app

    async def run() -> float:
        engine = make_engine(db)
        app = make_app(engine, settings=Settings(tick=False))
        async with app.run_test(size=(160, 50)) as pilot:
            app.sign_in_as(account(engine, USER))
            await _until(pilot, lambda: getattr(app.screen, "loaded", False))
            return time.time() - spawned_at, app.screen.table.row_count

    seconds, rows = asyncio.run(run())
    print(f"{seconds:.4f} {time.process_time():.4f} {rows}")


def starts(db: str, samples: int) -> tuple[list[float], list[float]]:
    """Wall-clock seconds from spawn to the schedule, and the CPU seconds the process used."""
    wall, cpu = [], []
    for _ in range(samples):
        t0 = time.time()
        res = subprocess.run([sys.executable, __file__, "--db", db, "--start-once", str(t0)],
                             capture_output=True, text=True, check=True)
        seconds, used, rows = res.stdout.split()
        wall.append(float(seconds))
        cpu.append(float(used))
    print(f"schedule rows shown: {rows}")
    return wall, cpu


def refreshes(db: str, samples: int, poll: float) -> list[float]:
    from portops.db import make_engine
    from portops.ops import Core
    from portops.ops.berthplan import set_times
    from portops.queries.accounts import account
    from portops.ui import Settings, make_app

    async def run() -> list[float]:
        engine, other = make_engine(db), make_engine(db)
        core = Core(other)
        app = make_app(engine, settings=Settings(tick=False, poll_seconds=poll))
        out = []
        async with app.run_test(size=(160, 50)) as pilot:
            app.sign_in_as(account(engine, USER))
            await _until(pilot, lambda: getattr(app.screen, "loaded", False))
            screen = app.screen
            candidates = [r for r in screen.rows.values() if r.etb and r.etd and
                          r.phase.value == "planned"]
            for n in range(samples):
                row = screen.rows[candidates[n % len(candidates)].id]
                new_etd = row.etd + timedelta(minutes=1)
                core.run(USER, set_times, visit_id=row.id, etd=new_etd)
                t0 = time.perf_counter()
                await _until(pilot, lambda r=row, e=new_etd: screen.rows[r.id].etd == e)
                out.append(time.perf_counter() - t0)
                await pilot.pause(0.05)
        engine.dispose()
        other.dispose()
        return out

    return asyncio.run(run())


def _report(name: str, seconds: list[float]) -> None:
    ms = sorted(x * 1000 for x in seconds)
    p90 = ms[int(len(ms) * 0.9) - 1] if len(ms) >= 10 else ms[-1]
    print(f"{name:<34} median {statistics.median(ms):7.1f} ms   p90 {p90:7.1f} ms   "
          f"max {ms[-1]:7.1f} ms  (n={len(ms)})")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="console benchmarks")
    p.add_argument("--db", help="an existing database (it is copied; the copy is measured)")
    p.add_argument("--containers", type=int, default=100_000)
    p.add_argument("--visits", type=int, default=500)
    p.add_argument("--samples", type=int, default=10)
    p.add_argument("--refresh-samples", type=int, default=50)
    p.add_argument("--poll", type=float, default=None, help="poll interval (default: setting)")
    p.add_argument("--start-once", type=float, default=None, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.start_once is not None:
        start_once(args.db, args.start_once)
        return 0
    work = tempfile.mkdtemp(prefix="portops-console-bench-")
    db = os.path.join(work, "console.db")
    if args.db:
        shutil.copyfile(args.db, db)
    else:
        from benchmarks.terminal import generate

        generate(db, args.containers, args.visits)
    _prepare(db)
    from portops.ui.settings import Settings

    poll = args.poll if args.poll is not None else Settings().poll_seconds
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, "
          f"load {os.getloadavg()[0]:.1f}, database {os.path.getsize(db) / 1e6:.1f} MB")
    wall, cpu = starts(db, args.samples)
    _report("start to interactive schedule", wall)
    _report("  of which CPU (the process)", cpu)
    _report(f"refresh after a change (poll {poll:g} s)",
            refreshes(db, args.refresh_samples, poll))
    print(f"load at the end {os.getloadavg()[0]:.1f}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
