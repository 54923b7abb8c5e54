"""What the audit chain costs an operation (issue 16: under 5 % of ``permission.grant``).

    python benchmarks/audit_chain.py                          # SQLite, 20,000 boxes
    python benchmarks/audit_chain.py --db postgresql+psycopg://u@host/db   # an EMPTY database

One seeded terminal is built, then copied once per variant (SQLite: the file; PostgreSQL:
``CREATE DATABASE ... TEMPLATE``), and each copy is set up once: ``after`` as shipped (on
PostgreSQL linked after the commit, migration 0350), ``off`` without the chain (the writer's
``audit.CHAIN`` off, the event written with no link; on PostgreSQL the ``event_chain``
trigger disabled too), on PostgreSQL ``insert`` as before 0350 (linked in the INSERT under a
lock held to the COMMIT); see ``portops.migrations.audit_chain.CHAIN_VARIANTS``. Then the
same customs permission on the same box is granted in every copy in turn, ``--samples``
boxes, the order turned each time, so every variant sees the same machine and the same work,
and no copy's setup (DDL, which makes the server plan everything again) falls between
samples. Prints the median and mean wall time and the median CPU time (this process's: the
server's work in the trigger shows in the wall time only) of each, and the differences; on
PostgreSQL with ``--server-functions`` also the server's own time in the chain's functions
per event (``track_functions``, which needs a superuser).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import terminal  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from portops import audit  # noqa: E402
from portops.clock import FixedClock  # noqa: E402
from portops.db import make_engine  # noqa: E402
from portops.migrations.audit_chain import CHAIN_VARIANTS  # noqa: E402
from portops.model import Container, Where  # noqa: E402
from portops.ops import Core  # noqa: E402
from portops.ops.flags import grant_permission  # noqa: E402


def _copies(db: str, variants: list[str]) -> dict[str, str]:
    """A copy of the terminal in ``db`` per variant, set up as that variant: name -> URL."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    engine = make_engine(db)
    postgresql = engine.dialect.name == "postgresql"
    engine.dispose()
    urls = {}
    for variant in variants:
        if postgresql:
            url = make_url(db)
            name = f"{url.database}_{variant}"
            admin = create_engine(db, poolclass=NullPool, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{url.database}"'))
            admin.dispose()
            urls[variant] = url.set(database=name).render_as_string(hide_password=False)
            copy = create_engine(urls[variant], poolclass=NullPool)
            with copy.begin() as conn:
                for statement in CHAIN_VARIANTS[variant]:
                    conn.execute(text(statement))
            copy.dispose()
        else:
            path = Path(db).with_name(f"{Path(db).stem}_{variant}.db")
            shutil.copyfile(db, path)
            urls[variant] = str(path)
    return urls


def _drop(urls: dict[str, str]) -> None:
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    for url in urls.values():
        if "://" not in url:
            continue  # SQLite: the temporary directory goes
        name = make_url(url).database
        admin = create_engine(make_url(url).set(database="postgres"), poolclass=NullPool,
                              isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def measure(db: str, samples: int, seed: int, variants: list[str],
            server_functions: bool = False) -> dict[str, list[tuple[float, float]]]:
    engine = make_engine(db)
    if engine.dialect.name != "postgresql":
        variants = [v for v in variants if v != "insert"]  # SQLite links in the writer
    with Session(engine) as s:
        numbers = list(s.exec(select(Container.number).where(
            Container.location == Where.YARD, Container.category == "import")))
    engine.dispose()
    picks = random.Random(seed).sample(numbers, min(len(numbers), samples + 10))
    urls = _copies(db, variants)
    try:
        cores = {v: Core(make_engine(urls[v]), FixedClock(terminal.NOW)) for v in variants}
        if server_functions:
            for core in cores.values():
                with core.engine.begin() as conn:
                    conn.execute(text("SET track_functions = 'all'"))
        out: dict[str, list[tuple[float, float]]] = {v: [] for v in variants}
        for i, box in enumerate(picks):
            turn = i % len(variants)
            for variant in variants[turn:] + variants[:turn]:
                audit.CHAIN = variant != "off"
                wall, cpu = time.perf_counter(), time.thread_time()
                cores[variant].run("system", grant_permission, code="CUSTOMS_IMPORT",
                                   container=box, reference=f"B{i:06d}")
                if i >= 10:  # the first ten warm each copy up: compiled statements, caches
                    out[variant].append((time.perf_counter() - wall, time.thread_time() - cpu))
        audit.CHAIN = True
        if server_functions:
            for variant, core in cores.items():
                with core.engine.connect() as conn:
                    for name, calls, total in conn.execute(text(
                            "SELECT funcname, calls, total_time FROM pg_stat_user_functions")):
                        print(f"server, {variant}: {name} {calls} calls, "
                              f"{total / calls * 1000:.1f} us a call")
        if "after" in cores:
            report = audit.verify(cores["after"].engine)
            print(f"the 'after' copy: {report.events} events, "
                  f"{'intact' if report.broken is None else report.broken}")
        for core in cores.values():
            core.engine.dispose()
    finally:
        audit.CHAIN = True
        _drop(urls)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", help="an empty PostgreSQL database's URL (default: SQLite file)")
    p.add_argument("--containers", type=int, default=20_000)
    p.add_argument("--visits", type=int, default=100)
    p.add_argument("--samples", type=int, default=300)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--variants", default="after,off,insert",
                   help="comma-separated, the first compared with each other (PostgreSQL): "
                        + ", ".join(CHAIN_VARIANTS))
    p.add_argument("--server-functions", action="store_true",
                   help="PostgreSQL, as a superuser: the server's time in the chain's "
                        "functions per event")
    args = p.parse_args(argv)
    print(f"python {platform.python_version()}, {os.cpu_count()} cpus, "
          f"load {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "bench.db")
        terminal.generate(db, args.containers, args.visits, args.seed)
        got = measure(db, args.samples, args.seed, args.variants.split(","),
                      args.server_functions)
    med, means = {}, {}
    for name, samples in got.items():
        wall = statistics.median(w for w, _ in samples) * 1000
        cpu = statistics.median(c for _, c in samples) * 1000
        med[name] = (wall, cpu)
        # the mean too: an operation that links a batch for the others pays more than the
        # median shows (trimmed of the slowest 1 %: a stall of the shared machine)
        walls = sorted(w for w, _ in samples)[:max(1, len(samples) * 99 // 100)]
        means[name] = statistics.mean(walls) * 1000
        print(f"permission.grant {name:<15} median {wall:6.3f} ms   cpu median {cpu:6.3f} ms "
              f"  mean {means[name]:6.3f} ms (n={len(samples)})")
    first, *others = list(med)
    w1, c1 = med[first]
    for other in others:
        w0, c0 = med[other]
        m1, m0 = means[first], means[other]
        print(f"{first} against {other}: {w1 - w0:+.3f} ms wall ({(w1 - w0) / w0:+.1%}), "
              f"{c1 - c0:+.3f} ms cpu ({(c1 - c0) / c0:+.1%}); mean wall {m1 - m0:+.3f} ms "
              f"({(m1 - m0) / m0:+.1%})")
    print(f"load {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
