"""At 80x24 (a gate booth's terminal) every area key and every footer key is on screen, for
every role, in every area it opens (issue 14: the dispatcher lost F12, the admin's bar stopped
at F8, the footer ended in "f10 s▏", F12's tabs hid the area bar, the admin had two F12 areas
and no key reached Mooring jobs, the demo's role list ran past the sign-in box)."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.widgets import DataTable
from textual.widgets._footer import FooterKey

from portops.model import STAFF_ROLES, Role
from portops.ui.areas import AREAS, areas_for
from portops.ui.widgets.frame import AreaBar, KeysFooter, fit_areas
from tests.ui.conftest import sign_in, text_of, wait_for

SIZE = (80, 24)


def screen_lines(app) -> list[str]:
    """The screen as drawn: one string per terminal line."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def check_frame(app, where: str) -> None:
    """Every area key on the area bar's lines, every footer key whole on the footer's."""
    lines = screen_lines(app)
    assert len(lines) == SIZE[1]
    bar = app.screen.query_one(AreaBar)
    top = " ".join(lines[bar.region.y:bar.region.bottom])
    assert bar.region.y == 0 and bar.region.height >= 1, where
    for area in app.areas:
        assert f" {area.key_label} " in f" {top} ", f"{where}: {area.key_label} not on the bar: {top!r}"
    current = next(a for a in app.areas if a.id == app.current_mode)

    assert current.label in top, f"{where}: the current area's title is not whole"
    footer = app.screen.query_one(KeysFooter)
    bottom = "\n".join(lines[footer.region.y:footer.region.bottom])
    assert footer.region.bottom <= SIZE[1], where
    # one line: Users, Yard, Tally and Export took two (ui/key_pages pages the keys)
    assert footer.region.height == 1, f"{where}: the footer takes {footer.region.height} lines"
    keys = list(footer.query(FooterKey))
    assert keys, f"{where}: no footer keys"
    for key in keys:
        shown = f"{key.key_display} {key.description}".strip()
        assert shown in bottom, f"{where}: footer key {shown!r} cut: {bottom!r}"
        assert key.region.right <= SIZE[0] and key.region.width > 0, where


async def check_key_pages(app, pilot, where: str) -> None:
    """Every key the screen shows is on one of the footer's pages, turned by its page key."""
    screen = app.screen
    wanted = {b.binding.action for b in screen.keys_now.values() if b.binding.show} - {"more"}
    seen: set[str] = set()
    for _page in range(len(wanted) + 1):
        seen |= {k.action for k in screen.query_one(KeysFooter).query(FooterKey)}
        if not screen.paged:
            break
        screen.action_more()
        await pilot.pause(0.1)
    assert wanted <= seen, f"{where}: never in the footer: {sorted(wanted - seen)}"


def check_tables(app, where: str) -> None:
    """Every table shown fits its width: no column cut off the screen, nothing to scroll
    sideways to (issue 14: F11 Activity was 91 cells wide at 80 columns, F12's receiving plan
    89)."""
    for table in app.screen.query(DataTable):
        if table.region.width and table.max_scroll_x:
            raise AssertionError(f"{where}: table #{table.id} is {table.virtual_size.width} "
                                 f"cells wide in {table.scrollable_content_region.width}")


@pytest.mark.parametrize("language", ["en", "zh_CN"])
@pytest.mark.parametrize("role", STAFF_ROLES)  # customers: tests/ui/test_customer_areas.py
async def test_every_area_and_footer_key_on_screen_at_80x24(console, role, language):
    app = console(language=language)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, role)
        await wait_for(pilot, lambda: app.screen.query(KeysFooter)
                       and app.screen.query_one(KeysFooter).query(FooterKey), what="footer")
        assert app.areas == areas_for(role)
        for area in app.areas:
            await pilot.press(area.key)
            await wait_for(pilot, lambda a=area: app.current_mode == a.id
                           and app.screen.query(KeysFooter)
                           and app.screen.query_one(KeysFooter).query(FooterKey),
                           what=f"{area.id} with its footer")
            await pilot.pause(0.3)
            check_frame(app, f"{language} {role.value} {area.key_label} {area.id}")
            await check_key_pages(app, pilot, f"{language} {role.value} {area.id}")
            check_tables(app, f"{language} {role.value} {area.key_label} {area.id}")


def test_no_role_has_two_areas_on_one_key():
    for role in Role:
        keys = [a.key for a in areas_for(role)]
        assert len(keys) == len(set(keys)), (role, keys)


def test_the_admin_reaches_mooring_jobs_by_key():
    admin = {a.id: a for a in areas_for(Role.ADMIN)}
    assert set(admin) == {a.id for a in AREAS if not a.customer}
    assert admin["mooring"].key_label == "⇧F5" and admin["export"].key_label == "F12"
    (line_handler,) = areas_for(Role.LINE_HANDLER)
    assert line_handler.key_label == "F12"  # the line handler's own key is unchanged


