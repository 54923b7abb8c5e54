"""What the visit screen shows of its port-entry clearance (靠港手续): who, which, when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from portops.db import read_session
from portops.model import Flag, FlagState


@dataclass(frozen=True)
class PortEntry:
    reference: str
    authority: str
    cleared_at: datetime  # when the authority cleared it (UTC)
    by: str  # who recorded it


def port_entry(engine: Engine, visit_id: int) -> PortEntry | None:
    """The visit's port-entry clearance in force; None until it is recorded."""
    with read_session(engine) as s:
        flag = s.exec(select(Flag).where(
            Flag.type_code == "PORT_ENTRY", Flag.visit_id == visit_id,
            Flag.state == FlagState.GRANTED).order_by(col(Flag.id).desc())).first()
        if flag is None:
            return None
        return PortEntry(flag.reference, flag.reason, flag.set_at, flag.set_by)
