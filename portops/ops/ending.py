"""How an operation's transaction ends: what the operation states, and who carries it out.

An operation states its intent and nothing about the database it runs on:

- its event, which the core writes for it;
- optionally its last writes (:class:`LastWrites`): statements that must come after
  everything the operation does itself, because a constraint settles a race they take part in (a slot's count,
  refused by ``ck_appointment_slot_room`` when the slot is full), and what that constraint
  failing means (:class:`ConstraintMeans`: the rule it states, and the refusal).

The core ends every transaction through one :class:`Ending`, chosen per engine by
:func:`ending_for` from the engine's configuration (``portops.db.make_engine``):

- :class:`Ending` itself, plain SQLAlchemy: the last writes, then the event (on PostgreSQL
  it takes the audit chain's lock, held to the COMMIT), each a statement in the
  transaction; the core commits. SQLite always; PostgreSQL when its fast
  path is switched off.
- ``portops.ops.fastpath_pg.FastPath``: on PostgreSQL, a late-begun operation (a booking)
  reads outside a transaction and its last writes and event go as one statement. Everything
  that knows about autocommit and the raw ``BEGIN`` lives there.

Whichever ends it, a constraint failure in the last writes is handed back to the core as the
database's ``IntegrityError``; the core asks :meth:`LastWrites.means` whether it is the
constraint named, and if so lets the operation refuse by its rule.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, true
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from portops import audit
from portops.model import Event, User
from portops.prepared import Prepared

if TYPE_CHECKING:
    from portops.ops.core import Tx


@dataclass(frozen=True)
class Write:
    """One statement an operation writes, and its values."""

    statement: Prepared
    params: Mapping[str, Any]


@dataclass(frozen=True)
class ConstraintMeans:
    """If the database refuses a last write by ``constraint`` (its name), it means a rule:
    ``refuse`` states that rule unmet and refuses (``Tx.ensure``). The transaction is then
    undone, as on any refusal."""

    constraint: str
    refuse: Callable[[], None]


@dataclass(frozen=True)
class LastWrites:
    """The statements an operation ends with, in order; ``unless``: what a constraint failure
    among them means."""

    writes: tuple[Write, ...]
    unless: tuple[ConstraintMeans, ...] = ()

    def means(self, exc: IntegrityError) -> ConstraintMeans | None:
        """The rule ``exc`` stands for, if it is one of the constraints named."""
        named = constraint_named(exc)
        return next((m for m in self.unless if m.constraint in named), None)


_EVENT_COLUMNS = ("at", "user", "role", "operation", "subject_kind", "subject_id",
                  "subject_ref", "dcsa", "data", "prev_hash", "hash")
_events = Event.__table__  # type: ignore[attr-defined]
#: The event names its caller as the database has them at the commit: the user column is
#: the user's name only if the user is still active in the role the operation was judged
#: for, else NULL, which the database refuses (``caller_gone``), and the operation is tried
#: again with the caller read afresh. So a console asks for its caller once, not once per
#: operation, and a disabled user's change still never lands. The refusal is an error, not
#: a row not written, so an ending may send the event with the COMMIT.
EVENT = Prepared(_events.insert().values(
    user=select(User.name).where(User.name == bindparam("user"), User.active == true(),
                                 User.role == bindparam("role")).scalar_subquery(),
    **{k: bindparam(k, type_=_events.c[k].type) for k in _EVENT_COLUMNS if k != "user"}))


class Ending:
    """Plain SQLAlchemy: the last writes, then the event, as statements in the transaction
    the core opened and will commit. Also what every ending does for an operation that is
    not its transaction's only one (a batch: ``Core.run_all``)."""

    name = "plain"

    def open(self, conn: Connection, *, late: bool) -> None:
        """Set up ``conn`` before its transaction begins. ``late``: the operation reads
        without locks and writes once, last (``Operation.late_begin``): an ending may begin
        its transaction at its first write. Plain SQLAlchemy begins at once."""

    def end(self, tx: Tx, event: dict[str, Any], *, alone: bool) -> None:
        """Write ``tx.last``'s writes and ``event``. ``alone``: the operation is its
        transaction's only one, so an ending may commit with them (the core's commit then
        finds nothing left to do). Raises the database's ``IntegrityError`` if the event
        refused its caller (``caller_gone``) or a constraint refused a last write.
        The event is a link of the audit chain (``portops.audit.chained``)."""
        conn = tx.flushed()
        for write in tx.last.writes if tx.last is not None else ():
            write.statement(conn, write.params)
        # the event last: on PostgreSQL it takes the audit chain's lock, held to the COMMIT
        EVENT(conn, audit.chained(conn, event))


PLAIN = Ending()

#: The engines whose operations end otherwise than plainly, and how (a registry, so that this
#: module need not import the fast path that builds on it: no import cycle).
_ENDINGS: weakref.WeakKeyDictionary[Engine, Ending] = weakref.WeakKeyDictionary()


def use_ending(engine: Engine, ending: Ending) -> None:
    """End ``engine``'s operations with ``ending`` (``portops.ops.fastpath_pg.install``)."""
    _ENDINGS[engine] = ending


def ending_for(engine: Engine) -> Ending:
    """The ending configured for ``engine``: the fast path if ``portops.db.make_engine``
    installed it there, else plain SQLAlchemy."""
    return _ENDINGS.get(engine, PLAIN)


def event_columns() -> tuple[str, ...]:
    """The parameters the event statement takes (a folded statement must not reuse them)."""
    return _EVENT_COLUMNS


def caller_gone(exc: IntegrityError) -> bool:
    """Did the event refuse its caller (no longer active in that role)?"""
    orig = getattr(exc, "orig", None)
    diag = getattr(orig, "diag", None)
    if diag is not None and getattr(diag, "table_name", None):
        return bool(diag.table_name == _events.name and diag.column_name == "user")
    return f"NOT NULL constraint failed: {_events.name}.user" in str(orig)


def constraint_named(exc: IntegrityError) -> str:
    """`` (uq_container_yard_slot)``: which database constraint settled the race, if known."""
    diag = getattr(getattr(exc, "orig", None), "diag", None)
    name = getattr(diag, "constraint_name", None)
    if name:
        return f" ({name})"
    text_ = str(getattr(exc, "orig", "") or "")
    return f" ({text_})" if text_.startswith(("UNIQUE constraint failed",
                                              "CHECK constraint failed")) else ""
