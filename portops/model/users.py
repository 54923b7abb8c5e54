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
    #: Wrong passwords typed since the last right one (the back-off grows with it).
    failed_sign_ins: int = Field(default=0)
    last_failed_at: datetime | None = utc_field()
    #: Set when ``failed_sign_ins`` reached the site's lockout count; an admin unlocks.
    locked_at: datetime | None = utc_field()
    #: The party a customer's account belongs to (a customer role); None for the staff.
    party_id: int | None = Field(default=None, foreign_key="party.id", index=True)
    #: May manage the accounts of its own party (``customer.user_add`` & co.).
    party_admin: bool = Field(default=False)


class SignInFailure(SQLModel, table=True):
    """One refused sign-in (wrong password or unknown name), kept for the back-off by source
    and by name, and for whoever investigates a guessing attack. Never the password typed."""

    __tablename__ = "sign_in_failure"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = utc_field(nullable=False, index=True)
    #: The account's name; for a name that is no account, ``?`` and a digest of it (people
    #: type their password into the name field: it must not be kept in clear).
    name: str = Field(max_length=64, index=True)
    #: Where it came from: ``ssh:ADDRESS``, ``web:ADDRESS``, ``cli:OS_USER@HOST``...
    source: str = Field(max_length=128, index=True)


class ApiToken(SQLModel, table=True):
    """A token a script uses instead of a password (``PORTOPS_TOKEN``). Only its SHA-256 is
    kept: the token itself is shown once, when issued."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    #: SHA-256 of the token, hex: how a presented token is found.
    token_sha256: str = Field(max_length=64, unique=True)
    #: Its first characters, to tell tokens apart in ``portops token list``.
    shown: str = Field(max_length=16)
    note: str = Field(default="", max_length=128)
    created_at: datetime = utc_field(nullable=False)
    created_by: str = Field(max_length=64)
    revoked_at: datetime | None = utc_field()


class ApiRate(SQLModel, table=True):
    """How much of its rate one API token has used, shared by every server process
    (``portops.web.rate``): the GCRA's "theoretical arrival time", the moment its bucket is
    full again. Not the terminal's business and not an event: the one row a request writes
    outside an operation (one per token; a revoked token's row is harmless)."""

    __tablename__ = "api_rate"

    #: The token's ``api_token.token_sha256``.
    token_sha256: str = Field(max_length=64, primary_key=True)
    #: Seconds since the epoch (wall clock, shared by the processes).
    tat: float
