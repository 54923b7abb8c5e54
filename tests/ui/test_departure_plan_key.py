"""F12 Loading writes the departure bay plan (issue 13): ctrl+w asks for a file (blank: the
visit's KEY-departure.edi in the working directory) and writes the BAPLIE of what is on board,
as ``portops export bay-plan`` does; a file that cannot be written is one sentence naming it,
and nothing is written."""

from __future__ import annotations

from portops.formats.edifact.baplie import read_baplie
from portops.model import Role
from portops.ops.flags import grant_permission
from portops.ops.loading import make_plan as make_load_plan
from portops.ops.receiving import receive
from portops.ops.visits import arrive, berth
from tests.conftest import as_role
from tests.test_export import BOX1, _book, export_terminal
from tests.ui.conftest import sign_in, text_of, wait_for
from tests.ui.test_tally_keys import footer, notified

D, G = as_role(Role.DISPATCHER), as_role(Role.GATE_CLERK)
FIXTURES = (export_terminal,)


async def test_ctrl_w_writes_the_departure_bay_plan(console, core, engine, export_terminal,
                                                     clock, tmp_path, monkeypatch) -> None:
    visit = export_terminal["visit"]
    appt = _book(core, clock, BOX1)
    clock.advance(minutes=20)
    core.run(G, receive, lookup=appt["ref"], container=BOX1, size_type="45G1", seal="SL1")
    core.run(D, grant_permission, code="CUSTOMS_EXPORT", reference="CN-EXP-1", container=BOX1)
    core.run(D, make_load_plan, visit_id=visit)
    core.run(D, arrive, visit_id=visit)
    core.run(D, berth, visit_id=visit)
    core.run(D, grant_permission, code="PORT_ENTRY", reference="MSA-1", visit_id=visit)
    monkeypatch.chdir(tmp_path)
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await sign_in(pilot, Role.TALLY_CLERK)
        await pilot.press("f12")
        await wait_for(pilot, lambda: "1 to load" in text_of(app.screen.query_one("#ld-head")),
                       what="load plan")
        assert "departure bay plan" in footer(app)
        app.screen.query_one("#ld-number").focus()
        await pilot.press(*BOX1, "enter")
        await wait_for(pilot, lambda: notified(app, f"{BOX1} loaded at"), what="loaded")
        # a folder that is not there: said in one sentence, nothing written
        await pilot.press("ctrl+w")
        await wait_for(pilot, lambda: app.screen.query("#v-path"), what="the form")
        await pilot.press(*"no-such-dir/plan.edi", "enter")
        await wait_for(pilot, lambda: notified(app, "cannot write the departure bay plan"),
                       what="cannot write")
        assert not (tmp_path / "no-such-dir").exists()
        # blank: the visit's own name, here
        await pilot.press("ctrl+w")
        await wait_for(pilot, lambda: app.screen.query("#v-path"), what="the form")
        await pilot.press("enter")
        await wait_for(pilot, lambda: notified(app, "TST-001-departure.edi"), what="written")
    plan = read_baplie((tmp_path / "TST-001-departure.edi").read_text(encoding="utf-8"))
    assert [b.number for b in plan.boxes if b.number == BOX1] == [BOX1]
