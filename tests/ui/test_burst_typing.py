"""Keys that arrive in one burst (a scanner, a paste, a fast typist over ssh) land in the
fields they were typed for."""

from __future__ import annotations

from textual import events

from portops.ui.screens.gate_forms import FieldsForm
from tests.ui.conftest import wait_for


def burst(app, text: str) -> None:
    """Post every key at once, as a terminal delivers a burst (Pilot.press waits per key)."""
    names = {"\t": "tab", "\r": "enter"}
    for ch in text:
        key = names.get(ch, ch)
        app.post_message(events.Key(key, None if key in ("tab", "enter") else ch))


async def _booking_form(app, pilot, got: list, slot: str, required: tuple[str, ...]
                        ) -> FieldsForm:
    """The booking form's first four fields, open, with the cursor in the box number."""
    form = FieldsForm("book", [("container", "container", ""), ("slot", "slot", slot),
                               ("haulier", "haulier", ""), ("plate", "plate", "")],
                      required=required)
    await app.push_screen(form, got.append)
    await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "f-container",
                   what="the form")
    return form


async def test_a_burst_of_keys_fills_each_field_in_turn(console) -> None:
    app = console()
    got: list[dict | None] = []
    async with app.run_test(size=(80, 24)) as pilot:
        form = FieldsForm("burst", [("container", "number", ""), ("seal", "seal", ""),
                                    ("damage", "damage", "")], required=("container",))
        await app.push_screen(form, got.append)
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "f-container",
                       what="the form")
        burst(app, "MSCU1234565\tSL0001\tdent\r")
        await wait_for(pilot, lambda: got, what="the form's values")
    assert got == [{"container": "MSCU1234565", "seal": "SL0001", "damage": "dent"}]


async def test_a_password_typed_right_behind_the_name_lands_in_its_field(console) -> None:
    from portops.model import Role
    from tests.conftest import as_role
    from tests.ui.conftest import PASSWORD

    app = console()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "name",
                       what="the sign-in form")
        burst(app, f"{as_role(Role.GATE_CLERK)}\r{PASSWORD}\r")
        await wait_for(pilot, lambda: app.user is not None, what="signed in")
    assert app.user.role == Role.GATE_CLERK


async def test_enter_with_a_required_field_empty_puts_the_cursor_there(console) -> None:
    """The booking form: Enter after the box number names the missing haulier and moves
    there, so the clerk's next keys fill it instead of running on in the box number."""
    from textual.widgets import Static

    app = console()
    got: list[dict | None] = []
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _booking_form(app, pilot, got, "2026-11-27 14:00",
                                   required=("container", "slot", "haulier"))
        await pilot.press(*"MSCU1234565", "enter")
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "f-haulier",
                       what="the cursor in the haulier field")
        assert "haulier" in str(form.query_one("#form-error", Static).render())
        await pilot.press(*"HAUL1", "enter")
        await wait_for(pilot, lambda: got, what="the form's values")
    assert got == [{"container": "MSCU1234565", "slot": "2026-11-27 14:00", "haulier": "HAUL1",
                    "plate": ""}]


async def test_every_field_of_the_booking_form_can_be_seen_at_80x24(console) -> None:
    """Six fields are taller than 24 lines: the form scrolls the field with the cursor into
    view, and the missing-field message stays on screen."""
    from textual.widgets import Static

    app = console()
    async with app.run_test(size=(80, 24)) as pilot:
        names = ["container", "slot", "haulier", "plate", "driver_name", "driver_id"]
        form = FieldsForm("book", [(n, n, "") for n in names], required=("container",))
        await app.push_screen(form)
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "f-container",
                       what="the form")
        for _ in names[1:]:
            await pilot.press("tab")
        await wait_for(pilot, lambda: app.focused.id == "f-driver_id", what="the last field")
        await pilot.pause()
        last = app.focused.region
        assert last.height > 0 and last.bottom <= 24
        await pilot.press("enter")  # the box number is missing
        await wait_for(pilot, lambda: app.focused.id == "f-container", what="back to the box")
        await pilot.pause()
        error = form.query_one("#form-error", Static)
        assert "container" in str(error.render()) and error.region.height > 0


async def test_editing_keys_in_a_burst_edit_the_field_they_were_typed_in(console) -> None:
    """Ctrl+U and Backspace are the Input's key bindings, which Textual runs when the key
    comes back up to the app: in a burst the Tabs behind them had moved the focus on, and
    they cleared the next field (the haulier vanished at the gate, typed after Ctrl+U in
    the slot field)."""
    app = console()
    got: list[dict | None] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await _booking_form(app, pilot, got, "2026-11-27 23:00", required=("container",))
        keys = [("B", "B"), ("tab", None), ("ctrl+u", None), ("2", "2"), ("tab", None),
                ("S", "S"), ("X", "X"), ("backspace", None), ("tab", None), ("A", "A"),
                ("enter", None)]
        for key, ch in keys:
            app.post_message(events.Key(key, ch))
        await wait_for(pilot, lambda: got, what="the form's values")
    assert got == [{"container": "B", "slot": "2", "haulier": "S", "plate": "A"}]
