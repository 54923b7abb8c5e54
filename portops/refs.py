"""Appointment references a driver reads out at a kiosk and nobody can guess.

A reference used to be the row's id (``TA0000001``, ``TA0000002``, ...): whoever had one could
try its neighbours at the gate. A new one is a prefix (``TA`` a pickup, ``RA`` an export
delivery) and eight characters of Crockford's base32 (digits and capitals without I, L, O
and U, so nothing reads as something else over a phone): seven drawn from :mod:`secrets`
(35 bits: with a thousand live appointments a guess hits one in 34 million) and a check
character (Luhn mod 32 over the prefix and the seven), so a reference mistyped by one
character, or with two neighbours swapped (most of them), is refused as "not a valid
reference" instead of looking up nothing, or someone else's truck. Typed text is read
leniently: case, spaces and hyphens do not matter, O reads as 0 and I or L as 1.

References made before (``TA`` or ``RA`` and seven digits) stay valid as they are.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from sqlalchemy import select

#: Crockford's base32 alphabet: the value of a character is its place.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
#: What a person may type for a character that is not in the alphabet.
_READS_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
PREFIXES = ("TA", "RA")
#: Random characters after the prefix; the check character follows them.
BODY = 7
_LEGACY = re.compile(r"[TR]A\d{7}")
_SHAPED = re.compile(rf"[TR]A[0-9A-Z]{{{BODY + 1}}}")


def check_char(text: str) -> str:
    """The Luhn mod 32 check character of ``text`` (characters of :data:`ALPHABET`).

    Doubling every second value from the right is a permutation of 0..31, so any single
    changed character changes the sum; most swaps of neighbours do too."""
    total, factor = 0, 2
    for ch in reversed(text):
        v = _VALUE[ch] * factor
        total += v // 32 + v % 32
        factor = 3 - factor
    return ALPHABET[-total % 32]


def new_ref(prefix: str) -> str:
    """A fresh random reference, e.g. ``TA7K3M9QX`` + its check character."""
    body = prefix + "".join(secrets.choice(ALPHABET) for _ in range(BODY))
    return body + check_char(body)


def canonical(text: str) -> str:
    """What a typed reference means as stored: upper case, no spaces or hyphens, and in a
    new-style reference O as 0 and I, L as 1. Anything not shaped like a reference comes
    back stripped and upper-cased only (it may be a plate)."""
    key = text.strip().upper()
    squeezed = re.sub(r"[\s-]", "", key)
    if squeezed[:2] in PREFIXES and len(squeezed) == 2 + BODY + 1:
        return squeezed[:2] + squeezed[2:].translate(_READS_AS)
    return squeezed if _LEGACY.fullmatch(squeezed) else key


def shaped(text: str) -> bool:
    """``text`` is meant as a reference (old or new style), valid or not: the gate takes it
    as one rather than as the plate read on the truck."""
    key = canonical(text)
    return bool(_LEGACY.fullmatch(key) or _SHAPED.fullmatch(key))


def valid(text: str) -> bool:
    """``text`` is a reference that could have been issued: old style, or new style with
    every character in the alphabet and its check character right."""
    key = canonical(text)
    if _LEGACY.fullmatch(key):
        return True
    if not _SHAPED.fullmatch(key) or any(ch not in _VALUE for ch in key):
        return False
    return check_char(key[:-1]) == key[-1]


def mistyped(text: str) -> bool:
    """Shaped like a reference but not one that could have been issued (a typing error)."""
    return shaped(text) and not valid(text)


def unused_ref(conn: Any, column: Any, prefix: str, first: str = "") -> str:
    """``first`` (or a fresh reference) if no row of ``column`` holds it, else another: a
    collision is one in billions, but the unique index must never refuse a booking for it.
    Asked inside the writer's turn (SQLite) it cannot race; on PostgreSQL two bookings
    drawing the same reference at the same instant would be settled by the index."""
    ref = first or new_ref(prefix)
    while conn.execute(select(column).where(column == ref).limit(1)).first() is not None:
        ref = new_ref(prefix)
    return ref
