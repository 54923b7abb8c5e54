"""The vessel schedule: rows by key, sort, filter, drill-down, an operation and a refusal."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from portops.model import Phase, Role, VesselVisit
from portops.ops import visits as visit_ops
from tests.ui.conftest import sign_in, text_of, wait_for

pytestmark = pytest.mark.sqlite_only  # the console is the same on either database


def _visit(engine, visit_id: int) -> VesselVisit:
    with Session(engine) as s:
        return s.get(VesselVisit, visit_id)


def _phase(engine, visit_id: int) -> Phase:
    return _visit(engine, visit_id).phase


async def _schedule(pilot):
    app = pilot.app
    await sign_in(pilot, Role.DISPATCHER)
    await wait_for(pilot, lambda: getattr(app.screen, "loaded", False), what="schedule")
    return app.screen


async def test_schedule_lists_visits_and_drills_down(console, small_terminal) -> None:
    app = console()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _schedule(pilot)
        table = screen.table
        assert table.row_count == 1
        key = str(small_terminal["visit"])
        assert "TEST STAR" in str(table.get_cell(key, "vessel"))
        assert "16:00" in str(table.get_cell(key, "etb"))  # 08:00Z in Shanghai
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.query("#timeline")
                       and "TST-001" in text_of(app.screen.query_one("#particulars")))
        await pilot.press("escape")
        assert app.screen is screen


async def test_arrive_then_refused_with_its_rule(console, small_terminal, engine) -> None:
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await _schedule(pilot)
        await wait_for(pilot, lambda: app.screen.check_action("arrive", ()) is True)
        await pilot.press("a")
        await wait_for(pilot, lambda: _phase(engine, small_terminal["visit"]) == Phase.ARRIVED,
                       what="the visit arrived in the database")
        # Now arriving again is not allowed: greyed, and the reason is shown before trying.
        await wait_for(pilot, lambda: "visit.phase.arrived_to_arrived"
                       in text_of(screen.query_one("#why")), what="why-not line")
        assert screen.check_action("arrive", ()) is None
        # Tried anyway (from a script, or a race): the refusal names the rule and remedy.
        screen.perform(visit_ops.arrive, visit_id=small_terminal["visit"])
        await wait_for(pilot, lambda: any("visit.phase.arrived_to_arrived" in n.message
                                          for n in app._notifications), what="refusal")


async def test_filter_and_sort(console, small_terminal, core) -> None:
    app = console()
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await _schedule(pilot)
        await pilot.press("slash", *"nothing-like-it", "enter")
        assert screen.table.row_count == 0
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen.table.row_count == 1)
        await pilot.press("s")
        assert screen.table.sort_column == "vessel"
        await pilot.press("r")
        assert screen.table.sort_reverse


async def test_edit_times_through_the_form(console, small_terminal, engine) -> None:
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await _schedule(pilot)
        await wait_for(pilot, lambda: screen.check_action("edit_times", ()) is True)
        await pilot.press("t")
        await wait_for(pilot, lambda: app.screen.query("#etb"))
        etb = app.screen.query_one("#etb")
        assert etb.value == "2026-11-27 16:00"  # 08:00Z shown in Asia/Shanghai
        etb.value = "2026-11-27 18:30"
        await pilot.press("enter")  # the field submits the form
        await wait_for(pilot, lambda: _visit(engine, small_terminal["visit"]).etb.hour == 10,
                       what="ETB saved as 10:30Z")
        assert _visit(engine, small_terminal["visit"]).etb.minute == 30
        await wait_for(pilot, lambda: "18:30" in str(screen.table.get_cell(
            str(small_terminal["visit"]), "etb")), what="the row updated by key")


async def test_a_refused_berth_names_its_rule(console, small_terminal, engine) -> None:
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await _schedule(pilot)
        await wait_for(pilot, lambda: screen.check_action("assign_berth", ()) is True)
        await pilot.press("b")
        await wait_for(pilot, lambda: app.screen.query("#berths"))
        await pilot.press("down", "enter")  # B2: 12 m deep, the vessel draws 14 m
        await wait_for(pilot, lambda: any("berth.draft_too_deep" in n.message
                                          for n in app._notifications), what="the refusal")
        note = next(n for n in app._notifications if "berth.draft_too_deep" in n.message)
        assert note.title == "Refused: Assign or move a visit to a berth and quay position"
        assert _visit(engine, small_terminal["visit"]).berth_id == small_terminal["berth1"]


async def test_a_role_that_may_not_edit_is_told_why(console, small_terminal) -> None:
    app = console()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, Role.YARD_PLANNER)
        screen = app.screen
        await wait_for(pilot, lambda: getattr(screen, "loaded", False))
        await wait_for(pilot, lambda: "role.not_permitted" in text_of(screen.query_one("#why")))
        # each command is judged by its own worker: wait for the edit's answer too
        await wait_for(pilot, lambda: screen.check_action("edit_times", ()) is None,
                       what="edit times judged")
