"""Keys act in the order they arrive, for forms a scanner or a fast typist fills.

:class:`FieldInput` is an ``Input`` whose editing keys act on it in their turn.

Bind Enter as a *priority* key and call :func:`focus_next_field` from its action: a priority
binding runs when the key arrives, before the keys typed right behind it are dispatched, so
they land in the next field. ``Input.Submitted`` (or ``Widget.focus()``, which moves the focus
only after a refresh) would act after those keys had already gone to the field being left.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from textual import events
from textual.binding import BindingsMap
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input


def focus_next_field(screen: Screen, fields: Sequence[Widget]) -> bool:
    """Move the focus from the focused field to the next one, at once.

    Returns False (nothing moved) when the focus is on the last field or on none of them:
    the caller then submits, or lets Enter through with ``SkipAction``.
    """
    focused = screen.focused
    if focused not in fields[:-1]:
        return False
    screen.set_focus(fields[list(fields).index(focused) + 1])
    return True


class FieldInput(Input):
    """An ``Input`` whose own editing keys (Backspace, Ctrl+U, Enter, the arrows...) act where
    and when they were typed.

    Textual runs a widget's key bindings when the key comes back up to the app, with the
    focus as it is by then. In a burst (a scanner, a paste, a fast typist over ssh) the Tabs
    typed after a Backspace or a Ctrl+U had already moved the focus on, so the edit cleared or
    shortened the next field instead (seen at the gate: the haulier typed after Ctrl+U in the
    slot field vanished). Here they act on this field, in their turn with the characters."""

    _OWN = BindingsMap(Input.BINDINGS)

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """Only the characters the field takes (its ``restrict``, tried one character at a
        time) are its own: any other stays a screen key (``[`` beside a container number)."""
        if not super().check_consume_key(key, character):
            return False
        return self.restrict is None or re.fullmatch(self.restrict, character) is not None

    async def _on_key(self, event: events.Key) -> None:
        if event.is_printable and not self.check_consume_key(event.key, event.character):
            event.prevent_default()  # not Input's either: it bubbles on to the screen's keys
            return
        own = None if event.is_printable else self._OWN.key_to_bindings.get(event.key)
        if not own:
            await super()._on_key(event)
            return
        event.stop()
        event.prevent_default()
        self._restart_blink()
        await self.run_action(own[0].action)
