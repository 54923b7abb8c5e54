"""Generate and load a terminal of any size, seeded: ``--containers 100000 --visits 500``.

    python benchmarks/terminal.py --db /tmp/big.db --containers 100000 --visits 500

Everything goes in through operations, as an import would: ``layout.import`` (berths and
enough yard blocks for the boxes), ``schedule.import`` (vessels and visits) and one
``inventory.load`` (every box, one bulk INSERT, one event with counts). Same seed, same
terminal. ``generate()`` is what ``benchmarks/run.py`` times; other benchmarks may call it to
get a big database to measure on.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from stdnum import imo as _imo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from portops import schema  # noqa: E402
from portops.clock import FixedClock  # noqa: E402
from portops.db import make_engine, write_session  # noqa: E402
from portops.ops import Core  # noqa: E402
from portops.ops.inventory import load_inventory  # noqa: E402
from portops.ops.layout import BerthSpec, BlockSpec, LayoutSpec, TerminalSpec, import_layout  # noqa: E402
from portops.ops.schedule import CallSpec, ScheduleSpec, VesselSpec, import_schedule  # noqa: E402
from portops.ops.users import bootstrap  # noqa: E402
from portops.synth import OWNERS, BlockInfo, Synth, VisitInfo  # noqa: E402

NOW = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)
BLOCK = dict(bays=42, rows=6, tiers=5)
ON_BOARD_SHARE = 0.15  # of the boxes, on board visits being worked; the rest in the yard


def layout(containers: int, visits: int) -> LayoutSpec:
    berths = max(4, math.ceil(visits / 80))
    yard_boxes = containers * (1 - ON_BOARD_SHARE)
    # Synth puts ~540 boxes in a 42x6x5 block (40' stacks take two 20' bays); 25 % spare.
    per_block = BLOCK["bays"] * BLOCK["rows"] * BLOCK["tiers"] * 0.43
    n_blocks = max(8, math.ceil(yard_boxes / per_block * 1.25))
    purposes = ["import", "export", "import", "export", "mixed", "empty", "reefer"]
    blocks = [BlockSpec(where="", name=f"Y{i:03d}", takes_45=True, quay_m=i * 25.0,
                        purpose=purposes[i % len(purposes)],
                        reefer_rows=6 if i % len(purposes) == 6 else 0, **BLOCK)
              for i in range(n_blocks)]
    blocks.append(BlockSpec(where="", name="DG1", dangerous_goods=True, purpose="dangerous",
                            **BLOCK))
    return LayoutSpec(
        TerminalSpec(where="", code="BENCH", name="Benchmark terminal", locode="CNSHA",
                     timezone="Asia/Shanghai"),
        [BerthSpec(where="", name=f"Q{i + 1:02d}", quay_start_m=i * 400.0,
                   quay_end_m=(i + 1) * 400.0, depth_m=17.0) for i in range(berths)],
        blocks)


def schedule(rnd: random.Random, visits: int, berths: int) -> ScheduleSpec:
    lines = sorted(OWNERS)
    n_vessels = max(1, visits // 3)
    vessels, seen = [], set()
    while len(vessels) < n_vessels:
        six = f"{rnd.randrange(930000, 990000)}"
        number = six + _imo.calc_check_digit(six)
        if number in seen:
            continue
        seen.add(number)
        vessels.append(VesselSpec(where="", imo=number, name=f"BENCH {len(vessels):04d}",
                                  call_sign="", loa_m=rnd.choice([300.0, 334.0, 366.0]),
                                  beam_m=48.0, max_draft_m=15.0))
    calls = []
    per_berth = math.ceil(visits / berths)
    start = NOW - timedelta(hours=36 * per_berth / 2)  # half the calls past, half to come
    for i in range(visits):
        berth, slot = i % berths, i // berths
        etb = start + timedelta(hours=36 * slot)
        v = vessels[i % n_vessels]
        line = lines[i % len(lines)]
        calls.append(CallSpec(where="", key=f"{line}-{i:05d}", imo=v.imo, line_operator=line,
                              eta=etb - timedelta(hours=3), etb=etb,
                              etd=etb + timedelta(hours=30), berth=f"Q{berth + 1:02d}",
                              quay_from_m=berth * 400.0 + 15, moves_discharge=1500,
                              moves_load=1500))
    return ScheduleSpec(terminal="BENCH", terminal_where="", vessels=vessels, calls=calls)


def generate(db: str | Path, containers: int, visits: int, seed: int = 1) -> dict[str, float]:
    """Create ``db`` and load a seeded terminal; returns the seconds each step took."""
    t0 = time.perf_counter()
    engine = make_engine(db)
    schema.upgrade(engine)
    clock = FixedClock(NOW)
    with write_session(engine) as s:
        bootstrap(s, clock)
    core = Core(engine, clock)
    t1 = time.perf_counter()
    rnd = random.Random(seed)
    lay = layout(containers, visits)
    sched = schedule(rnd, visits, len(lay.berths))
    core.run("system", import_layout, layout=lay, source="benchmark")
    core.run("system", import_schedule, schedule=sched, source="benchmark")
    t2 = time.perf_counter()
    synth = Synth(seed)
    infos = [VisitInfo(c.key, c.line_operator) for c in sched.calls]
    past = [v for v, c in zip(infos, sched.calls, strict=True) if c.etb < NOW]
    future = [v for v, c in zip(infos, sched.calls, strict=True) if c.etb >= NOW]
    on_board = int(containers * ON_BOARD_SHARE)
    working = future[: max(1, math.ceil(on_board / 1500))]
    boxes = []
    for i, v in enumerate(working):
        boxes += synth.on_board(v, min(1500, on_board - i * 1500))
    blocks = [BlockInfo(b.name, b.bays, b.rows, b.tiers, b.purpose, b.reefer_rows,
                        b.dangerous_goods, b.takes_45) for b in lay.blocks]
    boxes += synth.yard(blocks, containers - len(boxes), imports=past, exports=future,
                        since=NOW - timedelta(days=10), now=NOW)
    if len(boxes) != containers:
        raise SystemExit(f"the generated yard holds only {len(boxes)} of {containers} boxes")
    t3 = time.perf_counter()
    core.run("system", load_inventory, boxes=boxes, source="benchmark")
    t4 = time.perf_counter()
    engine.dispose()
    return {"create": t1 - t0, "layout+schedule": t2 - t1, "generate boxes": t3 - t2,
            "load boxes": t4 - t3, "total": t4 - t0}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--db", required=True, help="SQLite file to create (must not exist)")
    p.add_argument("--containers", type=int, default=100_000)
    p.add_argument("--visits", type=int, default=500)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    if Path(args.db).exists():
        p.error(f"{args.db} exists; give a new file")
    for step, secs in generate(args.db, args.containers, args.visits, args.seed).items():
        print(f"{step:>16}: {secs:7.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
