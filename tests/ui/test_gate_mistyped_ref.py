"""A reference mistyped by one character at the gate (issue 16): the look-up says it is not a
valid reference (its check character does not fit) and the cursor stays on it to mend; the
reference typed in lower case, with a hyphen and O for 0 finds the truck."""

from __future__ import annotations

from portops import refs
from tests.ui.conftest import text_of, wait_for
from tests.ui.test_gate_console import _gate, world  # noqa: F401 (a fixture)


async def test_a_mistyped_reference_says_so_and_keeps_the_cursor(console, world) -> None:  # noqa: F811
    ref = world["ref"]
    typo = ref[:5] + ("1" if ref[5] != "1" else "2") + ref[6:]
    assert refs.mistyped(typo)
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await _gate(pilot)
        lookup = screen.query_one("#lookup")
        lookup.focus()
        await pilot.press(*typo, "enter")
        await wait_for(pilot, lambda: "not a valid reference" in text_of(
            screen.query_one("#gate-appt")), what="the refusal")
        await wait_for(pilot, lambda: screen.focused is lookup, what="the cursor back")
        lenient = f"{ref[:6].lower()}-{ref[6:].lower()}".replace("0", "o")
        await pilot.press("ctrl+u", *lenient, "enter")
        await wait_for(pilot, lambda: text_of(screen.query_one("#gate-appt")).startswith(ref),
                       what="the appointment")
