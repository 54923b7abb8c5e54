"""The audit log as a hash chain: each event's ``hash`` covers its content and its
predecessor's hash, so a row changed, deleted, inserted in between or moved is found by
walking the chain (:func:`verify`), and the head, kept where the database cannot reach
(``portops audit checkpoint`` to a file or syslog, the foot of the work plan and tally report),
shows the log still holds what it held then.

The triggers that refuse UPDATE and DELETE stop a mistake; whoever can drop them can rewrite
rows, but not without breaking the chain after them or the head written outside.

Link of an event::

    digest = sha256(canonical(event))                 # over its content, hex
    hash   = sha256(prev_hash + digest)               # prev_hash: the event before's hash
                                                      # (GENESIS for the first), hex text

``canonical(event)`` is JSON with sorted keys, no spaces, ASCII only, of ``at`` (UTC,
``YYYY-MM-DDTHH:MM:SS.ffffffZ``), ``user``, ``role``, ``operation``, ``subject_kind``,
``subject_id``, ``subject_ref``, ``dcsa`` and ``data``. The id is not in it: the chain has
an order of its own (below).

Who computes the link (a chain needs one order, and many consoles write at once):

- SQLite: the writer, in Python, in its write transaction (which holds the database's one
  write lock, so the event before is the last row and stays so until the commit). The
  chain's order is the id order; the link is on the event's row.
- PostgreSQL: the writer sends ``digest`` in ``hash`` and waits for no lock. The event is
  linked in a row of ``event_link`` whose ``seq`` is the chain's order
  (``portops/migrations/audit_chain.py``), after its commit or in its own transaction: every
  64th event's trigger links the events waiting if the chain's lock is free (it tries, never
  waits), and whoever reads the head (:func:`head_line`, :func:`verify`, ``portops audit
  checkpoint``) links what is left first. Until migration 0350 the trigger linked each event
  in its INSERT under a lock held to the COMMIT, and every operation's commit queued behind
  the one before.

What the chain proves is the same either way: nothing up to a head written outside the
database can change unseen. An event not linked yet is as open to an owner who drops the
triggers as the events after the last head written out are (he may relink those).

:data:`CHAIN` switches the Python side off for the benchmark's comparison only.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import socket
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from portops.i18n import N_, Message

#: The predecessor's hash of the first event.
GENESIS = "0" * 64
#: The content a hash covers, in this order in the row (sorted anyway in the JSON).
CONTENT = ("at", "user", "role", "operation", "subject_kind", "subject_id", "subject_ref",
           "dcsa", "data")
#: Compute links in Python (SQLite). Off only to measure what the chain costs.
CHAIN = True


def _at(value: datetime | str) -> str:
    if isinstance(value, str):  # a raw row (SQLite's text) read without the column type
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    elif value.utcoffset():
        value = value.astimezone(UTC)
    # YYYY-MM-DDTHH:MM:SS.ffffff (isoformat, as strftime's %Y-%m-%dT%H:%M:%S.%f, 4x faster)
    return value.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def canonical(event: Mapping[str, Any]) -> bytes:
    """The bytes an event's hash covers (see the module docstring)."""
    data = event.get("data")
    if isinstance(data, str):  # a raw JSON column
        data = json.loads(data)
    body = {k: event.get(k) for k in CONTENT}
    body["at"] = _at(event["at"])
    body["data"] = data if data is not None else {}
    return _CANONICAL.encode(body).encode("ascii")


#: ``json.dumps`` with these arguments builds an encoder at every call: one, made once.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True,
                              default=str)
#: An empty SHA-256 to copy: ``hashlib.sha256()`` asks OpenSSL 3 for the algorithm at every
#: call, which costs more than hashing an event.
_SHA256 = hashlib.sha256()


def digest(event: Mapping[str, Any]) -> str:
    h = _SHA256.copy()
    h.update(canonical(event))
    return h.hexdigest()


def link(prev_hash: str, content_digest: str) -> str:
    """An event's hash from its predecessor's and its own content digest (what the
    PostgreSQL trigger computes too: ``sha256(convert_to(prev || digest, 'UTF8'))``)."""
    h = _SHA256.copy()
    h.update((prev_hash + content_digest).encode("ascii"))
    return h.hexdigest()


