"""Parties outside the terminal and the right to collect a box (no bearer PINs).

After Antwerp's Certified Pick-up and Rotterdam's Secure Chain: the line's release creates a
*right to collect* held by one named party; only its current holder may pass it on (to a
forwarder, then to the haulier that will come for the box), and each hand-over is a row here
as well as an event. The gate admits only the haulier that holds the right.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from portops.model.base import enum_field, utc_field


class PartyKind(StrEnum):
    LINE = "line"  # shipping line (carrier): releases the cargo
    CONSIGNEE = "consignee"
    FORWARDER = "forwarder"
    HAULIER = "haulier"  # road carrier whose trucks and drivers collect
    SHIPPER = "shipper"  # sends export cargo (the booking's shipper)
    AGENT = "agent"  # the line's or the vessel's agent at the port


class RightState(StrEnum):
    ACTIVE = "active"  # may be passed on and used
    USED = "used"  # the box left the terminal on it
    WITHDRAWN = "withdrawn"  # the line took its release back


class Party(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    #: Short code a clerk types (SCAC for a line, the company's code for the others).
    code: str = Field(max_length=16, unique=True, index=True)
    name: str = Field(max_length=128)
    kind: PartyKind = enum_field(length=10)
    #: Legal identity checked at registration: EORI, USCI (统一社会信用代码), VAT number.
    identity: str = Field(default="", max_length=32)
    #: How the identity was checked: ``eori``, ``usci``, ``other`` ('' when there is none).
    identity_scheme: str = Field(default="", max_length=8)
    active: bool = Field(default=True)


class CollectRight(SQLModel, table=True):
    """The right to collect one import box, from the line's release to the gate-out."""

    __tablename__ = "collect_right"
    __table_args__ = (
        Index("uq_collect_right_active", "container_id", unique=True,
              sqlite_where=text("state = 'active'"), postgresql_where=text("state = 'active'")),
    )

    id: int | None = Field(default=None, primary_key=True)
    container_id: int = Field(foreign_key="container.id", index=True)
    line_party_id: int = Field(foreign_key="party.id")
    holder_party_id: int = Field(foreign_key="party.id", index=True)
    #: The LINE_RELEASE permission this right came from.
    release_flag_id: int | None = Field(default=None, foreign_key="flag.id")
    state: RightState = enum_field(RightState.ACTIVE, length=10, index=True)
    created_at: datetime = utc_field(nullable=False)
    ended_at: datetime | None = utc_field()


class RightHandover(SQLModel, table=True):
    """One hand-over of a right to collect, party to party."""

    __tablename__ = "right_handover"

    id: int | None = Field(default=None, primary_key=True)
    right_id: int = Field(foreign_key="collect_right.id", index=True)
    from_party_id: int = Field(foreign_key="party.id")
    to_party_id: int = Field(foreign_key="party.id")
    at: datetime = utc_field(nullable=False)
    by_user: str = Field(max_length=64)
    #: True when a terminal clerk keyed it for the holder (e.g. from the holder's message).
    on_behalf: bool = Field(default=False)
    reference: str = Field(default="", max_length=64)
