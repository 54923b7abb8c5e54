"""The dispatcher's F5 list while the line handler ticks on another console (walker items
8, 9, 11, 12): the list keeps its cursor and its keys across a live refresh, the line under
it follows every cursor move and shows every rule, a refused value form stays open with what
was typed, and a step is named by its number and title, never its id."""

from __future__ import annotations

import re
from contextlib import asynccontextmanager

import pytest
from textual.widgets import Input

from portops.model import Role
from portops.ops.checklists import tick
from portops.ops.visits import arrive
from tests.conftest import as_role
from tests.test_checklists import walk_berthing
from tests.ui.conftest import text_of, wait_for
from tests.ui.test_checklist_areas import _keys, _line_handler, _new_notes, _open_checklists, _seen

pytestmark = pytest.mark.sqlite_only
STEP_ID = re.compile(r"\b[A-Z]{3,}_[A-Z_]+\b")


def _why(app) -> str:
    return text_of(app.screen.query_one("#cl-why"))


@asynccontextmanager
async def _f5(console, engine, language: str = "en"):
    """The dispatcher's F5 at 80x24 on the test visit."""
    app = console(language=language)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _open_checklists(pilot, engine, "TST-001")
        yield pilot


def _arrived(core, small_terminal, until: str) -> int:
    """The test visit arrived, its berthing steps done up to ``until``."""
    vid = small_terminal["visit"]
    core.run(as_role(Role.DISPATCHER), arrive, visit_id=vid)
    walk_berthing(core, vid, until=until)
    return vid


async def _settled(pilot) -> None:
    """Every check under way has answered (a cancelled thread still answers: give it time)."""
    app = pilot.app
    await wait_for(pilot, lambda: all(w.is_finished for w in app.workers), what="checks")
    for _turn in range(5):
        await pilot.pause(0.1)


async def test_the_list_keeps_its_keys_after_another_console_ticks(console, engine, core,
                                                                  small_terminal):
    vid = _arrived(core, small_terminal, until="ALL_FAST")
    async with _f5(console, engine) as pilot:
        app = pilot.app
        screen = app.screen
        await _keys(pilot, "end")  # step 6, blocked until all lines are fast
        await wait_for(pilot, lambda: "[checklist.step.needs]" in _why(app), what="blocked")
        assert ("step 6 (Berthed confirmed with the pilot) needs step 5 (All lines fast) "
                "first — do step 5 first") in _why(app)
        assert not STEP_ID.search(_why(app)), _why(app)
        await _keys(pilot, "up")  # step 5, the line handler's
        await wait_for(pilot, lambda: "[checklist.step.role]" in _why(app), what="step 5")
        # keys faster than the line's check: only the step the cursor ends on is judged
        await pilot.press("end", "home", "end")
        await _settled(pilot)
        assert "[checklist.step.needs]" in _why(app), _why(app)
        await pilot.press("home", "end", "home")
        await _settled(pilot)
        assert _why(app) == "", _why(app)  # step 1 is done
        # the cursor on a done step (step 1) while the line handler ticks on their console
        core.run(as_role(Role.LINE_HANDLER), tick, visit_id=vid, checklist="berthing",
                 step="ALL_FAST", values={"lines": 8})
        app.poll_now()
        await wait_for(pilot, lambda: screen.view.steps[4].done, what="live refresh")
        await _settled(pilot)
        steps = screen.query_one("#cl-steps")
        assert screen.focused is steps
        assert steps.highlighted == 0 and _why(app) == ""  # it stayed where it was
        await _keys(pilot, "end")
        await wait_for(pilot, lambda: "can be ticked now" in _why(app), what="step 6 ready")
        await _keys(pilot, "up")
        await wait_for(pilot, lambda: _why(app) == "", what="up moves to a done step")
        await _keys(pilot, "down")
        await wait_for(pilot, lambda: "can be ticked now" in _why(app), what="back on step 6")
        before = _seen(app)
        await _keys(pilot, "enter")  # the form for the berthing time
        await wait_for(pilot, lambda: app.screen is not screen, what="the value form")
        await _keys(pilot, "enter")
        await wait_for(pilot, lambda: _new_notes(app, before), what="the notice")
        assert _new_notes(app, before) == ["Step 6 (Berthed confirmed with the pilot) done"]


async def test_a_refused_value_form_keeps_what_was_typed(console, engine, core,
                                                         small_terminal):
    _arrived(core, small_terminal, until="POSITION_CONFIRMED")
    async with _f5(console, engine) as pilot:
        app = pilot.app
        screen = app.screen
        await wait_for(pilot, lambda: "can be ticked now" in _why(app), what="step 4 ready")
        await _keys(pilot, "enter")
        await wait_for(pilot, lambda: app.screen is not screen, what="the value form")
        form = app.screen
        await _keys(pilot, "type:Capt Wang", "enter", "type:zz", "enter", "enter")
        error = form.query_one("#form-error")
        await wait_for(pilot, lambda: "[checklist.value.missing]" in text_of(error),
                       what="the refusal in the form")
        assert app.screen is form
        assert "step 4 (Berthing position confirmed with the pilot or master) needs the Bollard aft" in text_of(error)
        values = {i.id: i.value for i in form.query(Input)}
        assert list(values.values()) == ["Capt Wang", "zz", ""]
        assert form.focused is list(form.query(Input))[2]  # the field the rule names
        await _keys(pilot, "type:B22", "enter")
        await wait_for(pilot, lambda: app.screen is screen, what="the form closes once done")


async def test_chinese_notice_names_the_step_by_number(console, engine, core, small_terminal):
    _arrived(core, small_terminal, until="POSITION_CONFIRMED")
    async with _f5(console, engine, language="zh_CN") as pilot:
        app = pilot.app
        screen = app.screen
        await wait_for(pilot, lambda: "回车" in _why(app), what="step 4 ready")
        before = _seen(app)
        await _keys(pilot, "enter")
        await wait_for(pilot, lambda: app.screen is not screen, what="the value form")
        await _keys(pilot, "type:Wang", "enter", "type:12", "enter", "type:19", "enter")
        await wait_for(pilot, lambda: _new_notes(app, before), what="the notice")
        (note,) = _new_notes(app, before)
        assert note.startswith("第 4 步（") and note.endswith("已完成"), note
        assert not STEP_ID.search(note), note


async def test_the_line_under_the_list_shows_every_rule_at_80_columns(console, engine, core,
                                                                      small_terminal):
    _arrived(core, small_terminal, until="PARTICULARS_CONFIRMED")
    async with _f5(console, engine) as pilot:
        app = pilot.app
        await _keys(pilot, "end", "up")  # step 5: needs step 4, and is the line handler's
        await wait_for(pilot, lambda: "[checklist.step.needs]" in _why(app), what="blocked")
        why = " ".join(_why(app).split())
        assert "[checklist.step.role]" in why and "ask a line handler to tick it" in why
        assert "do step 4 first" in why, why
        line = app.screen.query_one("#cl-why")
        await pilot.pause()
        wrapped = line.get_content_height(line.size, app.size, line.content_region.width)
        assert wrapped <= line.content_region.height, "the last rule is cut off"


async def test_the_line_handler_is_told_the_step_by_number(console, engine, core,
                                                           small_terminal):
    _arrived(core, small_terminal, until="FLOATS_AND_MARKS_SET")
    _shown, notes = await _line_handler(console, "enter", "y", language="zh_CN")
    assert "第 3 步（摆放浮筒和靠泊标示）已完成" in notes, notes
