"""Issue 13: discharge and loading are finished by keyboard in their areas. In F8 Tally the
clerk records a box short-landed (ctrl+s), completes the discharge (ctrl+e) and issues the
tally report (ctrl+r), each in the footer and F1; in F12 Loading, Enter in the number field
confirms, a refusal puts the cursor back on the number with its text selected, and the load
report is issued (ctrl+r) once loading is complete."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, select
from textual import events
from textual.widgets._footer import FooterKey

from portops.formats.edifact.baplie import read_baplie, write_baplie
from portops.formats.edifact.samples import bay_plan
from portops.model import DischargeItem, DischargePlan, Event, Role
from portops.ops.bayplan import import_bayplan
from portops.ops.discharge import make_plan
from portops.ops.flags import grant_permission
from portops.ops.loading import make_plan as make_load_plan
from portops.ops.receiving import receive
from portops.ops.visits import arrive, berth
from portops.ops.yard import plan as yard_plan
from portops.ui.screens.confirm import ConfirmDialog
from portops.ui.screens.reports import IssueReportForm
from portops.ui.screens.tally import TallyView
from tests.conftest import as_role
from tests.discharge_fixtures import yard
from tests.test_export import BOX1, BOX2, _book, export_terminal
from tests.ui.conftest import sign_in, text_of, wait_for

PLANNER, D, G = (as_role(r) for r in (Role.YARD_PLANNER, Role.DISPATCHER, Role.GATE_CLERK))
#: The export fixture of the core tests, used here by name.
FIXTURES = (export_terminal,)


def notified(app, text: str) -> bool:
    return any(text in n.message or text in (n.title or "") for n in app._notifications)


def burst(app, *keys: str) -> None:
    """Post every key at once, as a terminal delivers a burst (Pilot.press waits per key)."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


def footer(app) -> str:
    """The keys the footer shows on one or the other of its pages (one line at 80 columns,
    ``ui/key_pages``; test_frame_80x24 turns them), as the footer names them."""
    shown = [k.description for k in app.screen.query(FooterKey)]
    return " ".join(shown + [b.binding.description for b in app.screen.keys_now.values()
                             if b.binding.show])


async def help_text(app, pilot) -> str:
    await pilot.press("f1")
    await wait_for(pilot, lambda: app.screen.query("#help-text"), what="help")
    text = text_of(app.screen.query_one("#help-text"))
    await pilot.press("escape")
    return text


def ready_to_discharge(core, engine, visit) -> list[str]:
    yard(engine)
    text = write_baplie(bay_plan(30, seed=3), control_ref="1",
                        prepared=datetime(2026, 11, 27, tzinfo=UTC))
    core.run(PLANNER, import_bayplan, plan=read_baplie(text), visit_key="TST-001", force=True)
    core.run(PLANNER, make_plan, visit_id=visit)
    core.run(PLANNER, yard_plan, visit_id=visit)
    core.run(D, arrive, visit_id=visit)
    core.run(D, berth, visit_id=visit)
    core.run(D, grant_permission, code="PORT_ENTRY", reference="MSA-1", visit_id=visit)
    with Session(engine) as s:
        return [i.number for i in s.exec(select(DischargeItem).order_by(
            DischargeItem.crane, DischargeItem.seq))]


def number_field_selected(app, selector: str) -> bool:
    field = app.screen.query_one(selector)
    return bool(app.screen.focused is field and field.value
                and sorted(field.selection) == [0, len(field.value)])


