"""The ten-thousandth keystroke (issue 14): screen keys never typed into a field, and keys
that leave the clerk where they were."""

from __future__ import annotations

from portops.model import Role
from portops.ui.screens.tally import TallyView
from tests.conftest import as_role
from tests.ui.conftest import PASSWORD, sign_in, wait_for
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


async def test_ctrl_l_keeps_the_area_the_user_was_in(console, small_terminal) -> None:
    from portops.i18n import language

    app = console()
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await sign_in(pilot, Role.DISPATCHER)
            await pilot.press("f3")
            await wait_for(pilot, lambda: app.current_mode == "berths", what="F3")
            await pilot.press("ctrl+l")
            await wait_for(pilot, lambda: language() == "zh_CN", what="中文")
            await pilot.pause()
            assert app.current_mode == "berths" and app.user is not None
            await pilot.press("ctrl+l")
            await wait_for(pilot, lambda: language() == "en", what="English")
            assert app.current_mode == "berths"
    finally:
        from portops.i18n import set_language
        set_language("en")


async def test_sign_out_clears_the_last_users_notifications(console, small_terminal) -> None:
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        app.notify("visit TST-001 arrived (the dispatcher's business)")
        await pilot.pause()
        assert len(app._notifications) == 1
        await pilot.press("f10")
        await wait_for(pilot, lambda: app.user is None, what="signed out")
        assert len(app._notifications) == 0
        await sign_in(pilot, Role.LINE_HANDLER)
        assert not any("dispatcher" in n.message for n in app._notifications)


async def test_activity_opens_at_the_newest_event_and_home_end_move(console, core,
                                                                      small_terminal) -> None:
    from portops.ops.users import set_password
    from portops.queries.events import high_water

    for n in range(30):  # thirty events after the set-up's
        core.run("system", set_password, name=as_role(Role.DISPATCHER), password=f"pw-{n}-long-enough")
    core.run("system", set_password, name=as_role(Role.DISPATCHER), password=PASSWORD)
    newest = str(high_water(core.engine))
    app = console()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, Role.ADMIN)
        await pilot.press("f11")
        await wait_for(pilot, lambda: app.screen.query("#events")
                       and app.screen.query_one("#events").row_count > 30, what="events")
        table = app.screen.query_one("#events")
        await pilot.pause()
        assert table.cursor_row_key() == newest
        await pilot.press("end")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("home")
        assert table.cursor_row_key() == newest


async def test_notifications_do_not_cover_the_field_in_use(console, small_terminal) -> None:
    from textual.widgets import Input
    from textual.widgets._toast import Toast

    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        await pilot.press("f14", "a")  # a new party: its last fields are low on the screen
        await wait_for(pilot, lambda: len(app.screen.query(Input)) > 3, what="party form")
        fields = list(app.screen.query(Input))
        for field in fields:
            app.screen.set_focus(field)
            await pilot.pause()
            app.notify("party.code: a party's code is 2 to 12 letters or digits; type one.\n"
                       "party.name: a party needs a name; type the name as it trades.\n"
                       "party.kind: a party is a line, haulier, forwarder, consignee, shipper "
                       "or agent; choose one.\nparty.identity: an identity is the party's "
                       "tax or SCAC code; type it.", title="Refused", severity="error")
            await wait_for(pilot, lambda: app.screen.query(Toast), what="toast")
            await pilot.pause()
            for toast in app.screen.query(Toast):
                assert not toast.region.overlaps(field.region), field.id
            app.clear_notifications()
            await pilot.pause()


async def _checklists(pilot) -> None:
    app = pilot.app
    await pilot.press("f5")
    await wait_for(pilot, lambda: app.current_mode == "checklists"
                   and getattr(app.screen, "loaded", False), what="checklists")