def last_hash(conn: Connection) -> str:
    """The newest event's hash, or GENESIS on an empty log. Asked on the driver's own
    connection, in the transaction: it runs once per operation (SQLAlchemy's statement
    machinery cost more than the query)."""
    raw = conn.connection.dbapi_connection
    assert raw is not None  # a connection in a transaction holds its driver's connection
    cursor = raw.cursor()
    try:
        cursor.execute("SELECT hash FROM event ORDER BY id DESC LIMIT 1")
        got = cursor.fetchone()
    finally:
        cursor.close()
    return (got[0] if got is not None else None) or GENESIS


def chained(conn: Connection, event: dict[str, Any]) -> dict[str, Any]:
    """``event`` with ``prev_hash`` and ``hash`` to insert on ``conn``, in the transaction
    that inserts it: linked here on SQLite, the digest for the trigger on PostgreSQL."""
    if not CHAIN:
        return {**event, "prev_hash": None, "hash": None}
    d = digest(event)
    if conn.dialect.name == "postgresql":
        return {**event, "prev_hash": None, "hash": d}
    prev = last_hash(conn)
    return {**event, "prev_hash": prev, "hash": link(prev, d)}


# -- verifying --------------------------------------------------------------------------

@dataclass(frozen=True)
class Broken:
    """The first event that does not fit: its id and why, in one sentence."""

    event_id: int
    reason: str
    #: ``reason`` as its English template and values, to show in another language.
    said: Message | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return f"event {self.event_id}: {self.reason}"

    @classmethod
    def of(cls, event_id: int, said: Message) -> Broken:
        return cls(event_id, str(said), said)


@dataclass(frozen=True)
class Head:
    event_id: int
    at: datetime
    hash: str

    def line(self) -> str:
        """How the head is written out (work plan, tally report, checkpoint file)."""
        return f"audit head: event {self.event_id} at {_at(self.at)} hash {self.hash}"


@dataclass(frozen=True)
class Report:
    events: int
    head: Head | None
    broken: Broken | None


def reading(engine: Engine) -> Engine:
    """``engine`` for reads that must not wait for a writer (SQLite: a deferred BEGIN)."""
    if engine.dialect.name == "sqlite":
        return engine.execution_options(sqlite_begin="DEFERRED")
    return engine


def _linked_after_commit(engine: Engine | Connection) -> bool:
    """Whether events are linked after their commit, in ``event_link`` (PostgreSQL since
    migration 0350), rather than on their own rows (SQLite)."""
    return engine.dialect.name == "postgresql"


def link_pending(engine: Engine) -> int:
    """Link every committed event not linked yet, waiting for the chain's lock (PostgreSQL;
    0 on SQLite, where every event is linked in its own transaction). How many it linked."""
    if not _linked_after_commit(engine):
        return 0
    from portops.migrations.audit_chain import LINK_PENDING

    with engine.execution_options(isolation_level="READ COMMITTED").begin() as conn:
        return int(conn.exec_driver_sql(LINK_PENDING).scalar_one())


def _rows(engine: Engine) -> Iterator[Any]:
    """The chain in its order: each link with its event's content (``present`` false if the
    event is gone) and ``at_`` its place (the id on SQLite, ``event_link.seq`` on
    PostgreSQL)."""
    from sqlalchemy import select, true

    from portops.model import Event, EventLink

    e = Event.__table__  # type: ignore[attr-defined]  # SQLModel types the class, not its Table
    content = [e.c[k] for k in CONTENT]
    if _linked_after_commit(engine):
        lk = EventLink.__table__  # type: ignore[attr-defined]
        statement = select(lk.c.event_id.label("id"), *content, lk.c.prev_hash, lk.c.hash,
                           lk.c.seq.label("place"), (e.c.id.is_not(None)).label("present")
                           ).select_from(lk.outerjoin(e, e.c.id == lk.c.event_id)
                                         ).order_by(lk.c.seq)
    else:
        statement = select(e.c.id, *content, e.c.prev_hash, e.c.hash, e.c.id.label("place"),
                           true().label("present")).order_by(e.c.id)
    with reading(engine).connect() as conn:
        result = conn.execution_options(yield_per=2000).execute(statement)
        yield from result


