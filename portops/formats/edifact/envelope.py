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

from portops.formats.edifact.interchange import parse
from portops.formats.edifact.syntax import EdifactError, interchange_text, tokenize
from portops.i18n import N_, Said


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
        raise EdifactError(Said(N_("there is no message to write")))
    return interchange_text(bodies, sender=sender, recipient=recipient, control_ref=control_ref,
                            prepared=prepared)


#: Characters of the level A and B character sets (ISO 9735): A is upper case only.
_LEVEL_A = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-()/='+:?!\"%&*;<>\n\r")
_LEVEL_B = _LEVEL_A | set("abcdefghijklmnopqrstuvwxyz")


def check_declared(text: str) -> list[str]:
    """What in ``text`` breaks the syntax its UNB declares (empty: nothing): the character
    set (UNOA, UNOB, UNOC = Latin-1; UNOW = UTF-8, only from version 4), the date (6 digits
    up to version 3, 8 from version 4), and the envelope's counts and references."""
    parse(text)  # strict: UNT/UNZ counts and references
    unb = tokenize(text)[1][0]
    out: list[str] = []
    if unb.tag != "UNB":
        return ["the text has no UNB to declare its syntax"]
    charset, version, day = unb.get(0, 0), unb.get(0, 1), unb.get(3, 0)
    want = 8 if version >= "4" else 6
    if not (day.isdigit() and len(day) == want):
        out.append(f"UNB date {day!r} under syntax version {version or '?'} must have {want} "
                   "digits")
    body = text.split("'", 1)[1] if text.startswith("UNA") else text
    if charset == "UNOA" and not set(body) <= _LEVEL_A:
        out.append("UNOA allows upper case letters, digits and few signs only")
    elif charset == "UNOB" and not set(body) <= _LEVEL_B:
        out.append("UNOB allows letters, digits and few signs only")
    elif charset == "UNOC":
        try:
            text.encode("latin-1")
        except UnicodeEncodeError:
            out.append("UNOC is Latin-1; the text holds characters outside it")
    elif charset == "UNOW" and version < "4":
        out.append("UNOW (UTF-8) needs syntax version 4")
    elif charset not in ("UNOA", "UNOB", "UNOC", "UNOW"):
        out.append(f"character set {charset!r} is not one portops writes")
    return out
