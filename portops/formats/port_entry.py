"""The port-entry clearance file (``kind: port_entry``): clearances that arrive as a message.

A site whose maritime authority or customs sends the vessel's clearance electronically turns
the message into this small file (or writes it by hand) and imports it with ``portops
import``; each clearance is recorded as the console's form records it
(:func:`portops.ops.port_entry.import_clearances`). Format: ``docs/formats.md``.

A time is typed as in the console (``14:30``, ``07 14:30``, ``2026-12-07 14:30``, or ISO 8601
with its offset): its shape is checked here, with the file's line; the operation reads it in
the terminal's zone (the file is parsed without the database).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from portops.clock import TYPED_FORMS, TimeTextError, parse_typed
from portops.formats import registry
from portops.formats.fields import choice, text
from portops.formats.yamlsrc import Fields, Map
from portops.i18n import N_, Said
from portops.ops.flags import REFERENCE_MAX
from portops.ops.port_entry import AUTHORITY_MAX, Clearance, import_clearances

_TOP = ["kind", "version", "clearances"]
_ITEM = ["visit", "reference", "authority", "cleared"]


def _time(value: Any) -> str | datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value.strip():
        try:  # the shape only: the zone and "today" are the terminal's, read by the operation
            parse_typed(value, "UTC", datetime.now(UTC))
        except TimeTextError:
            pass
        else:
            return value.strip()
    raise ValueError(Said(N_("{value!r} is not a time; write it as {TYPED_FORMS} (terminal "
                             "time) or with its offset, 2026-12-07T06:30Z"),
                          value=value, TYPED_FORMS=TYPED_FORMS))


def parse_port_entry(doc: Map, path: str) -> dict:
    """Read a port_entry document into :class:`Clearance` entries (every problem at once)."""
    f = Fields()
    f.known(doc, _TOP, Said(N_("a port_entry file")))
    f.get(doc, "version", choice(1), default=1)
    items = []
    for c in f.items(doc, "clearances", Said(N_("clearances"))):
        f.known(c, _ITEM, Said(N_("a clearance")))
        items.append(Clearance(
            where=c.where, visit=(f.get(c, "visit", text(32)) or "").upper(),
            reference=f.get(c, "reference", text(REFERENCE_MAX)) or "",
            authority=f.get(c, "authority", text(AUTHORITY_MAX)) or "",
            cleared=f.get(c, "cleared", _time, default=None)))
    f.unique([(c.visit or None, c.where) for c in items], Said(N_("visit")))
    f.raise_if_any()
    return {"source": path, "clearances": items}


registry.register_yaml("port_entry", parse_port_entry, import_clearances,
                       summary=N_("port-entry clearances (靠港手续) of vessel visits"))
