"""Steps more than one journey walks (a vessel must be alongside before its boxes move).

Each step is what a person does at the console, by keyboard; it waits for the console's
answer and looks at the screen (``Desk``) but never reads the database.
"""

from __future__ import annotations

from tests.journeys.driver import Desk

#: The visit the journeys work: HAPAG DEMO BERLIN, due at B1 at 07:00 on the journey's day.
VISIT = "HLCU-FE2-055"
PILOT, FORE, AFT = "Li Ming", "12", "19"


async def find_in_schedule(desk: Desk, key: str = VISIT) -> None:
    """F2, then ``/`` and the visit's key: the cursor is on it."""
    await desk.area("f2", "schedule")
    await desk.press("slash", f"type:{key}", "enter")
    await desk.wait(lambda: (row := desk.app.screen.selected()) is not None and row.key == key,
                    what=f"{key} under the cursor")


async def register_parties(desk: Desk, parties: list[tuple[str, str, str, str]]) -> None:
    """⇧F2 Parties, ``a`` for each (code, name, kind, identity): Enter after each field."""
    await desk.area("f14", "parties")
    for n, (code, name, kind, identity) in enumerate(parties, 1):
        await desk.press("a")
        await desk.wait(lambda: desk.app.screen.query("Input"), "party form")
        await desk.answer(f"type:{code}", "enter", f"type:{name}", "enter", f"type:{kind}",
                          "enter", f"type:{identity}", "enter")
        await desk.wait(lambda n=n: len(desk.app.screen.rows) == n, f"{n} parties")


async def issue_work_plan(desk: Desk) -> None:
    """F4: the day-and-night work plan, built from the schedule; ``i`` issues it (I.(1) 1)."""
    await desk.area("f4", "workplan", ready=lambda s: s.plan is not None)
    await desk.answer("i")


async def open_checklist(desk: Desk, key: str = VISIT) -> None:
    """F5, ``v`` for the visits, the arrow keys down to ``key``, Enter."""
    await desk.area("f5", "checklists")
    await desk.press("v")
    options = desk.app.screen.query_one("#cl-visits")
    prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    index = next(i for i, p in enumerate(prompts) if p.startswith(key))
    await desk.press(*["down"] * (index - (options.highlighted or 0)), "enter")
    await desk.wait(lambda: (v := desk.app.screen.view) is not None and v.visit_key == key
                    and desk.app.screen.loaded, what=f"checklist of {key}")
    await desk.settle()


async def tick(desk: Desk, *keys: str, step: str) -> str:
    """Keys that tick ``step`` on the open checklist; waits for "Step N (title) done" (第 N
    步（…）已完成), the step as the clerk reads it (by number, not by id)."""
    from portops.formats import checklists as fmt

    number = next(i for d in fmt.default().values() for i, s in enumerate(d.steps, 1)
                  if s.id == step)
    said = await desk.answer(*keys, contains=f"{number} (" if desk.app.language.startswith(
        "en") else f"第 {number} 步")
    await desk.settle()
    return said


async def mooring_job(desk: Desk, name: str = "line-handler", key: str = VISIT) -> str:
    """The line handler signs in, sees the job at the top, and ticks it: Enter, then y."""
    await desk.sign_in(name)
    await desk.wait(lambda: desk.app.current_mode == "mooring" and desk.app.screen.loaded,
                    "mooring jobs")
    shown = desk.text("#lh-job")
    assert key in shown, shown
    await desk.answer("enter", "y")
    await desk.settle()
    await desk.sign_out()
    return shown


async def berth(desk: Desk, *, refuse_out_of_order: bool = False, key: str = VISIT,
                issue_plan: bool = True) -> dict[str, str]:
    """Berthing, seed I.(1) 1-5, from a signed-out console; returns what the screens showed.

    1 the work plan issued; the vessel's arrival recorded; 2 particulars confirmed; 3 the berth
    cleared and (line handler) floats and marks set; 4 the position confirmed with the pilot
    (bollards); 5 (line handler) all lines fast, then the dispatcher confirms the berthing.
    """
    seen: dict[str, str] = {}
    await desk.sign_in("dispatcher")
    if issue_plan:
        await issue_work_plan(desk)
    await find_in_schedule(desk, key)
    desk.later(minutes=5)
    await desk.answer("a")  # arrived (at anchorage, pilot boarding)
    await open_checklist(desk, key)
    seen["berthing head"] = desk.text("#cl-head")
    desk.later(minutes=5)
    await tick(desk, "enter", step="PARTICULARS_CONFIRMED")
    if refuse_out_of_order:
        # the pilot's position before the berth is cleared and the floats are out
        seen["out of order"] = await desk.answer(
            "down", "down", "enter", f"type:{PILOT}", "enter", f"type:{FORE}", "enter",
            f"type:{AFT}", "enter", refused="checklist.step.needs")
        await desk.press("up", "up")
    desk.later(minutes=5)
    await tick(desk, "enter", step="BERTH_CLEARED")
    await desk.sign_out()
    desk.later(minutes=10)
    seen["floats job"] = await mooring_job(desk, key=key)
    await desk.sign_in("dispatcher")
    await open_checklist(desk, key)
    desk.later(minutes=5)
    await tick(desk, "enter", f"type:{PILOT}", "enter", f"type:{FORE}", "enter",
               f"type:{AFT}", "enter", step="POSITION_CONFIRMED")
    await desk.sign_out()
    desk.later(minutes=20)
    seen["all fast job"] = await mooring_job(desk, key=key)
    await desk.sign_in("dispatcher")
    await open_checklist(desk, key)
    desk.later(minutes=2)
    await tick(desk, "enter", "enter", step="BERTHED_CONFIRMED")  # berthed at: blank = now
    await desk.sign_out()
    return seen


async def export_gate_in(desk: Desk, lookup: str, box: str, seal: str, vgm: str) -> str:
    """The gate clerk takes an export box in (F9): the appointment by ref or plate, the box
    as read (22G1), its seal and VGM, then ``a``; returns the gate's outcome."""
    await desk.sign_in("gate-clerk")
    await desk.area("f9", "gate")
    await desk.wait(lambda: desk.app.screen.query_one("#lookup").has_focus, "look-up")
    await desk.press(f"type:{lookup}", "enter")
    await desk.wait(lambda: desk.app.screen.query_one("#xc-container").has_focus,
                    "the export check")
    await desk.press(f"type:{box}", "enter", "type:22G1", "enter", "ctrl+u", f"type:{seal}",
                     "enter", "ctrl+u", f"type:{vgm}", "enter", "enter")
    await desk.wait(lambda: desk.app.screen.focused is None, "the box judged")
    await desk.shows("a", text=box)
    outcome = desk.text("#gate-outcome")
    await desk.sign_out()
    return outcome
