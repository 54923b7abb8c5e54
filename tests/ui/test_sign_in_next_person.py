"""After F10 the sign-in form is the next person's (issue 13): the name field is empty, so
the next name typed is theirs alone (it was appended to the last person's and refused)."""

from __future__ import annotations

from portops.model import Role
from tests.conftest import as_role
from tests.ui.conftest import sign_in, wait_for


async def test_the_next_person_signs_in_after_f10(console) -> None:
    app = console()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        assert app.user is not None and app.user.name == as_role(Role.DISPATCHER)
        await pilot.press("f10")
        await wait_for(pilot, lambda: app.user is None and app.screen.query("#name"),
                       what="signed out")
        assert app.screen.query_one("#name").value == ""
        # typed straight away, as a person does: the cursor is in the name field
        await pilot.press(*as_role(Role.GATE_CLERK), "enter", *"correct horse", "enter")
        await wait_for(pilot, lambda: app.user is not None or
                       str(app.screen.query_one("#signin-message").render())
                       not in ("", "Checking…"), what="sign-in answer")
        assert app.user is not None and app.user.name == as_role(Role.GATE_CLERK), \
            str(app.screen.query_one("#signin-message").render())
