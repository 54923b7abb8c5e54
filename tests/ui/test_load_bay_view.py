"""The load plan in the vessel bay view (F6): planned boxes in their slots, coloured by what
happens to them (to load, loaded), and the crane and sequence of the box selected with the
arrow keys."""

from __future__ import annotations

from collections import namedtuple

from sqlmodel import Session, select

from portops.model import LoadItem, OnBoard, Role
from portops.ops.flags import grant_permission
from portops.ops.loading import confirm, make_plan
from portops.ops.receiving import receive
from portops.ops.visits import arrive, berth
from portops.ui.screens.discharge import BayPlanView
from tests.conftest import as_role
from tests.test_export import (
    BOX1,
    BOX2,
    D,
    G,
    _book,
    export_terminal,  # noqa: F401  (a fixture)
)
from tests.ui.conftest import sign_in, text_of, wait_for

T = as_role(Role.TALLY_CLERK)
Item = namedtuple("Item", "seq number bay row tier crane")


async def test_bay_view_shows_the_load_plan(console, core, engine, export_terminal,  # noqa: F811
                                            clock) -> None:
    visit = export_terminal["visit"]
    for number in (BOX1, BOX2):
        appt = _book(core, clock, number, plate=f"沪A{number[-5:]}")
        core.run(G, receive, lookup=appt["ref"], container=number, size_type="45G1", seal="SL1")
        core.run(D, grant_permission, code="CUSTOMS_EXPORT", reference=f"C-{number}",
                 container=number)
    core.run(D, make_plan, visit_id=visit)
    core.run(D, arrive, visit_id=visit)
    core.run(D, berth, visit_id=visit)
    core.run(D, grant_permission, code="PORT_ENTRY", reference="MSA-1", visit_id=visit)
    with Session(engine) as s, s.begin():
        items = sorted((i.seq, i.number, i.bay, i.row, i.tier, i.crane)
                       for i in s.exec(select(LoadItem)))
        first, other = (Item(*i) for i in items)
        # a box of another port staying on board, beside them
        s.add(OnBoard(visit_id=visit, number="CMAU1234564", size_type="42G1", pod="KRPUS",
                      bay=first.bay, row=first.row + 4, tier=first.tier))
    assert first.bay == other.bay  # one bay shows both
    core.run(T, confirm, visit_id=visit, number=first.number, seal="SL1")

    app = console()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, Role.YARD_PLANNER)
        await pilot.press("f6")
        await wait_for(pilot, lambda: app.screen.query(BayPlanView)
                       and app.screen.query_one(BayPlanView).grid is not None, what="bay view")
        view = app.screen.query_one(BayPlanView)
        grid = text_of(view.query_one("#bp-grid"))
        assert "▲" in grid and f"L{other.crane}" in grid and "R" in grid
        assert "1 to load, 1 loaded" in text_of(view.query_one("#bp-plan"))
        # the cursor starts on the leftmost stack; → walks to the box still to load
        await wait_for(pilot, lambda: text_of(view.query_one("#bp-box")), what="selected box")
        seen = [text_of(view.query_one("#bp-box"))]
        for _ in range(3):
            await pilot.press("right")
            await pilot.pause()
            seen.append(text_of(view.query_one("#bp-box")))
        assert any("staying on board" in s and "KRPUS" in s for s in seen)
        line = next(s for s in seen if other.number in s)
        assert other.number in line and "to load" in line
        assert f"crane QC{other.crane}, move {other.seq}" in line and "NLRTM" in line
