"""What the audit chain costs bookings under contention on PostgreSQL (issue 16, against issue
7's 500 bookings/s): rounds with the chain and without, alternating, in one sitting.

    python benchmarks/chain_bookings.py --server postgresql+psycopg://USER@HOST:PORT/postgres \
        --rounds 8 --boxes 12000 --processes 8 --per-process 80

One terminal is prepared once (``benchmarks/gate.py``'s ``prepare``) in a template database;
each round books in a fresh copy of it (``CREATE DATABASE ... TEMPLATE``), so every round
starts from the same rows. Rounds go in pairs, with then without, without then with, ...
(ABBA), so a machine whose load drifts during the sitting favours neither. Without the chain
means the ``event_chain`` trigger off and the event id column drawing its ids itself again
(``portops.migrations.audit_chain.CHAIN_OFF``), and ``audit.CHAIN`` off in the clients (they
fork from this process). The machine is shared, so what is worth reading is the ratio of each
pair, not the absolute rates.
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
from portops.migrations.audit_chain import CHAIN_OFF  # noqa: E402


def _admin(server: str):  # noqa: ANN202
    return create_engine(server, poolclass=NullPool, isolation_level="AUTOCOMMIT")


def _url(server: str, name: str) -> str:
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def one_round(server: str, template: str, on: bool, processes: int, per_process: int) -> dict:
    name = f"bench_chain_{uuid.uuid4().hex[:8]}"
    admin = _admin(server)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    url = _url(server, name)
    try:
        if not on:
            eng = create_engine(url, poolclass=NullPool)
            with eng.begin() as conn:
                for statement in CHAIN_OFF:
                    conn.execute(text(statement))
            eng.dispose()
        audit.CHAIN = on
        result = gate.contention(url, processes, per_process)
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
    p.add_argument("--rounds", type=int, default=8, help="an even number: pairs of rounds")
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
        rates: dict[bool, list[float]] = {True: [], False: []}
        ratios = []
        for pair in range(args.rounds // 2):
            order = (True, False) if pair % 2 == 0 else (False, True)
            got = {}
            for on in order:
                r = one_round(args.server, template, on, args.processes, args.per_process)
                got[on] = r["bookings_per_s"]
                rates[on].append(got[on])
                print(f"pair {pair + 1} chain {'on ' if on else 'off'}: "
                      f"{r['bookings_per_s']:.0f} bookings/s ({r['sustained_per_s']:.0f} "
                      f"sustained), {r['booked']} booked, overbooked slots "
                      f"{r['overbooked_slots']}, double-booked {r['double_booked_boxes']}, "
                      f"deadlocks {r['deadlocks']}; "
                      f"load {os.getloadavg()[0]:.1f}", flush=True)
            ratios.append(got[True] / got[False])
            print(f"pair {pair + 1}: with/without = {ratios[-1]:.3f}", flush=True)
        print(f"with the chain: mean {statistics.mean(rates[True]):.0f} bookings/s; without: "
              f"{statistics.mean(rates[False]):.0f}; ratio per pair "
              f"{', '.join(f'{x:.3f}' for x in ratios)}; median ratio "
              f"{statistics.median(ratios):.3f}, geometric mean "
              f"{statistics.geometric_mean(ratios):.3f}")
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)'))
        admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
