"""How an operation ends: its event, its last write and its commit, in as few round trips
as the database allows.

Every operation appends one event, never read back in its transaction, so it is one INSERT
and no ORM object. The event names its caller as the database has them at the end; and a
last write that a constraint settles (a slot's count, ``Tx.write_last``) goes after it:

- SQLite: each runs as it comes (a statement costs no round trip) and the core commits.
- PostgreSQL, one operation in its own transaction: the event, the last write and the COMMIT
  go in one round trip (a psycopg pipeline).
- PostgreSQL, an operation that begins late and has written nothing (``late_begin``, a
  booking): the last write and the event are one statement, atomic by itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BindParameter
from sqlmodel import select

from portops import audit
from portops.model import Event, User
from portops.prepared import Prepared, in_transaction, run_and_commit

if TYPE_CHECKING:
    from portops.ops.core import Tx

_EVENT_COLUMNS = ("at", "user", "role", "operation", "subject_kind", "subject_id",
                  "subject_ref", "dcsa", "data", "prev_hash", "hash")
_events = Event.__table__
#: The event names its caller as the database has them at the commit: the user column is
#: the user's name only if the user is still active in the role the operation was judged
#: for, else NULL, which the database refuses (``caller_gone``), and the operation is tried
#: again with the caller read afresh. So a console asks for its caller once, not once per
#: operation, and a disabled user's change still never lands. The refusal is an error, not
#: a row not written, so the event can go in one round trip with the COMMIT.
_EVENT = Prepared(_events.insert().values(
    user=select(User.name).where(User.name == bindparam("user"), User.active == true(),
                                 User.role == bindparam("role")).scalar_subquery(),
    **{k: bindparam(k, type_=_events.c[k].type) for k in _EVENT_COLUMNS if k != "user"}))


_WITH_EVENT: dict[int, Prepared] = {}


def _with_event(last: Prepared) -> Prepared:
    """``last`` with the event written in the same statement (a data-modifying WITH): for an
    operation that begins late and wrote nothing before, one statement, atomic by itself."""
    folded = _WITH_EVENT.get(id(last))
    if folded is None:
        clash = {b.key for b in _binds(last.statement)} & set(_EVENT_COLUMNS)
        if clash:
            raise ValueError(f"the last write's parameters {sorted(clash)} clash with the "
                             "event's")
        folded = _WITH_EVENT[id(last)] = Prepared(last.statement.add_cte(
            _EVENT.statement.cte("event_written")))
    return folded


def _binds(statement: Any) -> list[Any]:
    return [e for e in visitors.iterate(statement) if isinstance(e, BindParameter)]


def caller_gone(exc: IntegrityError) -> bool:
    """Did the event refuse its caller (no longer active in that role)?"""
    orig = getattr(exc, "orig", None)
    diag = getattr(orig, "diag", None)
    if diag is not None and getattr(diag, "table_name", None):
        return diag.table_name == _events.name and diag.column_name == "user"
    return f"NOT NULL constraint failed: {_events.name}.user" in str(orig)


def write_end(tx: Tx, event: dict[str, Any]) -> None:
    """Write ``event`` and the operation's last write; on PostgreSQL commit with them.
    Raises the database's ``IntegrityError`` if the event refused its caller
    (``caller_gone``) or a constraint refused the last write (the caller judges which).
    The event is a link of the audit chain (``portops.audit.chained``: linked here on
    SQLite, where this transaction holds the write lock; by the trigger on PostgreSQL)."""
    event = audit.chained(tx.flushed() if not tx.defer else tx.conn, event)
    if tx.defer and not in_transaction(tx.flushed()):  # begins late, nothing begun yet
        if tx.last is None:
            _EVENT.alone(tx.conn, event)
        else:
            _with_event(tx.last[0]).alone(tx.conn, {**tx.last[1], **event})
    elif tx.defer:  # the event, the last write and the COMMIT: one round trip
        batch = [(_EVENT, event)]
        if tx.last is not None:
            batch.append(tx.last[:2])
        run_and_commit(tx.flushed(), batch)
    else:
        _EVENT(tx.flushed(), event)
        tx.caller_checked = True
        if tx.last is not None:
            tx.last[0](tx.flushed(), tx.last[1])


def constraint_named(exc: IntegrityError) -> str:
    """`` (uq_container_yard_slot)``: which database constraint settled the race, if known."""
    diag = getattr(getattr(exc, "orig", None), "diag", None)
    name = getattr(diag, "constraint_name", None)
    if name:
        return f" ({name})"
    text_ = str(getattr(exc, "orig", "") or "")
    return f" ({text_})" if text_.startswith(("UNIQUE constraint failed",
                                              "CHECK constraint failed")) else ""
