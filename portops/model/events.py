"""The append-only audit log. Every operation appends exactly one row here, in its transaction.

The database itself refuses UPDATE and DELETE on this table (triggers created by the
migrations), so history cannot be rewritten behind the code's back; and each event is a link
of a hash chain (``portops.audit``), so whoever drops the triggers cannot rewrite it unseen.
The highest ``id`` is also the change counter consoles watch to refresh what changed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from portops.model.base import json_field, utc_field


class Event(SQLModel, table=True):
    __tablename__ = "event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = utc_field(nullable=False, index=True)
    user: str = Field(max_length=64)
    role: str = Field(max_length=16)
    operation: str = Field(max_length=64, index=True)
    subject_kind: str = Field(default="", max_length=32)
    subject_id: int | None = Field(default=None)
    subject_ref: str = Field(default="", max_length=64, index=True)
    #: For a DCSA Just-In-Time style port call event, its name (ALL_FAST, ...).
    dcsa: str | None = Field(default=None, max_length=48)
    data: dict[str, Any] = json_field()
    #: The hash chain (``portops.audit``). SQLite: the event before's hash, and this one's
    #: over its content and ``prev_hash``. PostgreSQL since migration 0350: ``hash`` is the
    #: content's digest as written and ``prev_hash`` NULL; the link is an :class:`EventLink`
    #: (events linked before 0350 keep their links here too, copied there). NULL only on a
    #: row written outside portops.
    prev_hash: str | None = Field(default=None, max_length=64)
    hash: str | None = Field(default=None, max_length=64)


class EventLink(SQLModel, table=True):
    """PostgreSQL: an event's place in the audit chain, written after the event's commit
    (``portops.migrations.audit_chain``). Append-only like the events. Empty on SQLite, whose
    one writer links an event on its own row."""

    __tablename__ = "event_link"

    #: The chain's order: 1, 2, 3... in the order events were linked.
    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    event_id: int = Field(unique=True)
    prev_hash: str = Field(max_length=64)
    #: sha256(prev_hash + the event's content digest), hex.
    hash: str = Field(max_length=64)


class EventUnlinked(SQLModel, table=True):
    """PostgreSQL: events written and not linked yet (the event's trigger notes each; the
    linker takes them). Empty on SQLite."""

    __tablename__ = "event_unlinked"

    event_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
