"""What a role with no area yet sees: who they are and that their screens are to come."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from portops.i18n import N_, _
from portops.ui.screens.base import AreaScreen


class HomeScreen(AreaScreen):
    TITLE = N_("portops")
    HELP = N_("There is no area of work for your role in this console yet.")

    def compose_body(self) -> ComposeResult:
        yield Static(id="home-text", classes="body")

    def on_mount(self) -> None:
        self.query_one("#home-text", Static).update(_(self.HELP))