async def test_tally_clerk_short_lands_completes_and_issues_the_report_in_f8(
        console, core, engine, small_terminal) -> None:
    visit = small_terminal["visit"]
    first, second, *rest = ready_to_discharge(core, engine, visit)
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await sign_in(pilot, Role.TALLY_CLERK)
        await pilot.press("f8")
        await wait_for(pilot, lambda: app.screen.query(TallyView), what="tally view")
        await wait_for(pilot, lambda: "to go" in text_of(app.screen.query_one("#tl-head")),
                       what="tally head")
        shown = footer(app)
        assert all(k in shown for k in ("short-landed", "complete discharge", "tally report"))
        helped = await help_text(app, pilot)
        assert "short-landed" in helped and "complete discharge" in helped
        assert "tally report" in helped
        # a bad number: refused, and the cursor is back on it with the text selected
        await pilot.press(*"MSCU1234567", "enter")
        await wait_for(pilot, lambda: notified(app, "discharge.number.invalid"), what="refusal")
        await wait_for(pilot, lambda: number_field_selected(app, "#tl-number"),
                       what="number selected")
        await pilot.press(*first, "enter")  # typed over the bad number: one Enter confirms
        await wait_for(pilot, lambda: notified(app, f"{first} discharged"), what="discharged")
        burst(app, *second, "ctrl+s")  # the number typed right ahead of ctrl+s counts
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="asked")
        assert second in text_of(app.screen.query_one("#cf-title"))
        await pilot.press("y")  # it asks first (walker item 2)
        await wait_for(pilot, lambda: notified(app, f"{second} recorded short-landed"),
                       what="short-landed")
        await pilot.press("ctrl+r")  # the report cannot go out before the discharge completes
        await wait_for(pilot, lambda: isinstance(app.screen, IssueReportForm), what="report")
        await pilot.press("enter")
        await wait_for(pilot, lambda: notified(app, "discharge.report.incomplete"),
                       what="report refused")
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="asked")
        await pilot.press("y")  # the boxes left are named first (walker item 2)
        await wait_for(pilot, lambda: notified(app, "Discharge complete"), what="complete")
        # short-landed in all: the one recorded with ctrl+s and those left (it said only the
        # latter: "0 short" right after a box was recorded short)
        assert notified(app, f"Discharge complete; {1 + len(rest)} short-landed"), \
            [n.message for n in app._notifications]
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, IssueReportForm), what="report")
        assert "Short-landed" in text_of(app.screen.query_one("#rp-text"))
        await pilot.press(*"mail to COSU", "enter")
        await wait_for(pilot, lambda: notified(app, "Tally report of TST-001 issued"),
                       what="issued")
    with Session(engine) as s:
        assert s.exec(select(DischargePlan)).one().reported_at is not None


async def test_load_tally_enter_confirms_refusal_reselects_and_report_is_issued(
        console, core, engine, export_terminal, clock) -> None:
    visit = export_terminal["visit"]
    for box in (BOX1, BOX2):
        appt = _book(core, clock, box)
        clock.advance(minutes=20)
        core.run(G, receive, lookup=appt["ref"], container=box, size_type="45G1", seal="SL1")
    core.run(D, grant_permission, code="CUSTOMS_EXPORT", reference="CN-EXP-1", container=BOX1)
    core.run(D, make_load_plan, visit_id=visit)
    core.run(D, arrive, visit_id=visit)
    core.run(D, berth, visit_id=visit)
    core.run(D, grant_permission, code="PORT_ENTRY", reference="MSA-1", visit_id=visit)
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await sign_in(pilot, Role.TALLY_CLERK)
        await pilot.press("f12")
        await wait_for(pilot, lambda: "1 to load" in text_of(app.screen.query_one("#ld-head")),
                       what="load plan")
        assert "load report" in footer(app)
        app.screen.query_one("#ld-number").focus()
        await pilot.pause()
        # BOX2 has no customs release: refused for that, and the number is selected
        await pilot.press(*BOX2, "enter")
        await wait_for(pilot, lambda: notified(app, "permission.customs_export"),
                       what="refusal")
        assert notified(app, "load.not_planned")
        refusals = [n for n in app._notifications if "load.not_planned" in n.message]
        assert len(refusals) == 1  # said once
        await wait_for(pilot, lambda: number_field_selected(app, "#ld-number"),
                       what="number selected")
        await pilot.press(*BOX1, "enter")  # typed over it; one Enter loads it
        await wait_for(pilot, lambda: notified(app, f"{BOX1} loaded at"), what="loaded")
        assert app.screen.query_one("#ld-seal").value == ""
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, IssueReportForm), what="report")
        await pilot.press("enter")
        await wait_for(pilot, lambda: notified(app, "load.report.incomplete"), what="refused")
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: notified(app, "Loading complete"), what="complete")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, IssueReportForm), what="report")
        assert BOX1 in text_of(app.screen.query_one("#rp-text"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: notified(app, "Load report of TST-001 issued"),
                       what="issued")
    with Session(engine) as s:
        assert s.exec(select(Event).where(Event.operation == "load.report")).one()
