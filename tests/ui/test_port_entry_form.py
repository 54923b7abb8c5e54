"""The port-entry clearance (靠港手续) keyed in by the dispatcher: p on a visit, three fields.

Seen walking an empty terminal: no screen, palette entry or key recorded it, so every tally of
a new visit was refused with [permission.port_entry].
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from portops.model import Role
from portops.queries.port_entry import port_entry
from tests.ui.conftest import sign_in, text_of, wait_for

pytestmark = pytest.mark.sqlite_only


async def test_p_on_the_visit_records_the_clearance(console, small_terminal, engine) -> None:
    app = console()
    vid = small_terminal["visit"]
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        await wait_for(pilot, lambda: getattr(app.screen, "loaded", False), what="schedule")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "not recorded" in text_of(
            app.screen.query_one("#port-entry")), what="visit screen")
        await pilot.press("p")
        await wait_for(pilot, lambda: app.screen.query("#pe-reference"), what="the form")
        # a time it cannot read: said under the field, nothing sent
        await pilot.press(*"CIQ-0042", "enter", *"Shanghai MSA / customs", "enter",
                          *"half past", "enter")
        await wait_for(pilot, lambda: "is not a time" in text_of(
            app.screen.query_one("#form-error")), what="the time's error")
        assert port_entry(engine, vid) is None
        assert app.screen.focused.id == "pe-cleared"
        await pilot.press("ctrl+u", *"13:45", "enter")
        await wait_for(pilot, lambda: port_entry(engine, vid) is not None, what="recorded")
        await wait_for(pilot, lambda: "CIQ-0042" in text_of(
            app.screen.query_one("#port-entry")), what="shown on the visit")
        shown = text_of(app.screen.query_one("#port-entry"))
        assert "Shanghai MSA / customs" in shown and "2026-11-27 13:45" in shown
        assert "dispatcher" in shown
    got = port_entry(engine, vid)
    assert got.cleared_at == datetime(2026, 11, 27, 5, 45, tzinfo=UTC)  # 13:45 in Shanghai


async def test_a_refusal_is_shown_in_the_form(console, small_terminal, engine) -> None:
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        await wait_for(pilot, lambda: getattr(app.screen, "loaded", False), what="schedule")
        await pilot.press("p")  # from the schedule, on the selected visit
        await wait_for(pilot, lambda: app.screen.query("#pe-reference"), what="the form")
        await pilot.press("enter", "enter", "enter")
        await wait_for(pilot, lambda: "permission.reference" in text_of(
            app.screen.query_one("#form-error")), what="the refusal")
        assert "port_entry.authority" in text_of(app.screen.query_one("#form-error"))
        await pilot.press("escape")
    assert port_entry(engine, small_terminal["visit"]) is None
