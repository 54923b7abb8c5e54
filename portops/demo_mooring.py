"""Demo data for the line handlers: the next vessel to berth is ready for its mooring gang.

The dispatcher has confirmed the particulars and cleared the berth of the arrived vessel
that berths next, so a line handler signing in to the demo sees their job at once (set out
the floats and berthing marks) and can tick it in two keys.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from portops.demo_base import Demo, extend
from portops.i18n import N_, Said
from portops.model import Phase, VesselVisit
from portops.ops import Core
from portops.ops.checklists import tick
from portops.ops.visits import arrive

USER = "system"
READY = ("PARTICULARS_CONFIRMED", "BERTH_CLEARED")  # the dispatcher's steps before the gang's


@extend
def mooring_job_ready(core: Core, now: datetime, demo: Demo) -> None:
    with Session(core.engine) as s:
        visits = s.exec(select(VesselVisit).where(
            VesselVisit.phase.in_([Phase.ARRIVED, Phase.PLANNED]),
            VesselVisit.berth_id.is_not(None)).order_by(VesselVisit.etb)).all()
    # an arrived vessel first: the gang's steps wait for the vessel to be there
    visits = sorted(visits, key=lambda v: v.phase != Phase.ARRIVED)
    for visit in visits:  # the next to berth whose berth is clear and particulars fit
        if any(core.check(USER, tick, visit_id=visit.id, checklist="berthing", step=step)
               for step in READY):
            continue
        for step in READY:
            core.run(USER, tick, visit_id=visit.id, checklist="berthing", step=step)
        if visit.phase == Phase.PLANNED:  # the floats wait for the vessel to be there
            core.run(USER, arrive, visit_id=visit.id)
        demo.notes.append(Said(N_("mooring: {key} ready for its line-handling gang"),
                               key=visit.key))
        return
    demo.notes.append(Said(N_("mooring demo: no vessel to berth is ready for the line handlers")))
