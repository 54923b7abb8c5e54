"""What this machine's PostgreSQL can do at all for N clients: transactions of K round trips
made by the bare driver (psycopg, no SQLAlchemy, no portops), the ceiling any booking of K
round trips could reach here.

    python benchmarks/pg_roundtrips.py --db postgresql+psycopg://portops@127.0.0.1:PORT/postgres

A booking (``appointment.book``) is 2 round trips on PostgreSQL: the facts it judges (one
question, which also draws the new appointment's id), read outside a transaction, then the
appointment, the slot's count and the event as one statement, atomic by itself (12 before
the fourth session, 5 before the fifth; more for a slot's first booking, which makes the
slot's row in a transaction). Each client here makes transactions of ``BEGIN; SELECT $1
(K - 2 times); COMMIT``: the least work a transaction of that many round trips can be, so
the figure is an upper bound
(compare ``benchmarks/gate.py --only contention`` in the same sitting).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import time

from sqlalchemy.engine import make_url


def _conninfo(url: str) -> str:
    u = make_url(url)
    parts = {"host": u.host or "", "port": u.port or "", "user": u.username or "",
             "password": u.password or "", "dbname": u.database or ""}
    return " ".join(f"{k}={v}" for k, v in parts.items() if v != "")


def _client(conninfo: str, transactions: int, round_trips: int, barrier, out) -> None:
    import psycopg

    conn = psycopg.connect(conninfo)

    def one() -> None:
        with conn.transaction():  # BEGIN ... COMMIT: two of the round trips
            cur = conn.cursor()
            for i in range(round_trips - 2):
                cur.execute("SELECT %s::int", (i,)).fetchall()

    for _ in range(10):  # warm: connection, prepared statement
        one()
    barrier.wait()
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(transactions):
        one()
    out.put((time.perf_counter() - t0, time.process_time() - c0))
    conn.close()


def measure(url: str, clients: int, transactions: int, round_trips: int) -> dict:
    ctx = mp.get_context("fork")
    barrier, out = ctx.Barrier(clients), ctx.Queue()
    procs = [ctx.Process(target=_client, args=(_conninfo(url), transactions, round_trips,
                                                barrier, out)) for _ in range(clients)]
    for p in procs:
        p.start()
    results = [out.get(timeout=600) for _ in procs]
    for p in procs:
        p.join()
    wall = max(r[0] for r in results)
    n = clients * transactions
    return {"clients": clients, "round_trips": round_trips, "per_s": n / wall,
            "client_cpu_ms": sum(r[1] for r in results) / n * 1000}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, help="a PostgreSQL URL (any database)")
    ap.add_argument("--clients", type=int, nargs="+", default=[2, 32])
    ap.add_argument("--round-trips", type=int, nargs="+", default=[12, 6, 3])
    ap.add_argument("--transactions", type=int, default=3200, help="in all, per measurement")
    args = ap.parse_args()
    for k in args.round_trips:
        for c in args.clients:
            r = measure(args.db, c, max(1, args.transactions // c), k)
            print(f"{r['clients']:3d} clients, {k:2d} round trips per transaction: "
                  f"{r['per_s']:6.0f} transactions/s (clients' CPU {r['client_cpu_ms']:.2f} ms "
                  f"per transaction)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
