"""Berthing and unberthing walked by keyboard only, as the dispatcher and line handler would,
including refused steps (berth occupied, LOA too long, out of order, wrong role); the
unberthing runs in Chinese.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from portops.model import LIVE, ChecklistStep, Phase, Role, Vessel, VesselVisit
from portops.ops.visits import arrive, start_work
from tests.test_checklists import _berthed, _second_visit
from tests.ui.conftest import sign_in, text_of, wait_for

pytestmark = pytest.mark.sqlite_only  # about the screens; the core tests cover PostgreSQL
D = "dispatcher"


def _notes(app) -> list[str]:
    return [n.message for n in app._notifications]


def _new_notes(app, seen: set[str]) -> list[str]:
    """Notifications not among ``seen`` (identities): old ones expire, so no indexes."""
    return [n.message for n in app._notifications if n.identity not in seen]


def _seen(app) -> set[str]:
    return {n.identity for n in app._notifications}


def _steps(engine, vid) -> list[str]:
    with Session(engine) as s:
        return [r.step_id for r in s.exec(select(ChecklistStep).where(
            ChecklistStep.visit_id == vid).order_by(ChecklistStep.id))]


async def _keys(pilot, *keys) -> None:
    for k in keys:
        if k.startswith("type:"):
            await pilot.press(*k[5:])
        else:
            await pilot.press(k)
        await pilot.pause()


async def _tick(pilot, *keys, engine, vid, expect_steps: int | None = None,
                refusal: str | None = None) -> None:
    """Press ``keys``; wait until the step landed in the database or the refusal shows."""
    app = pilot.app
    before = _seen(app)
    await _keys(pilot, *keys)
    if refusal:
        await wait_for(pilot, lambda: any(refusal in m for m in _new_notes(app, before)),
                       what=refusal)
    if expect_steps is not None:
        await wait_for(pilot, lambda: len(_steps(engine, vid)) == expect_steps,
                       what=f"{expect_steps} steps")


async def _open_checklists(pilot, engine, key: str) -> None:
    app = pilot.app
    await sign_in(pilot, Role.DISPATCHER)
    await pilot.press("f5")
    await wait_for(pilot, lambda: app.current_mode == "checklists"
                   and getattr(app.screen, "loaded", False), what="checklists")
    with Session(engine) as s:
        keys = [v.key for v in s.exec(select(VesselVisit).where(
            VesselVisit.phase.in_(LIVE)).order_by(VesselVisit.etb))]
    await _keys(pilot, "v", *["down"] * keys.index(key), "enter")
    await wait_for(pilot, lambda: getattr(app.screen, "view", None)
                   and app.screen.view.visit_key == key, what=key)


async def _line_handler(console, *keys, language="en"):
    app = console(language=language)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await sign_in(pilot, Role.LINE_HANDLER)
        await wait_for(pilot, lambda: app.current_mode == "mooring"
                       and getattr(app.screen, "loaded", False), what="jobs")
        shown = text_of(app.screen.query_one("#lh-job"))
        before = _seen(app)
        await _keys(pilot, *keys)
        if keys:
            await wait_for(pilot, lambda: _new_notes(app, before), what="answer")
        return shown, _notes(app)


async def test_berthing_by_keyboard_with_refusals(console, engine, core, small_terminal):
    vid = small_terminal["visit"]
    core.run(D, arrive, visit_id=vid)
    other = _second_visit(engine)  # still alongside on overlapping quay
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _open_checklists(pilot, engine, "TST-001")
        await _tick(pilot, "enter", engine=engine, vid=vid, expect_steps=1)
        await _tick(pilot, "enter", engine=engine, vid=vid, refusal="[berth.occupied]")
        # out of order: jump to the pilot's position before the floats are out
        await _tick(pilot, "down", "down", "enter", "type:Li Ming", "enter", "type:12",
                    "enter", "type:19", "enter", engine=engine, vid=vid,
                    refusal="[checklist.step.needs]")
        with Session(engine) as s, s.begin():
            s.get(VesselVisit, other).phase = Phase.DEPARTED  # the other vessel sails
        await _keys(pilot, "up", "up")
        await _tick(pilot, "enter", engine=engine, vid=vid, expect_steps=2)
        # wrong role: the floats are the line handler's
        await _tick(pilot, "enter", engine=engine, vid=vid, refusal="[checklist.step.role]")
    shown, _n = await _line_handler(console, "enter", "y")
    assert "Floats and berthing marks set out" in shown and "TEST STAR" in shown
    assert "B1  20–320 m" in shown
    assert _steps(engine, vid)[-1] == "FLOATS_AND_MARKS_SET"
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _open_checklists(pilot, engine, "TST-001")
        await _tick(pilot, "enter", "type:Li Ming", "enter", "type:12", "enter", "type:19",
                    "enter", engine=engine, vid=vid, expect_steps=4)
    shown, _n = await _line_handler(console, "enter", "y")
    assert "All lines fast" in shown and "bollards 12–19" in shown
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _open_checklists(pilot, engine, "TST-001")
        await _tick(pilot, "enter", "enter", engine=engine, vid=vid, expect_steps=6)
    with Session(engine) as s:
        v = s.get(VesselVisit, vid)
        assert (v.phase, v.atb) == (Phase.BERTHED, core.clock.now())
        rows = s.exec(select(ChecklistStep).where(ChecklistStep.visit_id == vid)
                      .order_by(ChecklistStep.id)).all()
    assert [r.done_by for r in rows] == ["dispatcher", "dispatcher", "line-handler",
                                         "dispatcher", "line-handler", "dispatcher"]
    assert rows[3].values == {"pilot": "Li Ming", "bollard_fore": "12", "bollard_aft": "19"}


async def test_loa_too_long_is_shown_before_trying(console, engine, small_terminal):
    with Session(engine) as s, s.begin():
        s.get(Vessel, small_terminal["vessel"]).loa_m = 400
    app = console()
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await _open_checklists(pilot, engine, "TST-001")
        await wait_for(pilot, lambda: "berth.loa_too_long" in text_of(
            app.screen.query_one("#cl-why")), what="why-not line")
        assert "LOA 400 m is longer than berth B1" in text_of(app.screen.query_one("#cl-why"))
        await _tick(pilot, "enter", engine=engine, vid=small_terminal["visit"],
                    refusal="[berth.loa_too_long]")
    assert _steps(engine, small_terminal["visit"]) == []


async def test_unberthing_in_chinese_with_override(console, engine, core, small_terminal):
    vid = small_terminal["visit"]
    _berthed(core, vid)
    core.run(D, start_work, visit_id=vid)
    app = console(language="zh_CN")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _open_checklists(pilot, engine, "TST-001")
        assert "离泊" in text_of(app.screen.query_one("#cl-head"))
        await _tick(pilot, "enter", "enter", engine=engine, vid=vid,
                    refusal="[checklist.cargo_unfinished]")
        shown, _n = await _line_handler(console, language="zh_CN")
        await _tick(pilot, "o", "enter", "type:typhoon signal 3", "enter", engine=engine,
                    vid=vid, expect_steps=7)
        await _tick(pilot, "enter", "enter", engine=engine, vid=vid, expect_steps=8)
    shown, notes = await _line_handler(console, "enter", "n", "enter", "y", language="zh_CN")
    assert "解缆" in shown
    with Session(engine) as s:
        v = s.get(VesselVisit, vid)
        assert (v.phase, v.atd) == (Phase.DEPARTED, core.clock.now())
        row = s.exec(select(ChecklistStep).where(
            ChecklistStep.step_id == "UNBERTHING_CONFIRMED")).one()
    assert row.override_reason == "typhoon signal 3"
