"""Issued day-and-night work plans (昼夜作业计划): what was handed to the shifts, and when.

Each issue keeps the whole plan as it was, so regenerating after a schedule change can show
what changed since the plan the shifts are working from.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Field, SQLModel

from portops.model.base import json_field, utc_field


class WorkPlanIssue(SQLModel, table=True):
    __tablename__ = "work_plan_issue"

    id: int | None = Field(default=None, primary_key=True)
    #: The terminal-local date the plan covers.
    day: date = Field(index=True)
    issued_at: datetime = utc_field(nullable=False)
    issued_by: str = Field(max_length=64)
    body: dict[str, Any] = json_field()
