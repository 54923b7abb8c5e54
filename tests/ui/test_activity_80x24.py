"""F11 Activity whole at 80x24 (issue 14: its columns scrolled sideways, the table wider than
the screen): every column fits, and the selected event is shown whole under the table."""

from __future__ import annotations

import pytest

from portops.model import Role
from portops.ops.users import set_password
from tests.conftest import as_role
from tests.ui.conftest import PASSWORD, sign_in, text_of, wait_for

pytestmark = pytest.mark.sqlite_only  # the console is the same on either database


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_activity_fits_80x24_and_shows_the_selected_event_whole(
        console, core, small_terminal, language) -> None:
    for n in range(30):  # more events than lines: the vertical scroll bar is there too
        core.run("system", set_password, name=as_role(Role.DISPATCHER),
                 password=f"pw-{n}-long-enough")
    core.run("system", set_password, name=as_role(Role.DISPATCHER), password=PASSWORD)
    app = console(language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        await pilot.press("f11")
        await wait_for(pilot, lambda: app.screen.query("#events")
                       and app.screen.query_one("#events").row_count > 30, what="events")
        await pilot.pause(0.3)
        table = app.screen.query_one("#events")
        assert table.show_vertical_scrollbar
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert table.max_scroll_x == 0
        detail = app.screen.query_one("#event-detail")
        await wait_for(pilot, lambda: "user.passwd" in text_of(detail), what="detail line")
        assert "2026-" in text_of(detail)  # the whole date, which the column shortens
        from portops.i18n import _
        from portops.ops import load_all

        # what the operation did, in the clerk's language, beside its name
        assert _(load_all()["user.passwd"].action) in text_of(detail), text_of(detail)
        # the reference first: where the column cuts, it cuts the kind
        about = str(table.get_cell(table.cursor_row_key(), "subject"))
        assert about.startswith(as_role(Role.DISPATCHER) + " ("), about
        assert detail.region.bottom <= app.screen.query_one("#bottom-bar").region.y
        await pilot.press("down")
        await wait_for(pilot, lambda: table.cursor_row_key() in text_of(detail),
                       what="the next event's detail")
