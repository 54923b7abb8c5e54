"""KeysFooter: a bindings refresh that changes nothing shown leaves the footer's keys alone;
a key greyed or back is drawn again (Textual's footer rebuilt every key each time)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets._footer import FooterKey

from portops.ui.widgets.frame import KeysFooter
from tests.ui.conftest import wait_for


class FooterApp(App):
    BINDINGS = [("a", "arrive", "arrived"), ("s", "sort", "sort")]
    allowed = True

    def compose(self) -> ComposeResult:
        yield KeysFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return (True if self.allowed else None) if action == "arrive" else True

    def action_arrive(self) -> None: ...

    def action_sort(self) -> None: ...


def _keys(app: App) -> dict[str, FooterKey]:
    return {k.key: k for k in app.query(FooterKey)}


async def test_the_footer_is_rebuilt_only_when_what_it_shows_changes() -> None:
    app = FooterApp()
    async with app.run_test(size=(60, 5)) as pilot:
        await wait_for(pilot, lambda: "a" in _keys(app), timeout=10)
        before = _keys(app)

        for _ in range(3):  # focus changes, cursor checks: nothing new to show
            app.refresh_bindings()
            await pilot.pause()
        assert _keys(app) == before  # the very same widgets

        app.allowed = False  # "arrived" is not allowed now: greyed
        app.refresh_bindings()
        await wait_for(pilot, lambda: _keys(app)["a"].has_class("-disabled"), timeout=10)
        assert _keys(app)["s"] is not before["s"]
