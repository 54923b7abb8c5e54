"""Users: who is at a console. The role decides which operations they may call."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from portops.model.base import enum_field, utc_field
from portops.model.roles import Role

#: The account the command line and importers act as when no user is named.
SYSTEM_USER = "system"


class User(SQLModel, table=True):
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True, index=True)
    full_name: str = Field(default="", max_length=128)
    role: Role = enum_field(length=16)
    password_hash: str | None = Field(default=None, max_length=256)
    active: bool = Field(default=True)
    created_at: datetime = utc_field(nullable=False)
