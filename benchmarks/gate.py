"""Gate benchmarks: the in-gate decision with 100,000 boxes and 10,000 appointments, and
booking under contention (several processes, a fifth of the demand on two slots).

    python benchmarks/gate.py                       # both, SQLite in a temp directory
    python benchmarks/gate.py --only contention --processes 8
    python benchmarks/gate.py --db postgresql+psycopg://...   # an EMPTY PostgreSQL database

The in-gate decision is ``gate.admit`` through ``Core.run``: look the appointment up by its
reference, judge every check (window, plate, haulier, driver, right to collect, box in the
yard, customs and line release, holds), create the truck visit, admit, append the event,
commit. :func:`contention` is importable: ``contention(url, processes=32, ...)`` runs the same
booking race against any database prepared by :func:`prepare` (the concurrency helper's
PostgreSQL run).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import multiprocessing as mp
import os
import random
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlmodel import Session
from stdnum import iso6346

from portops import schema
from portops.clock import FixedClock
from portops.db import is_sqlite, make_engine, write_session
from portops.model import (
    Appointment,
    AppointmentSlot,
    Category,
    CollectRight,
    Container,
    Flag,
    FlagState,
    Party,
    PartyKind,
    Role,
    Terminal,
    Vessel,
    VesselVisit,
    Where,
    YardBlock,
)
from portops.ops import Core, Refused
from portops.ops.appointments import book
from portops.ops.gate import admit
from portops.ops.users import add_user, bootstrap

#: The benchmark's "now": 10:10 local (02:10Z) on the measured day; slots are UTC hours.
NOW = datetime(2026, 12, 1, 2, 10, tzinfo=UTC)
DAY0 = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
BLOCK = dict(bays=40, rows=10, tiers=5)
CLERK = "gate-clerk"


def number(i: int) -> str:
    raw = f"BMK{'UJZ'[i // 1_000_000]}{i % 1_000_000:06d}"
    return raw + iso6346.calc_check_digit(raw)


def prepare(url: str, boxes: int = 100_000, appointments: int = 10_000,
            measured_slot: int = 1_000, seed: int = 1) -> dict:
    """An empty database -> a terminal with ``boxes`` in the yard (4 high), all released to
    haulier HAUL, and ``appointments`` booked (``measured_slot`` of them in the slot of NOW)."""
    rnd = random.Random(seed)
    engine = make_engine(url)
    schema.upgrade(engine)
    with write_session(engine) as s:
        bootstrap(s, FixedClock(NOW))
    core = Core(engine, FixedClock(NOW))
    core.run("system", add_user, name=CLERK, role=Role.GATE_CLERK.value)
    stacks = boxes // 4 + 1
    per_block = BLOCK["bays"] * BLOCK["rows"]
    with Session(engine) as s, s.begin():
        s.add(Terminal(code="BENCH", name="Bench terminal", locode="CNSHA",
                       timezone="Asia/Shanghai", appt_slot_capacity=measured_slot))
        v = Vessel(imo="9074729", name="BENCH", loa_m=300, beam_m=48, max_draft_m=14)
        s.add(v)
        s.flush()
        visit = VesselVisit(key="BENCH-1", vessel_id=v.id, line_operator="COSU",
                            etd=DAY0 - timedelta(days=1))
        s.add(visit)
        for p in [Party(code="COSU", name="COSCO", kind=PartyKind.LINE),
                  Party(code="HAUL", name="Haulier", kind=PartyKind.HAULIER, identity="X1")]:
            s.add(p)
        s.flush()
        line_id, haul_id = (s.execute(select(Party.id).where(Party.code == c)).scalar_one()
                            for c in ("COSU", "HAUL"))
        blocks = []
        for b in range(stacks // per_block + 1):
            blk = YardBlock(name=f"B{b:02d}", **BLOCK)
            s.add(blk)
            s.flush()
            blocks.append(blk.id)
        rows = []
        for i in range(boxes):
            st, tier = divmod(i, 4)
            blk, rest = divmod(st, per_block)
            bay, row = divmod(rest, BLOCK["rows"])
            rows.append(dict(number=number(i), size_type="22G1", operator="COSU", full=True,
                             category=Category.IMPORT, seals=f"S{i}", pol="", pod="",
                             location=Where.YARD, in_visit_id=visit.id,
                             yard_block_id=blocks[blk], yard_bay=bay * 2 + 1, yard_row=row + 1,
                             yard_tier=tier + 1, time_in=DAY0, damage=""))
        s.execute(insert(Container), rows)
        ids = s.execute(select(Container.id).order_by(Container.id)).scalars().all()
        flags = [dict(type_code=t, state=FlagState.GRANTED, container_id=cid, reference="R",
                      reason="", set_by="system", set_at=DAY0)
                 for cid in ids for t in ("CUSTOMS_IMPORT", "LINE_RELEASE")]
        s.execute(insert(Flag), flags)
        s.execute(insert(CollectRight), [dict(container_id=cid, line_party_id=line_id,
                                              holder_party_id=haul_id, state="active",
                                              created_at=DAY0) for cid in ids])
        rights = dict(s.execute(select(CollectRight.container_id, CollectRight.id)).all())
        # appointments: measured_slot in the slot of NOW, the rest spread over 7 days
        hours = [DAY0 + timedelta(hours=h) for h in range(24 * 7)]
        slot_of_now = DAY0 + timedelta(hours=2)
        chosen = rnd.sample(ids, appointments)
        per_slot: dict[datetime, int] = {}
        appts = []
        for k, cid in enumerate(chosen):
            start = slot_of_now if k < measured_slot else rnd.choice(
                [h for h in hours if h != slot_of_now])
            per_slot[start] = per_slot.get(start, 0) + 1
            appts.append((k, cid, start))
        s.execute(insert(AppointmentSlot), [dict(start=h, end=h + timedelta(hours=1),
                                                 capacity=max(measured_slot, n), booked=n)
                                            for h, n in per_slot.items()])
        slot_ids = dict(s.execute(select(AppointmentSlot.start, AppointmentSlot.id)).all())
        slot_ids = {k.replace(tzinfo=UTC) if k.tzinfo is None else k: v
                    for k, v in slot_ids.items()}
        s.execute(insert(Appointment), [dict(
            ref=f"TA{k + 1:07d}", container_id=cid, slot_id=slot_ids[start],
            right_id=rights[cid], state="booked", booked_by_party_id=haul_id, on_behalf=True,
            haulier_id=haul_id, plate=f"沪A{k:05d}", driver_name="Driver",
            driver_id=f"D{k:06d}", created_at=DAY0 - timedelta(days=1), created_by="system",
            changes=0, end_reason="") for k, cid, start in appts])
    if not is_sqlite(engine):
        # A terminal's database has planner statistics; a freshly bulk-loaded one has none
        # until autovacuum gets round to it, which it would do in the middle of the race.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()
    return {"measured": [f"TA{k + 1:07d}" for k in range(measured_slot)], "boxes": boxes,
            "appointments": appointments}


def gate_in(url: str, refs: list[str]) -> tuple[list[float], list[float]]:
    """Admit the trucks of ``refs`` one after another; wall and CPU milliseconds each."""
    engine = make_engine(url)
    core = Core(engine, FixedClock(NOW))
    wall, cpu = [], []
    for ref in refs:
        k = int(ref[2:]) - 1
        t0, c0 = time.perf_counter(), time.process_time()
        core.run(CLERK, admit, lookup=ref, plate=f"沪A{k:05d}", haulier="HAUL",
                 driver_id=f"D{k:06d}")
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    engine.dispose()
    return wall, cpu


def _server_cpu() -> float | None:
    """CPU seconds used so far by PostgreSQL server processes on this machine (Linux), or
    None: with the server on the same machine, its share of each booking is known too."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total, found = 0, False
    for pid in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if not pid.isdigit():
            continue
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        name, fields = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:]
        if name.startswith("postgres"):
            f = fields.split()
            # own time, and the time of exited backends the postmaster has reaped
            total, found = total + sum(int(x) for x in f[11:15]), True
    return total / ticks if found else None


