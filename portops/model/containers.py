"""Containers: one row per box's stay at the terminal (N4's unit facility visit).

A container number may come back many times over the years; only one row per number may be
*active* (not yet gone), and the database enforces that with a partial unique index, as it
does for "one box per yard slot" and "one box per vessel slot".
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from portops.model.base import enum_field, utc_field


class Category(StrEnum):
    IMPORT = "import"
    EXPORT = "export"
    TRANSHIP = "tranship"
    STORAGE = "storage"  # empties and boxes parked with no voyage


class Where(StrEnum):
    ADVISED = "advised"  # announced (manifest, booking) but not yet here
    VESSEL = "vessel"  # on board a vessel visit at a bay/row/tier
    YARD = "yard"  # in a yard slot
    TRUCK = "truck"  # on a truck inside the terminal
    GONE = "gone"  # left the terminal (by truck or vessel); the stay is over


class Container(SQLModel, table=True):
    __tablename__ = "container"
    __table_args__ = (
        Index("uq_container_active_number", "number", unique=True,
              sqlite_where=text("location != 'gone'"), postgresql_where=text("location != 'gone'")),
        Index("uq_container_yard_slot", "yard_block_id", "yard_bay", "yard_row", "yard_tier",
              unique=True, sqlite_where=text("location = 'yard'"),
              postgresql_where=text("location = 'yard'")),
        # Moves done per visit (the console's schedule) counted from the index alone.
        Index("ix_container_in_visit_location", "in_visit_id", "location"),
        Index("ix_container_out_visit_location", "out_visit_id", "location", "visit_id"),
        Index("uq_container_vessel_slot", "visit_id", "vessel_bay", "vessel_row", "vessel_tier",
              unique=True, sqlite_where=text("location = 'vessel'"),
              postgresql_where=text("location = 'vessel'")),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=11, index=True)
    size_type: str = Field(max_length=4)  # current ISO 6346 code, e.g. 45G1
    operator: str = Field(default="", max_length=16)  # line operator (NAD+CA)
    full: bool = Field(default=True)
    category: Category = enum_field(Category.IMPORT, length=10, index=True)
    gross_kg: int | None = Field(default=None)
    vgm_kg: int | None = Field(default=None)
    seals: str = Field(default="", max_length=128)  # comma-separated seal numbers
    reefer_temp_c: float | None = Field(default=None)
    imdg_class: str | None = Field(default=None, max_length=8)
    un_number: str | None = Field(default=None, max_length=4)
    pol: str = Field(default="", max_length=5)
    pod: str = Field(default="", max_length=5)
    bl_number: str | None = Field(default=None, max_length=35, index=True)
    booking_ref: str | None = Field(default=None, max_length=35, index=True)
    #: From the manifest (cargo declaration): who receives the goods, and what they are.
    consignee: str = Field(default="", max_length=128)
    goods: str = Field(default="", max_length=256)
    packages: int | None = Field(default=None)
    #: The visit that brings the box in, and the one that takes it out.
    in_visit_id: int | None = Field(default=None, foreign_key="vessel_visit.id", index=True)
    out_visit_id: int | None = Field(default=None, foreign_key="vessel_visit.id", index=True)

    location: Where = enum_field(Where.ADVISED, length=8, index=True)
    visit_id: int | None = Field(default=None, foreign_key="vessel_visit.id")
    vessel_bay: int | None = Field(default=None)
    vessel_row: int | None = Field(default=None)
    vessel_tier: int | None = Field(default=None)
    yard_block_id: int | None = Field(default=None, foreign_key="yardblock.id")
    yard_bay: int | None = Field(default=None)
    yard_row: int | None = Field(default=None)
    yard_tier: int | None = Field(default=None)

    time_in: datetime | None = utc_field()
    time_out: datetime | None = utc_field()
    damage: str = Field(default="", max_length=256)
    #: What an import doubted about the box, for the tally and the gate to verify at the box
    #: (``check digit``: the line sent the number with a wrong ISO 6346 check digit).
    doubt: str = Field(default="", max_length=64)

    @property
    def is_reefer(self) -> bool:
        return len(self.size_type) == 4 and self.size_type[2] == "R"

    @property
    def is_dangerous(self) -> bool:
        return bool(self.imdg_class)
