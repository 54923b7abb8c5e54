"""The combined import benchmark: a 20,000-box BAPLIE parsed, stored, discharge-planned and
yard-planned on a yard already 60% full, in under 10 s.

    python benchmarks/discharge.py [--boxes 20000] [--share 1.0] [--fill 0.6] [--db FILE]

Set-up (not timed): a fresh database, a terminal with one berth, a visit, and a yard of
42x6x5 blocks along the quay (import blocks with reefer rows, one DG block, export and
empty blocks) filled to ``--fill`` of its slots with stacks that obey the yard rules, in one
bulk insert. The BAPLIE is edifact's seeded generator (``portops.formats.edifact.samples``),
``--share`` of its boxes for this port (1.0: every box is discharged here, the hardest case).

Timed, each as the clerk would run it: read the BAPLIE text (``read_baplie``); the import
operation ``cargo.import_bayplan``; ``discharge.plan`` (crane split and sequence);
``yard.plan`` (a slot with reasons for every box). Each step commits with its event.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402
from sqlmodel import Session  # noqa: E402
from stdnum import iso6346  # noqa: E402

from portops import schema  # noqa: E402
from portops.clock import FixedClock  # noqa: E402
from portops.db import make_engine, write_session  # noqa: E402
from portops.formats.edifact.baplie import read_baplie, write_baplie  # noqa: E402
from portops.formats.edifact.samples import bay_plan  # noqa: E402
from portops.model import (  # noqa: E402
    Berth,
    Container,
    DischargeItem,
    Terminal,
    Vessel,
    VesselVisit,
    YardBlock,
)
from portops.ops import Core  # noqa: E402
from portops.ops.bayplan import import_bayplan  # noqa: E402
from portops.ops.discharge import make_plan  # noqa: E402
from portops.ops.users import bootstrap  # noqa: E402
from portops.ops.yard import plan as yard_plan  # noqa: E402

NOW = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)
BAYS, ROWS, TIERS = 42, 6, 5


def build_yard(engine, n_blocks: int, fill: float, seed: int = 7) -> int:
    """Blocks along the quay filled to ``fill`` of their slots; returns boxes placed."""
    rng = random.Random(seed)
    purposes = ["import"] * 6 + ["export", "empty"]
    rows, used, serial = [], set(), 0
    with Session(engine) as s, s.begin():
        blocks = []
        for i in range(n_blocks):
            dg = i % 12 == 5  # one block in twelve for dangerous goods
            purpose = "import" if dg else purposes[i % len(purposes)]
            b = YardBlock(name=f"Y{i:03d}", bays=BAYS, rows=ROWS, tiers=TIERS, takes_45=i % 2 == 0 or dg,
                          reefer_rows=2 if purpose == "import" and i % 3 != 1 else 0,
                          dangerous_goods=dg, purpose=purpose, quay_m=i * 20.0)
            s.add(b)
            blocks.append(b)
        s.flush()
        for b in blocks:
            for row in range(1, ROWS + 1):
                reefer = row <= b.reefer_rows
                for pair in range(2, BAYS + 1, 2):
                    forty = rng.random() < 0.7
                    for bay in ((pair,) if forty else (pair - 1, pair)):
                        height = sum(rng.random() < fill for _ in range(TIERS))
                        for tier in range(1, height + 1):
                            serial += 1
                            body = f"YRD{'U'}{serial:06d}"
                            number = body + iso6346.calc_check_digit(body)
                            used.add(number)
                            st = ("45R1" if forty else "22R1") if reefer else \
                                ("45G1" if forty else "22G1")
                            rows.append({
                                "number": number, "size_type": st, "category": "import",
                                "location": "yard", "yard_block_id": b.id, "yard_bay": bay,
                                "yard_row": row, "yard_tier": tier, "full": True,
                                "gross_kg": rng.randrange(5000, 30000, 10), "operator": "COSU",
                                "pol": "SGSIN", "pod": "CNSHA", "seals": "", "damage": "",
                                "imdg_class": "3" if b.dangerous_goods else None})
        s.execute(insert(Container), rows)
    return len(rows)


def setup(db: Path, boxes: int, fill: float) -> tuple[Core, int, int, int]:
    engine = make_engine(db)
    schema.upgrade(engine)
    clock = FixedClock(NOW)
    with write_session(engine) as s:
        bootstrap(s, clock)
        s.add(Terminal(code="BENCH", name="Benchmark", locode="CNSHA", timezone="Asia/Shanghai"))
        berth = Berth(name="Q01", quay_start_m=0, quay_end_m=800, depth_m=17)
        vessel = Vessel(imo="9839179", name="COSCO DEMO STAR", call_sign="VRAB1", loa_m=400,
                        beam_m=61, max_draft_m=16)
        s.add_all([berth, vessel])
        s.flush()
        visit = VesselVisit(key="BENCH-045E", vessel_id=vessel.id, line_operator="COSU",
                            voyage_in="045E", voyage_out="045W", berth_id=berth.id,
                            quay_from_m=200)
        s.add(visit)
        s.flush()
        visit_id = visit.id
    # enough blocks that, at ``fill``, the free slots hold the discharge with room to spare
    slots = BAYS * ROWS * TIERS
    n_blocks = max(12, int(boxes * 3.2 / (slots * (1 - fill))) + 1)
    placed = build_yard(engine, n_blocks, fill)
    with Session(engine) as s:
        total = n_blocks * slots
        taken = sum(2 if st[0] == "4" else 1 for (st,) in s.execute(
            select(Container.size_type).where(Container.location == "yard")))
    print(f"yard: {n_blocks} blocks of {BAYS}x{ROWS}x{TIERS}, {placed} boxes, "
          f"{taken / total:.0%} of 20' slots taken")
    return Core(engine, clock), visit_id, placed, n_blocks


def _renumbered(box, i: int):
    body = f"ZZZU{i:06d}"
    return replace(box, number=body + iso6346.calc_check_digit(body))


def setup_foundation(db: Path, fill: float, containers: int, avoid: set[str]
                     ) -> tuple[Core, int]:
    """The foundation's generator (``benchmarks/terminal.py`` layout + ``portops.synth``):
    its layout for ``containers`` boxes, every stack filled by ``Synth.yard(fill=...)``, loaded
    through ``layout.import`` and ``inventory.load``; one visit alongside Q01 takes the BAPLIE."""
    from benchmarks.terminal import layout
    from portops.ops.inventory import load_inventory
    from portops.ops.layout import import_layout
    from portops.synth import BlockInfo as SynthBlock
    from portops.synth import Synth, VisitInfo

    engine = make_engine(db)
    schema.upgrade(engine)
    clock = FixedClock(NOW)
    with write_session(engine) as s:
        bootstrap(s, clock)
    core = Core(engine, clock)
    lay = layout(containers, 1)
    # Its DG block takes no 45' and has no plugs; a BAPLIE brings both kinds of DG box.
    lay = replace(lay, blocks=[replace(b, takes_45=True, reefer_rows=2) if b.dangerous_goods
                               else b for b in lay.blocks])
    core.run("system", import_layout, layout=lay, source="benchmark")
    blocks = [SynthBlock(b.name, b.bays, b.rows, b.tiers, b.purpose, b.reefer_rows,
                         b.dangerous_goods, b.takes_45) for b in lay.blocks]
    capacity = sum(b.bays * b.rows * b.tiers for b in lay.blocks)
    past = [VisitInfo("PAST-001", "COSU")]
    boxes = Synth(7).yard(blocks, capacity, imports=past, exports=past, since=NOW, now=NOW,
                          fill=fill)
    boxes = [_renumbered(b, i) if b.number in avoid else b  # two generators, one number space
             for i, b in enumerate(boxes)]
    with write_session(engine) as s:
        berth = s.execute(select(Berth).where(Berth.name == "Q01")).scalars().one()
        vessel = Vessel(imo="9839179", name="COSCO DEMO STAR", call_sign="VRAB1", loa_m=400,
                        beam_m=61, max_draft_m=16)
        s.add(vessel)
        s.flush()
        for key in ("PAST-001", "BENCH-045E"):
            s.add(VesselVisit(key=key, vessel_id=vessel.id, line_operator="COSU",
                              voyage_in="045E" if key.startswith("B") else "001",
                              voyage_out="045W", berth_id=berth.id, quay_from_m=0))
        s.flush()
        visit_id = s.execute(select(VesselVisit).where(VesselVisit.key == "BENCH-045E")
                          ).scalars().one().id
    core.run("system", load_inventory, boxes=boxes, source="benchmark yard")
    with Session(engine) as s:
        taken = sum(2 if st[0] in "4L" else 1 for (st,) in s.execute(
            select(Container.size_type).where(Container.location == "yard")))
    print(f"yard (foundation generator): {len(lay.blocks)} blocks, {len(boxes)} boxes, "
          f"{taken / capacity:.0%} of 20' slots taken")
    return core, visit_id


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--boxes", type=int, default=20_000)
    ap.add_argument("--share", type=float, default=1.0, help="share of boxes for this port")
    ap.add_argument("--fill", type=float, default=0.6)
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--profile", action="store_true", help="profile the yard plan step")
    ap.add_argument("--yard", choices=("own", "foundation"), default="own",
                    help="own: blocks sized for the discharge; foundation: benchmarks/terminal.py "
                    "layout filled by portops.synth")
    ap.add_argument("--containers", type=int, default=100_000,
                    help="with --yard foundation: the terminal size its layout is made for")
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory()
    db = args.db or Path(tmp.name) / "bench.db"
    baplie = bay_plan(args.boxes, seed=1, discharge_share=args.share)
    if args.yard == "foundation":
        core, visit_id = setup_foundation(db, args.fill, args.containers,
                                          {b.number for b in baplie.boxes})
    else:
        core, visit_id, _, _ = setup(db, args.boxes, args.fill)
    text = write_baplie(baplie, control_ref="1", prepared=NOW)
    print(f"BAPLIE: {args.boxes} boxes, {len(text) / 1e6:.1f} MB")
    times: dict[str, tuple[float, float]] = {}

    def timed(name, fn):
        w, c = time.perf_counter(), time.process_time()
        result = fn()
        times[name] = (time.perf_counter() - w, time.process_time() - c)
        return result

    plan = timed("parse BAPLIE", lambda: read_baplie(text, "bench.edi"))
    timed("store (cargo.import_bayplan)", lambda: core.run(
        "system", import_bayplan, plan=plan, source="bench.edi", visit_key="BENCH-045E"))
    out = timed("discharge plan", lambda: core.run("system", make_plan, visit_id=visit_id))
    if args.profile:
        import cProfile
        import pstats
        prof = cProfile.Profile()
        prof.enable()
    yp = timed("yard plan", lambda: core.run("system", yard_plan, visit_id=visit_id))
    if args.profile:
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
    total = sum(w for w, _ in times.values())
    cpu = sum(c for _, c in times.values())
    with Session(core.engine) as s:
        planned = s.execute(select(DischargeItem.id).where(
            DischargeItem.yard_block_id.is_not(None))).all()
    print(f"  {'step':30s} {'wall':>6s}   {'cpu':>6s}")
    for k, (w, c) in times.items():
        print(f"  {k:30s} {w:6.2f} s {c:6.2f} s")
    print(f"  {'total':30s} {total:6.2f} s {cpu:6.2f} s  ({out['boxes']} to discharge, "
          f"{out['cranes']} cranes, {yp['planned']} yard slots, {len(planned)} stored)")
    print("PASS" if total < 10 else "FAIL", "(budget 10 s wall)")


if __name__ == "__main__":
    main()
