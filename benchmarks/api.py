"""The appointment platform's API under load (issue 18): many hauliers' systems booking
through HTTP at once, and the availability query with 10,000 appointments in a day.

    python benchmarks/api.py                               # SQLite in a temp directory
    python benchmarks/api.py --hauliers 200 --workers 8
    python benchmarks/api.py --db postgresql+psycopg://...  # an EMPTY PostgreSQL database

Set-up (written directly, as the other benchmarks do): ``--hauliers`` haulier parties, each
with one account and one API token, holding the released right to collect ``--boxes-each``
import boxes; 10,000 appointments of a bulk haulier in tomorrow's 24 slots; the race's slots
the day after, ``--race-slots`` hours of ``--capacity`` places each (fewer places than
bookings, so slots fill and the losers are refused with ``appointment.slot_full``).

Then ``portops api --workers N`` serves on 127.0.0.1 (a free port) and every haulier's
system, all at once (one asyncio client, one connection each), books its boxes one after
another: a random race slot with room as the availability says, another on ``slot_full``
(at most 4 tries a box; none once every race slot has been seen full). Measured: each request's latency, bookings/s over the race, and
afterwards the database: no slot holds more live appointments than its capacity, and each
slot's count is its live appointments (zero overbooking). Then the availability query (7
days, every caller's usual question) ``--queries`` times, sequentially, with tomorrow's
10,000 appointments in place. Last, what the rate per token shared by the processes costs a
request (``--rate-takes``): a token's bucket taken from in a row, alone and from ``--workers``
processes at once, and that exactly the burst conforms when they all take together.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlmodel import Session
from stdnum import iso6346

from portops import schema
from portops.auth import new_token, token_hash
from portops.clock import FixedClock
from portops.db import is_sqlite, make_engine, write_session
from portops.model import (
    LIVE_APPTS,
    ApiToken,
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
    User,
    Vessel,
    VesselVisit,
    Where,
)
from portops.ops.users import bootstrap


def _number(i: int) -> str:
    raw = f"APIU{i:06d}"
    return raw + iso6346.calc_check_digit(raw)


def prepare(url: str, hauliers: int, boxes_each: int, bulk: int, race_slots: int,
            capacity: int) -> dict:
    """An empty database -> the terminal described in the module's docstring."""
    now = datetime.now(UTC)
    day1 = now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    day2 = day1 + timedelta(days=1)
    engine = make_engine(url)
    schema.upgrade(engine)
    with write_session(engine) as s:
        bootstrap(s, FixedClock(now))
    tokens: list[str] = []
    with Session(engine) as s, s.begin():
        s.add(Terminal(code="BENCH", name="Bench terminal", locode="CNSHA",
                       timezone="Asia/Shanghai", appt_slot_capacity=capacity))
        v = Vessel(imo="9074729", name="BENCH", loa_m=300, beam_m=48, max_draft_m=14)
        s.add(v)
        s.flush()
        visit = VesselVisit(key="BENCH-1", vessel_id=v.id, line_operator="COSU",
                            etd=day1 - timedelta(days=2))
        s.add(visit)
        parties = [Party(code="COSU", name="COSCO", kind=PartyKind.LINE),
                   Party(code="BULK", name="Bulk haulier", kind=PartyKind.HAULIER, identity="B")]
        parties += [Party(code=f"H{i:03d}", name=f"Haulier {i}", kind=PartyKind.HAULIER,
                          identity=f"USCI-{i:06d}") for i in range(hauliers)]
        s.add_all(parties)
        s.flush()
        line_id, bulk_id = parties[0].id, parties[1].id
        users = [User(name=f"h{i:03d}", role=Role.HAULIER, created_at=now, party_id=p.id,
                      party_admin=True) for i, p in enumerate(parties[2:])]
        s.add_all(users)
        s.flush()
        for u in users:
            t = new_token()
            tokens.append(t)
            s.add(ApiToken(user_id=u.id, token_sha256=token_hash(t), shown=t[:10], note="bench",
                           created_at=now, created_by=u.name))
        holders = [bulk_id] * bulk + [p.id for p in parties[2:] for _ in range(boxes_each)]
        s.execute(insert(Container), [dict(
            number=_number(i), size_type="22G1", operator="COSU", full=True,
            category=Category.IMPORT, seals=f"S{i}", pol="", pod="", location=Where.YARD,
            in_visit_id=visit.id, time_in=day1 - timedelta(days=2), damage="")
            for i in range(len(holders))])
        ids = s.execute(select(Container.id).order_by(Container.id)).scalars().all()
        s.execute(insert(Flag), [dict(type_code=t, state=FlagState.GRANTED, container_id=c,
                                      reference="R", reason="", set_by="system",
                                      set_at=day1 - timedelta(days=2))
                                 for c in ids for t in ("CUSTOMS_IMPORT", "LINE_RELEASE")])
        s.execute(insert(CollectRight), [dict(container_id=c, line_party_id=line_id,
                                              holder_party_id=h, state="active",
                                              created_at=day1 - timedelta(days=2))
                                         for c, h in zip(ids, holders, strict=True)])
        rights = dict(s.execute(select(CollectRight.container_id, CollectRight.id)).all())
        per_hour = -(-bulk // 24)
        s.execute(insert(AppointmentSlot), [dict(
            start=day1 + timedelta(hours=h), end=day1 + timedelta(hours=h + 1),
            capacity=per_hour, booked=min(per_hour, bulk - h * per_hour)) for h in range(24)])
        slot_ids = [s.execute(select(AppointmentSlot.id).where(
            AppointmentSlot.start == day1 + timedelta(hours=h))).scalar_one() for h in range(24)]
        s.execute(insert(Appointment), [dict(
            ref=f"TB{k + 1:07d}", container_id=c, slot_id=slot_ids[k // per_hour],
            right_id=rights[c], state="booked", booked_by_party_id=bulk_id, on_behalf=False,
            haulier_id=bulk_id, plate=f"沪A{k:05d}", driver_name="Driver", driver_id=f"D{k}",
            created_at=now, created_by="system", changes=0, end_reason="")
            for k, c in enumerate(ids[:bulk])])
        race = [(u.name, t, [_number(bulk + i * boxes_each + j) for j in range(boxes_each)])
                for i, (u, t) in enumerate(zip(users, tokens, strict=True))]
    if not is_sqlite(engine):
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()
    slots = [day2 + timedelta(hours=6 + h) for h in range(race_slots)]
    return {"race": race, "slots": slots, "day1": day1}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def _race(port: int, race: list, slots: list[datetime]) -> dict:
    import aiohttp

    base = f"http://127.0.0.1:{port}/api"
    latencies: list[float] = []
    outcomes: dict[str, int] = {}
    full = set()

    async def haulier(token: str, boxes: list[str]) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        conn = aiohttp.TCPConnector(limit=1)
        async with aiohttp.ClientSession(headers=headers, connector=conn) as http:
            for box in boxes:
                for _attempt in range(4):
                    open_slots = [s for s in slots if s not in full]
                    if not open_slots:  # as its availability query would say
                        outcomes["no room left"] = outcomes.get("no room left", 0) + 1
                        break
                    slot = random.choice(open_slots)
                    body = {"container": box, "slot_start": slot.isoformat(), "plate": "沪B12345",
                            "driver_name": "Li Si", "driver_id": "D-1"}
                    t0 = time.perf_counter()
                    async with http.post(f"{base}/appointments", json=body) as resp:
                        answer = await resp.json()
                    latencies.append(time.perf_counter() - t0)
                    if resp.status == 201:
                        outcomes["booked"] = outcomes.get("booked", 0) + 1
                        break
                    rules = [r["rule"] for r in answer.get("refused", [])]
                    key = ",".join(rules) or str(resp.status)
                    outcomes[key] = outcomes.get(key, 0) + 1
                    if "appointment.slot_full" in rules:
                        full.add(slot)
                        continue
                    break

    t0 = time.perf_counter()
    await asyncio.gather(*(haulier(token, boxes) for _u, token, boxes in race))
    wall = time.perf_counter() - t0
    return {"latencies": latencies, "outcomes": outcomes, "wall": wall}


async def _availability(port: int, token: str, n: int) -> list[float]:
    import aiohttp

    out = []
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {token}"}) as http:
        for _ in range(n):
            t0 = time.perf_counter()
            async with http.get(f"http://127.0.0.1:{port}/api/availability") as resp:
                rows = await resp.json()
                assert resp.status == 200 and len(rows) >= 24 * 7, rows
            out.append(time.perf_counter() - t0)
    return out


def _takes(url: str, n: int, rate: float, burst: float, start: float) -> tuple[int, list]:
    """``n`` takes from one token's shared bucket in a row: (conforming, seconds each)."""
    from portops.web.rate import take

    engine = make_engine(url)
    while time.time() < start:  # every process begins at once
        time.sleep(0.001)
    ok, each = 0, []
    for _ in range(n):
        t0 = time.perf_counter()
        ok += take(engine, "bench-token", rate, burst, time.time()) == 0.0
        each.append(time.perf_counter() - t0)
    engine.dispose()
    return ok, each


def rate_cost(url: str, takes: int, processes: int) -> dict:
    """What the shared rate per token costs a request (``portops.web.rate.take``: one
    statement, on SQLite a write transaction), alone and from ``processes`` processes at
    once, and whether it holds: with a burst of ``takes`` and a rate that refills nothing
    during the run, exactly ``takes`` of ``processes * takes`` conform."""
    import multiprocessing

    alone = _takes(url, takes, 1e6, 1e6, 0)[1]
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(processes) as pool:
        start = time.time() + 3
        results = pool.starmap(_takes, [(url, takes, 1e-6, takes, start)] * processes)
    together = [x for _ok, each in results for x in each]
    return {"alone": alone, "together": together, "conformed": sum(r[0] for r in results),
            "tried": processes * takes}


def check(url: str, slots: list[datetime]) -> dict:
    """Overbooked slots (live appointments over capacity) and miscounted ones."""
    engine = make_engine(url)
    with Session(engine) as s:
        rows = s.execute(select(AppointmentSlot.id, AppointmentSlot.capacity,
                                AppointmentSlot.booked)).all()
        live = dict(s.execute(select(Appointment.slot_id, func.count()).where(
            Appointment.state.in_(LIVE_APPTS)).group_by(Appointment.slot_id)).all())
        race_ids = set(s.execute(select(AppointmentSlot.id).where(
            AppointmentSlot.start.in_(slots))).scalars())
    engine.dispose()
    over = [r.id for r in rows if live.get(r.id, 0) > r.capacity]
    miscounted = [r.id for r in rows if live.get(r.id, 0) != r.booked]
    return {"overbooked": len(over), "miscounted": len(miscounted),
            "race_booked": sum(live.get(i, 0) for i in race_ids)}


def _wait_listening(port: int, proc: subprocess.Popen, seconds: float = 60) -> None:
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        if proc.poll() is not None:
            raise SystemExit(f"portops api stopped: {proc.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                time.sleep(1.0 + 0.3 * 8)  # every worker process up (each imports portops)
                return
        time.sleep(0.2)
    raise SystemExit("portops api did not start")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=None, help="an EMPTY database URL (default: SQLite, temp)")
    ap.add_argument("--hauliers", type=int, default=200)
    ap.add_argument("--boxes-each", type=int, default=5)
    ap.add_argument("--race-slots", type=int, default=8)
    ap.add_argument("--capacity", type=int, default=80)
    ap.add_argument("--bulk", type=int, default=10_000, help="appointments in tomorrow's day")
    ap.add_argument("--workers", type=int, default=8, help="portops api processes")
    ap.add_argument("--queries", type=int, default=200, help="availability queries timed")
    ap.add_argument("--rate-takes", type=int, default=500,
                    help="takes from a shared token bucket timed, alone and per process at "
                    "once (--workers processes); 0: skip")
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory()
    url = args.db or f"sqlite:///{Path(tmp.name) / 'api.db'}"
    t0 = time.perf_counter()
    world = prepare(url, args.hauliers, args.boxes_each, args.bulk, args.race_slots,
                    args.capacity)
    print(f"prepared in {time.perf_counter() - t0:.1f} s: {args.hauliers} hauliers x "
          f"{args.boxes_each} boxes, {args.race_slots} race slots x {args.capacity} places, "
          f"{args.bulk} appointments tomorrow", flush=True)
    port = _free_port()
    env = {**os.environ, "PORTOPS_DB": url}
    proc = subprocess.Popen([sys.executable, "-m", "portops", "api", "--port", str(port),
                             "--workers", str(args.workers), "--rate", "1000", "--burst",
                             "1000"], env=env, stdout=subprocess.DEVNULL)
    try:
        _wait_listening(port, proc)
        race = asyncio.run(_race(port, world["race"], world["slots"]))
        avail = asyncio.run(_availability(port, world["race"][0][1], args.queries))
    finally:
        proc.terminate()
        proc.wait(30)
    lat = [x * 1000 for x in race["latencies"]]
    verdict = check(url, world["slots"])
    booked = race["outcomes"].get("booked", 0)
    print(f"database: {'SQLite' if url.startswith('sqlite') else 'PostgreSQL'}, "
          f"{args.workers} server processes, {args.hauliers} hauliers' systems at once")
    print(f"requests {len(lat)}: p50 {_pct(lat, 50):.1f} ms, p95 {_pct(lat, 95):.1f} ms, "
          f"max {max(lat):.1f} ms; {len(lat) / race['wall']:.0f} requests/s")
    print(f"booked {booked} in {race['wall']:.2f} s: {booked / race['wall']:.0f} bookings/s; "
          f"outcomes {dict(sorted(race['outcomes'].items()))}")
    print(f"race slots hold {verdict['race_booked']} of {args.race_slots * args.capacity} "
          f"places; overbooked slots {verdict['overbooked']}, miscounted slots "
          f"{verdict['miscounted']}")
    av = [x * 1000 for x in avail]
    print(f"availability (7 days, {args.bulk} appointments tomorrow) x{len(av)}: p50 "
          f"{statistics.median(av):.1f} ms, p95 {_pct(av, 95):.1f} ms")
    held = True
    if args.rate_takes:
        cost = rate_cost(url, args.rate_takes, args.workers)
        alone, together = ([x * 1000 for x in cost[k]] for k in ("alone", "together"))
        held = cost["conformed"] == args.rate_takes
        print(f"shared rate per token (one statement a request): alone x{len(alone)} p50 "
              f"{statistics.median(alone):.2f} ms, p95 {_pct(alone, 95):.2f} ms; "
              f"{args.workers} processes at once x{len(together)}: p50 "
              f"{statistics.median(together):.2f} ms, p95 {_pct(together, 95):.2f} ms; "
              f"conforming {cost['conformed']} of {cost['tried']} with a burst of "
              f"{args.rate_takes} ({'holds' if held else 'DOES NOT HOLD'})")
    tmp.cleanup()
    return 1 if verdict["overbooked"] or verdict["miscounted"] or not held else 0


if __name__ == "__main__":
    sys.exit(main())
