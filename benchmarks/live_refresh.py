"""How soon a console shows another console's change, with 100,000 boxes in the database.

    python benchmarks/live_refresh.py                          # 100,000 boxes, 500 visits
    python benchmarks/live_refresh.py --poll 0.05 0.1 0.5 --changes 40
    python benchmarks/live_refresh.py --db /tmp/bench100k.db   # an existing database (copied)

The same measurement as the refresh part of ``benchmarks/console.py`` (one code path, so the
two cannot drift apart): a real ``portops`` console in a pseudo-terminal, signed in as a
dispatcher, shows the schedule; this process — another console, another process — commits
``berthplan.set_times`` on a visit on screen; the time runs from the commit returning until the
new ETD is drawn on the console's terminal. Repeated for each poll interval
(``PORTOPS_POLL_SECONDS``), with the console's CPU share while idle.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.console import prepare, refreshes, report  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="an existing SQLite database (copied; default: generate one)")
    ap.add_argument("--containers", type=int, default=100_000)
    ap.add_argument("--visits", type=int, default=500)
    ap.add_argument("--poll", type=float, nargs="+", default=[0.05, 0.1],
                    help="console poll intervals to measure, seconds")
    ap.add_argument("--changes", type=int, default=40)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="portops-live-bench-")
    db = os.path.join(work, "live.db")
    t0 = time.perf_counter()
    if args.db:
        shutil.copyfile(args.db, db)
    else:
        from benchmarks.terminal import generate

        generate(db, args.containers, args.visits)
        print(f"built {args.containers:,} boxes, {args.visits} visits in "
              f"{time.perf_counter() - t0:.0f} s")
    prepare(db)
    print(f"load {os.getloadavg()[0]:.1f}")
    for poll in args.poll:
        seconds, idle = refreshes(db, args.changes, env={"PORTOPS_POLL_SECONDS": str(poll)})
        report(f"poll {poll:g} s: commit -> drawn", seconds)
        print(f"  console CPU while idle: {idle * 100:.1f} % of one core")
    print(f"load at the end {os.getloadavg()[0]:.1f}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
