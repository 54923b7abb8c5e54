"""Messages that flow up (or from the app down to the active screen)."""

from __future__ import annotations

from textual.message import Message

from portops.ui.live import Changes


class DataChanged(Message):
    """Other work changed the database: ``changes`` says which subjects (by kind and id)."""

    def __init__(self, changes: Changes) -> None:
        super().__init__()
        self.changes = changes
