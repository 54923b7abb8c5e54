"""A truck that brought an export box is in the gate's truck queue with its box, and ``e``
lets it out empty without asking why (its box is down; that is the normal way out)."""

from __future__ import annotations

from sqlmodel import Session, select

from portops.model import Role, TruckVisit
from portops.ops.receiving import receive
from portops.ui.screens.gate import GateScreen
from tests.test_export import BOX1, G, _book, export_terminal
from tests.ui.conftest import sign_in, wait_for

FIXTURES = (export_terminal,)  # used by name below


async def test_an_export_truck_leaves_empty_in_one_key(console, core, engine, export_terminal,
                                                      clock) -> None:
    appt = _book(core, clock, BOX1)
    clock.advance(minutes=20)
    core.run(G, receive, lookup=appt["ref"], container=BOX1, size_type="45G1", seal="SL1")
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await sign_in(pilot, Role.GATE_CLERK)
        await wait_for(pilot, lambda: isinstance(app.screen, GateScreen), what="gate")
        await pilot.press("escape", "q")  # from typing to the gate's keys; trucks inside
        await wait_for(pilot, lambda: app.screen.query("#rows")
                       and app.screen.query_one("#rows").row_count == 1, what="queue")
        table = app.screen.query_one("#rows")
        assert BOX1 in [str(c) for c in table.get_row_at(0)]
        await pilot.press("e")
        await wait_for(pilot, lambda: table.row_count == 0, what="the truck gone")
        assert any("out empty" in n.message for n in app._notifications)
    with Session(engine) as s:
        assert s.exec(select(TruckVisit.state)).one() == "out"