def _free_boxes(url: str, n: int, seed: int) -> list[str]:
    engine = make_engine(url)
    with Session(engine) as s:
        booked = set(s.execute(select(Appointment.container_id)).scalars())
        ids = [i for i in s.execute(select(Container.id).where(
            Container.location == Where.YARD, Container.yard_tier == 4)).scalars()
            if i not in booked]
        rnd = random.Random(seed)
        pick = rnd.sample(ids, min(n, len(ids)))
        nums = dict(s.execute(select(Container.id, Container.number).where(
            Container.id.in_(pick))).all())
    engine.dispose()
    return [nums[i] for i in pick]


#: Bookings each client makes before the start line, of spare boxes into slots of their own:
#: psycopg prepares a statement on the server at its fifth use and PostgreSQL plans it afresh
#: for the next five before it keeps one plan, so a console that has been running does none
#: of that planning; a client that has not would spend a sixth of a 60-booking run on it.
WARM_BOOKINGS = 12


def _booker(url: str, warm: list[tuple[str, datetime]], jobs: list[tuple[str, datetime]],
            barrier, out) -> None:
    try:
        out.put(_book_all(url, warm, jobs, barrier))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which stops
        barrier.abort()  # the others must not wait for this one at the start line
        out.put(("error", f"{type(exc).__name__}: {exc}"))


