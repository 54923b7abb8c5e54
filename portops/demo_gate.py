"""Demo data for the gate (seed II.(1) steps 4-6): work for the gate clerk as the demo opens.

A handful of import boxes in the yard, released by customs, are released by their line to a
forwarder, who passes the right to collect to two hauliers; the hauliers book pickups in
today's slots (the current hour and the next few). Three trucks are already at the terminal:
one loaded in the yard and waiting at the out-gate, one admitted and driving to its box, and
one stopped at the in-gate (its plate is not the booked one) on the trouble list. So F9
opens on real work: the in-gate for the next truck, ``q`` the trucks inside (gate-out, or a
refused gate-out returned to the yard), ``l`` the trouble list, ``b`` the day's bookings.

Everything goes through the operations, each run at the time it would have happened.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from portops.clock import FixedClock
from portops.demo_base import Demo, extend
from portops.flags import Action, blocking_many
from portops.i18n import N_, Said
from portops.model import Container, Party, Where
from portops.ops import Core, Refused
from portops.ops.appointments import book
from portops.ops.gate import admit, hand_over, trouble
from portops.ops.gate_checks import settings, slot_bounds
from portops.ops.releases import line_release, pass_on, register_party

USER = "system"
FORWARDER = ("SINOFWD", "Sinotrans Shanghai Forwarding", "forwarder", "91310000132212345R")
HAULIERS = [("SHJT", "Shanghai Jiatong Container Haulage", "haulier", "91310115MA1H7ABC1A"),
            ("YGWL", "Yangshan Gang Logistics", "haulier", "91310000MA1FL3XY26")]
#: (plate, driver name, driver's licence) for each booking, in turn.
DRIVERS = [("沪D31201", "Zhang Wei", "310101198001011234"),
           ("沪D52877", "Li Qiang", "310104198503152211"),
           ("沪E60931", "Wang Jun", "320502197911233318"),
           ("沪D17450", "Chen Gang", "310110198207074417"),
           ("沪E22086", "Zhou Lei", "330106199002145513"),
           ("沪D90314", "Sun Hao", "310113198812306619"),
           ("沪E47725", "Wu Bin", "340102198604117714"),
           ("沪D38862", "Xu Ming", "310107197703218813")]
#: Bookings per slot from the current hour on (the first three trucks are already here).
PER_SLOT = (3, 2, 2, 1)


@extend
def gate_work(core: Core, now: datetime, demo: Demo) -> None:
    boxes = _ready_boxes(core, sum(PER_SLOT))
    if len(boxes) < 3:
        demo.notes.append(Said(N_("gate demo: not enough released import boxes in the yard")))
        return
    _parties(core, {op for _, op in boxes})
    at = Core(core.engine, FixedClock(now - timedelta(hours=3)))
    with Session(core.engine) as s:
        cfg = settings(s)
    slot, _end = slot_bounds(now, cfg)
    starts = [slot + timedelta(minutes=cfg.minutes * k)
              for k, n in enumerate(PER_SLOT) for _ in range(n)]
    refs = []
    for i, ((number, line), start) in enumerate(zip(boxes, starts, strict=False)):
        haulier = HAULIERS[i % 2][0]
        plate, name, licence = DRIVERS[i % len(DRIVERS)]
        try:
            at.run(USER, line_release, line=line, to_party=FORWARDER[0],
                   reference=f"DO{now:%y%m%d}{i:03d}", container=number)
            at.run(USER, pass_on, container=number, by_party=FORWARDER[0], to_party=haulier,
                   reference=f"DISP-{i:03d}")
            got = at.run(USER, book, container=number, slot_start=start, haulier=haulier,
                         plate=plate, driver_name=name, driver_id=licence)
        except Refused as exc:
            demo.notes.append(Said(N_("gate demo booking {number}: {exc}"),
                                   number=number, exc=exc.describe()))
            continue
        refs.append((got["ref"], haulier, plate, licence))
    _trucks(core, now, refs, demo)
    demo.notes.append(Said(N_("gate: {pickups} pickups booked today, 3 trucks at the gate"),
                           pickups=len(refs)))


def _ready_boxes(core: Core, n: int) -> list[tuple[str, str]]:
    """Import boxes in the yard that only lack the line's release to a named party."""
    with Session(core.engine) as s:
        rows = s.exec(select(Container).where(
            Container.location == Where.YARD, Container.category == "import",
            Container.full, Container.operator != "", Container.bl_number.is_not(None))
            .order_by(Container.number).limit(400)).all()
        blocked = blocking_many(s, Action.DELIVER, rows)
    ok = [c for c in rows if {u.rule for u in blocked[c.id]} <= {"permission.line_release"}]
    return [(c.number, c.operator) for c in ok[:n]]


def _parties(core: Core, lines: set[str]) -> None:
    with Session(core.engine) as s:
        known = set(s.exec(select(Party.code)).all())
    wanted = [(code, f"{code} (shipping line)", "line", "") for code in sorted(lines)]
    for code, name, kind, identity in wanted + [FORWARDER, *HAULIERS]:
        if code not in known:
            core.run(USER, register_party, code=code, name=name, kind=kind, identity=identity)


def _trucks(core: Core, now: datetime, refs: list[tuple[str, str, str, str]],
            demo: Demo) -> None:
    """The current slot's three trucks: loaded, admitted, and one stopped at the in-gate."""
    if len(refs) < 3:
        return

    def at(minutes_ago: int) -> Core:
        return Core(core.engine, FixedClock(now - timedelta(minutes=minutes_ago)))

    try:
        (ref1, h1, p1, d1), (ref2, h2, p2, d2), (ref3, h3, _p3, d3) = refs[:3]
        tv = at(25).run(USER, admit, lookup=ref1, plate=p1, haulier=h1, driver_id=d1)
        at(12).run(USER, hand_over, truck_visit_id=tv["truck_visit_id"])
        at(8).run(USER, admit, lookup=ref2, plate=p2, haulier=h2, driver_id=d2)
        at(3).run(USER, trouble, lookup=ref3, plate="沪B88231", haulier=h3, driver_id=d3,
                  note="driver says the truck was changed this morning")
    except Refused as exc:
        demo.notes.append(Said(N_("gate demo trucks: {exc}"), exc=exc.describe()))
