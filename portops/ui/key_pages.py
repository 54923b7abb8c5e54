"""A footer in pages, for a screen whose keys do not fit one line at 80 columns.

The gate (F9) has a dozen keys; on two footer lines they took a line from the truck in hand
(issue 14). A screen that mixes :class:`KeyPages` in before ``AreaScreen`` names in
``KEY_PAGES`` the actions each page of its footer shows, with one key (``action_more``,
declared by the screen and on every page) that turns to the next page. Only what the
footer shows changes: every key works whichever page is shown, and F1 and the palette list
them all. On a screen wide enough for every key (``PAGED_BELOW``) there are no pages.
"""

from __future__ import annotations

from typing import Any, ClassVar

#: The palette's key in the footer (Textual draws it apart from the other keys).
PALETTE = "app.command_palette"


class KeyPages:
    #: The actions (``admit``, ``app.help``, ``PALETTE``...) each page of the footer shows.
    KEY_PAGES: ClassVar[tuple[frozenset[str], ...]] = ()
    #: The action that turns the page (shown on every page; hidden when there are no pages).
    MORE_ACTION: ClassVar[str] = "more"
    #: Terminal columns from which every key is shown at once.
    PAGED_BELOW: ClassVar[int] = 130

    key_page = 0
    app: Any

    @property
    def paged(self) -> bool:
        return bool(self.KEY_PAGES) and self.app.size.width < self.PAGED_BELOW

    @property
    def active_bindings(self):  # noqa: ANN201 - Textual's ActiveBinding map
        """The keys that work now, less those the footer's other pages show (they still
        work: Textual finds a key's binding through the focus chain, not through this)."""
        active = super().active_bindings  # type: ignore[misc]
        if not self.paged:
            return {key: b for key, b in active.items()
                    if b.binding.action != self.MORE_ACTION}
        page = self.KEY_PAGES[self.key_page % len(self.KEY_PAGES)] | {self.MORE_ACTION}
        return {key: b for key, b in active.items()
                if b.binding.action in page
                or not (b.binding.show or b.binding.action == PALETTE)}

    def action_more(self) -> None:
        if self.paged:
            self.key_page = (self.key_page + 1) % len(self.KEY_PAGES)
            self.refresh_bindings()  # type: ignore[attr-defined]
