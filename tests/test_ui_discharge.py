"""Pilot tests of the discharge, tally and yard screens, and snapshots of the bay views."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select
from textual.app import App

from portops.formats.edifact.baplie import read_baplie, write_baplie
from portops.formats.edifact.samples import bay_plan
from portops.model import DischargeItem, DischargePlan, Role, YardBlock
from portops.ops.bayplan import import_bayplan
from portops.ops.discharge import make_plan
from portops.ops.flags import apply_hold, grant_permission
from portops.ops.visits import arrive, berth
from portops.ops.yard import plan as yard_plan
from portops.queries.discharge import render_tally_report, tally_report
from portops.ui.screens.discharge import BayPlanScreen, BayPlanView
from portops.ui.screens.tally import TallyScreen
from portops.ui.screens.yard import YardScreen, YardView
from tests.conftest import as_role
from tests.discharge_fixtures import in_yard, number, yard

PLANNER, CLERK, DISPATCHER = (as_role(r) for r in (Role.YARD_PLANNER, Role.TALLY_CLERK,
                                                   Role.DISPATCHER))


class Host(App):
    def __init__(self, factory):
        super().__init__()
        self.factory = factory

    def on_mount(self) -> None:
        self.push_screen(self.factory())


@pytest.fixture
def imported(core, engine, small_terminal):
    yard(engine, A={"bays": 10, "rows": 6}, B={"bays": 10, "rows": 6}, D={"bays": 6})
    text = write_baplie(bay_plan(40, seed=3), control_ref="1",
                        prepared=datetime(2026, 11, 27, tzinfo=UTC))
    core.run(PLANNER, import_bayplan, plan=read_baplie(text), visit_key="TST-001", force=True)
    return small_terminal["visit"]


def queue(engine) -> list[str]:
    with Session(engine) as s:
        return [i.number for i in s.exec(select(DischargeItem).order_by(
            DischargeItem.seq, DischargeItem.crane))]


def last_note(app) -> str:
    return list(app._notifications)[-1].message


async def settle(app, pilot) -> None:
    """Let the views' thread workers (loads, operations, the reloads they start) finish."""
    for _ in range(4):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch if ch != " " else "space")


async def test_planner_makes_both_plans_from_the_imported_bay_plan(core, engine, imported):
    app = Host(lambda: BayPlanScreen(core, PLANNER, imported))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        view = app.screen.query_one(BayPlanView)
        assert "No discharge plan yet" in str(view.query_one("#bp-plan").render())
        await pilot.press("p")
        await settle(app, pilot)
        assert "Discharge plan:" in last_note(app)
        await pilot.press("y")
        await settle(app, pilot)
        assert "slots planned" in last_note(app)
        assert "yard planned" in str(view.query_one("#bp-plan").render())
        assert view.grid.bays == [2] and "D1" in str(view.query_one("#bp-grid").render())
    with Session(engine) as s:
        assert s.exec(select(DischargePlan)).one().yard_planned_at is not None
        items = s.exec(select(DischargeItem)).all()
    assert items and all(i.yard_block_id is not None for i in items)


