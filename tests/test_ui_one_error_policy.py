"""One worker mixin, one error policy (issue 17): the cargo views (tally, bay plan, yard) showed
a refusal as a 10 s error and let a failed load pass silently (a worker's state change does
not bubble to the screen); area screens showed a refusal as a 15 s warning. Now both go
through ``screens.base.Working`` and ``ui.errors.show_error``."""

from __future__ import annotations

from portops.ops.discharge import make_plan
from portops.ops.visits import arrive, berth
from portops.ops.yard import plan as yard_plan
from portops.ui.screens.tally import TallyScreen, TallyView
from portops.ui.screens.yard import YardScreen, YardView
from tests import test_ui_discharge
from tests.test_ui_discharge import CLERK, DISPATCHER, PLANNER, Host, queue, settle, type_text

imported = test_ui_discharge.imported  # the fixture: a bay plan imported for the visit


async def test_a_refusal_in_a_cargo_view_reads_as_on_every_screen(core, engine, imported):
    core.run(PLANNER, make_plan, visit_id=imported)
    core.run(PLANNER, yard_plan, visit_id=imported)
    core.run(DISPATCHER, arrive, visit_id=imported)
    core.run(DISPATCHER, berth, visit_id=imported)
    first = queue(engine)[0]
    app = Host(lambda: TallyScreen(core, CLERK, imported))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        await type_text(pilot, first)
        await pilot.press("enter")
        await settle(app, pilot)
        refusals = [n for n in app._notifications if "[permission.port_entry]" in n.message]
        assert len(refusals) == 1, [n.message for n in app._notifications]
        note = refusals[0]
        assert (note.severity, note.timeout) == ("warning", 15)
        assert note.title.startswith("Refused")
        # the view's own follow-up still runs: the number is selected for retyping
        assert app.screen.query_one(TallyView).query_one("#tl-number").selected_text == first


async def test_a_failed_load_in_a_cargo_view_is_reported(core, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("the yard query broke")

    monkeypatch.setattr(YardView, "_load", broken)
    app = Host(lambda: YardScreen(core))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        notes = [n for n in app._notifications if "the yard query broke" in n.message]
        assert len(notes) == 1, [n.message for n in app._notifications]
        assert (notes[0].severity, notes[0].timeout) == ("error", 15)
