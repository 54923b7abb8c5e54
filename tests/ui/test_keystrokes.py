"""The ten-thousandth keystroke (issue 14): screen keys never typed into a field, and keys
that leave the clerk where they were."""

from __future__ import annotations

from portops.model import Role
from portops.ui.screens.tally import TallyView
from tests.ui.conftest import sign_in, wait_for
from tests.ui.test_cargo_areas import _import


def footer_keys(app) -> dict[str, str]:
    """Key → action of what the footer shows now."""
    return {key: b.binding.action for key, b in app.screen.active_bindings.items()
            if b.binding.show}


async def test_tally_changes_vessel_by_ctrl_n_while_the_cursor_is_in_the_number(
        console, core, engine, small_terminal) -> None:
    _import(core, engine)
    app = console()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, Role.TALLY_CLERK)
        await pilot.press("f8")
        await wait_for(pilot, lambda: app.screen.query(TallyView), what="tally view")
        view = app.screen.query_one(TallyView)
        await wait_for(pilot, lambda: app.screen.focused is not None
                       and app.screen.focused.id == "tl-number", what="cursor in the number")
        # in the number field 'v' is a letter of a container number, and the footer says so
        assert footer_keys(app).get("ctrl+n") == "next_visit"
        assert "v" not in footer_keys(app)
        await pilot.press("v")
        assert app.screen.focused.value.lower() == "v"
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: app.screen.query(TallyView)
                       and app.screen.query_one(TallyView) is not view, what="next visit")


async def test_yard_find_field_takes_a_number_and_leaves_block_keys_to_the_yard(
        console, core, engine, small_terminal) -> None:
    from portops.ui.screens.yard import YardView

    _import(core, engine)
    app = console()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, Role.TALLY_CLERK)
        await pilot.press("f7")
        await wait_for(pilot, lambda: app.screen.query(YardView), what="yard view")
        yard_view = app.screen.query_one(YardView)
        await wait_for(pilot, lambda: yard_view.blocks, what="blocks")
        await pilot.press("f", "a", "b")
        field = app.screen.query_one("#yd-find")
        assert app.screen.focused is field and field.value == "ab"
        index = yard_view.index
        await pilot.press("right_square_bracket")
        assert field.value == "ab"  # '[' and ']' are no part of a container number
        await wait_for(pilot, lambda: yard_view.index != index or len(yard_view.blocks) == 1,
                       what="next block")
        assert "]" in footer_keys(app) or "right_square_bracket" in footer_keys(app)


async def test_releases_visit_key_works_from_the_look_up_field(console, small_terminal) -> None:
    app = console()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        await pilot.press("shift+f9")
        await wait_for(pilot, lambda: app.screen.query("#rel-lookup"), what="releases")
        field = app.screen.query_one("#rel-lookup")
        await wait_for(pilot, lambda: app.screen.focused is field, what="look-up focused")
        assert footer_keys(app).get("ctrl+o") == "visit"
        called = []
        app.screen.action_visit = lambda: called.append(True)
        await pilot.press("ctrl+o")
        assert called and field.value == ""
