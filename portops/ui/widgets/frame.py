"""The frame around every area: the area bar on top, the status line and the footer below."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.screen import Screen
from textual.widgets import Footer, Static

from portops.clock import local
from portops.i18n import _
from portops.ui.areas import ROLE_TITLES

if TYPE_CHECKING:
    from portops.ui.app import PortopsApp


class AreaBar(Static):
    """The areas this user may open, each with its function key; the current one stands out."""

    app: PortopsApp

    def on_mount(self) -> None:
        self.watch(self.app, "current_mode", self._draw, init=True)

    def _draw(self, _mode: str | None = None) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        for area in self.app.areas:
            current = area.id == self.app.current_mode
            text.append(f" {area.key_label} ", style="reverse" if current else "bold")
            text.append(f"{_(area.title)} ", style="bold" if current else "")
        self.update(text)


class StatusLine(Static):
    """Terminal local time, the signed-in user and role, the database, the live mark."""

    app: PortopsApp

    def on_mount(self) -> None:
        self._draw()
        if self.app.settings.tick:
            self.set_interval(1.0, self._draw)

    def _draw(self) -> None:
        app = self.app
        tz = app.terminal.timezone
        now = local(app.clock.now(), tz)
        user = app.user
        who = f"{user.name} ({_(ROLE_TITLES[user.role])})" if user else _("not signed in")
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f" {now:%Y-%m-%d %H:%M:%S} {tz} ", style="bold")
        text.append("│ ")
        text.append(who)
        text.append(" │ ")
        text.append(app.database_label)
        self.update(text)


class KeysFooter(Footer):
    """Textual's footer, rebuilt only when the keys it shows change.

    ``Footer`` recomposes all its keys (a dozen widgets, each restyled) whenever the screen's
    bindings are refreshed: at every focus change, cursor check and opened filter line,
    though what it shows mostly stays the same (a quarter of the console's start-up work after
    sign-in, issue 3). Here a refresh that leaves every shown key, text and greyed state as it
    is leaves the footer alone.
    """

    _shown: tuple | None = None

    def compose(self):
        self._shown = self._keys(self.screen) if self._bindings_ready else None
        yield from super().compose()

    def bindings_changed(self, screen: Screen) -> None:
        if self._shown is not None and screen is self.screen and self._keys(screen) == self._shown:
            return
        super().bindings_changed(screen)

    def _keys(self, screen: Screen) -> tuple:
        return (self.app.ENABLE_COMMAND_PALETTE and self.show_command_palette, *(
            (key, binding.action, binding.description, binding.key_display, binding.show,
             enabled, tooltip, binding.tooltip, binding.group) for key, (_node, binding, enabled, tooltip)
            in screen.active_bindings.items()))
