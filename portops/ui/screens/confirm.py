"""A yes/no question before a step that cannot be undone, answered by one key.

``y`` answers yes; ``n``, Escape and Enter answer no: the safe answer is the default, so a key
pressed out of habit (Enter after a number, a second ctrl+e) changes nothing. The operation
keeps its own rules; this is only the console asking first (walker item 2: ctrl+e declared
every untallied box short-landed with one key).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from portops.i18n import N_, _


class ConfirmDialog(ModalScreen[bool]):
    """Ask ``question`` (a title line and the details under it); dismiss with True on y."""

    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    ConfirmDialog .form { width: 64; max-width: 100%; }
    ConfirmDialog #cf-body { height: auto; max-height: 12; }
    ConfirmDialog #cf-keys { height: auto; padding: 1 0 0 0; color: $text-muted; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", N_("yes"), id="confirm.yes"),
        Binding("n", "answer(False)", N_("no"), id="confirm.no"),
        Binding("escape", "answer(False)", N_("no"), show=False),
        Binding("enter", "answer(False)", N_("no"), show=False),
    ]

    def __init__(self, title: str, body: str = "") -> None:
        super().__init__()
        self.title_text, self.body = title, body

    def compose(self) -> ComposeResult:
        with Vertical(classes="form", id="cf-form"):
            yield Static(self.title_text, classes="form-title", id="cf-title", markup=False)
            if self.body:
                yield Static(self.body, id="cf-body", markup=False)
            yield Static(_("y yes · n, Enter or Esc no (nothing changes)"), id="cf-keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
