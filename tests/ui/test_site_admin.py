"""Parties (⇧F2) and users (⇧F10) in the console, by keyboard, at 80x24, in both languages:
a refused duplicate and a bad code are shown in the form with what was typed still there."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from portops.auth import verify_password
from portops.model import Party, Role, User
from tests.ui.conftest import sign_in, text_of, wait_for

pytestmark = pytest.mark.sqlite_only
USCI = "91350100M000100Y43"


async def _form(pilot, *fields: str) -> None:
    """Type each field and Enter (the last Enter saves)."""
    for value in fields:
        await pilot.press(*value, "enter") if value else await pilot.press("enter")


def _error(app) -> str:
    return text_of(app.screen.query_one("#form-error"))


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_dispatcher_registers_a_line_and_a_haulier(bare_console, engine, lang) -> None:
    app = bare_console(language=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        await pilot.press("f14")
        await wait_for(pilot, lambda: app.screen.query("#parties"), what="parties screen")
        screen = app.screen
        await pilot.press("a")
        await wait_for(pilot, lambda: app.screen.query("#f-code"))
        await _form(pilot, "cosu", "COSCO Shipping Lines", "line", "")
        await wait_for(pilot, lambda: app.screen is screen and "COSU" in screen.rows,
                       what="line registered")
        await pilot.press("a")
        await wait_for(pilot, lambda: app.screen.query("#f-code"))
        kind = "haulier" if lang == "en" else "承运人"
        await _form(pilot, "HAUL1", "Donghai Trucking", kind, USCI)
        await wait_for(pilot, lambda: "HAUL1" in screen.rows, what="haulier registered")
        # the same code again: refused in the form, which stays open with what was typed
        await pilot.press("a")
        await wait_for(pilot, lambda: app.screen.query("#f-code"))
        await _form(pilot, "COSU", "Another", "line", "")
        await wait_for(pilot, lambda: "party.exists" in _error(app), what="duplicate refused")
        assert app.screen.query_one("#f-name").value == "Another"
        # a line whose code is not a SCAC: corrected in place, then saved
        await pilot.press("shift+tab", "shift+tab", "shift+tab")  # back to the code
        assert app.screen.focused.id == "f-code"
        await pilot.press("ctrl+u", *"MA3U", "enter", "enter", "enter", "enter")
        await wait_for(pilot, lambda: "party.line.scac" in _error(app), what="bad SCAC")
        assert ("SCAC" in _error(app)) and (lang == "en" or "船公司代码" in _error(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
    with Session(engine) as s:
        codes = sorted(s.exec(select(Party.code)).all())
    assert codes == ["COSU", "HAUL1"]


async def test_deactivate_and_edit_a_party(bare_console, core, engine) -> None:
    from portops.ops.parties import register_party

    core.run("dispatcher", register_party, code="HAUL1", name="Old", kind="haulier",
             identity="X-1")
    app = bare_console()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        await pilot.press("f14")
        await wait_for(pilot, lambda: getattr(app.screen, "rows", None), what="parties")
        screen = app.screen
        await pilot.press("d")
        await wait_for(pilot, lambda: not screen.rows["HAUL1"].active, what="deactivated")
        await pilot.press("e")
        await wait_for(pilot, lambda: app.screen.query("#f-name"))
        await pilot.press("ctrl+u", *"New name", "enter", "ctrl+u", *USCI, "enter")
        await wait_for(pilot, lambda: screen.rows["HAUL1"].name == "New name", what="edited")
    with Session(engine) as s:
        p = s.exec(select(Party)).one()
    assert (p.name, p.identity, p.active) == ("New name", USCI, False)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_admin_adds_a_user_and_manages_it(bare_console, engine, lang) -> None:
    app = bare_console(language=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, Role.ADMIN)
        await pilot.press("f22")
        await wait_for(pilot, lambda: getattr(app.screen, "rows", None), what="users screen")
        screen = app.screen
        await pilot.press("a")
        await wait_for(pilot, lambda: app.screen.query("#f-name"))
        await _form(pilot, "li.wei", "Li Wei", "gate clerk", "", "secret-one", "secret-two")
        await wait_for(pilot, lambda: _error(app), what="passwords differ")
        assert app.screen.focused.id == "f-again"
        await pilot.press("ctrl+u", *"secret-one", "enter")
        await wait_for(pilot, lambda: "li.wei" in screen.rows, what="user added")
        assert screen.rows["li.wei"].role == Role.GATE_CLERK
        table = screen.query_one("#users")
        await pilot.press(*["down"] * table.get_row_index("li.wei"))
        assert table.cursor_row_key() == "li.wei"
        await pilot.press("r")
        await wait_for(pilot, lambda: app.screen.query("#f-role"))
        await pilot.press(*"dispatcher", "enter")
        await wait_for(pilot, lambda: screen.rows["li.wei"].role == Role.DISPATCHER)
        await pilot.press("p")
        await wait_for(pilot, lambda: app.screen.query("#f-password"))
        await _form(pilot, "another-pw", "another-pw")
        await wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("d")
        await wait_for(pilot, lambda: not screen.rows["li.wei"].active, what="disabled")
    with Session(engine) as s:
        u = s.exec(select(User).where(User.name == "li.wei")).one()
    assert verify_password("another-pw", u.password_hash) and not u.active


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_admin_gives_a_new_party_its_first_account(bare_console, engine, lang) -> None:
    """The terminal's admin registers a haulier (⇧F2) and makes its first account (⇧F10, a)
    by keyboard: a party not registered is named in the form, a role that does not fit the
    party's kind is the operation's refusal, an empty role takes the party's; the new account
    is the party's admin and signs in as the haulier."""
    app = bare_console(language=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, Role.ADMIN)
        await pilot.press("f14")
        await wait_for(pilot, lambda: app.screen.query("#parties"), what="parties screen")
        await pilot.press("a")
        await wait_for(pilot, lambda: app.screen.query("#f-code"))
        await _form(pilot, "HAUL1", "Donghai Trucking", "haulier", USCI)
        await wait_for(pilot, lambda: "HAUL1" in app.screen.rows, what="haulier registered")
        await pilot.press("f22")
        await wait_for(pilot, lambda: getattr(app.screen, "rows", None), what="users screen")
        screen = app.screen
        await pilot.press("a")
        await wait_for(pilot, lambda: app.screen.query("#f-party"))
        assert any("HAUL1 " in text_of(h) for h in app.screen.query(".op-form-hint"))
        await _form(pilot, "dh.admin", "Donghai dispatch", "line", "ZZZ", "haul-pw-123",
                    "haul-pw-123")
        await wait_for(pilot, lambda: "ZZZ" in _error(app), what="unknown party")
        assert app.screen.focused.id == "f-party"
        await pilot.press("ctrl+u", *"hau", "enter", "enter", "enter")
        await wait_for(pilot, lambda: "user.party.kind" in _error(app), what="role refused")
        assert app.screen.query_one("#f-name").value == "dh.admin"
        for _field in range(3):  # back to the role: leave it empty, the party's kind says it
            await pilot.press("shift+tab")
        assert app.screen.focused.id == "f-role"
        await pilot.press("ctrl+u", "enter", "enter", "enter", "enter")
        await wait_for(pilot, lambda: "dh.admin" in screen.rows, what="account added")
        assert screen.rows["dh.admin"].role == Role.HAULIER
        await pilot.press("f10")
        await wait_for(pilot, lambda: app.user is None, what="signed out")
        await wait_for(pilot, lambda: app.screen.query("#name"), what="sign-in screen")
        await pilot.click("#name")
        await pilot.press(*"dh.admin", "enter", *"haul-pw-123", "enter")
        await wait_for(pilot, lambda: app.user is not None, what="signed in as the haulier")
        assert app.user.role == Role.HAULIER
    with Session(engine) as s:
        u = s.exec(select(User).where(User.name == "dh.admin")).one()
        party = s.exec(select(Party).where(Party.code == "HAUL1")).one()
    assert (u.party_id, u.party_admin) == (party.id, True)


async def test_users_is_for_the_admin_only(bare_console) -> None:
    app = bare_console()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        assert "users" not in {a.id for a in app.areas}
        assert "parties" in {a.id for a in app.areas}


async def test_a_party_typed_in_one_burst_is_registered_whole(bare_console, engine) -> None:
    """Enter moved on as it arrived but the last one read the fields before they had taken
    the characters typed before it: 'fill in the code' with the code on screen (tmux)."""
    from textual import events

    from tests.ui.test_burst_typing import burst

    app = bare_console()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        await pilot.press("f14")
        await wait_for(pilot, lambda: getattr(app.screen, "rows", None) is not None)
        screen = app.screen
        await pilot.press("a")
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "f-code")
        burst(app, f"YGWL\rYangshan Gang Logistics\rhaulier\r{USCI}")
        for key in ("shift+tab", "shift+tab", "shift+tab", "ctrl+u"):  # the code again
            app.post_message(events.Key(key, None))
        burst(app, "YGWL\r\r\r\r")
        await wait_for(pilot, lambda: "YGWL" in screen.rows, what="registered")
    assert screen.rows["YGWL"].name == "Yangshan Gang Logistics"
