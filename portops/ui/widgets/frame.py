"""The frame around every area: the area bar on top, the status line and the footer below."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.containers import HorizontalGroup
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static
from textual.widgets._footer import FooterKey

from portops.clock import local
from portops.i18n import _
from portops.ui.areas import ROLE_TITLES
from portops.ui.key_pages import key_cells

if TYPE_CHECKING:
    from portops.ui.app import PortopsApp


class AreaBar(Static):
    """The areas this user may open, each with its function key; the current one stands out.

    Every key stays on screen however narrow it is (an admin has 14 areas, a gate booth's
    terminal 80 columns): the titles of the other areas are shortened as far as needed, then
    left out (F1 lists them in full), and only if the keys alone do not fit does the bar take
    a second line. The current area always shows its whole title.
    """

    app: PortopsApp

    def on_mount(self) -> None:
        self.watch(self.app, "current_mode", self._draw, init=True)

    def on_resize(self) -> None:
        self._draw()

    def _draw(self, _mode: str | None = None) -> None:
        width = self.size.width or self.app.size.width
        entries = [(area.key_label, area.label, area.id == self.app.current_mode)
                   for area in self.app.areas]
        self.update(fit_areas(entries, width))


#: Shortest shortened title on one line, and on two (shorter, titles are left out: F1 lists
#: them).
SHORT_ON_ONE_LINE, SHORT_ON_TWO_LINES = 6, 4


def fit_areas(entries: list[tuple[str, str, bool]], width: int) -> Text:
    """The area bar for ``entries`` (key label, title, current) in ``width`` cells: one line
    with titles shortened to no less than 6 cells, else two lines with titles of 4 or more,
    else the keys alone (wrapped only if even they do not fit)."""
    longest = max((cell_len(title) for _key, title, _c in entries), default=0)
    for lines, shortest in ((1, SHORT_ON_ONE_LINE), (2, SHORT_ON_TWO_LINES)):
        for limit in range(longest, shortest - 1, -1):
            wrapped = _wrap(entries, limit, width)
            if len(wrapped) <= lines:
                return Text("\n", no_wrap=True).join(wrapped)
    return Text("\n", no_wrap=True).join(_wrap(entries, 0, width))


def _wrap(entries: list[tuple[str, str, bool]], limit: int, width: int) -> list[Text]:
    """The bar's lines, broken between areas, never inside one."""
    lines: list[Text] = [Text(no_wrap=True, overflow="crop")]
    for entry in entries:
        part = _bar([entry], limit)
        if lines[-1].cell_len and lines[-1].cell_len + part.cell_len > width:
            lines.append(Text(no_wrap=True, overflow="crop"))
        lines[-1].append_text(part)
    return lines


def _bar(entries: list[tuple[str, str, bool]], limit: int) -> Text:
    text = Text(no_wrap=True, overflow="crop")
    for key, title, current in entries:
        text.append(f" {key} ", style="reverse" if current else "bold")
        if current:
            text.append(f"{title} ", style="bold")
        elif limit:
            text.append(f"{_shorten(title, limit)} ")
    return text


def _shorten(title: str, limit: int) -> str:
    if cell_len(title) <= limit:
        return title
    return set_cell_size(title, limit - 1).rstrip() + "…"


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
    """Textual's footer, rebuilt only when the keys it shows change, on as many lines as its
    keys need.

    ``Footer`` recomposes all its keys (a dozen widgets, each restyled) whenever the screen's
    bindings are refreshed: at every focus change, cursor check and opened filter line,
    though what it shows mostly stays the same (a quarter of the console's start-up work after
    sign-in, issue 3). Here a refresh that leaves every shown key, text and greyed state as it
    is leaves the footer alone.

    Textual's footer is one line that cuts off what does not fit ("f10 s▏" at 80 columns,
    issue 14): here the keys are laid out in rows of the width there is, broken between keys,
    so every key stays on screen.
    """

    DEFAULT_CSS = """
    KeysFooter { layout: vertical; height: auto; }
    KeysFooter > .footer-row { layout: horizontal; height: 1; width: 100%; }
    KeysFooter.-compact FooterKey.-command-palette { margin-right: 0; }
    """

    _shown: tuple | None = None
    _width = 0

    def compose(self):
        self._shown = self._keys(self.screen) if self._bindings_ready else None
        self._width = width = self.app.size.width
        items = list(super().compose())
        # Textual's compact style (a cell less per key) before a second line
        compact = sum(_footer_width(item, False) for item in items) > width
        self.set_class(compact, "-compact")
        self.set_reactive(Footer.compact, compact)
        for item in items:
            if isinstance(item, FooterKey):
                item.set_class(compact, "-compact")
        row: list[Widget] = []
        used = 0
        for item in items:
            need = _footer_width(item, compact)
            if row and used + need > width:
                yield HorizontalGroup(*row, classes="footer-row")
                row, used = [], 0
            row.append(item)
            used += need
        if row:
            yield HorizontalGroup(*row, classes="footer-row")

    def on_resize(self) -> None:
        if self._bindings_ready and self.app.size.width != self._width:
            self.call_after_refresh(self.recompose)

    def bindings_changed(self, screen: Screen) -> None:
        if self._shown is not None and screen is self.screen and self._keys(screen) == self._shown:
            return
        super().bindings_changed(screen)

    def _keys(self, screen: Screen) -> tuple:
        return (self.app.ENABLE_COMMAND_PALETTE and self.show_command_palette, *(
            (key, binding.action, binding.description, binding.key_display, binding.show,
             enabled, tooltip, binding.tooltip, binding.group) for key, (_node, binding, enabled, tooltip)
            in screen.active_bindings.items()))


def _footer_width(item: Widget, compact: bool) -> int:
    """Cells a footer key takes (``key_pages.key_cells``: the pages are cut by the same)."""
    if not isinstance(item, FooterKey):
        return 20  # (binding groups: the console has none)
    return key_cells(item.key_display, item.description,
                     item.has_class("-command-palette"), compact)