def _book_all(url: str, warm: list[tuple[str, datetime]], jobs: list[tuple[str, datetime]],
              barrier) -> tuple:
    engine = make_engine(url)
    core = Core(engine, FixedClock(NOW))
    # Warm, as a console that has been running is: its connection open, its server process's
    # caches filled, every statement a booking makes prepared and planned on the server, and
    # what it loaded frozen out of the garbage collector's way (the console freezes it once
    # open). "Why not?" checks first (they ask the questions and write nothing), then real
    # bookings of spare boxes, each into a slot nobody else books.
    for box, start in jobs[:6]:
        core.check(CLERK, book, container=box, slot_start=start, haulier="HAUL",
                   plate="沪B00000", driver_name="Driver", driver_id="D1")
    for i, (box, start) in enumerate(warm):
        core.run(CLERK, book, container=box, slot_start=start, haulier="HAUL",
                 plate=f"沪W{i:05d}", driver_name="Driver", driver_id="D1")
    gc.collect()
    gc.freeze()
    barrier.wait(timeout=600)
    ok = refused = 0
    booked_at: list[float] = []  # perf_counter is the system's monotonic clock: comparable
    t0, c0 = time.perf_counter(), time.process_time()
    for i, (box, start) in enumerate(jobs):
        try:
            core.run(CLERK, book, container=box, slot_start=start, haulier="HAUL",
                     plate=f"沪B{i:05d}", driver_name="Driver", driver_id="D1")
            ok += 1
            booked_at.append(time.perf_counter())
        except Refused:
            refused += 1
    t1 = time.perf_counter()
    engine.dispose()
    return ok, refused, t1 - t0, time.process_time() - c0, t0, t1, booked_at


def _sustained(results: list[tuple]) -> tuple[float, float]:
    """Bookings per second while every client was booking (from the last to start to the
    first to finish), and that window's length: the rate the clients sustain together, without
    the tail in which the last few finish alone."""
    start, end = max(r[4] for r in results), min(r[5] for r in results)
    n = sum(1 for r in results for t in r[6] if start <= t <= end)
    return (n / (end - start) if end > start else 0.0), end - start


def contention(url: str, processes: int = 8, per_process: int = 250, hot_share: float = 0.2,
               hot_capacity: int = 100, seed: int = 2) -> dict:
    """``processes`` clerks book ``per_process`` boxes each at once; ``hot_share`` of the
    demand goes to two slots of ``hot_capacity`` places, the rest over the next days' slots.
    Returns bookings/s and the overbooking check (booked <= capacity, counters == rows)."""
    rnd = random.Random(seed)
    wanted = processes * (per_process + WARM_BOOKINGS) + 1
    found = _free_boxes(url, wanted, seed)
    if len(found) < wanted:
        raise SystemExit(f"the database has {len(found)} free boxes, not {wanted}: prepare "
                         "more boxes or ask for fewer bookings")
    *boxes, spare = found[:processes * per_process + 1]
    spares = found[processes * per_process + 1:]
    day = NOW.replace(hour=0, minute=0) + timedelta(days=8)
    # the warm-up's slots: 30 days on, one hour each, one booking each
    warm = [[(spares[p * WARM_BOOKINGS + k],
              day + timedelta(days=30, hours=p * WARM_BOOKINGS + k))
             for k in range(WARM_BOOKINGS)] for p in range(processes)]
    hot = [day + timedelta(hours=9), day + timedelta(hours=10)]
    cold = [day + timedelta(days=d, hours=h) for d in range(3) for h in range(24)]
    engine = make_engine(url)
    with Session(engine) as s, s.begin():  # the hot slots exist with their capacity
        for h in hot:
            s.add(AppointmentSlot(start=h, end=h + timedelta(hours=1), capacity=hot_capacity))
    jobs = [(b, rnd.choice(hot) if rnd.random() < hot_share else rnd.choice(cold))
            for b in boxes]
    # Warm up as a long-running console or booking service is warm: one booking (a spare box,
    # a slot of its own) before the clients fork, so each does not spend its first booking
    # compiling statements and configuring mappers (~0.2 s of CPU, 32 times over).
    Core(engine, FixedClock(NOW)).run(
        CLERK, book, container=spare, slot_start=day + timedelta(days=20), haulier="HAUL",
        plate="沪B99999", driver_name="Driver", driver_id="D1")
    engine.dispose()  # no pooled connection shared with the forked clients
    ctx = mp.get_context("fork")
    # the parent waits at the start line too, to read the server's CPU from the start
    barrier, q = ctx.Barrier(processes + 1), ctx.Queue()
    chunks = [jobs[i::processes] for i in range(processes)]
    procs = [ctx.Process(target=_booker, args=(url, w, c, barrier, q))
             for w, c in zip(warm, chunks, strict=True)]
    on_pg = url.startswith("postgresql")
    for p in procs:
        p.start()
    with contextlib.suppress(threading.BrokenBarrierError):  # a client failed warming up:
        barrier.wait(timeout=900)  # its error is in the queue
    server0 = _server_cpu() if on_pg else None
    results = [q.get(timeout=3600) for _ in procs]
    server1 = _server_cpu() if on_pg else None
    failed = [r[1] for r in results if r[0] == "error"]
    if failed:
        for p in procs:
            p.join()
        raise SystemExit(f"a booking client failed: {failed[0]}")
    for p in procs:
        p.join()
    wall = max(r[2] for r in results)
    sustained, window = _sustained(results)
    with Session(engine) as s:
        slots = s.execute(select(AppointmentSlot)).scalars().all()
        live_states = ["booked", "admitted"]
        live = dict(s.execute(select(Appointment.slot_id, func.count()).where(
            Appointment.state.in_(live_states)).group_by(Appointment.slot_id)).all())
        doubles = s.execute(select(func.count()).select_from(select(
            Appointment.container_id).where(Appointment.state.in_(live_states)).group_by(
            Appointment.container_id).having(func.count() > 1).subquery())).scalar_one()
    engine.dispose()
    over = [x.start for x in slots if x.booked > x.capacity or live.get(x.id, 0) != x.booked]
    ok = sum(r[0] for r in results)
    hot_booked = sum(x.booked for x in slots if x.start.replace(tzinfo=UTC) in hot
                     or x.start in hot)
    return {"processes": processes, "attempts": len(jobs), "booked": ok,
            "refused": sum(r[1] for r in results), "seconds": wall,
            "bookings_per_s": ok / wall, "attempts_per_s": len(jobs) / wall,
            "sustained_per_s": sustained, "sustained_seconds": window,
            "cpu_seconds": sum(r[3] for r in results),
            "server_cpu_seconds": None if server0 is None or server1 is None
            else server1 - server0,
            "hot_booked": hot_booked, "hot_capacity": 2 * hot_capacity,
            "overbooked_slots": len(over), "double_booked_boxes": doubles}