def head(conn: Connection) -> Head | None:
    """The newest link's event id, time and hash (None on an empty log). On PostgreSQL the
    newest *linked* event: :func:`link_pending` first for the head of everything committed."""
    from sqlalchemy import select

    from portops.model import Event, EventLink

    t = Event.__table__  # type: ignore[attr-defined]
    if _linked_after_commit(conn):
        lk = EventLink.__table__  # type: ignore[attr-defined]
        got = conn.execute(select(lk.c.event_id, t.c.at, lk.c.hash)
                           .select_from(lk.outerjoin(t, t.c.id == lk.c.event_id))
                           .order_by(lk.c.seq.desc()).limit(1)).first()
        return None if got is None else Head(got[0], got[1], got[2])
    row = conn.exec_driver_sql("SELECT id FROM event ORDER BY id DESC LIMIT 1").first()
    if row is None:
        return None
    got = conn.execute(select(t.c.id, t.c.at, t.c.hash).where(t.c.id == row[0])).one()
    return Head(got.id, got.at, got.hash or "")


def verify(engine: Engine) -> Report:
    """Walk the chain in its order; name the first event that does not fit, then (PostgreSQL)
    any event left out of it. Links what is pending first."""
    link_pending(engine)
    expected, count, last = GENESIS, 0, None
    for row in _rows(engine):
        count += 1
        event = row._mapping
        if not row.present:
            return Report(count, _head(last), Broken.of(row.id, Message(N_(
                "its link is in the chain but the event is gone: it was deleted"))))
        if row.hash is None or row.prev_hash is None:
            return Report(count, _head(last), Broken.of(row.id, _no_link()))
        if row.prev_hash != expected:
            return Report(count, _head(last), Broken.of(row.id, _misplaced(row, last, engine)))
        if link(row.prev_hash, digest(event)) != row.hash:
            return Report(count, _head(last), Broken.of(row.id, Message(N_(
                "its content does not match its hash: it was changed, or forged with a "
                "made-up hash"))))
        expected, last = row.hash, row
    left_out = _left_out(engine)
    if left_out is not None:
        return Report(count + 1, _head(last), Broken.of(left_out, _no_link()))
    return Report(count, _head(last), None)


def _no_link() -> Message:
    return Message(N_("it carries no link: it was written outside portops (forged) or the "
                      "chain was never started"))


def _left_out(engine: Engine) -> int | None:
    """PostgreSQL: the first event neither linked nor waiting to be (one written with the
    trigger off, or whose note was removed). Events committed since the walk's linking wait
    in ``event_unlinked`` and are not counted."""
    if not _linked_after_commit(engine):
        return None
    with reading(engine).connect() as conn:
        return conn.exec_driver_sql(
            "SELECT min(e.id) FROM event e WHERE NOT EXISTS (SELECT 1 FROM event_link l "
            "WHERE l.event_id = e.id) AND NOT EXISTS (SELECT 1 FROM event_unlinked u "
            "WHERE u.event_id = e.id)").scalar()


def _head(row: Any) -> Head | None:
    return None if row is None else Head(row.id, row.at, row.hash)


def _follows(engine: Engine, row: Any) -> tuple[int, int] | None:
    """The event whose hash ``row`` names as its predecessor's: (its event id, its place in
    the chain), or None if no other link has it."""
    if _linked_after_commit(engine):
        sql = ("SELECT event_id, seq FROM event_link WHERE hash = :h AND seq <> :p "
               "ORDER BY seq LIMIT 1")
    else:
        sql = "SELECT id, id FROM event WHERE hash = :h AND id <> :p ORDER BY id LIMIT 1"
    with reading(engine).connect() as conn:
        got = conn.execute(text(sql), {"h": row.prev_hash, "p": row.place}).first()
    return None if got is None else (got[0], got[1])


def _misplaced(row: Any, last: Any, engine: Engine) -> Message:
    """Why ``row`` does not follow ``last``: which event it does follow, if any (asked of the
    database, so that the walk keeps nothing but the last row)."""
    follows = _follows(engine, row)
    if follows is not None and follows[1] > row.place:
        return Message(N_("it follows event {other}, which comes after it: the events were "
                          "reordered"), other=follows[0])
    if last is None:
        if follows is not None:
            return Message(N_("it follows event {other}, not the start of the log: the "
                              "events after event {other} were inserted or moved"),
                           other=follows[0])
        return Message(N_("the event it follows is not in the log (the start of the log is "
                          "not it): an event before it was deleted or changed"))
    if follows is not None:
        return Message(N_("it follows event {other}, not event {last}: the events after "
                          "event {other} were inserted or moved"), other=follows[0],
                       last=last.id)
    return Message(N_("the event it follows is not in the log (event {last} is not it): an "
                      "event before it was deleted or changed"), last=last.id)


