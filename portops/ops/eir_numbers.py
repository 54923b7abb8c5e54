"""The number an Equipment Interchange Receipt (设备交接单) is issued under.

One format for both directions: ``EIR``, the direction (``O`` out-gate: a box collected;
``I`` in-gate: an export box delivered), the issue date in UTC as ``YYMMDD``, then the EIR's
row id, at least six digits: ``EIRO261207000001``, ``EIRI261207000002``. The id is one
sequence for both directions, so a number is unique without the date, and 16 characters
fit every place that shows one until the millionth EIR (the column takes 20).

Until December 2026 the out-gate wrote ``EIR`` + date + seven digits (``EIR2612070000001``)
and the in-gate ``EIRI`` + date + six: EIRs issued then keep their numbers, as printed and
sent in CODECO; nothing reads a number back apart from looking it up whole.
"""

from __future__ import annotations

from datetime import datetime

#: The letter after ``EIR`` for each direction (``Eir.direction``).
DIRECTION_LETTER = {"out": "O", "in": "I"}


def eir_number(direction: str, issued_at: datetime, eir_id: int) -> str:
    """The number of EIR ``eir_id`` issued at ``issued_at`` (UTC) in ``direction``."""
    return f"EIR{DIRECTION_LETTER[direction]}{issued_at:%y%m%d}{eir_id:06d}"