async def test_admin_opens_mooring_jobs_with_shift_f5(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.ADMIN)
        await pilot.press("shift+f5")  # what Textual reads from a terminal's Shift+F5
        await wait_for(pilot, lambda: app.current_mode == "mooring", what="mooring jobs")


@pytest.mark.parametrize("width", [40, 60, 80, 120])
def test_area_bar_keeps_every_key_however_narrow(width):
    entries = [(a.key_label, a.title, i == 0) for i, a in enumerate(areas_for(Role.ADMIN))]
    text = fit_areas(entries, width)
    lines = text.plain.split("\n")
    assert all(cell_len(line) <= width for line in lines), lines
    joined = " ".join(lines)
    for key, title, current in entries:
        assert f" {key} " in f" {joined} "
        assert not current or title in joined
    assert len(lines) <= (2 if width >= 60 else 3)


async def test_demo_role_list_fits_the_sign_in_box(console):
    app = console(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.screen.query("#picker")
                       and app.screen.query_one("#picker").option_count == len(STAFF_ROLES),
                       what="the demo's roles")
        await pilot.pause(0.3)
        box = app.screen.query_one("#signin-box").region
        picker = app.screen.query_one("#picker").region
        assert box.y >= 0 and box.bottom <= SIZE[1] - 1  # the footer line stays free
        assert picker.y > box.y and picker.bottom < box.bottom
        lines = screen_lines(app)
        for role in STAFF_ROLES:
            name = role.value.replace("_", "-")
            assert any(name in line for line in lines[box.y:box.bottom]), name


async def _open_help(app, pilot, role: Role):
    """Sign in as ``role``, press F1; the help box's region once drawn."""
    await sign_in(pilot, role)
    await pilot.press("f1")
    await wait_for(pilot, lambda: app.screen.query("#help-text"), what="help")
    await pilot.pause(0.3)
    return app.screen.query_one("#help-box").region


async def test_help_wraps_chinese_paragraphs_and_lists_shift_keys(console):
    """F1 in 简体中文: the screen's paragraph is whole (it was cut with "…": Chinese has no
    spaces to wrap at); the areas are listed with the keys as the bar shows them (⇧F5)."""
    from portops.i18n import _

    app = console(language="zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        box = await _open_help(app, pilot, Role.ADMIN)
        frame = str.maketrans("", "", " │▅▁▔▊▎")
        shown = "".join(line[box.x + 1:box.right - 1].translate(frame)
                        for line in screen_lines(app)[box.y:box.bottom])
        paragraph = _(app.screen.about.HELP).translate(frame).replace("\n", "")
        assert paragraph in shown, shown[:300]
        assert "⇧F5" in text_of(app.screen.query_one("#help-text"))


async def test_demo_role_list_follows_the_language(console):
    """Ctrl+L on the demo's sign-in: the roles are named in the new language (they stayed
    in the first one)."""
    app = console(demo=True, language="zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: any("闸口员" in line for line in screen_lines(app)),
                       what="roles in Chinese")
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: any("gate-clerk       gate clerk" in line
                                          for line in screen_lines(app)),
                       what="roles in English")


async def test_help_paragraph_takes_the_whole_width(console):
    """F1's paragraph starts at the box's left edge (it stood in a second column 22 cells in,
    beside an empty first one, at 80 columns), and the keys' column is as wide as its keys."""
    from portops.i18n import _

    app = console()
    async with app.run_test(size=SIZE) as pilot:
        box = await _open_help(app, pilot, Role.DISPATCHER)
        lines = screen_lines(app)
        start = _(app.screen.about.HELP)[:20]
        line = next(line for line in lines if start in line)
        assert line.index(start) <= box.x + 2, line
        edit = next(line for line in lines if "edit times —" in line)
        assert edit.index("edit times") <= box.x + 12, edit  # "T / ^T" and the padding


async def test_help_fills_its_lines_in_chinese(console):
    """F1 in 简体中文 breaks lines between Chinese characters (Rich wraps only at spaces: a
    line ended at '或按 t' with the rest of the sentence folded below) and never starts a
    line with a comma, a full stop or a colon."""
    from rich.cells import cell_len

    app = console(language="zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        box = await _open_help(app, pilot, Role.GATE_CLERK)
        # between the box's sides (a Chinese character is one str index but two cells)
        inner = [line.split("│")[1].strip(" ▁▂▃▄▅▆▇█")
                 for line in screen_lines(app)[box.y + 1:box.bottom - 1]]
        paragraph = inner[1:inner.index("")]  # under the title, to the blank line
        assert len(paragraph) > 3
        width = box.width - 4
        for line in paragraph[:-1]:
            assert cell_len(line) >= width - 6, paragraph  # (a word or two carried over)
        assert not any(line[:1] in "，。：；、" for line in paragraph), paragraph
