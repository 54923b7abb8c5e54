"""Block Relocation Problem benchmark on the 840 Caserta-Schwarze-Voss instances.

Usage:
    python benchmarks/brp.py DATA_DIR [--classes 3x3,5x10] [--effort 1.0] [--limit N]

DATA_DIR holds one folder per class (``HxW/dataH-W-k.dat``) and ``optimal.csv`` (per
instance ``best_found``: the optimum of the restricted problem where proven); the height
limit is H + 2. For every class it prints the mean relocations of the planner, of the
min-max and leveling rules (same run), the mean ``best_found``, the gaps in %, and the mean
and maximum seconds the planner took (CPU and wall). Every plan is replayed by the validator
first; an invalid plan stops the run.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portops.planning.relocation import leveling, min_max, solve  # noqa: E402
from portops.planning.relocation_check import parse_caserta, replay  # noqa: E402


def class_key(name: str) -> tuple[int, int]:
    h, w = name.split("x")
    return int(h), int(w)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", type=Path, help="folder with HxW/ class folders and optimal.csv")
    ap.add_argument("--classes", help="comma-separated classes, e.g. 3x3,10x10 (default all)")
    ap.add_argument("--effort", type=float, default=1.0, help="search effort (default 1.0)")
    ap.add_argument("--limit", type=int, help="instances per class (default all)")
    args = ap.parse_args(argv)
    opt_file = args.data / "optimal.csv"
    if not opt_file.is_file():
        print(f"error: {opt_file} not found (is {args.data} the brp-caserta folder?)")
        return 2
    best = {}
    with opt_file.open() as f:
        for row in csv.DictReader(f):
            best[row["instance"]] = int(row["best_found"])
    classes = sorted((p.name for p in args.data.iterdir() if p.is_dir()), key=class_key)
    if args.classes:
        classes = [c for c in classes if c in args.classes.split(",")]
    head = (f"{'class':>6} {'n':>3} {'planner':>8} {'best':>8} {'gap%':>6} {'minmax%':>8} "
            f"{'level%':>7} {'<':>3} {'=':>3} {'>':>3} {'cpu mean':>8} {'cpu max':>8} {'wall max':>8}")
    print(head)
    total = []
    for cls in classes:
        h, _w = class_key(cls)
        files = sorted((args.data / cls).glob("*.dat"), key=lambda p: int(p.stem.split("-")[-1]))
        if args.limit:
            files = files[: args.limit]
        res, mm, lv, bf, cpu, wall = [], [], [], [], [], []
        for path in files:
            stacks = parse_caserta(path.read_text(), str(path))
            c0, w0 = time.process_time(), time.perf_counter()
            plan = solve(stacks, h + 2, effort=args.effort)
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - w0)
            res.append(replay(stacks, h + 2, plan.moves, restricted=True))
            mm.append(replay(stacks, h + 2, min_max(stacks, h + 2).moves))
            lv.append(replay(stacks, h + 2, leveling(stacks, h + 2).moves))
            bf.append(best[path.stem])
        m = statistics.mean
        gap = 100 * (m(res) / m(bf) - 1)
        total.append((cls, gap))
        print(f"{cls:>6} {len(res):>3} {m(res):>8.2f} {m(bf):>8.2f} {gap:>6.2f} "
              f"{100 * (m(mm) / m(bf) - 1):>8.2f} {100 * (m(lv) / m(bf) - 1):>7.2f} "
              f"{sum(r < b for r, b in zip(res, bf, strict=True)):>3} "
              f"{sum(r == b for r, b in zip(res, bf, strict=True)):>3} "
              f"{sum(r > b for r, b in zip(res, bf, strict=True)):>3} "
              f"{m(cpu):>8.3f} {max(cpu):>8.3f} {max(wall):>8.3f}", flush=True)
    worst = max(total, key=lambda t: t[1]) if total else None
    if worst:
        print(f"worst class gap: {worst[0]} {worst[1]:.2f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
