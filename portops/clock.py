"""The clock, injectable so that tests and replays are deterministic.

Every time portops stores is timezone-aware UTC; the terminal's own time zone is used only to
show times and to cut the day into shifts.
"""

from __future__ import annotations

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