# -- checkpoints ------------------------------------------------------------------------

def parse_checkpoint(line: str) -> tuple[int, str] | None:
    """``(event id, hash)`` from a line written by ``Head.line`` (None if none)."""
    parts = line.split()
    try:
        i = parts.index("event")
        return int(parts[i + 1]), parts[parts.index("hash") + 1]
    except (ValueError, IndexError):
        return None


def check_checkpoint(engine: Engine, event_id: int, expected: str) -> Message | None:
    """Does the log still hold event ``event_id`` with hash ``expected``? None if so, else
    why not, in one sentence."""
    link_pending(engine)
    sql = ("SELECT hash FROM event_link WHERE event_id = :i" if _linked_after_commit(engine)
           else "SELECT hash FROM event WHERE id = :i")
    with reading(engine).connect() as conn:
        row = conn.execute(text(sql), {"i": event_id}).first()
    if row is None:
        return Message(N_("the checkpoint names event {id}, which is no longer in the log: "
                          "the log was cut back or rewritten"), id=event_id)
    if row[0] != expected:
        return Message(N_("event {id} now has hash {now}, the checkpoint recorded "
                          "{expected}: the log was rewritten up to it"), id=event_id,
                       now=row[0], expected=expected)
    return None


def head_line(engine: Engine) -> str | None:
    """The head as printed at the foot of a report (None on an empty log): every event
    committed so far linked first."""
    link_pending(engine)
    with reading(engine).connect() as conn:
        h = head(conn)
    return None if h is None else h.line()


# -- syslog -------------------------------------------------------------------------------

#: Where ``portops audit checkpoint --syslog`` sends the head when no address is given
#: (``--syslog-address`` or this environment variable): the local syslog's socket.
SYSLOG_ENV = "PORTOPS_SYSLOG_ADDRESS"
SYSLOG_SOCKETS = ("/dev/log", "/var/run/syslog")  # Linux; macOS and the BSDs
#: Facility auth (4), severity notice (5): ``<37>``, as RFC 3164 writes it.
SYSLOG_PRIORITY = 4 * 8 + 5
SYSLOG_TAG = "portops-audit"


def syslog_address(given: str | None) -> str | None:
    """The syslog to send to: ``given``, else ``$PORTOPS_SYSLOG_ADDRESS``, else the first
    local socket that exists (None: this system has none). A site whose collector is another
    machine names it ``HOST:PORT`` (UDP): the head then leaves the machine the database is
    on, out of reach of whoever holds that machine."""
    chosen = given or os.environ.get(SYSLOG_ENV, "")
    if chosen:
        return chosen
    return next((path for path in SYSLOG_SOCKETS if os.path.exists(path)), None)


def send_to_syslog(line: str, address: str) -> None:
    """Send ``line`` as one syslog message (facility auth, tag portops-audit) to ``address``:
    a Unix socket's path (datagram, else stream, as syslog daemons listen) or ``HOST:PORT``
    (UDP). Python's ``syslog`` module can only write to ``/dev/log``; this can be pointed
    anywhere, and an address that does not answer raises ``OSError`` instead of losing the
    message silently."""
    message = f"<{SYSLOG_PRIORITY}>{SYSLOG_TAG}: {line}".encode()
    if "/" not in address and ":" in address:
        host, _, port = address.rpartition(":")
        if not port.isdigit():
            raise ValueError(f"{port!r} is not a port number")
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET,
                           socket.SOCK_DGRAM) as s:
            s.sendto(message, (host.strip("[]"), int(port)))
        return
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as s:
            s.sendto(message, address)
    except OSError as exc:
        if exc.errno != errno.EPROTOTYPE:
            raise
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:  # a stream-only daemon
            s.connect(address)
            s.sendall(message + b"\0")
