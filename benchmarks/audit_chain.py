"""What the audit chain costs an operation (issue 16: under 5 % of ``permission.grant``).

    python benchmarks/audit_chain.py                          # SQLite, 20,000 boxes
    python benchmarks/audit_chain.py --db postgresql+psycopg://u@host/db   # an EMPTY database

On one seeded terminal, grants a customs permission on a box ``--samples`` times with the
chain and as many times without, alternating one with, one without, so both see the same
machine (load, caches, a growing log). Without the chain means: on SQLite ``audit.CHAIN``
off (the event is written with no link; only for this measurement), on PostgreSQL the
``event_chain`` trigger disabled as well. Prints the median wall and CPU time of each and
the difference.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import terminal  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from portops import audit  # noqa: E402
from portops.clock import FixedClock  # noqa: E402
from portops.db import make_engine  # noqa: E402
from portops.migrations.audit_chain import CHAIN_OFF, CHAIN_ON  # noqa: E402
from portops.model import Container, Where  # noqa: E402
from portops.ops import Core  # noqa: E402
from portops.ops.flags import grant_permission  # noqa: E402


def _chain(engine, on: bool) -> None:  # noqa: ANN001
    """Without the chain the trigger is off and the id column draws its ids itself again
    (it has no default with the chain: migration 0325); with it, as shipped."""
    audit.CHAIN = on
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            for statement in CHAIN_ON if on else CHAIN_OFF:
                conn.execute(text(statement))


def measure(db: str, samples: int, seed: int) -> dict[str, list[tuple[float, float]]]:
    engine = make_engine(db)
    core = Core(engine, FixedClock(terminal.NOW))
    with Session(engine) as s:
        numbers = list(s.exec(select(Container.number).where(
            Container.location == Where.YARD, Container.category == "import")))
    picks = random.Random(seed).sample(numbers, min(len(numbers), 3 * samples + 100))
    out: dict[str, list[tuple[float, float]]] = {"with the chain": [], "without": []}
    for i in range(10):  # warm up: compiled statements, caches
        core.run("system", grant_permission, code="CUSTOMS_IMPORT", container=picks.pop(),
                 reference=f"WARM{i:06d}")
    # On PostgreSQL switching the trigger is an ALTER TABLE, which makes the server plan
    # every prepared statement on the table again: switch every 25 grants, and leave out
    # the first 3 after each switch.
    block, settle = (25, 3) if engine.dialect.name == "postgresql" else (1, 0)
    i = 0
    try:
        while i < samples:
            for on in (True, False) if (i // block) % 2 == 0 else (False, True):
                _chain(engine, on)
                for k in range(block + settle):
                    wall, cpu = time.perf_counter(), time.thread_time()
                    core.run("system", grant_permission, code="CUSTOMS_IMPORT",
                             container=picks.pop(), reference=f"B{int(on)}{i:05d}{k:02d}")
                    if k >= settle:
                        out["with the chain" if on else "without"].append(
                            (time.perf_counter() - wall, time.thread_time() - cpu))
            i += block
    finally:
        _chain(engine, True)  # the database is left as shipped
    engine.dispose()
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", help="an empty PostgreSQL database's URL (default: SQLite file)")
    p.add_argument("--containers", type=int, default=20_000)
    p.add_argument("--visits", type=int, default=100)
    p.add_argument("--samples", type=int, default=300)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    print(f"python {platform.python_version()}, {os.cpu_count()} cpus, "
          f"load {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "bench.db")
        terminal.generate(db, args.containers, args.visits, args.seed)
        got = measure(db, args.samples, args.seed)
    med = {}
    for name, samples in got.items():
        wall = statistics.median(w for w, _ in samples) * 1000
        cpu = statistics.median(c for _, c in samples) * 1000
        med[name] = (wall, cpu)
        print(f"permission.grant {name:<15} median {wall:6.3f} ms   cpu median {cpu:6.3f} ms "
              f"(n={len(samples)})")
    (w1, c1), (w0, c0) = med["with the chain"], med["without"]
    print(f"the chain costs {w1 - w0:+.3f} ms wall ({(w1 - w0) / w0:+.1%}), "
          f"{c1 - c0:+.3f} ms cpu ({(c1 - c0) / c0:+.1%}); load {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
