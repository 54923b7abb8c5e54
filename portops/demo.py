"""The demo terminal in the middle of its week: ``portops init --demo`` calls :func:`build_demo`.

It imports the packaged ``portops/data/demo/`` (layout, schedule — moved to today by
``rebase_day`` — and the
shared checklists), then plays the week up to ``now`` through the same operations a
dispatcher would use: vessels that should have arrived arrive, berth and work, earlier ones
depart; port-entry formalities are granted for vessels in port. It loads an inventory of boxes
(in the yard and still on board the vessels being worked) and grants customs and line
releases to most of the import boxes, with a few X-ray, inspection and damage holds.

Other parts of portops add their demo data with :func:`extend`: a function taking
``(core, now, demo)`` that runs after the base demo is built (appointments, plans...).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import Session, select

# the areas' demo modules register their data with @extend when imported, in this order
from portops import data, demo_discharge, demo_export, demo_gate, demo_mooring  # noqa: F401
from portops.clock import FixedClock
from portops.demo_base import EXTENSIONS, Demo, extend
from portops.i18n import N_, Said
from portops.model import Container, Phase, Role, Terminal, VesselVisit, Where, YardBlock
from portops.ops import Core
from portops.ops import flags as flag_ops
from portops.ops import visits as visit_ops
from portops.ops.inventory import load_inventory
from portops.synth import BlockInfo, Synth, VisitInfo

SEED = 20261126
#: The demo terminal's files, inside the package (``schedules/demo/`` in a checkout links to
#: them: the files ``portops import`` is pointed at).
DEMO_DIR = data.path("demo")
CHECKLISTS = data.path("checklists.yaml")
#: Yard fill and boxes per visit: a busy but not full terminal (~8,000 boxes).
YARD_BOXES = 7_000


def demo_files() -> list[Path]:
    files = [DEMO_DIR / "layout.yaml", DEMO_DIR / "parties.yaml", DEMO_DIR / "schedule.yaml"]
    if CHECKLISTS.exists():
        files.append(CHECKLISTS)
    return files


def build_demo(core: Core, now: datetime | None = None, *, user: str = "system") -> Demo:
    """Build the demo terminal in a mid-operation state as of ``now`` (default: the clock)."""
    from portops.formats import registry

    now = now or core.clock.now()
    run = Core(core.engine, FixedClock(now))
    demo = Demo(now)
    with Session(core.engine) as s:
        there = s.exec(select(Terminal.code)).first()
    if there is not None:  # init --demo on a demo database: bring the files up to date only
        registry.apply(run, user, registry.prepare(demo_files()))
        demo.notes.append(Said(N_("terminal {there} is already set up; the demo files were "
                                  "imported again, nothing else was changed"), there=there))
        return demo
    registry.apply(run, user, registry.prepare(demo_files()))
    with Session(core.engine) as s:
        visits = list(s.exec(select(VesselVisit).order_by(VesselVisit.etb)))
        locode = s.exec(select(Terminal.locode)).first() or "CNSHA"
        blocks = [BlockInfo(b.name, b.bays, b.rows, b.tiers, b.purpose, b.reefer_rows,
                            b.dangerous_goods, b.takes_45) for b in s.exec(select(YardBlock))]
    for v in visits:
        demo.visits[v.key] = _play(run, user, v, now).value
    _inventory(run, user, visits, blocks, locode, now, demo)
    _releases(run, user, now)
    for fn in EXTENSIONS:
        fn(run, now, demo)
    return demo


def _play(core: Core, user: str, v: VesselVisit, now: datetime) -> Phase:
    """Advance one visit through the phases its times say it has reached by ``now``."""
    if v.eta is None or v.eta > now:
        return Phase.PLANNED
    core.run(user, visit_ops.arrive, visit_id=v.id, at=v.eta + timedelta(minutes=20))
    core.run(user, flag_ops.grant_permission, code="PORT_ENTRY", visit_id=v.id,
             reference=f"CIQ-{v.key}")
    if v.etb is None or v.etb > now:
        return Phase.ARRIVED
    core.run(user, visit_ops.berth, visit_id=v.id, at=v.etb + timedelta(minutes=10))
    core.run(user, visit_ops.start_work, visit_id=v.id)
    if v.etd is None or v.etd - timedelta(hours=2) > now:
        return Phase.WORKING
    core.run(user, visit_ops.complete_work, visit_id=v.id)
    if v.etd > now:
        return Phase.COMPLETED
    core.run(user, visit_ops.depart, visit_id=v.id, at=v.etd + timedelta(minutes=15))
    return Phase.DEPARTED


def _inventory(core: Core, user: str, visits: list[VesselVisit], blocks: list[BlockInfo],
               locode: str, now: datetime, demo: Demo) -> None:
    synth = Synth(SEED, locode)
    phase = demo.visits
    info = {v.key: VisitInfo(v.key, v.line_operator) for v in visits}
    imports = [info[k] for k, p in phase.items() if p in ("departed", "completed", "working")]
    exports = [info[k] for k, p in phase.items() if p in ("planned", "arrived", "working")]
    boxes = synth.yard(blocks, YARD_BOXES, imports=imports, exports=exports,
                       since=now - timedelta(days=6), now=now)
    for v in visits:
        if phase[v.key] == "working":  # part discharged: the rest still on board
            boxes += synth.on_board(info[v.key], max(20, v.moves_discharge // 3))
        elif phase[v.key] == "arrived":
            boxes += synth.on_board(info[v.key], min(400, v.moves_discharge))
    result = core.run(user, load_inventory, boxes=boxes, source="demo inventory")
    demo.boxes = result["boxes"]


def _releases(core: Core, user: str, now: datetime) -> None:
    """Customs and line releases for most import boxes in the yard; a few holds."""
    with Session(core.engine) as s:
        imports = s.exec(select(Container.number, Container.bl_number).where(
            Container.location == Where.YARD, Container.category == "import",
            Container.bl_number.is_not(None)).order_by(Container.number)).all()
    for i, (number, bl) in enumerate(imports[:160]):
        if i % 10 < 7:
            core.run(user, flag_ops.grant_permission, code="CUSTOMS_IMPORT", bl_number=bl,
                     reference=f"2231{i:014d}")
        if i % 10 < 8:
            core.run(user, flag_ops.grant_permission, code="LINE_RELEASE", bl_number=bl,
                     reference=f"DO-{bl}")
        if i % 30 == 3:
            core.run(user, flag_ops.apply_hold, code="XRAY", container=number,
                     reason="customs selected the box for scanning", reference=f"XR{i:05d}")
        if i % 61 == 5:
            core.run(user, flag_ops.apply_hold, code="INSPECTION", container=number,
                     reason="quarantine inspection (CIQ)", reference=f"IN{i:05d}")
        if i % 89 == 7:
            core.run(user, flag_ops.apply_hold, code="DAMAGE", container=number,
                     reason="dent in the left side panel reported at discharge",
                     reference=f"DM{i:05d}")


__all__ = ["DEMO_DIR", "Demo", "Role", "build_demo", "demo_files", "extend"]
