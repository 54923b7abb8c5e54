"""Where notifications show: away from the field in use (issue 14).

Textual stacks its toasts at the bottom right, 60 cells wide: at 80 columns that is over the
lower half of every form (a form is 70 to 76 cells wide, centred), and a refusal stayed on the
field being mended for about 8 s. Here the toasts go to the half of the screen that does not
hold the focused widget: at the bottom while the cursor is in the upper half (the tally's
number field, a form's first fields), at the top while it is in the lower half. They are one
line of padding smaller too (``portops.tcss``).
"""

from __future__ import annotations

from textual.screen import Screen


def place_toasts(screen: Screen) -> None:
    """Dock ``screen``'s toasts on the side away from its focused widget."""
    focused = screen.focused
    lower = (focused is not None and focused.region.height > 0
             and focused.region.y + focused.region.height / 2 > screen.size.height / 2)
    screen.set_class(lower, "-toasts-top")  # portops.tcss docks them at the top then
