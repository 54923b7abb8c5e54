"""Checklists: the imported step definitions and each step ticked on a visit.

The definition is kept as imported (one row per import, the newest is in force) so the
operations follow the terminal's file, and the history shows which version a step was ticked
under. A ticked step is a row per visit, checklist and step; the database refuses a second.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from portops.model.base import json_field, utc_field


class ChecklistSet(SQLModel, table=True):
    __tablename__ = "checklist_set"

    id: int | None = Field(default=None, primary_key=True)
    #: The checklists by name, as :func:`portops.formats.checklists.to_json` writes them.
    body: dict[str, Any] = json_field()
    source: str = Field(default="", max_length=256)
    imported_by: str = Field(max_length=64)
    imported_at: datetime = utc_field(nullable=False)


class ChecklistStep(SQLModel, table=True):
    __tablename__ = "checklist_step"
    __table_args__ = (UniqueConstraint("visit_id", "checklist", "step_id",
                                       name="uq_checklist_step_once"),)

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="vessel_visit.id", index=True)
    checklist: str = Field(max_length=32)
    step_id: str = Field(max_length=48)
    #: Which imported definition it was ticked under (None: the shipped default).
    set_id: int | None = Field(default=None, foreign_key="checklist_set.id")
    done_by: str = Field(max_length=64)
    role: str = Field(max_length=16)
    done_at: datetime = utc_field(nullable=False)
    values: dict[str, Any] = json_field()
    #: A guard the dispatcher overrode, and the written reason (cargo work unfinished, ...).
    override: str | None = Field(default=None, max_length=32)
    override_reason: str | None = Field(default=None, max_length=512)
