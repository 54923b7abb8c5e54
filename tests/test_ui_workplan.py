"""The work plan screen: view, issue, regenerate after a schedule change and see the change."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session, select
from textual.app import App

from portops.model import Role, WorkPlanIssue
from portops.ops.berthplan import set_times
from portops.ui.screens.workplan import WorkPlanScreen, WorkPlanView
from tests.conftest import as_role
from tests.test_workplan import _work

pytestmark = pytest.mark.sqlite_only  # about the screens; the core tests cover PostgreSQL

D = as_role(Role.DISPATCHER)


class Host(App):
    def __init__(self, core, user):
        super().__init__()
        self.core, self.user = core, user

    def on_mount(self) -> None:
        self.push_screen(WorkPlanScreen(self.core, self.user, date(2026, 11, 27)))


async def _settle(app, pilot):
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_issue_then_regenerate_shows_the_change(core, engine, small_terminal):
    _work(engine, small_terminal["visit"])
    app = Host(core, D)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _settle(app, pilot)
        view = app.screen.query_one(WorkPlanView)
        assert [m.key for m in view.plan.shifts[0].movements] == ["TST-001"]
        assert "not issued" in str(view.query_one("#wp-head").render())
        await pilot.press("i")
        await _settle(app, pilot)
        assert "No change since the plan was issued." in str(
            view.query_one("#wp-changes").render())
        core.run(D, set_times, visit_id=small_terminal["visit"],
                 etb=datetime(2026, 11, 27, 10, 0, tzinfo=UTC))
        await pilot.press("g")
        await _settle(app, pilot)
        changes = str(view.query_one("#wp-changes").render())
        assert "changed day shift berthing TST-001: at 16:00 -> 18:00" in changes
        await pilot.press("]")
        await _settle(app, pilot)
        assert view.plan.day == date(2026, 11, 28)
    with Session(engine) as s:
        assert len(s.exec(select(WorkPlanIssue)).all()) == 1


async def test_issue_refused_for_a_line_handler(core, engine, small_terminal):
    app = Host(core, as_role(Role.LINE_HANDLER))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _settle(app, pilot)
        await pilot.press("i")
        await pilot.pause()
        assert "[role.not_permitted]" in list(app._notifications)[-1].message
