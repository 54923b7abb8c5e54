"""The berth chart, driven by keyboard only: refused moves name the rule, good ones land."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session
from textual.app import App

from portops.model import Role, VesselVisit
from portops.ui.screens.berths import BerthPlanScreen
from portops.ui.widgets.berth_chart import BerthChart
from tests.conftest import as_role
from tests.test_berthplan import T0, add_visit

pytestmark = pytest.mark.sqlite_only  # about the screens; the core tests cover PostgreSQL


class Host(App):
    def __init__(self, core, user):
        super().__init__()
        self.core, self.user = core, user

    def on_mount(self) -> None:
        self.push_screen(BerthPlanScreen(self.core, self.user))


def _messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_move_refused_then_done_by_keys(core, engine, small_terminal):
    other = add_visit(engine, "SML-1", 180, 9.0, berth_id=small_terminal["berth2"], quay=380)
    app = Host(core, as_role(Role.DISPATCHER))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        chart = app.screen.query_one(BerthChart)
        assert {b.key for b in chart.chart.blocks} == {"TST-001", "SML-1"}
        chart.selected = small_terminal["visit"]
        await pilot.press("m", "b")  # to berth B2, on top of SML-1 and too shallow
        rules = [c.rule for c in chart.ghost_problems]
        assert rules == ["berth.draft_too_deep", "berth.overlap"]
        await pilot.press("enter")
        await pilot.pause()
        (msg,) = _messages(app)
        assert "[berth.draft_too_deep]" in msg and "[berth.overlap]" in msg
        with Session(engine) as s:
            assert s.get(VesselVisit, small_terminal["visit"]).berth_id == small_terminal[
                "berth1"]
        await pilot.press("escape", "m", "down", "down", "down", "right", "enter")
        await pilot.pause()
        assert "TST-001 moved" in _messages(app)[-1]
    with Session(engine) as s:
        v = s.get(VesselVisit, small_terminal["visit"])
        assert (v.berth_id, v.quay_from_m) == (small_terminal["berth1"], 50)
        assert v.etb == T0 + timedelta(hours=1)
        assert s.get(VesselVisit, other).quay_from_m == 380


async def test_assign_an_unplaced_visit_and_wrong_role(core, engine, small_terminal):
    new = add_visit(engine, "NEW-1", 200, 9.0, etb=T0 + timedelta(hours=2))
    app = Host(core, as_role(Role.LINE_HANDLER))
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("a", "b", "enter")  # onto B2 at 350 m
        await pilot.pause()
        assert "[role.not_permitted]" in _messages(app)[-1]
    with Session(engine) as s:
        assert s.get(VesselVisit, new).berth_id is None
    app = Host(core, as_role(Role.DISPATCHER))
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("a", "b", "enter")
        await pilot.pause()
    with Session(engine) as s:
        v = s.get(VesselVisit, new)
        assert (v.berth_id, v.quay_from_m) == (small_terminal["berth2"], 350)