def _server_share(r: dict) -> str:
    if not r.get("server_cpu_seconds"):
        return ""
    return (f", PostgreSQL server processes' CPU {r['server_cpu_seconds']:.1f} s "
            f"({r['server_cpu_seconds'] / r['attempts'] * 1000:.1f} ms per attempt)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="database URL (default: a new SQLite file in a temp dir)")
    ap.add_argument("--boxes", type=int, default=100_000)
    ap.add_argument("--appointments", type=int, default=10_000)
    ap.add_argument("--gate-ins", type=int, default=1_000)
    ap.add_argument("--processes", type=int, default=8)
    ap.add_argument("--per-process", type=int, default=250)
    ap.add_argument("--only", choices=["gate-in", "contention"])
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory()
    url = args.db or str(Path(tmp.name) / "bench.db")
    t0 = time.perf_counter()
    info = prepare(url, args.boxes, args.appointments, args.gate_ins)
    print(f"prepared {info['boxes']:,} boxes, {info['appointments']:,} appointments in "
          f"{time.perf_counter() - t0:.1f} s")
    if args.only != "contention":
        wall, cpu = gate_in(url, info["measured"])
        for name, ms in (("wall", sorted(wall)), ("cpu", sorted(cpu))):
            q = statistics.quantiles(ms, n=100)
            print(f"gate-in decision (gate.admit), {len(ms)} trucks, {name}: p50 {q[49]:.1f} "
                  f"ms, p95 {q[94]:.1f} ms, p99 {q[98]:.1f} ms, max {ms[-1]:.1f} ms")
    if args.only != "gate-in":
        r = contention(url, args.processes, args.per_process)
        print(f"booking under contention: {r['processes']} processes, {r['attempts']} attempts "
              f"(20% on two slots of {r['hot_capacity'] // 2}): {r['booked']} booked, "
              f"{r['refused']} refused in {r['seconds']:.1f} s = {r['bookings_per_s']:.0f} "
              f"bookings/s ({r['attempts_per_s']:.0f} attempts/s; "
              f"{r['sustained_per_s']:.0f} bookings/s over the {r['sustained_seconds']:.1f} s "
              f"all {r['processes']} were booking), clients' CPU "
              f"{r['cpu_seconds']:.1f} s ({r['cpu_seconds'] / r['attempts'] * 1000:.1f} ms per "
              f"attempt){_server_share(r)}; hot slots "
              f"{r['hot_booked']}/{r['hot_capacity']}; overbooked slots "
              f"{r['overbooked_slots']}, double-booked boxes {r['double_booked_boxes']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