async def test_a_step_the_hint_refuses_says_why_instead_of_opening_its_form(
        console, core, engine, small_terminal) -> None:
    from portops.ops.visits import arrive
    from portops.ui.screens.checklists import ValuesForm

    core.run("dispatcher", arrive, visit_id=small_terminal["visit"])
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        await _checklists(pilot)
        # the pilot's position (values to type) before the berth is cleared: out of order
        await pilot.press("down", "down", "down")
        await wait_for(pilot, lambda: "checklist.step.needs" in str(
            app.screen.query_one("#cl-why").render()), what="the hint")
        await pilot.press("enter")
        await wait_for(pilot, lambda: any("checklist.step.needs" in n.message
                                          for n in app._notifications), what="why")
        assert not isinstance(app.screen, ValuesForm)


async def test_the_checklist_keeps_each_users_visit_across_sign_ins(
        console, core, engine, small_terminal) -> None:
    from sqlmodel import Session

    from portops.model import VesselVisit
    from tests.test_checklists import _second_visit

    other = _second_visit(engine)
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        await _checklists(pilot)
        first = app.screen.view.visit_id
        order = [o.id for o in app.screen.query_one("#cl-visits").options]
        chosen = next(v for v in (small_terminal["visit"], other) if v != first)
        await pilot.press("v", *["down"] * order.index(str(chosen)), "enter")
        await wait_for(pilot, lambda: app.screen.view and app.screen.view.visit_id == chosen,
                       what="the other visit")
        with Session(engine) as s, s.begin():  # a time recorded: the list does not move
            s.get(VesselVisit, chosen).etb = s.get(VesselVisit, first).etb.replace(year=2020)
        for role in (Role.LINE_HANDLER, Role.DISPATCHER):
            await pilot.press("f10")
            await wait_for(pilot, lambda: app.user is None, what="signed out")
            app.screen.query_one("#name").value = ""  # (the form keeps the last name)
            await sign_in(pilot, role)
        await _checklists(pilot)
        assert app.screen.view.visit_id == chosen
        options = app.screen.query_one("#cl-visits")
        assert [o.id for o in options.options] == order
        assert options.highlighted == order.index(str(chosen))


async def test_table_columns_take_the_room_there_is(console, small_terminal) -> None:
    from portops.ui.screens.activity import COLUMNS

    declared = {c.key: c.width for c in COLUMNS}
    for size in ((80, 24), (120, 30)):
        app = console()
        async with app.run_test(size=size) as pilot:
            await sign_in(pilot, Role.ADMIN)
            await pilot.press("f11")
            await wait_for(pilot, lambda app=app: app.screen.query("#events"), what="activity")
            await pilot.pause()
            table = app.screen.query_one("#events")
            widths = {c.key.value: c.width for c in table.columns.values()}
            used = sum(c.get_render_width(table) for c in table.columns.values())
            if size[0] == 80:
                assert widths == declared  # as declared: they fit 80 columns
            else:
                assert all(widths[k] >= declared[k] for k in declared)
                assert size[0] - 2 - len(widths) <= used <= size[0] - 2  # no room left over


async def test_help_in_chinese_wraps_its_paragraphs(console, small_terminal) -> None:
    import html
    import re

    from portops.i18n import _, set_language

    app = console(language="zh_CN")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await sign_in(pilot, Role.DISPATCHER)
            await pilot.press("f1")
            await wait_for(pilot, lambda: app.screen.query("#help-text"), what="help")
            await pilot.pause()
            svg = app.export_screenshot()
            help_text = _(app.screen_stack[-2].HELP)
    finally:
        set_language("en")
    shown = html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", "")
    shown = re.sub(r"[\s│]+", "", shown)  # (the box's sides between the lines)
    assert help_text[-12:].replace(" ", "") in shown  # its end is there: wrapped, not cut


async def test_a_greyed_key_says_why(console, core, small_terminal) -> None:
    from portops.ops.visits import arrive

    core.run("dispatcher", arrive, visit_id=small_terminal["visit"])  # arrived already
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        await wait_for(pilot, lambda: "schedule.arrive" in getattr(app.screen, "blocked", {}),
                       what="the line under the table")
        before = len(app._notifications)
        await pilot.press("a")
        await wait_for(pilot, lambda: len(app._notifications) > before, what="why")
        rules = app.screen.blocked["schedule.arrive"]
        assert any(f"[{rules[0].rule}]" in n.message for n in app._notifications)
