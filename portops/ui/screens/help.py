"""F1: what the screen below is for, its keys, the areas and the console's own keys."""

from __future__ import annotations

from rich.console import Group
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

    def _build_help(self) -> Group:
        """The screen's title and paragraph across the whole width (at 80 columns it stood in
        a second column 22 cells in, half its lines wasted), then each list of keys as a
        grid whose key column is as wide as its longest key."""
        from portops.ui.screens.base import AreaScreen

        about = self.about
        parts: list = [Text(_(getattr(about, "TITLE", "portops")), style="bold underline")]
        if isinstance(about, AreaScreen) and about.help_text():
            # fold: a Chinese paragraph has no spaces to wrap at, and was cut with "…"
            parts.append(Text(about.help_text(), overflow="fold"))
        cmds: tuple[Command, ...] = getattr(about, "COMMANDS_DECLARED", ())
        self._section(parts, _("Keys on this screen"),
                      [(self._keys(cmd), f"{_(cmd.title)} — {_(cmd.help)}") for cmd in cmds])
        app = self.app
        if getattr(app, "areas", None):
            self._section(parts, _("Areas"),
                          [(area.key_label, _(area.title)) for area in app.areas])
        self._section(parts, _("Everywhere"),
                      [(self._keys(cmd), f"{_(cmd.title)} — {_(cmd.help)}")
                       for cmd in APP_COMMANDS] + [("Esc", _("close this help"))])
        return Group(*parts)

    @staticmethod
    def _keys(cmd: Command) -> str:
        """A command's keys as a person reads them: A, F1, Esc, ^P; and its field key."""
        key = cmd.key_display or key_label(cmd.key)
        key = key.upper() if len(key) == 1 and key.islower() else key  # a; not End
        if cmd.field_key:  # the key that works while a field takes the character
            key += f" / {key_label(cmd.field_key)}"
        return key

    @staticmethod
    def _section(parts: list, heading: str, rows: list[tuple[str, str]]) -> None:
        if not rows:
            return
        grid = Table.grid(padding=(0, 2), expand=True)
        grid.add_column(no_wrap=True, style="bold")
        grid.add_column(ratio=1, overflow="fold")
        for key, text in rows:
            grid.add_row(key, text)
        parts += [Text(""), Text(heading, style="bold underline"), grid]
