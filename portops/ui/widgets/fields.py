"""Enter as "next field", in the order keys arrive (for forms a scanner or a fast typist fills).

Bind Enter as a *priority* key and call :func:`focus_next_field` from its action: a priority
binding runs when the key arrives, before the keys typed right behind it are dispatched, so
they land in the next field. ``Input.Submitted`` (or ``Widget.focus()``, which moves the focus
only after a refresh) would act after those keys had already gone to the field being left.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.screen import Screen
from textual.widget import Widget


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
