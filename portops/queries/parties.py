"""The parties a terminal knows (lines, hauliers, forwarders...), as plain rows for the
console's Parties screen and ``portops party list``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


@dataclass(frozen=True)
class PartyRow:
    code: str
    name: str
    kind: str
    identity: str
    scheme: str
    active: bool


def parties(engine: Engine, kind: str | None = None) -> list[PartyRow]:
    """Every party (or those of one kind), by kind then code."""
    from sqlalchemy import select
    from sqlmodel import col

    from portops.db import read_session
    from portops.model import Party

    q = select(Party).order_by(Party.kind, Party.code)
    if kind:
        q = q.where(col(Party.kind) == kind)
    with read_session(engine) as s:
        return [PartyRow(p.code, p.name, str(p.kind), p.identity, p.identity_scheme, p.active)
                for p in s.execute(q).scalars()]
