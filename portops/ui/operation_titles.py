"""An operation as a person reads it: its summary (the docstring's first line) in the
console's language, not its id (``cargo.import_bayplan``).

Refusals name an operation by the same phrase (``Operation.action``) and
``portops.i18n_tools`` extracts every one for translation, so the titles need no list of
their own. The registry is complete only once every area is imported
(``portops.ops.load_all``): call that in the worker that reads the events, not here on the
screen's thread.
"""

from __future__ import annotations

from portops.i18n import _


def operation_title(name: str) -> str:
    """``name``'s summary, translated, with a capital first letter; the id itself for an
    operation this build does not know (an event written by an older or newer portops)."""
    from portops.ops.core import OPERATIONS

    op = OPERATIONS.get(name)
    if op is None:
        return name
    text = _(op.action)
    return text[:1].upper() + text[1:]
