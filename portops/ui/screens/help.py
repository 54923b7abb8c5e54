"""F1: what the screen below is for, its keys, the areas and the console's own keys."""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from portops.i18n import _
from portops.ui.commands import APP_COMMANDS, Command, key_label

#: A CJK character (or full-width punctuation): a line may break before or after any one.
_CJK = "\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\uff00-\uffef"
#: Punctuation that never starts a line: it stays with the character before it.
_CLOSING = "，。：；、！？）》」』】"
_TOKENS = re.compile(rf"\s+|[{_CJK}][{_CLOSING}]*|[^\s{_CJK}]+[{_CLOSING}]*")


class Paragraph:
    """Text wrapped at spaces and between Chinese characters, by cells.

    Rich wraps only at spaces: a Chinese sentence is one long word to it, so the line before
    it ended early ("或按 t" alone on a line, the rest folded below). Here a line breaks
    between any two Chinese characters, and at spaces in English, filling each line."""

    def __init__(self, text: str) -> None:
        self.tokens = _TOKENS.findall(text)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        words = [cell_len(t) for t in self.tokens if not t.isspace()] or [1]
        whole = sum(1 if t.isspace() else cell_len(t) for t in self.tokens)
        return Measurement(min(max(words), options.max_width), min(whole, options.max_width))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(1, options.max_width)
        lines, line, space = [], "", False
        for token in self.tokens:
            if token.isspace():
                space = bool(line)
                continue
            piece = f" {token}" if space else token
            if cell_len(line) + cell_len(piece) > width and line:
                lines.append(line)
                piece = token
                line = ""
            line += piece
            space = False
        lines.append(line)
        yield Text("\n".join(lines), overflow="fold")


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
            # a Chinese paragraph has no spaces to wrap at: it was cut with "…", then folded
            parts.append(Paragraph(about.help_text()))
        cmds: tuple[Command, ...] = getattr(about, "COMMANDS_DECLARED", ())
        self._section(parts, _("Keys on this screen"),
                      [(self._keys(cmd), f"{_(cmd.title)} — {_(cmd.help)}") for cmd in cmds])
        app = self.app
        if getattr(app, "areas", None):
            self._section(parts, _("Areas"),
                          [(area.key_label, area.label) for area in app.areas])
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
            grid.add_row(key, Paragraph(text))
        parts += [Text(""), Text(heading, style="bold underline"), grid]
