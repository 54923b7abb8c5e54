"""Export benchmark: load planning of 10,000 export boxes onto a vessel (< 10 s) and the
arrival report for 10,000 boxes (< 2 s).

    python benchmarks/export.py [--boxes 10000] [--db FILE]

Set-up (not timed): a fresh database with a terminal, an 400 m / 61 m vessel visit, export
blocks, and ``--boxes`` export boxes in the yard, each with its arrival report entry and an
export customs release (per booking of 50 boxes), in bulk inserts. Timed, as the clerk runs
them: the ``load.plan`` operation (release check per box, stowage by port of discharge and
weight, crane split and sequence, one commit with its event), and the arrival report (query +
Markdown, as ``portops export arrival-report`` writes it).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402
from sqlmodel import Session  # noqa: E402
from stdnum import iso6346  # noqa: E402

from portops import schema  # noqa: E402
from portops.clock import FixedClock  # noqa: E402
from portops.db import make_engine, write_session  # noqa: E402
from portops.model import (  # noqa: E402
    ArrivalEntry,
    Berth,
    Container,
    Flag,
    Terminal,
    Vessel,
    VesselVisit,
    YardBlock,
)
from portops.ops import Core  # noqa: E402
from portops.ops.loading import make_plan  # noqa: E402
from portops.ops.users import bootstrap  # noqa: E402
from portops.queries.export import arrival_report  # noqa: E402

NOW = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)
PODS = ["NLRTM", "DEHAM", "BEANR", "GBFXT", "FRLEH"]


def build(engine, n: int, seed: int = 11) -> int:
    rng = random.Random(seed)
    with Session(engine) as s, s.begin():
        s.add(Terminal(code="BENCH", name="Bench", locode="CNSHA", timezone="Asia/Shanghai"))
        berth = Berth(name="B1", quay_start_m=0, quay_end_m=450, depth_m=17)
        vessel = Vessel(imo="9074729", name="BENCH GIANT", loa_m=400, beam_m=61,
                        max_draft_m=16)
        s.add_all([berth, vessel])
        s.flush()
        visit = VesselVisit(key="BENCH-001E", vessel_id=vessel.id, line_operator="MSCU",
                            voyage_out="001E", etb=NOW + timedelta(days=1), berth_id=berth.id)
        blocks = [YardBlock(name=f"E{i:02d}", bays=40, rows=6, tiers=5, purpose="export")
                  for i in range(n // 1000 + 1)]
        s.add(visit)
        s.add_all(blocks)
        s.flush()
        rows, seen = [], set()
        while len(rows) < n:
            number = f"MSCU{rng.randrange(10**6):06d}"
            number += iso6346.calc_check_digit(number)
            if number in seen:
                continue
            seen.add(number)
            i = len(rows)
            block = blocks[i // 1000]
            k = i % 1000
            rows.append(dict(number=number, size_type=rng.choice(["22G1", "42G1", "45G1"]),
                             operator="MSCU", full=True, category="export",
                             vgm_kg=rng.randint(4000, 30000), seals=f"S{i}",
                             pol="CNSHA", pod=rng.choice(PODS), booking_ref=f"BK{i // 50:05d}",
                             out_visit_id=visit.id, location="yard", yard_block_id=block.id,
                             yard_bay=1 + k // 30, yard_row=1 + (k // 5) % 6,
                             yard_tier=1 + k % 5, time_in=NOW, damage=""))
        s.execute(insert(Container.__table__), rows)
        ids = dict(s.execute(Container.__table__.select().with_only_columns(
            Container.number, Container.id)).all())
        s.execute(insert(ArrivalEntry.__table__), [
            dict(container_id=ids[r["number"]], visit_id=visit.id, container_number=r["number"],
                 booking_ref=r["booking_ref"], eir_number=f"EIRI{i:08d}", reported_at=NOW)
            for i, r in enumerate(rows)])
        s.execute(insert(Flag.__table__), [
            dict(type_code="CUSTOMS_EXPORT", booking_ref=f"BK{b:05d}", state="granted",
                 reference=f"CN{b}", reason="", set_by="system", set_at=NOW)
            for b in range(n // 50 + 1)])
        return visit.id


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--boxes", type=int, default=10_000)
    ap.add_argument("--db", help="database file (default: a temporary one)")
    args = ap.parse_args()
    db = args.db or str(Path(tempfile.mkdtemp()) / "export.db")
    engine = make_engine(db)
    schema.upgrade(engine)
    clock = FixedClock(NOW)
    with write_session(engine) as s:
        bootstrap(s, clock)
    visit_id = build(engine, args.boxes)
    core = Core(engine, clock)
    print(f"  step                         wall      cpu   ({args.boxes} export boxes)")
    w, c = time.perf_counter(), time.process_time()
    result = core.run("system", make_plan, visit_id=visit_id, rotation=PODS)
    print(f"  load plan (load.plan)    {time.perf_counter() - w:7.2f} s {time.process_time() - c:6.2f} s"
          f"   ({result['planned']} planned, {result['cranes']} cranes, "
          f"{len(result['unplaced'])} unplaced)")
    from portops.cli.export_cmd import _table

    w, c = time.perf_counter(), time.process_time()
    with Session(engine) as s:
        rows = arrival_report(s, visit_id)
    text = _table("md", ["container", "size/type", "booking", "POD", "VGM", "seal", "EIR", "at"],
                  [[r.container, r.size_type, r.booking_ref, r.pod, r.vgm_kg, r.seals, r.eir,
                    r.reported_at.isoformat()] for r in rows])
    print(f"  arrival report           {time.perf_counter() - w:7.2f} s {time.process_time() - c:6.2f} s"
          f"   ({len(rows)} lines, {len(text) // 1024} KiB)")


if __name__ == "__main__":
    main()
