"""Demo data for discharge: plans for the visits with boxes on board, a discharge in progress.

For every visit with boxes on board the yard planner's discharge plan and yard plan are made;
on a visit being worked the tally clerk has confirmed about a third of the boxes (one with a
dent, one seal that differs) and recorded one box short-landed, so the bay view, the yard
view and the tally screen open on a discharge in progress.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from portops.demo_base import Demo, extend
from portops.i18n import N_, Said
from portops.model import Container, DischargeItem, DischargePlan, Where
from portops.ops import Core, Refused
from portops.ops.discharge import make_plan
from portops.ops.tally import confirm, short_land
from portops.ops.yard import plan as yard_plan

USER = "system"


@extend
def discharge_in_progress(core: Core, now: datetime, demo: Demo) -> None:
    with Session(core.engine) as s:
        visits = sorted({v for (v,) in s.execute(select(Container.visit_id).where(
            Container.location == Where.VESSEL).distinct()) if v is not None})
    for visit_id in visits:
        try:
            core.run(USER, make_plan, visit_id=visit_id)
            core.run(USER, yard_plan, visit_id=visit_id)
        except Refused as exc:
            demo.notes.append(Said(N_("discharge plan of visit {visit_id}: {exc}"),
                                   visit_id=visit_id, exc=exc.describe()))
            continue
        if _phase(core, visit_id) == "working":
            _tally_some(core, visit_id, demo)


def _phase(core: Core, visit_id: int) -> str:
    from portops.model import VesselVisit

    with Session(core.engine) as s:
        return str(s.get(VesselVisit, visit_id).phase)


def _tally_some(core: Core, visit_id: int, demo: Demo) -> None:
    with Session(core.engine) as s:
        plan = s.exec(select(DischargePlan).where(DischargePlan.visit_id == visit_id)).one()
        items = s.exec(select(DischargeItem).where(DischargeItem.plan_id == plan.id)
                       .order_by(DischargeItem.seq, DischargeItem.crane)).all()
        numbers = [(i.number, i.container_id) for i in items]
        seals = {c.id: c.seals for c in s.exec(select(Container).where(
            Container.id.in_([cid for _, cid in numbers])))}
    done = 0
    for k, (number, cid) in enumerate(numbers[: max(3, len(numbers) // 3)]):
        seal = (seals.get(cid) or "").split(",")[0]
        kw = {"seal": "SL000000" if k == 2 else seal}
        if k == 1:
            kw.update(damage="DT", damage_note="dent in the door, left side")
        try:
            core.run(USER, confirm, visit_id=visit_id, number=number, **kw)
            done += 1
        except Refused as exc:
            demo.notes.append(Said(N_("tally {number}: {exc}"), number=number, exc=exc.describe()))
    if len(numbers) > done + 1:
        core.run(USER, short_land, visit_id=visit_id, number=numbers[-1][0],
                 note="not found in its slot")
    demo.notes.append(Said(N_("discharge in progress on visit {visit_id}: {done} boxes tallied"),
                           visit_id=visit_id, done=done))
