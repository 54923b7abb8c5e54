"""Bookings under contention on PostgreSQL with each way of ending an operation, alternating
(issue 17): plain SQLAlchemy, the fast path, and the fast path without its late begin.

    .ci/pg-cluster start /tmp/bench-pg        # prints URL
    python benchmarks/endings.py --db URL --pg-dir /tmp/bench-pg --rounds 3 fast plain

A template database of 20,000 boxes is made once (``gate.prepare``); every run books on a fresh
copy of it (``CREATE DATABASE ... TEMPLATE``) with ``gate.contention`` (32 client processes,
60 bookings each, a fifth of them on two hot slots). Each round runs every variant once, in
the order given, so a busy machine weighs on all alike. The server's CPU is that of the
cluster's postmaster and its backends only (``--pg-dir``: its ``postmaster.pid``), not of
other PostgreSQL servers on the machine. One JSON line per run.

Variants: ``plain`` (PORTOPS_PG_FASTPATH=0), ``fast`` (=1), and ``no-late`` (the fast path
without late begin, which leaves it ending every operation as plain does). The parts taken out
after measuring (pipelines, statements prepared at their first run and kept across a
rollback) were measured with this script as of commit 3396617.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

HERE = Path(__file__).resolve().parent
VARIANTS = ("plain", "fast", "no-late")


def _one(url: str, variant: str, pg_dir: str, processes: int, per_process: int) -> dict:
    """Run in a process of its own: the variant set up before the clients fork."""
    os.environ["PORTOPS_PG_FASTPATH"] = "0" if variant == "plain" else "1"
    sys.path.insert(0, str(HERE))
    import gate

    from portops.ops import fastpath_pg

    postmaster = int((Path(pg_dir) / "data" / "postmaster.pid").read_text().split()[0])

    def server_cpu() -> float:
        ticks, total = os.sysconf("SC_CLK_TCK"), 0
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            if int(pid) == postmaster or int(fields[1]) == postmaster:
                total += sum(int(x) for x in fields[11:15])  # own and reaped children's
        return total / ticks

    gate._server_cpu = server_cpu
    if variant == "no-late":
        fastpath_pg.FastPath.open = lambda self, conn, *, late: None
    return gate.contention(url, processes, per_process)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, help="the cluster's URL (its postgres database)")
    ap.add_argument("--pg-dir", required=True, help="the cluster's directory (pg-cluster)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--processes", type=int, default=32)
    ap.add_argument("--per-process", type=int, default=60)
    ap.add_argument("--one", help=argparse.SUPPRESS)  # a run, in its own process
    ap.add_argument("variants", nargs="*", default=["fast", "plain"])
    args = ap.parse_args()
    if args.one:
        print(json.dumps(_one(args.db, args.one, args.pg_dir, args.processes,
                              args.per_process)))
        return 0
    bad = [v for v in args.variants if v not in VARIANTS]
    if bad:
        ap.error(f"unknown variant {bad[0]!r}: choose from {', '.join(VARIANTS)}")
    admin = create_engine(args.db, isolation_level="AUTOCOMMIT")
    base = args.db.rsplit("/", 1)[0]
    with admin.connect() as c:
        made = c.execute(text("SELECT 1 FROM pg_database WHERE datname = 'bench_tpl'")).first()
    if not made:
        with admin.connect() as c:
            c.execute(text("CREATE DATABASE bench_tpl"))
        sys.path.insert(0, str(HERE))
        import gate

        gate.prepare(f"{base}/bench_tpl", 20_000, 2_000, 200)
    n = 0
    for r in range(args.rounds):
        for variant in args.variants:
            n += 1
            name = f"bench_run_{os.getpid()}_{n}"
            with admin.connect() as c:
                c.execute(text(f'CREATE DATABASE "{name}" TEMPLATE bench_tpl'))
            load = os.getloadavg()[0]
            out = subprocess.run(
                [sys.executable, __file__, "--db", f"{base}/{name}", "--pg-dir", args.pg_dir,
                 "--processes", str(args.processes), "--per-process", str(args.per_process),
                 "--one", variant], capture_output=True, text=True)
            lines = out.stdout.strip().splitlines()
            result = json.loads(lines[-1]) if out.returncode == 0 and lines else {
                "error": out.stderr.strip().splitlines()[-1:]}
            print(json.dumps({"round": r, "variant": variant, "load": load, **result}),
                  flush=True)
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
