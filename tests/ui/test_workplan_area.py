"""The work plan (F4): view, issue, regenerate after a schedule change and see what changed."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session, select

from portops.model import Role, WorkPlanIssue
from portops.ops.berthplan import set_times
from tests.test_workplan import _work
from tests.ui.conftest import sign_in, text_of, wait_for

pytestmark = pytest.mark.sqlite_only  # about the screen; the core tests cover PostgreSQL


async def test_issue_then_regenerate_shows_the_change(console, core, engine, small_terminal):
    _work(engine, small_terminal["visit"])
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        await pilot.press("f4")
        await wait_for(pilot, lambda: app.current_mode == "workplan", what="work plan")
        screen = app.screen
        await wait_for(pilot, lambda: getattr(screen, "plan", None), what="plan")
        assert screen.plan.day == date(2026, 11, 27)
        assert [m.key for m in screen.plan.shifts[0].movements] == ["TST-001"]
        assert "not issued" in text_of(screen.query_one("#wp-head"))
        await pilot.press("i")
        await wait_for(pilot, lambda: "No change since the plan was issued." in text_of(
            screen.query_one("#wp-changes")), what="issued")
        core.run("dispatcher", set_times, visit_id=small_terminal["visit"],
                 etb=datetime(2026, 11, 27, 10, 0, tzinfo=UTC))
        await wait_for(pilot, lambda: "changed day shift berthing TST-001: at 16:00 -> 18:00"
                       in text_of(screen.query_one("#wp-changes")), what="live change")
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: screen.plan and screen.plan.day == date(2026, 11, 28))
    with Session(engine) as s:
        assert len(s.exec(select(WorkPlanIssue)).all()) == 1


def test_the_plan_s_headings_are_whole_at_80_columns_in_chinese(chinese):
    """泊位 and 引航员 were cut to 泊… and 引航… at 80 columns: the vessel's name gives way."""
    from datetime import date, datetime

    from rich.console import Console

    from portops.planning.workplan import CraneWork, Movement, ShiftPlan, WorkPlan
    from portops.ui.screens.workplan import plan_renderable

    m = Movement("berthing", "06 07:00", "MSCU-2026-041W", "MSC GÜLSÜN EXTRA LONG NAME", "B2",
                 "P-Wang Jianguo", "Gang 3", False)
    c = CraneWork("MSCU-2026-041W", "MSC GÜLSÜN EXTRA LONG NAME", "B2", 3, 1200, 900)
    plan = WorkPlan(date(2026, 12, 7), "Asia/Shanghai", (ShiftPlan(
        "day", datetime(2026, 12, 7, 8), datetime(2026, 12, 7, 20), (m,), (c,)),))
    out = Console(width=78, record=True)
    out.print(plan_renderable(plan))
    text = out.export_text()
    for english in ("Time", "Movement", "Visit", "Berth", "Pilot", "Gang", "Cranes", "Load"):
        assert chinese(english) in text, (chinese(english), text)
    assert "P-Wang" in text and "Jianguo" in text  # a name gives way onto a second line
