"""What the audit chain costs bookings under contention on PostgreSQL (issue 16, against issue
7's 500 bookings/s): rounds with each way of chaining and without the chain, in turn, in one
sitting.

    python benchmarks/chain_bookings.py --server postgresql+psycopg://USER@HOST:PORT/postgres \
        --rounds 8 --boxes 12000 --processes 8 --per-process 80 [--variants after,off,insert]

One terminal is prepared once (``benchmarks/gate.py``'s ``prepare``) in a template database;
each round books in a fresh copy of it (``CREATE DATABASE ... TEMPLATE``), so every round
starts from the same rows. Each round group runs every variant once, the order
turned by one each group, so a machine whose load drifts during the sitting favours none.
The variants (``portops.migrations.audit_chain.CHAIN_VARIANTS``): ``after`` as shipped (linked
after the commit, migration 0350), ``insert`` as before it (linked in the INSERT under a lock
held to the COMMIT), ``off`` no chain (the trigger off, ``audit.CHAIN`` off in the clients,
which fork from this process). After an ``after`` round the whole chain is linked and
verified. The machine is shared, so what is worth reading is the ratio within each group,
not the absolute rates.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import gate  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from portops import audit  # noqa: E402
from portops.migrations.audit_chain import CHAIN_VARIANTS  # noqa: E402


def _admin(server: str):  # noqa: ANN202
    return create_engine(server, poolclass=NullPool, isolation_level="AUTOCOMMIT")


def _url(server: str, name: str) -> str:
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def one_round(server: str, template: str, variant: str, processes: int,
              per_process: int) -> dict:
    name = f"bench_chain_{uuid.uuid4().hex[:8]}"
    admin = _admin(server)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    url = _url(server, name)
    try:
        eng = create_engine(url, poolclass=NullPool)
        with eng.begin() as conn:
            for statement in CHAIN_VARIANTS[variant]:
                conn.execute(text(statement))
        audit.CHAIN = variant != "off"
        result = gate.contention(url, processes, per_process)
        if variant == "after":
            t0 = time.perf_counter()
            result["linked_at_the_end"] = audit.link_pending(eng)
            result["link_s"] = time.perf_counter() - t0
            report = audit.verify(eng)
            result["verified"] = (f"{report.events} events, "
                                  f"{'intact' if report.broken is None else report.broken}")
        eng.dispose()
        with admin.connect() as conn:  # deadlocks retried by the core would cost silently
            result["deadlocks"] = conn.execute(text(
                "SELECT deadlocks FROM pg_stat_database WHERE datname = :n"), {"n": name}
            ).scalar()
        return result
    finally:
        audit.CHAIN = True
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--server", required=True,
                   help="a PostgreSQL server's URL (any database on it, e.g. .../postgres) "
                        "where databases may be created and dropped")
    p.add_argument("--rounds", type=int, default=4,
                   help="round groups: each runs every variant once")
    p.add_argument("--variants", default="after,off,insert",
                   help="comma-separated, the first compared with each other: "
                        + ", ".join(CHAIN_VARIANTS))
    p.add_argument("--boxes", type=int, default=12_000)
    p.add_argument("--processes", type=int, default=8)
    p.add_argument("--per-process", type=int, default=80)
    args = p.parse_args(argv)
    template = f"bench_chain_tmpl_{uuid.uuid4().hex[:8]}"
    admin = _admin(args.server)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{template}"'))
    try:
        t0 = time.perf_counter()
        gate.prepare(_url(args.server, template), args.boxes, 200, 100)
        print(f"prepared {args.boxes:,} boxes in {time.perf_counter() - t0:.0f} s; "
              f"load {os.getloadavg()[0]:.1f}", flush=True)
        variants = args.variants.split(",")
        rates: dict[str, list[float]] = {v: [] for v in variants}
        ratios: dict[str, list[float]] = {v: [] for v in variants[1:]}
        cpu: dict[str, list[float]] = {v: [] for v in variants}
        for group in range(args.rounds):
            order = variants[group % len(variants):] + variants[:group % len(variants)]
            got = {}
            for variant in order:
                r = one_round(args.server, template, variant, args.processes,
                              args.per_process)
                got[variant] = r["bookings_per_s"]
                rates[variant].append(got[variant])
                extra = (f"; {r['linked_at_the_end']} left to link at the end "
                         f"({r['link_s'] * 1000:.0f} ms), {r['verified']}"
                         if variant == "after" else "")
                cpu[variant].append((r["server_cpu_seconds"] or 0) / r["booked"] * 1000)
                print(f"group {group + 1} {variant:<6}: {r['bookings_per_s']:.0f} bookings/s "
                      f"({r['sustained_per_s']:.0f} sustained), server CPU "
                      f"{cpu[variant][-1]:.2f} ms and clients' "
                      f"{r['cpu_seconds'] / r['booked'] * 1000:.2f} ms a booking, "
                      f"{r['booked']} booked, "
                      f"overbooked slots {r['overbooked_slots']}, double-booked "
                      f"{r['double_booked_boxes']}, deadlocks {r['deadlocks']}{extra}; "
                      f"load {os.getloadavg()[0]:.1f}", flush=True)
            for v in variants[1:]:
                ratios[v].append(got[variants[0]] / got[v])
            print(f"group {group + 1}: " + ", ".join(
                f"{variants[0]}/{v} = {ratios[v][-1]:.3f}" for v in variants[1:]), flush=True)
        print("mean bookings/s: " + ", ".join(
            f"{v} {statistics.mean(rates[v]):.0f}" for v in variants))
        print("median server CPU a booking: " + ", ".join(
            f"{v} {statistics.median(cpu[v]):.2f} ms" for v in variants))
        for v in variants[1:]:
            print(f"{variants[0]}/{v} per group {', '.join(f'{x:.3f}' for x in ratios[v])}; "
                  f"median {statistics.median(ratios[v]):.3f}, geometric mean "
                  f"{statistics.geometric_mean(ratios[v]):.3f}")
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)'))
        admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
