"""Holds and permissions, after Navis N4's flags.

A *permission* guards an operation for every matching subject automatically: the operation is
blocked until a grant exists (customs release before delivery, port-entry formalities before
discharge). A *hold* is put on a specific subject by hand and blocks until released (an X-ray
hold). Which operations each flag type guards and who may set or clear it is declared once, in
``portops.flags``; this table holds the grants and holds themselves.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from portops.model.base import enum_field, utc_field


class FlagState(StrEnum):
    ACTIVE = "active"  # a hold in force
    RELEASED = "released"  # a hold cleared
    GRANTED = "granted"  # a permission given
    REVOKED = "revoked"  # a permission taken back


class Flag(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    type_code: str = Field(max_length=24, index=True)
    #: What it applies to: one visit, one container, or every box on a B/L or booking.
    visit_id: int | None = Field(default=None, foreign_key="vessel_visit.id", index=True)
    container_id: int | None = Field(default=None, foreign_key="container.id", index=True)
    bl_number: str | None = Field(default=None, max_length=35, index=True)
    booking_ref: str | None = Field(default=None, max_length=35, index=True)
    state: FlagState = enum_field(length=10, index=True)
    reference: str = Field(default="", max_length=64)  # customs entry, B/L, inspection no.
    reason: str = Field(default="", max_length=256)
    set_by: str = Field(max_length=64)
    set_at: datetime = utc_field(nullable=False)
    cleared_by: str | None = Field(default=None, max_length=64)
    cleared_at: datetime | None = utc_field()
    clear_reference: str | None = Field(default=None, max_length=64)
