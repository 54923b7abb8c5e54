"""SVG snapshots of the screens the tally clerk lives in, at 80×24 (a booth's terminal), in
English and 中文 (issue 14): discharge tally (F8) and load tally (F12, loading), from fixed
data and a fixed clock.

Update after an intended change with ``pytest tests/ui/test_snapshots_tally.py
--snapshot-update`` and look at the SVGs before committing them.
"""

from __future__ import annotations

import pytest

from portops.model import Role
from portops.ops.flags import grant_permission
from portops.ops.loading import confirm, make_plan
from portops.ops.receiving import receive
from portops.ops.visits import arrive, berth
from portops.ui.screens.tally import TallyView
from tests.conftest import as_role
from tests.test_export import BOX1, BOX2, D, G, _book
from tests.test_export import export_terminal as export_terminal  # (a fixture)
from tests.ui.conftest import sign_in, text_of, wait_for
from tests.ui.test_cargo_areas import _import

pytestmark = pytest.mark.sqlite_only
LANGUAGES = ["en", "zh_CN"]


async def _tally(pilot) -> None:
    app = pilot.app
    await sign_in(pilot, Role.TALLY_CLERK)
    await pilot.press("f8")
    await wait_for(pilot, lambda: app.screen.query(TallyView)
                   and "TST-001" in text_of(app.screen.query_one("#tl-head")),
                   what="the visit in the tally head")
    await wait_for(pilot, lambda: not app.screen.workers, what="reads finished")
    await pilot.pause()


@pytest.mark.parametrize("language", LANGUAGES)
def test_tally(snap_compare, console, core, engine, small_terminal, language) -> None:
    from portops.ops.discharge import make_plan as discharge_plan

    _import(core, engine)
    core.run(as_role(Role.YARD_PLANNER), discharge_plan, visit_id=small_terminal["visit"])
    assert snap_compare(console(language=language), terminal_size=(80, 24),
                        run_before=_tally)


@pytest.fixture
def load_plan(core, clock, export_terminal) -> None:
    """Two export boxes received and released, the load plan made, one box loaded."""
    visit = export_terminal["visit"]
    for number in (BOX1, BOX2):
        appt = _book(core, clock, number, plate=f"沪A{number[-5:]}")
        core.run(G, receive, lookup=appt["ref"], container=number, size_type="45G1", seal="SL1")
        core.run(D, grant_permission, code="CUSTOMS_EXPORT", reference=f"C-{number}",
                 container=number)
    core.run(D, make_plan, visit_id=visit)
    core.run(D, arrive, visit_id=visit)
    core.run(D, berth, visit_id=visit)
    core.run(D, grant_permission, code="PORT_ENTRY", reference="MSA-1", visit_id=visit)
    core.run(as_role(Role.TALLY_CLERK), confirm, visit_id=visit, number=BOX1, seal="SL1")


async def _load_tally(pilot) -> None:
    app = pilot.app
    await sign_in(pilot, Role.TALLY_CLERK)
    await pilot.press("f12")
    await wait_for(pilot, lambda: getattr(app.screen, "tab", None) == "load"
                   and app.screen.query("#ld-plan")
                   and "QC1" in text_of(app.screen.query_one("#ld-plan")), what="load tally")
    await wait_for(pilot, lambda: not app.screen.workers, what="reads finished")
    await pilot.pause()


@pytest.mark.parametrize("language", LANGUAGES)
def test_load_tally(snap_compare, console, load_plan, language) -> None:
    assert snap_compare(console(language=language), terminal_size=(80, 24),
                        run_before=_load_tally)
