"""EDIFACT benchmark: a generated N-box BAPLIE tokenized, parsed and stored.

    python benchmarks/edifact.py [--boxes 20000] [--seed 1] [--no-pydifact]

Prints, for one generated bay plan (``portops.formats.edifact.samples.bay_plan``):

* tokenize: our tokenizer vs pydifact's ``Parser().parse`` on the same text, and the ratio;
* tokenize vs a bare split: ``text.split("'")`` and each segment ``.split("+")``, both with
  the garbage collector paused (like for like), best of 7 CPU times in a fresh interpreter
  (each building and freeing its result), for the plan as it is
  and with one released apostrophe (``?'``) in its header (a release character once sent
  the whole file down a slower path);
* peak memory: ``portops import``'s reading of the file (``files.parser(read_baplie)``:
  read, decode, tokenize, records) in a fresh subprocess, as ``tracemalloc``'s peak and as
  the growth of ``ru_maxrss``, each over the file's size (target: at most 5x);
* parse: BAPLIE text to ``BayPlan`` records (tokenize + envelope checks + every container
  number, size/type and LOCODE validated);
* store: ``cargo.import_bayplan`` into a fresh SQLite database (one operation, one event);
* total: parse + store, what ``portops import bayplan.edi`` spends after reading the file.

Wall-clock seconds (``time.perf_counter``) and process CPU seconds, because the benchmark
machine is shared.
"""

from __future__ import annotations

import argparse
import subprocess
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
from portops.formats.edifact.syntax import paused_gc, tokenize  # noqa: E402
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


def bare_split(text: str) -> list:
    return [s.split("+") for s in text.split("'")]


def best_cpu(fn, text: str, rounds: int = 7) -> float:
    """The best of ``rounds`` CPU times of ``fn(text)``, building and freeing its result,
    with the garbage collector paused throughout (like for like: the tokenizer pauses it
    itself, and a reader reads under ``fields.reading``, which does too)."""
    best = float("inf")
    for _ in range(rounds):
        cpu = time.process_time()
        with paused_gc():
            fn(text)
        best = min(best, time.process_time() - cpu)
    return best


def with_one_release(text: str) -> str:
    """The same plan with one released apostrophe in a header remark."""
    i = text.index("BGM+")
    return text[:i] + "FTX+AAI+++THE LINE?'S PLAN'\n" + text[i:]


_PEAK = """
import sys, tracemalloc
from portops.formats.edifact import files
from portops.formats.edifact.baplie import read_baplie
parse = files.parser(read_baplie, "plan")
tracemalloc.start()
result = parse(sys.argv[1])
print(tracemalloc.get_traced_memory()[1], len(result["plan"].boxes))
"""

_RATIOS = """
import sys
from pathlib import Path
sys.path.insert(0, "benchmarks")
from edifact import bare_split, best_cpu, tokenize, with_one_release
text = Path(sys.argv[1]).read_text()
for name, t in (("as generated", text), ("one release char", with_one_release(text))):
    bare, ours = best_cpu(bare_split, t), best_cpu(tokenize, t)
    print(f"{name}|{ours:.3f} / {bare:.3f} cpu s = {ours / bare:.2f}x")
"""


def _fresh(script: str, path: Path) -> str:
    """``script`` run on ``path`` in a fresh interpreter: nothing this process built (the
    pydifact run, the records, the database) weighs on its heap or its figures."""
    return subprocess.run([sys.executable, "-c", script, str(path)], check=True,
                          capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[1]).stdout


def peak_memory(path: Path) -> tuple[int, int]:
    """(tracemalloc peak bytes, boxes) reading ``path`` as ``portops import`` does."""
    out = _fresh(_PEAK, path).split()
    return int(out[0]), int(out[1])


def split_ratios(path: Path) -> list[tuple[str, str]]:
    """Our tokenizer against a bare split, as generated and with one release character."""
    return [tuple(line.split("|")) for line in _fresh(_RATIOS, path).splitlines()]


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
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.edi"
        path.write_text(text, encoding="ascii")
        size = path.stat().st_size
        for name, ratio in split_ratios(path):
            print(f"tokenize / bare split ({name}): {ratio} (target <= 3x)")
        peak, n = peak_memory(path)
    assert n == args.boxes
    print(f"peak memory reading the file ({size / 1e6:.1f} MB): tracemalloc {peak / 1e6:.1f} MB "
          f"= {peak / size:.2f}x (target <= 5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
