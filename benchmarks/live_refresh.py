"""How soon a console shows another console's change, with 100,000 boxes in the database.

    python benchmarks/live_refresh.py                         # 100,000 boxes, SQLite
    python benchmarks/live_refresh.py --poll 0.1 --changes 50
    python benchmarks/live_refresh.py --db postgresql+psycopg://.../empty_db

Builds the terminal with ``benchmarks/terminal.py`` (boxes, visits, yard), opens console A
(the real app, headless, signed in as a dispatcher) and, from another engine — another
console — performs operations (a hold on a box, a visit arriving). For each it measures from
the other console's commit until console A has picked the change up (its poll of the event
log's high-water mark, reading the new events) and its screen has handled ``DataChanged``.
That time is the poll interval's wait plus the work; both are reported.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlmodel import Session, select  # noqa: E402

from benchmarks.terminal import generate  # noqa: E402
from portops.clock import SystemClock  # noqa: E402
from portops.db import make_engine  # noqa: E402
from portops.model import Container, Role, VesselVisit, Where  # noqa: E402
from portops.ops import Core  # noqa: E402
from portops.ops.flags import apply_hold  # noqa: E402
from portops.ops.users import add_user  # noqa: E402
from portops.ops.visits import arrive  # noqa: E402

PASSWORD = "benchmark password"


async def measure(db: str, poll: float, changes: int) -> list[tuple[float, float]]:
    from portops.ui import Settings, make_app

    engine_a, engine_b = make_engine(db), make_engine(db)
    other = Core(engine_b, SystemClock())
    with Session(engine_b) as s:
        boxes = s.exec(select(Container.number).where(Container.location == Where.YARD)
                       .limit(changes)).all()
        visits = s.exec(select(VesselVisit.id).where(VesselVisit.phase == "planned")
                        .limit(changes)).all()
    app = make_app(engine_a, settings=Settings(tick=False, poll_seconds=poll))
    delivered: list[float] = []
    deliver = app._deliver

    def timed_deliver(changes_) -> None:  # noqa: ANN001
        deliver(changes_)
        delivered.append(time.perf_counter())

    app._deliver = timed_deliver
    out: list[tuple[float, float]] = []
    async with app.run_test(size=(120, 40)) as pilot:
        while not app.screen.query("#name"):
            await pilot.pause(0.05)
        await pilot.click("#name")
        await pilot.press(*"dispatcher", "enter", *PASSWORD, "enter")
        while app.user is None:
            await pilot.pause(0.05)
        await pilot.pause(1.0)
        for i in range(changes):
            await pilot.pause(poll * (i % 7) / 7)  # changes land anywhere in the poll cycle
            before = len(delivered)
            if i % 2 and visits:
                await asyncio.to_thread(other.run, "dispatcher", arrive,
                                        visit_id=visits[i % len(visits)])
            else:
                await asyncio.to_thread(other.run, "dispatcher", apply_hold, code="XRAY",
                                        reason=f"bench {i}", container=boxes[i % len(boxes)])
            committed = time.perf_counter()
            while len(delivered) == before:
                await pilot.pause(0.002)
            await pilot.pause()  # the screen handles DataChanged
            done = time.perf_counter()
            out.append(((done - committed) * 1000, (done - delivered[-1]) * 1000))
    engine_a.dispose()
    engine_b.dispose()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="an EMPTY database URL (default: SQLite in a temp dir)")
    ap.add_argument("--containers", type=int, default=100_000)
    ap.add_argument("--visits", type=int, default=500)
    ap.add_argument("--poll", type=float, nargs="+", default=[0.5, 0.1],
                    help="console poll intervals to measure, seconds")
    ap.add_argument("--changes", type=int, default=40)
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory()
    db = args.db or str(Path(tmp.name) / "live.db")
    t0 = time.perf_counter()
    generate(db, args.containers, args.visits)
    Core(make_engine(db), SystemClock()).run("system", add_user, name="dispatcher",
                                             role=Role.DISPATCHER.value, password=PASSWORD)
    print(f"built {args.containers:,} boxes, {args.visits} visits in "
          f"{time.perf_counter() - t0:.0f} s")
    for poll in args.poll:
        samples = asyncio.run(measure(db, poll, args.changes))
        total = sorted(s[0] for s in samples)
        work = sorted(s[1] for s in samples)
        q = statistics.quantiles(total, n=20)
        print(f"poll {poll:.2f} s: commit -> console A refreshed, {len(total)} changes: "
              f"median {statistics.median(total):.0f} ms, p95 {q[18]:.0f} ms, max "
              f"{total[-1]:.0f} ms; of which after the poll saw it: median "
              f"{statistics.median(work):.1f} ms, max {work[-1]:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
