"""A footer in pages, one line at 80 columns on every screen (its keys would wrap onto two).

The gate (F9) has a dozen keys; on two footer lines they took a line from the truck in hand
(issue 14), and Users, Yard, Tally and Export took two lines too. Every ``AreaScreen`` is a
:class:`KeyPages`: when its keys do not fit one line of the terminal, the footer shows them a
page at a time, each page as many keys as fit beside the page key (``m``, ``^O`` while a field
takes the ``m``: :data:`MORE`) and F1's, in the order declared. Only what the footer shows
changes: every key works whichever page is shown (Textual finds a key's binding through the
focus chain, not through ``active_bindings``), and F1 and the palette list them all.

A screen may name its pages itself in ``KEY_PAGES`` (the gate: the truck in hand first) with
its own ``more`` command; on a screen wide enough for every key (``PAGED_BELOW``) those pages
are left off too.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.cells import cell_len

from portops.i18n import N_
from portops.ui.commands import Command

#: The palette's key in the footer (Textual draws it apart from the other keys).
PALETTE = "app.command_palette"
#: What every page shows besides its own keys.
ON_EVERY_PAGE = frozenset({"app.help"})
#: The page key of a screen that names none of its own. A screen whose own commands take
#: ``m`` pages with ``^O`` alone, one whose commands take ``^O`` with ``m`` and ``^Z`` in a
#: field (:func:`more_command`).
MORE = Command("keys.more", "m", N_("more"),
               N_("Show the footer's other keys when they do not fit one line, and again the "
                  "first ones (every key works whichever are shown)."), "more",
               field_key="ctrl+o")
OTHER_FIELD_KEY = "ctrl+z"


def more_command(commands: tuple[Command, ...]) -> Command | None:
    """The page key for a screen with ``commands``: none if it declares its own ``more``,
    else :data:`MORE` on keys its commands leave free."""
    if any(c.action == MORE.action for c in commands):
        return None
    taken = {k for c in commands for k in (c.key, c.field_key) if k}
    if MORE.key in taken:
        return Command(MORE.id, "ctrl+o" if "ctrl+o" not in taken else OTHER_FIELD_KEY,
                       MORE.title, MORE.help, MORE.action, MORE.group)
    if MORE.field_key in taken:
        return Command(MORE.id, MORE.key, MORE.title, MORE.help, MORE.action, MORE.group,
                       field_key=OTHER_FIELD_KEY)
    return MORE


def key_cells(key_display: str, description: str, palette: bool, compact: bool) -> int:
    """Cells a footer key takes (Footer's paddings and margins): " key description " or, in
    the compact style, "key description" and a space; the command palette's key its border
    and, not compact, its right padding too."""
    key, text = cell_len(key_display), cell_len(description)
    if compact:
        return key + (text + 1 if text else 0) + 1
    return key + 2 + (text + 1 if text else 0) + (2 if palette else 0)


def split_pages(keys: list[tuple[str, int]], more: int, width: int,
                every: frozenset[str] = ON_EVERY_PAGE) -> list[frozenset[str]]:
    """``keys`` (action, cells) in pages of one line of ``width`` cells, each with room for
    the page key (``more`` cells) and the keys of ``every``; one page if all fit at once."""
    if sum(cells for _action, cells in keys) <= width:
        return [frozenset(action for action, _cells in keys)]
    sticky = [(a, c) for a, c in keys if a in every]
    room = width - more - sum(c for _a, c in sticky)
    pages: list[list[str]] = [[]]
    used = 0
    for action, cells in keys:
        if action in every:
            continue
        if pages[-1] and used + cells > room:
            pages.append([])
            used = 0
        pages[-1].append(action)
        used += cells
    return [frozenset(page) | {a for a, _c in sticky} for page in pages]


class KeyPages:
    #: The actions (``admit``, ``app.help``, ``PALETTE``...) each page of the footer shows;
    #: empty: as many keys as fit on each page, in their order.
    KEY_PAGES: ClassVar[tuple[frozenset[str], ...]] = ()
    #: The action that turns the page (shown on every page; hidden when there are no pages).
    MORE_ACTION: ClassVar[str] = "more"
    #: Terminal columns from which every key of named ``KEY_PAGES`` is shown at once.
    PAGED_BELOW: ClassVar[int] = 130

    key_page = 0
    app: Any

    def key_pages(self, active: dict) -> tuple[frozenset[str], ...]:
        """The footer's pages now: the screen's own, or those the terminal's width makes."""
        width = self.app.size.width
        if self.KEY_PAGES:
            return self.KEY_PAGES if width < self.PAGED_BELOW else ()
        keys: dict[str, int] = {}
        more = 0
        for key, b in active.items():
            binding, action = b.binding, self._shown_action(key, b)
            if action is None or action in keys or (action == self.MORE_ACTION and more):
                continue  # the footer shows an action's first key only
            cells = key_cells(binding.key_display or self.app.get_key_display(binding),
                              binding.description, action == PALETTE, compact=True)
            if action == self.MORE_ACTION:
                more = cells
            else:
                keys[action] = cells
        pages = split_pages(list(keys.items()), more, width)
        return tuple(pages) if len(pages) > 1 else ()

    #: Every key that works now, before paging (``AreaScreen``: the screen's active bindings
    #: as the footer shows them).
    keys_now: dict

    def _shown_action(self, key: str, b: Any) -> str | None:
        """The action a key shows in the footer (the palette's, whichever binds Ctrl+P: the
        app's own or the console's), or None for a key the footer does not show."""
        if key == self.app.COMMAND_PALETTE_BINDING or b.binding.action == PALETTE:
            return PALETTE
        return b.binding.action if b.binding.show else None

    @property
    def paged(self) -> bool:
        return bool(self.key_pages(self.keys_now))

    def page_of(self, active: dict) -> dict:
        """``active`` (key → ActiveBinding) less the keys the footer's other pages show."""
        pages = self.key_pages(active)
        if not pages:
            return {key: b for key, b in active.items()
                    if b.binding.action != self.MORE_ACTION}
        page = pages[self.key_page % len(pages)] | {self.MORE_ACTION}
        return {key: b for key, b in active.items()
                if (action := self._shown_action(key, b)) is None or action in page}

    def action_more(self) -> None:
        pages = self.key_pages(self.keys_now)
        if pages:
            self.key_page = (self.key_page + 1) % len(pages)
            self.refresh_bindings()  # type: ignore[attr-defined]
