"""What imported messages leave behind besides containers.

* :class:`OnBoard`: a box on a vessel visit that this terminal does not handle (remain on
  board: its port of discharge is elsewhere). Kept so that the bay view shows the whole
  vessel, the load planner knows which slots are taken, and the departure BAPLIE lists every
  box on board. It is not a :class:`~portops.model.Container` (which is a box's stay at the
  terminal): an ROB box never enters the yard and its number may be in the yard at the same
  time on another visit's paperwork.
* :class:`EdiImport`: one row per imported file: what, from whom, for which visit, counts,
  and the segments the reader did not interpret (kept, not lost: header-level ones and, per
  container number, those of each box).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from portops.model.base import json_field, utc_field


class EdiImport(SQLModel, table=True):
    __tablename__ = "edi_import"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = utc_field(nullable=False)
    user: str = Field(max_length=64)
    format: str = Field(max_length=16)  # baplie, coprar, manifest, cusres ...
    source: str = Field(default="", max_length=256)  # file name as given
    message_ref: str = Field(default="", max_length=35)
    sender: str = Field(default="", max_length=35)
    visit_id: int | None = Field(default=None, foreign_key="vessel_visit.id", index=True)
    counts: dict[str, Any] = json_field()
    #: {"header": [segment text...], "boxes": {container number: [segment text...]}}
    extra: dict[str, Any] = json_field()


class OnBoard(SQLModel, table=True):
    __tablename__ = "on_board"
    __table_args__ = (
        Index("uq_on_board_slot", "visit_id", "bay", "row", "tier", unique=True),
        Index("uq_on_board_number", "visit_id", "number", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="vessel_visit.id")
    import_id: int | None = Field(default=None, foreign_key="edi_import.id")
    number: str = Field(max_length=11)
    size_type: str = Field(max_length=4)
    operator: str = Field(default="", max_length=16)
    full: bool = Field(default=True)
    gross_kg: int | None = Field(default=None)
    vgm_kg: int | None = Field(default=None)
    reefer_temp_c: float | None = Field(default=None)
    imdg_class: str | None = Field(default=None, max_length=8)
    un_number: str | None = Field(default=None, max_length=4)
    pol: str = Field(default="", max_length=5)
    pod: str = Field(default="", max_length=5)
    bay: int
    row: int
    tier: int
    #: What the bay plan said that has no column: remarks, extra DG entries, unread segments.
    extra: list[str] = json_field(default_factory=list)
