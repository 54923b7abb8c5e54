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
    #: The hash chain (``portops.audit``): the event before's hash, and this one's over its
    #: content and ``prev_hash``. NULL only on a row written outside portops.
    prev_hash: str | None = Field(default=None, max_length=64)
    hash: str | None = Field(default=None, max_length=64)
