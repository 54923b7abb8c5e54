"""Many messages in one interchange: what a partner's system (and pydifact) reads back.

Some messages are made and stored one by one (each EIR keeps its own CODECO interchange);
a report of many of them (the arrival report) must not be those interchanges run together
(``UNA…UNZ UNA…UNZ``: neither portops nor pydifact reads that back). :func:`join` takes
their messages out of their envelopes and writes ONE interchange: one UNB, the messages
numbered 1..n with their UNT counts, one UNZ counting them, under one control reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from portops.formats.edifact.syntax import EdifactError, interchange_text, parse


def join(texts: Sequence[str], *, control_ref: str, prepared: datetime) -> str:
    """One interchange holding every message of ``texts`` (each an interchange or a bare
    message), in order, with their sender and recipient (those of the first)."""
    bodies: list[tuple[tuple[str, ...], list]] = []
    sender = recipient = ""
    for text in texts:
        inter = parse(text)
        sender, recipient = sender or inter.sender, recipient or inter.recipient
        for m in inter.messages:
            ident = tuple(p for p in (m.type, m.version, m.release, m.agency, m.association))
            while ident and not ident[-1]:
                ident = ident[:-1]
            bodies.append((ident, m.body))
    if not bodies:
        raise EdifactError("there is no message to write")
    return interchange_text(bodies, sender=sender, recipient=recipient, control_ref=control_ref,
                            prepared=prepared)
