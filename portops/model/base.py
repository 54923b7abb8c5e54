"""Column types shared by every table.

Times are stored as UTC and always come back timezone-aware (``UTCDateTime``), whatever the
database; enumerations are stored as their plain string values so migrations stay simple on
SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, String, Table
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field


class UTCDateTime(TypeDecorator):
    """A ``DateTime`` that stores naive UTC and returns aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("portops stores only timezone-aware datetimes (got a naive one)")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def utc_field(*, nullable: bool = True, index: bool = False, **kw: Any) -> Any:
    """A timezone-aware UTC timestamp column."""
    default = None if nullable else ...
    return Field(default=kw.pop("default", default), sa_type=UTCDateTime, nullable=nullable,
                 index=index, **kw)


def enum_field(default: Any = ..., *, length: int = 24, index: bool = False, **kw: Any) -> Any:
    """An enumeration stored as its string value."""
    return Field(default=default, sa_type=String(length), index=index, **kw)


def json_field(default_factory: Any = dict, **kw: Any) -> Any:
    return Field(default_factory=default_factory, sa_type=JSON, **kw)


def pk(row: Any) -> int:
    """The primary key of a row read from the database. The model types ``id`` as
    ``int | None`` (None until a new row is flushed); a stored row always has one, and this
    says so to the type checker instead of each query asserting it."""
    ident = row.id
    if ident is None:
        raise ValueError(f"{type(row).__name__} has no id: it is not stored yet")
    return ident


def table(model: type) -> Table:
    """A table model's ``Table``, for Core statements (bulk inserts, the booking's one-round-trip
    SQL). SQLModel's metaclass sets ``__table__`` on each table class without declaring it, so
    the type checker cannot see it; this names its type once."""
    found: Table = model.__table__  # type: ignore[attr-defined]  # set by SQLModel, undeclared
    return found