async def test_tally_by_keyboard_refused_then_damage_short_and_report(core, engine, imported):
    core.run(PLANNER, make_plan, visit_id=imported)
    core.run(PLANNER, yard_plan, visit_id=imported)
    core.run(DISPATCHER, arrive, visit_id=imported)
    core.run(DISPATCHER, berth, visit_id=imported)
    first, second, third = queue(engine)[:3]
    app = Host(lambda: TallyScreen(core, CLERK, imported))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        await type_text(pilot, first)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "[permission.port_entry]" in last_note(app)
        core.run(DISPATCHER, grant_permission, code="PORT_ENTRY", reference="MSA-1",
                 visit_id=imported)
        await pilot.press("tab")
        await type_text(pilot, "SL1")
        await pilot.press("tab")
        await type_text(pilot, "DT")
        await pilot.press("tab")
        await type_text(pilot, "door dent")
        await pilot.press("enter")
        await settle(app, pilot)
        assert f"{first} discharged" in last_note(app)
        await type_text(pilot, second)
        await pilot.press("ctrl+s")  # asks first (c40e498): n keeps the box, y records it
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        assert f"{second} recorded short-landed" not in last_note(app)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert f"{second} recorded short-landed" in last_note(app), [n.message for n in app._notifications]
        await type_text(pilot, third)
        await pilot.press("enter")
        await settle(app, pilot)
        head = str(app.screen.query_one("#tl-head").render())
        assert "2 discharged, 1 short" in head and "1 damaged" in head
    with Session(engine) as s:
        report = render_tally_report(tally_report(s, imported))
    assert f"{second}" in report.split("Short-landed")[1].split("Damaged")[0]
    assert "DT dented" in report and "door dent" in report


async def test_find_container_jumps_to_its_bay(core, engine, imported):
    core.run(PLANNER, make_plan, visit_id=imported)
    core.run(PLANNER, yard_plan, visit_id=imported)
    with Session(engine) as s:
        item = s.exec(select(DischargeItem).order_by(DischargeItem.id)).first()
    app = Host(lambda: YardScreen(core))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("f")
        await type_text(pilot, item.number)
        await pilot.press("enter")
        await settle(app, pilot)
        view = app.screen.query_one(YardView)
        assert view.in_bay and view.bay == item.yard_bay
        assert "planned for" in last_note(app)
        grid = view.query_one("#yd-bay").grid
        assert any(c.number == item.number for cells in grid.cells.values() for c in cells)
        # the box is marked (the cursor on its cell) and its details shown, until a move
        bay = view.query_one("#yd-bay")
        assert bay.mark == item.number
        drawn = str(bay.render())
        assert drawn.count("[p]") == 1
        detail = str(view.query_one("#yd-detail").render())
        assert item.number in detail and "why this slot" in detail
        assert "planned for" in detail
        await pilot.press("right")
        await settle(app, pilot)
        assert bay.mark is None and "[p]" not in str(bay.render())
        assert not view.query_one("#yd-detail").display


@pytest.fixture
def scene(core, engine, imported):
    """The imported vessel planned, and a few boxes already in block A: import, export, a
    reefer, one under a customs hold."""
    a = yard_block_id(engine, "A")
    in_yard(engine, a, 1, 4, 1, number=number("YRD", 1), size_type="22G1")
    in_yard(engine, a, 1, 4, 2, number=number("YRD", 2), size_type="22G1", category="export")
    in_yard(engine, a, 1, 1, 1, number=number("YRD", 3), size_type="22R1")
    in_yard(engine, a, 1, 5, 1, number=number("YRD", 4), size_type="22G1")
    core.run(DISPATCHER, apply_hold, code="INSPECTION", reason="customs exam",
             container=number("YRD", 4))
    core.run(PLANNER, make_plan, visit_id=imported, cranes=2)
    core.run(PLANNER, yard_plan, visit_id=imported)
    return core


def yard_block_id(engine, name: str) -> int:
    with Session(engine) as s:
        return s.exec(select(YardBlock).where(YardBlock.name == name)).one().id


def test_bay_view_snapshot(scene, imported, snap_compare):
    async def loaded(pilot):
        await settle(pilot.app, pilot)

    assert snap_compare(Host(lambda: BayPlanScreen(scene, PLANNER, imported)),
                        terminal_size=(80, 24), run_before=loaded)


def test_yard_bay_view_snapshot(scene, snap_compare):
    async def open_bay(pilot):
        await settle(pilot.app, pilot)
        await pilot.press("enter")
        await settle(pilot.app, pilot)

    assert snap_compare(Host(lambda: YardScreen(scene)), terminal_size=(80, 24),
                        run_before=open_bay)
