"""Measure the foundation's figures and print them (recorded in docs/benchmarks.md).

    python benchmarks/run.py                       # 100,000 boxes, 500 visits
    python benchmarks/run.py --containers 20000 --visits 100 --samples 100

1. generate + load a seeded terminal (``benchmarks/terminal.py``), wall-clock seconds;
2. on that database, the commit time of single operations with their event, each sample a
   full ``Core.run`` (look up the user, check role and rules, write, append the event,
   commit): granting a customs permission on a box, putting an X-ray hold on one, and
   ``Core.check`` (the "why can't I?" question) for a delivery-guarding grant.
Reports median, 90th percentile and max in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import terminal  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from portops.clock import FixedClock  # noqa: E402
from portops.db import make_engine  # noqa: E402
from portops.model import Container, Where  # noqa: E402
from portops.ops import Core  # noqa: E402
from portops.ops.flags import apply_hold, grant_permission  # noqa: E402


def _ms(samples: list[tuple[float, float]]) -> str:
    wall = sorted(w for w, _ in samples)
    cpu = statistics.median(c for _, c in samples)
    p90 = wall[int(len(wall) * 0.9) - 1]
    return (f"median {statistics.median(wall) * 1000:6.2f} ms   p90 {p90 * 1000:6.2f} ms   "
            f"max {wall[-1] * 1000:6.2f} ms   cpu median {cpu * 1000:5.2f} ms  (n={len(wall)})")


def _timed(fn, *args, **kwargs) -> tuple[float, float]:
    """Wall-clock and this thread's CPU seconds of one call (CPU shows the cost when the
    machine is shared and the wall clock also counts waiting for a core)."""
    w, c = time.perf_counter(), time.thread_time()
    fn(*args, **kwargs)
    return time.perf_counter() - w, time.thread_time() - c


def operations(db: Path, samples: int, seed: int) -> dict[str, list[tuple[float, float]]]:
    engine = make_engine(db)
    core = Core(engine, FixedClock(terminal.NOW))
    with Session(engine) as s:
        numbers = list(s.exec(select(Container.number).where(
            Container.location == Where.YARD, Container.category == "import")))
    rnd = random.Random(seed)
    picks = rnd.sample(numbers, min(len(numbers), 2 * samples))
    grants, holds, checks = [], [], []
    for i, number in enumerate(picks[:samples]):
        grants.append(_timed(core.run, "system", grant_permission, code="CUSTOMS_IMPORT",
                             container=number, reference=f"BENCH{i:08d}"))
    for i, number in enumerate(picks[samples:2 * samples]):
        holds.append(_timed(core.run, "system", apply_hold, code="XRAY", container=number,
                            reason="benchmark", reference=f"X{i:06d}"))
    for number in picks[samples:2 * samples]:
        checks.append(_timed(core.check, "system", grant_permission, code="LINE_RELEASE",
                             container=number, reference="R"))
    engine.dispose()
    return {"permission.grant (customs)": grants, "hold.apply (x-ray)": holds,
            "check (why not?)": checks}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="portops foundation benchmarks")
    p.add_argument("--containers", type=int, default=100_000)
    p.add_argument("--visits", type=int, default=500)
    p.add_argument("--samples", type=int, default=200)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--keep", help="keep the database at this path")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.keep or Path(tmp) / "bench.db")
        print(f"python {platform.python_version()}, {platform.machine()}, "
              f"{os.cpu_count()} cpus, load {os.getloadavg()[0]:.1f}")
        cpu = time.process_time()
        steps = terminal.generate(db, args.containers, args.visits, args.seed)
        cpu = time.process_time() - cpu
        print(f"generate + load {args.containers:,} containers, {args.visits} visits: "
              f"{steps['total']:.2f} s (cpu {cpu:.2f} s)")
        for step, secs in steps.items():
            if step != "total":
                print(f"  {step:<16} {secs:6.2f} s")
        print(f"database {db.stat().st_size / 2**20:.1f} MB")
        for name, samples in operations(db, args.samples, args.seed).items():
            print(f"{name:<28} {_ms(samples)}")
        print(f"load at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
