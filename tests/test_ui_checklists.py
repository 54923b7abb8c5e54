"""Berthing and unberthing walked by keyboard only, as the dispatcher and line handler would."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select
from textual.app import App

from portops.model import LIVE, ChecklistStep, Phase, Role, Vessel, VesselVisit
from portops.ops.visits import arrive
from portops.ui.screens.checklists import ChecklistScreen
from portops.ui.screens.line_handler import LineHandlerScreen
from tests.conftest import as_role
from tests.test_checklists import _second_visit

pytestmark = pytest.mark.sqlite_only  # about the screens; the core tests cover PostgreSQL

D = as_role(Role.DISPATCHER)
L = as_role(Role.LINE_HANDLER)


class Host(App):
    def __init__(self, screen_factory):
        super().__init__()
        self.factory = screen_factory

    def on_mount(self) -> None:
        self.push_screen(self.factory())


def _last(app) -> str:
    return list(app._notifications)[-1].message if app._notifications else ""


def _steps(engine, vid):
    with Session(engine) as s:
        return [r.step_id for r in s.exec(select(ChecklistStep).where(
            ChecklistStep.visit_id == vid).order_by(ChecklistStep.id))]


def _pick(engine, key: str) -> list[str]:
    """The keys that choose visit ``key`` in the visit list (live visits by ETB)."""
    with Session(engine) as s:
        keys = [v.key for v in s.exec(select(VesselVisit).where(
            VesselVisit.phase.in_(LIVE)).order_by(VesselVisit.etb))]
    return ["v", *["down"] * keys.index(key), "enter"]


async def dispatcher(core, keys, *, size=(80, 24), visit="TST-001"):
    app = Host(lambda: ChecklistScreen(core, D))
    async with app.run_test(size=size, notifications=True) as pilot:
        await pilot.pause()
        keys = _pick(core.engine, visit) + list(keys)
        for k in keys:
            if isinstance(k, str) and k.startswith("type:"):
                for ch in k[5:]:
                    await pilot.press(ch)
            else:
                await pilot.press(k)
            await pilot.pause()
        return app, _last(app)


async def line_handler(core, keys, *, size=(80, 24)):
    app = Host(lambda: LineHandlerScreen(core, L))
    async with app.run_test(size=size, notifications=True) as pilot:
        await pilot.pause()
        screen_text = app.screen.query_one("#lh-job").render()
        for k in keys:
            await pilot.press(k)
            await pilot.pause()
        return str(screen_text), _last(app)


async def test_berthing_by_keyboard_with_refusals(core, engine, small_terminal):
    vid = small_terminal["visit"]
    core.run(D, arrive, visit_id=vid)
    other = _second_visit(engine)  # alongside on overlapping quay
    # dispatcher: particulars (Enter), then berth cleared is refused: berth occupied
    _, msg = await dispatcher(core, ["enter", "enter"])
    assert "[berth.occupied]" in msg and "OTH-1" in msg
    assert _steps(engine, vid) == ["PARTICULARS_CONFIRMED"]
    # out of order: the dispatcher jumps to step 4 (position) before the floats are out
    _, msg = await dispatcher(core, ["down", "down", "enter", "type:Li Ming", "enter",
                                     "type:12", "enter", "type:19", "enter"])
    assert "[checklist.step.needs]" in msg
    with Session(engine) as s, s.begin():
        s.get(VesselVisit, other).phase = Phase.DEPARTED
    _, msg = await dispatcher(core, ["enter"])  # berth cleared now
    assert _steps(engine, vid)[-1] == "BERTH_CLEARED"
    # wrong role: the dispatcher tries the line handler's floats step
    _, msg = await dispatcher(core, ["enter"])
    assert "[checklist.step.role]" in msg
    # the line handler at 80x24 sees the floats job and ticks it with two keys
    text, msg = await line_handler(core, ["enter", "y"])
    assert "Floats and berthing marks set out" in text and "TEST STAR" in text
    assert "B1  20–320 m" in text
    assert _steps(engine, vid)[-1] == "FLOATS_AND_MARKS_SET"
    _, msg = await dispatcher(core, ["enter", "type:Li Ming", "enter", "type:12", "enter",
                                     "type:19", "enter"])
    assert _steps(engine, vid)[-1] == "POSITION_CONFIRMED"
    text, _m = await line_handler(core, ["enter", "y"])
    assert "All lines fast" in text and "bollards 12–19" in text
    _, msg = await dispatcher(core, ["enter", "enter"])  # berthed at: blank = now
    with Session(engine) as s:
        v = s.get(VesselVisit, vid)
        assert (v.phase, v.atb) == (Phase.BERTHED, core.clock.now())
        rows = s.exec(select(ChecklistStep).where(ChecklistStep.visit_id == vid)).all()
    assert [r.done_by for r in rows] == ["dispatcher", "dispatcher", "line-handler",
                                         "dispatcher", "line-handler", "dispatcher"]
    assert rows[3].values == {"pilot": "Li Ming", "bollard_fore": "12", "bollard_aft": "19"}


async def test_unberthing_by_keyboard_with_override(core, engine, small_terminal):
    from portops.ops.visits import start_work
    from tests.test_checklists import _berthed

    vid = small_terminal["visit"]
    _berthed(core, vid)
    core.run(D, start_work, visit_id=vid)
    _, msg = await dispatcher(core, ["enter", "enter"])
    assert "[checklist.cargo_unfinished]" in msg
    # the line handler cannot let go yet: nothing to do for them
    text, _m = await line_handler(core, ["enter", "y"])
    assert "No mooring job" in text
    _, msg = await dispatcher(core, ["o", "enter", "type:typhoon signal 3", "enter",
                                     "enter", "enter"])
    assert _steps(engine, vid)[-2:] == ["UNBERTHING_CONFIRMED", "PILOT_ORDER_RECEIVED"]
    text, msg = await line_handler(core, ["enter", "n", "enter", "y"])
    assert "Lines let go" in text
    with Session(engine) as s:
        v = s.get(VesselVisit, vid)
        assert (v.phase, v.atd) == (Phase.DEPARTED, core.clock.now())
        row = s.exec(select(ChecklistStep).where(
            ChecklistStep.step_id == "UNBERTHING_CONFIRMED")).one()
    assert row.override_reason == "typhoon signal 3"


async def test_loa_too_long_is_shown_before_trying(core, engine, small_terminal):
    with Session(engine) as s, s.begin():
        s.get(Vessel, small_terminal["vessel"]).loa_m = 400
    app = Host(lambda: ChecklistScreen(core, D))
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await pilot.pause()
        why = str(app.screen.query_one("#cl-why").render())
        assert "LOA 400 m is longer than berth B1" in why
        await pilot.press("enter")
        await pilot.pause()
        assert "[berth.loa_too_long]" in _last(app)
    assert _steps(engine, small_terminal["visit"]) == []
