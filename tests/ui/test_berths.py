"""The berth plan (F3), by keyboard: a refused move names its rules, a good one lands."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from portops.model import Role, VesselVisit
from portops.ui.widgets.berth_chart import BerthChart
from tests.test_berthplan import T0, add_visit
from tests.ui.conftest import sign_in, wait_for

pytestmark = pytest.mark.sqlite_only  # about the screen; the core tests cover PostgreSQL


def _notes(app) -> list[str]:
    return [n.message for n in app._notifications]


async def open_berths(pilot, role=Role.DISPATCHER):
    app = pilot.app
    await sign_in(pilot, role)
    await pilot.press("f3")
    await wait_for(pilot, lambda: app.current_mode == "berths"
                   and getattr(app.screen, "loaded", False), what="berth chart")
    return app.screen.query_one(BerthChart)


def _visit(engine, vid) -> VesselVisit:
    with Session(engine) as s:
        return s.get(VesselVisit, vid)


async def test_move_refused_then_done_by_keys(console, engine, small_terminal):
    other = add_visit(engine, "SML-1", 180, 9.0, berth_id=small_terminal["berth2"], quay=380)
    app = console()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        chart = await open_berths(pilot)
        assert {b.key for b in chart.chart.blocks} == {"TST-001", "SML-1"}
        while chart.selected != small_terminal["visit"]:
            await pilot.press("left")
        await pilot.press("m", "b")  # to berth B2: on top of SML-1 and too shallow
        assert [c.rule for c in chart.ghost_problems] == ["berth.draft_too_deep",
                                                          "berth.overlap"]
        await pilot.press("enter")
        await wait_for(pilot, lambda: _notes(app), what="refusal")
        assert "[berth.draft_too_deep]" in _notes(app)[-1]
        assert "[berth.overlap]" in _notes(app)[-1]
        assert _visit(engine, small_terminal["visit"]).berth_id == small_terminal["berth1"]
        await pilot.press("escape", "m", "down", "down", "down", "right", "enter")
        await wait_for(pilot, lambda: "TST-001 moved" in _notes(app)[-1], what="moved")
    v = _visit(engine, small_terminal["visit"])
    assert (v.berth_id, v.quay_from_m, v.etb) == (small_terminal["berth1"], 50,
                                                  T0 + timedelta(hours=1))
    assert _visit(engine, other).quay_from_m == 380


async def test_assign_an_unplaced_visit(console, engine, small_terminal):
    new = add_visit(engine, "NEW-1", 200, 9.0, etb=T0 + timedelta(hours=2))
    app = console()
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await open_berths(pilot)
        assert app.screen.query_one("#berth-body").has_class("-side")
        await pilot.press("a", "b", "enter")  # onto B2 at 350 m
        await wait_for(pilot, lambda: _visit(engine, new).berth_id is not None, what="placed")
    v = _visit(engine, new)
    assert (v.berth_id, v.quay_from_m) == (small_terminal["berth2"], 350)


async def test_the_line_handler_has_no_berth_plan(console, small_terminal):
    app = console()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, Role.LINE_HANDLER)
        assert [a.id for a in app.areas] == ["mooring"]
        await pilot.press("f3")
        assert app.current_mode == "mooring"
