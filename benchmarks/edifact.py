"""EDIFACT benchmark: a generated N-box BAPLIE tokenized, parsed and stored.

    python benchmarks/edifact.py [--boxes 20000] [--seed 1] [--no-pydifact]

Prints, for one generated bay plan (``portops.formats.edifact.samples.bay_plan``):

* tokenize: our tokenizer vs pydifact's ``Parser().parse`` on the same text, and the ratio;
* parse: BAPLIE text to ``BayPlan`` records (tokenize + envelope checks + every container
  number, size/type and LOCODE validated);
* store: ``cargo.import_bayplan`` into a fresh SQLite database (one operation, one event);
* total: parse + store, what ``portops import bayplan.edi`` spends after reading the file.

Wall-clock seconds (``time.perf_counter``) and process CPU seconds, because the benchmark
machine is shared.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlmodel import Session  # noqa: E402

from portops import schema  # noqa: E402
from portops.clock import FixedClock  # noqa: E402
from portops.db import make_engine, write_session  # noqa: E402
from portops.formats.edifact import samples  # noqa: E402
from portops.formats.edifact.baplie import read_baplie, write_baplie  # noqa: E402
from portops.formats.edifact.syntax import tokenize  # noqa: E402
from portops.model import Terminal, Vessel, VesselVisit  # noqa: E402
from portops.ops import Core  # noqa: E402
from portops.ops.bayplan import import_bayplan  # noqa: E402
from portops.ops.users import bootstrap  # noqa: E402


def timed(fn, *args, **kwargs):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def pydifact_tokenize(text: str) -> int:
    from pydifact.parser import Parser

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sum(1 for _ in Parser().parse(text))


def fresh_database(directory: Path):
    engine = make_engine(directory / "bench.db")
    schema.upgrade(engine)
    clock = FixedClock(datetime(2026, 11, 27, 6, 0, tzinfo=UTC))
    with write_session(engine) as s:
        bootstrap(s, clock)
    with Session(engine) as s, s.begin():  # benchmark set-up, as the tests' fixtures do
        s.add(Terminal(code="BENCH", name="Bench", locode="CNSHA"))
        vessel = Vessel(imo="9074729", name="COSCO DEMO STAR", call_sign="VRAB1", loa_m=400,
                        beam_m=61, max_draft_m=16)
        s.add(vessel)
        s.flush()
        s.add(VesselVisit(key="BENCH-045E", vessel_id=vessel.id, line_operator="COSU",
                          voyage_in="045E"))
    return engine, Core(engine, clock)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--boxes", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-pydifact", action="store_true")
    args = ap.parse_args()

    plan = samples.bay_plan(args.boxes, seed=args.seed)
    text = write_baplie(plan, control_ref="BENCH", prepared=samples.T0)
    print(f"BAPLIE: {args.boxes} boxes, {len(text.encode()) / 1e6:.1f} MB, "
          f"{text.count(chr(39)) - 1} segments")
    rows = []
    (_, segs), wall, cpu = timed(tokenize, text)
    rows.append(("tokenize (portops)", wall, cpu))
    if not args.no_pydifact:
        n, pwall, pcpu = timed(pydifact_tokenize, text)
        assert n == len(segs) + 1  # pydifact also returns UNA
        rows.append(("tokenize (pydifact)", pwall, pcpu))
    parsed, pwall2, pcpu2 = timed(read_baplie, text)
    assert len(parsed.boxes) == args.boxes
    rows.append(("parse BAPLIE -> records", pwall2, pcpu2))
    with tempfile.TemporaryDirectory() as tmp:
        _, core = fresh_database(Path(tmp))
        result, swall, scpu = timed(core.run, "system", import_bayplan, plan=parsed,
                                    source="bench.edi")
    rows.append(("store (import_bayplan)", swall, scpu))
    rows.append(("parse + store", pwall2 + swall, pcpu2 + scpu))
    print(f"stored: {result.summary()}")
    print(f"{'step':26} {'wall s':>8} {'cpu s':>8}")
    for name, wall, cpu in rows:
        print(f"{name:26} {wall:8.2f} {cpu:8.2f}")
    if not args.no_pydifact:
        print(f"pydifact / portops tokenize: {pwall / rows[0][1]:.1f}x wall, "
              f"{pcpu / rows[0][2]:.1f}x cpu")
    return 0


if __name__ == "__main__":
    sys.exit(main())
