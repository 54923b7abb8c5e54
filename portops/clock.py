"""The clock, injectable so that tests and replays are deterministic.

Every time portops stores is timezone-aware UTC; the terminal's own time zone is used to show
times, to read the times people type (:func:`parse_typed`) and to cut the day into shifts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    def now(self) -> datetime:  # pragma: no cover - protocol
        """The current time, timezone-aware, in UTC."""


class SystemClock:
    """The wall clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FixedClock:
    """A clock that only moves when told to (tests, demo data, replays)."""

    current: datetime = field(default_factory=lambda: datetime(2026, 11, 27, 6, 0, tzinfo=UTC))

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        self.current = self.current + timedelta(**delta)
        return self.current

    def set(self, when: datetime) -> None:
        self.current = as_utc(when)


def as_utc(when: datetime) -> datetime:
    """Return ``when`` as aware UTC; a naive value is taken to be UTC already."""
    if when.tzinfo is None:
        return when.replace(tzinfo=UTC)
    return when.astimezone(UTC)


def local(when: datetime | None, tz: str) -> datetime | None:
    """``when`` shown in the terminal's time zone ``tz`` (an IANA name)."""
    if when is None:
        return None
    return as_utc(when).astimezone(ZoneInfo(tz))


#: The forms a person types a time in (terminal local time), as shown in hints and errors.
TYPED_FORMS = "14:30, 07 14:30, 2026-12-07 14:30"

_HHMM = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_DAY_HHMM = re.compile(r"^(\d{1,2})\s+(\d{1,2}):(\d{2})$")
_MONTH_DAY_HHMM = re.compile(r"^(\d{1,2})-(\d{1,2})\s+(\d{1,2}):(\d{2})$")
_DATE_HHMM = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")
_OFFSET = re.compile(r"(Z|[+-]\d{2}:?\d{2})$", re.IGNORECASE)


class TimeTextError(ValueError):
    """A typed time that cannot be read; ``message`` is a translatable sentence."""

    def __init__(self, text: str, tz: str) -> None:
        from portops.i18n import N_, Message

        self.text, self.tz = text, tz
        self.message = Message(
            N_("{text!r} is not a time: type {forms} ({tz} time), or a full time with its "
               "offset"), text=text, forms=TYPED_FORMS, tz=tz)
        super().__init__(str(self.message))


def parse_typed(text: str | datetime, tz: str, now: datetime) -> datetime:
    """A time as a dispatcher types it, in the terminal's zone ``tz``, as aware UTC.

    Why one parser: every console field, import and operation that takes a typed time must
    read ``11:34`` the same way, as 11:34 on the terminal's wall clock (stored as 03:34 UTC in
    Asia/Shanghai), never as UTC. Accepted: ``14:30`` (today, the day of ``now`` in ``tz``),
    ``07 14:30`` (the 7th of ``now``'s month), ``12-07 14:30`` (``now``'s year),
    ``2026-12-07 14:30`` (or with a ``T``, and seconds), and ISO 8601 with an explicit offset
    (``2026-12-07T06:30Z``, ``…+08:00``), which names its own instant. A naive datetime is
    taken as local; an aware one is converted. Anything else raises :class:`TimeTextError`.
    """
    zone = ZoneInfo(tz)
    if isinstance(text, datetime):
        return as_utc(text if text.tzinfo else text.replace(tzinfo=zone))
    raw = str(text).strip()
    today = as_utc(now).astimezone(zone)
    try:
        if _OFFSET.search(raw) and ("T" in raw.upper() or " " in raw):
            when = datetime.fromisoformat(re.sub(r"[zZ]$", "+00:00", raw))
            if when.tzinfo is None:
                raise TimeTextError(raw, tz)
            return as_utc(when)
        if m := _HHMM.match(raw):
            h, mi, s = int(m[1]), int(m[2]), int(m[3] or 0)
            naive = datetime(today.year, today.month, today.day, h, mi, s)
        elif m := _DAY_HHMM.match(raw):
            naive = datetime(today.year, today.month, int(m[1]), int(m[2]), int(m[3]))
        elif m := _MONTH_DAY_HHMM.match(raw):
            naive = datetime(today.year, int(m[1]), int(m[2]), int(m[3]), int(m[4]))
        elif m := _DATE_HHMM.match(raw):
            naive = datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]),
                             int(m[6] or 0))
        else:
            raise TimeTextError(raw, tz)
    except (ValueError, OverflowError) as exc:
        if isinstance(exc, TimeTextError):
            raise
        raise TimeTextError(raw, tz) from None
    return as_utc(naive.replace(tzinfo=zone))


def show(when: datetime | None, tz: str, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """``when`` as the terminal's wall clock shows it (``—`` when unknown)."""
    shown = local(when, tz)
    return shown.strftime(pattern) if shown is not None else "—"
