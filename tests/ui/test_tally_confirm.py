"""Walker item 2: in F8 Tally, ctrl+e (complete discharge) and ctrl+s (short-landed) ask
first, naming the boxes they would declare short-landed; No is the default (n, Enter, Esc all
change nothing), y goes on. The question is whole at 80x24 in English and Chinese."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from portops.model import DischargeItem, DischargePlan, ItemStatus, Phase, Role, VesselVisit
from portops.ops.tally import confirm
from portops.ui.screens.confirm import ConfirmDialog
from portops.ui.screens.tally import TallyView
from tests.conftest import as_role
from tests.ui.conftest import sign_in, text_of, wait_for
from tests.ui.test_tally_keys import notified, ready_to_discharge

CLERK = as_role(Role.TALLY_CLERK)
ASK = {"en": ("Complete discharge?", "Record {n} as short-landed?"),
       "zh_CN": ("确认卸船完成？", "将 {n} 记为短卸？")}


def _statuses(engine) -> dict[str, str]:
    with Session(engine) as s:
        return {i.number: i.status for i in s.exec(select(DischargeItem))}


def _whole(app) -> str:
    """The dialog's text, after checking it lies inside the 80x24 screen, nothing cut."""
    form = app.screen.query_one("#cf-form")
    r = form.region
    assert r.x >= 0 and r.y >= 0 and r.right <= 80 and r.bottom <= 24, r
    text = " ".join(text_of(w) for w in app.screen.query("#cf-form Static"))
    for w in app.screen.query("#cf-form Static"):  # every line drawn: none cut off
        assert w.region.height >= w.virtual_size.height, (w.id, w.region, w.virtual_size)
    return text


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_ctrl_e_and_ctrl_s_ask_first_and_no_changes_nothing(
        console, core, engine, small_terminal, language) -> None:
    visit = small_terminal["visit"]
    numbers = ready_to_discharge(core, engine, visit)
    *done, short, last = numbers
    for n in done:
        core.run(CLERK, confirm, visit_id=visit, number=n)
    app = console(language=language)
    complete_q, short_q = ASK[language]
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await sign_in(pilot, Role.TALLY_CLERK)
        await pilot.press("f8")
        await wait_for(pilot, lambda: app.screen.query(TallyView), what="tally view")
        # ctrl+e: the question names both boxes left; n, Enter and Esc each say no
        for no in ("n", "enter", "escape"):
            await pilot.press("ctrl+e")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="ask")
            text = _whole(app)
            assert complete_q in text and "2" in text and short in text and last in text
            await pilot.press(no)
            await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmDialog),
                           what="closed")
        await pilot.pause(0.2)
        assert set(_statuses(engine)[n] for n in (short, last)) == {ItemStatus.PLANNED}
        # ctrl+s asks about the typed box; n keeps it, y records it
        await pilot.press(*short, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="ask short")
        assert short_q.format(n=short) in _whole(app)
        await pilot.press("n")
        await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmDialog), what="closed")
        await pilot.pause(0.2)
        assert _statuses(engine)[short] == ItemStatus.PLANNED
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="ask short")
        await pilot.press("y")
        await wait_for(pilot, lambda: _statuses(engine)[short] == ItemStatus.SHORT, what="short")
        # ctrl+e now names the one box left; y completes the discharge, and cargo work
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="ask")
        text = _whole(app)
        assert last in text and short not in text
        await pilot.press("y")
        await wait_for(pilot, lambda: notified(app, "Discharge complete") or notified(
            app, "卸船完成"), what="complete")
    with Session(engine) as s:
        assert s.exec(select(DischargePlan)).one().completed_at is not None
        assert s.get(VesselVisit, visit).phase == Phase.COMPLETED
    assert _statuses(engine)[last] == ItemStatus.SHORT
