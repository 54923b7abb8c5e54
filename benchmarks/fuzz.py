"""The fuzz harness's long run (issue 16): ``python benchmarks/fuzz.py --cases 100000``.

Runs the cases of ``tests/fuzz/harness.py`` (import formats read and imported, every CLI
command's arguments, every typed field's validator) with a fixed seed, counts every case
that breaks the property ("exit 0 or a clear message; no traceback; a refused input changes
no row") instead of stopping at the first, and prints a summary line for docs/benchmarks.md
with the first failures of each family.

Shares of the cases: typed fields 60 %, files read 25 %, CLI commands 10 %, files imported
5 % (the last two run a command on a fresh copy of a terminal's database each: ~50 ms).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# Signing in costs a full scrypt (a third of a second) by design; the fuzz cases sign in
# thousands of times to reach what lies behind it, so they use the tests' cheap cost.
os.environ.setdefault("PORTOPS_TEST_ONLY_SCRYPT_N", "1024")

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.fuzz import harness  # noqa: E402

SHARES = {"typed": 0.60, "read": 0.25, "cli": 0.10, "import": 0.05}


def run(family: str, cases: int, w: harness.World, failures: dict[str, list[str]],
        seed_: int) -> int:
    ran = [0]

    def record(problem: str | None) -> None:
        ran[0] += 1
        if problem is not None:
            failures[family].append(problem)

    opts = settings(max_examples=cases, deadline=None, database=None,
                    phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    if family == "typed":
        @seed(seed_)
        @opts
        @given(case=harness.typed_case())
        def body(case):  # noqa: ANN001
            record(harness.check_typed(case))
    elif family == "read":
        @seed(seed_)
        @opts
        @given(case=harness.mutated_file())
        def body(case):  # noqa: ANN001
            record(harness.check_file_read(w, *case))
    elif family == "import":
        @seed(seed_)
        @opts
        @given(case=harness.mutated_file())
        def body(case):  # noqa: ANN001
            record(harness.check_file_import(w, *case))
    else:
        @seed(seed_)
        @opts
        @given(data=st.data())
        def body(data):  # noqa: ANN001
            record(harness.run_cli(w, data.draw(harness.cli_args(w))))
    body()
    return ran[0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--failures", metavar="FILE", help="write every failure to FILE")
    ap.add_argument("--families", default=",".join(SHARES),
                    help="which of typed,read,cli,import to run (default: all)")
    args = ap.parse_args()
    failures: dict[str, list[str]] = {f: [] for f in SHARES}
    counts: dict[str, int] = {}
    started = time.monotonic()
    with harness.world() as w:
        for family, share in SHARES.items():
            if family not in args.families.split(","):
                continue
            t0 = time.monotonic()
            counts[family] = run(family, max(1, round(args.cases * share)), w, failures,
                                 args.seed)
            print(f"{family}: {counts[family]} cases, {len(failures[family])} failures, "
                  f"{time.monotonic() - t0:.0f} s", flush=True)
            for problem in failures[family][:5]:
                print(f"  {problem}", flush=True)
    if args.failures:
        with open(args.failures, "w", encoding="utf-8") as f:
            for family, problems in failures.items():
                f.writelines(f"{family}\t{p}\n" for p in problems)
    total = sum(counts.values())
    broken = sum(map(len, failures.values()))
    tracebacks = sum("traceback" in p for f in failures.values() for p in f)
    changed = sum("rows changed" in p for f in failures.values() for p in f)
    print(f"fuzz: {total} cases (seed {args.seed}) in {time.monotonic() - started:.0f} s: "
          f"{broken} failures ({tracebacks} tracebacks, {changed} changes on refusal)")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
