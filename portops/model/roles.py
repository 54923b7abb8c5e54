"""The people on duty, as roles; an operation names the roles that may call it."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    DISPATCHER = "dispatcher"
    LINE_HANDLER = "line_handler"
    YARD_PLANNER = "yard_planner"
    TALLY_CLERK = "tally_clerk"
    GATE_CLERK = "gate_clerk"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")
