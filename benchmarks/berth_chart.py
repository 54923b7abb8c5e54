"""How fast the week's berth chart comes up on a big terminal (issue 3: under 200 ms).

    python benchmarks/berth_chart.py                    # generates 100,000 boxes / 500 visits
    python benchmarks/berth_chart.py --db /tmp/big.db   # reuse a database made by terminal.py

Measures, on the database from ``benchmarks/terminal.py``:

1. the chart query for a week (``queries.berths.berth_chart``: one SQL query + overlap sweep);
2. drawing it (``ui.widgets.berth_chart.draw``) at 160×50 and 80×24;
3. query + draw together, which is what the berth plan does on open, on a move and on a
   window change;
4. in a headless Textual app at 160×50: query, hand the week to the mounted chart widget and
   wait until the frame is painted.
Reports median, 90th percentile and max in milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import terminal  # noqa: E402

from portops.db import make_engine, read_session  # noqa: E402
from portops.queries.berths import berth_chart  # noqa: E402
from portops.ui.widgets.berth_chart import draw  # noqa: E402

WEEK = 168


def _ms(samples: list[float]) -> str:
    s = sorted(samples)
    p90 = s[max(0, int(len(s) * 0.9) - 1)]
    return (f"median {statistics.median(s) * 1000:7.2f} ms   p90 {p90 * 1000:7.2f} ms   "
            f"max {s[-1] * 1000:7.2f} ms   (n={len(s)})")


def _time(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def measure(db: Path, samples: int) -> dict[str, list[float]]:
    engine = make_engine(db)
    now = terminal.NOW
    start = now - timedelta(hours=6)
    end = start + timedelta(hours=WEEK)

    def query():
        with read_session(engine) as s:
            return berth_chart(s, start, end, now)

    chart = query()
    print(f"week chart: {len(chart.blocks)} blocks on {len(chart.berths)} berths, "
          f"{chart.quay_end_m - chart.quay_start_m:g} m of quay")
    out = {
        "query (week)": _time(query, samples),
        "draw 160x50": _time(lambda: draw(chart, start, WEEK, 160, 50, now=now), samples),
        "draw 80x24": _time(lambda: draw(chart, start, WEEK, 80, 24, now=now), samples),
        "query + draw 160x50": _time(
            lambda: draw(query(), start, WEEK, 160, 50, now=now), samples),
    }
    out["chart widget: query to painted frame 160x50"] = asyncio.run(
        _screen(engine, max(3, samples // 10)))
    engine.dispose()
    return out


async def _screen(engine, n: int) -> list[float]:
    """Mount the chart widget, hand it the week, wait for the frame to be painted."""
    from textual.app import App

    from portops.ui.widgets.berth_chart import BerthChart

    now = terminal.NOW
    start = now - timedelta(hours=6)
    times = []
    for _ in range(n):
        app = App()
        async with app.run_test(size=(160, 50)) as pilot:
            chart = BerthChart()
            await app.mount(chart)
            await pilot.pause()
            t = time.perf_counter()
            with read_session(engine) as s:
                data = berth_chart(s, start, start + timedelta(hours=WEEK), now)
            chart.start = start
            chart.show(data, now)
            await pilot.pause()
            times.append(time.perf_counter() - t)
    return times


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--db", help="an existing benchmark database (default: generate one)")
    p.add_argument("--containers", type=int, default=100_000)
    p.add_argument("--visits", type=int, default=500)
    p.add_argument("--samples", type=int, default=50)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "bench.db"
        if not db.exists():
            print(f"generating {args.containers} containers, {args.visits} visits ...")
            terminal.generate(db, args.containers, args.visits)
        for name, samples in measure(db, args.samples).items():
            print(f"{name:>48}: {_ms(samples)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
