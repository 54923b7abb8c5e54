"""F1: what the screen below is for, its keys, the areas and the console's own keys."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from portops.i18n import _
from portops.ui.commands import APP_COMMANDS, Command, key_label


class HelpScreen(ModalScreen[None]):
    BINDINGS = [("escape", "dismiss", "close"), ("f1", "dismiss", "close"),
                ("q", "dismiss", "close")]

    def __init__(self, about: Screen) -> None:
        super().__init__()
        self.about = about

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(self._build_help(), id="help-text")

    def _build_help(self) -> Table:
        from portops.ui.screens.base import AreaScreen

        about = self.about
        grid = Table.grid(padding=(0, 2), expand=True)
        grid.add_column(no_wrap=True, style="bold")
        # fold: a Chinese paragraph has no spaces to wrap at, and was cut with "…"
        grid.add_column(ratio=1, overflow="fold")
        title = _(getattr(about, "TITLE", "portops"))
        grid.add_row(Text(title, style="bold underline"), "")
        if isinstance(about, AreaScreen) and about.help_text():
            grid.add_row("", about.help_text())
        cmds: tuple[Command, ...] = getattr(about, "COMMANDS_DECLARED", ())
        self._section(grid, _("Keys on this screen"), cmds)
        app = self.app
        if getattr(app, "areas", None):
            grid.add_row("", "")
            grid.add_row(Text(_("Areas"), style="bold underline"), "")
            for area in app.areas:
                grid.add_row(area.key_label, _(area.title))
        self._section(grid, _("Everywhere"), APP_COMMANDS)
        grid.add_row("", "")
        grid.add_row("Esc", _("close this help"))
        return grid

    @staticmethod
    def _section(grid: Table, heading: str, cmds: tuple[Command, ...]) -> None:
        if not cmds:
            return
        grid.add_row("", "")
        grid.add_row(Text(heading, style="bold underline"), "")
        for cmd in cmds:
            key = cmd.key_display or cmd.key
            key = key.upper() if len(key) <= 3 and key.islower() else key  # f1, a; not End
            if cmd.field_key:  # the key that works while a field takes the character
                key += f" / {key_label(cmd.field_key)}"
            grid.add_row(key, f"{_(cmd.title)} — {_(cmd.help)}")
