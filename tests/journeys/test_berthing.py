"""Journey 1: a vessel berthed and unberthed at a new site, by keyboard only (seed I.(1) 1-5,
I.(2) 1-4).

The dispatcher issues the day-and-night work plan, records the arrival and ticks the berthing
checklist; a step ticked out of order is refused with its rule and sentence; the line
handler, signing in on the same console, sets the floats and makes the lines fast; the
dispatcher confirms the berthing. Next day the dispatcher issues the plan again, confirms the
unberthing and receives the pilot's order, and the line handler lets go: the visit has
departed. The database is read only at the end.
"""

from __future__ import annotations

from sqlmodel import Session, select

from portops.model import ChecklistStep, Phase, VesselVisit
from tests.journeys.conftest import USERS
from tests.journeys.driver import Desk
from tests.journeys.steps import VISIT, berth, issue_work_plan, mooring_job, open_checklist, tick


async def test_berthing_and_unberthing(console, site, size):
    engine, clock = site
    start = clock.now()
    app = console()
    async with app.run_test(size=size, notifications=True) as pilot:
        desk = Desk(pilot, clock, USERS)
        seen = await berth(desk, refuse_out_of_order=True)
        berthed_at = clock.now()
        assert "[checklist.step.needs]" in seen["out of order"]
        assert "B1" in seen["floats job"]

        # I.(2): the next morning, the vessel's work done, it sails
        desk.later(hours=20)
        await desk.sign_in("dispatcher")
        await issue_work_plan(desk)  # 1
        await open_checklist(desk)  # the unberthing checklist, now that it is alongside
        desk.later(minutes=5)
        await tick(desk, "enter", "enter", step="UNBERTHING_CONFIRMED")  # 2: time blank = now
        desk.later(minutes=25)
        await tick(desk, "enter", "enter", step="PILOT_ORDER_RECEIVED")  # 3
        await desk.sign_out()
        desk.later(minutes=10)
        await mooring_job(desk)  # 4: lines let go
        sailed_at = clock.now()

    with Session(engine) as s:
        visit = s.exec(select(VesselVisit).where(VesselVisit.key == VISIT)).one()
        steps = s.exec(select(ChecklistStep).where(ChecklistStep.visit_id == visit.id)
                       .order_by(ChecklistStep.id)).all()
    assert visit.phase == Phase.DEPARTED
    assert (visit.atb, visit.atd) == (berthed_at, sailed_at)
    assert start < visit.ata < berthed_at
    assert [(r.step_id, r.done_by) for r in steps] == [
        ("PARTICULARS_CONFIRMED", "dispatcher"), ("BERTH_CLEARED", "dispatcher"),
        ("FLOATS_AND_MARKS_SET", "line-handler"), ("POSITION_CONFIRMED", "dispatcher"),
        ("ALL_FAST", "line-handler"), ("BERTHED_CONFIRMED", "dispatcher"),
        ("UNBERTHING_CONFIRMED", "dispatcher"), ("PILOT_ORDER_RECEIVED", "dispatcher"),
        ("LINES_LET_GO", "line-handler")]
    assert steps[3].values == {"pilot": "Li Ming", "bollard_fore": "12", "bollard_aft": "19"}
