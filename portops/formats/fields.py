"""Parsers for the values of portops's YAML files, for :meth:`yamlsrc.Fields.get`.

Each takes a raw YAML value and returns the parsed one or raises ``ValueError`` with a
sentence that says what is wrong and how to write it instead.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import datetime, time
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from portops.formats.yamlsrc import Map, Seq
from portops.i18n import N_, Said

T = TypeVar("T")


def text(max_len: int = 128, *, empty: bool = False) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        if isinstance(value, bool) or value is None or isinstance(value, Map | Seq):
            raise ValueError(Said(N_("must be text")))
        out = str(value).strip()
        if not out and not empty:
            raise ValueError(Said(N_("must not be empty")))
        if len(out) > max_len:
            raise ValueError(Said(N_("is longer than {max_len} characters; shorten it"),
                                  max_len=max_len))
        return out
    return parse


def number(low: float | None = None, high: float | None = None, *,
           integer: bool = False) -> Callable[[Any], Any]:
    """A number within ``[low, high]``; ``integer`` refuses fractions."""
    def parse(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(Said(N_("{value!r} is not a number; write digits, e.g. 15.5"),
                                  value=value))
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(Said(N_("{value!r} is not a finite number"), value=value))
        if integer and value != int(value):
            raise ValueError(Said(N_("{value!r} must be a whole number"), value=value))
        if (low is not None and value < low) or (high is not None and value > high):
            lo = "" if low is None else f"{low:g}"
            hi = "" if high is None else f"{high:g}"
            raise ValueError(Said(N_("{value!r} is out of range; use a value from {lo} to {hi}"),
                                  value=value, lo=lo, hi=hi))
        return int(value) if integer else float(value)
    return parse


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(Said(N_("{value!r} is not true or false"), value=value))
    return value


def choice(*options: T) -> Callable[[Any], T]:
    def parse(value: Any) -> T:
        out = str(value).strip().lower() if isinstance(value, str) else value
        if out not in options:
            raise ValueError(Said(N_("{value!r} is not one of: {options}"),
                                  value=value, options=', '.join(map(str, options))))
        return out
    return parse


def clock_time(value: Any) -> time:
    """A time of day written ``HH:MM`` (quote it or not)."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{1,2}:\d{2}", value.strip()):
        raise ValueError(Said(N_("{value!r} is not a time of day; write HH:MM, e.g. \"08:00\""),
                              value=value))
    hour, minute = (int(p) for p in value.strip().split(":"))
    if hour > 23 or minute > 59:
        raise ValueError(Said(N_("{value!r} is not a time of day (00:00 to 23:59)"), value=value))
    return time(hour, minute)


def timezone(value: Any) -> str:
    """An IANA time zone name such as ``Asia/Shanghai``."""
    name = str(value).strip() if isinstance(value, str) else ""
    try:
        if not name or name.startswith("/") or ".." in name:
            raise ValueError
        ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        raise ValueError(Said(N_("{value!r} is not a time zone; use an IANA name such as "
                                 "Asia/Shanghai or Europe/Rotterdam"), value=value)) from None
    return name


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")


def iso_datetime(value: Any) -> datetime:
    """An ISO 8601 date and time; naive when written without an offset (terminal time)."""
    raw = value.strip() if isinstance(value, str) else None
    if raw is None or not _ISO.match(raw):
        raise ValueError(Said(N_("{value!r} is not a date and time; write ISO 8601 such as "
                                 "2026-11-24T06:00+08:00 (without an offset it is terminal "
                                 "local time)"), value=value))
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(Said(N_("{value!r} is not a real date and time; check the day and month"),
                              value=value)) \
            from None


def moment(tz: str) -> Callable[[Any], datetime]:
    """An ISO 8601 date and time as aware UTC; with no offset it is local time in ``tz``."""
    zone = ZoneInfo(tz)

    def parse(value: Any) -> datetime:
        from portops.clock import as_utc

        when = iso_datetime(value)
        return as_utc(when if when.tzinfo else when.replace(tzinfo=zone))
    return parse


def code(parser: Callable[[str], T]) -> Callable[[Any], T]:
    """Wrap a :mod:`portops.codes` validator so that numbers written unquoted still work."""
    def parse(value: Any) -> T:
        if isinstance(value, bool) or value is None or isinstance(value, Map | Seq | float):
            raise ValueError(Said(N_("{value!r} must be a code"), value=value))
        return parser(str(value))
    return parse
