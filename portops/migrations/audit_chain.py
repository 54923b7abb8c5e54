"""The audit chain's database side: linking the log written before it (migration 0280) and,
on PostgreSQL, linking every new event after its commit (migration 0350, ``portops/audit.py``).

PostgreSQL until 0350 linked an event in its INSERT, under a lock held to the COMMIT, so every
operation's commit queued behind the one before (issue 16: bookings under contention at 0.79
of their rate). Since 0350:

* an event is written with its content's digest and no lock to wait for: its ``AFTER
  INSERT`` trigger notes it in ``event_unlinked``; one event in :data:`LINK_EVERY`, if nobody
  holds the chain's lock at that instant (``pg_try_advisory_xact_lock`` never waits), links
  every event waiting that it can see (committed, and its own) in id order, each a row of
  ``event_link`` at the next ``seq``;
* whoever reads the head (``portops audit``, a report's foot) first links what is left,
  waiting for the lock (:data:`LINK_PENDING`).

The chain's order is ``event_link.seq``, the order events were linked in: an event is linked
after its commit, or in its own transaction (and kept or undone with it), never ahead of an
event committed before it was linked. A holder of the lock reads the newest link after every
earlier holder committed (the lock is released after the commit is visible), in READ
COMMITTED; a transaction at a stricter isolation level, whose snapshot may predate the last
link, links nothing and leaves its event for the next one.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text
from sqlalchemy.engine import Connection

from portops import audit

#: The transaction advisory lock the chain is extended under (two-key form: its own space,
#: apart from ``Tx.lock``'s one-key locks). "port", 1.
LOCK = (0x706F7274, 1)

_DIGEST = "'^[0-9a-f]{64}$'"

#: Link the committed events noted in ``event_unlinked`` (and the caller's own), in id order;
#: ``wait``: wait for the chain's lock (a reader of the head), else give up at once if another
#: transaction holds it or this one's snapshot may be stale. Returns how many it linked. An
#: event whose digest is missing or malformed is not linked (``audit verify`` names it).
_LINKER = f"""
CREATE OR REPLACE FUNCTION event_link_pending(wait boolean) RETURNS integer AS $$
DECLARE
    prev text;
    pos bigint;
    linked text;
    digest text;
    taken integer[];
    i integer;
    n integer := 0;
BEGIN
    IF wait THEN
        IF current_setting('transaction_isolation') <> 'read committed' THEN
            RAISE EXCEPTION 'the audit chain is linked in a READ COMMITTED transaction';
        END IF;
        PERFORM pg_advisory_xact_lock({LOCK[0]}, {LOCK[1]});
    ELSIF current_setting('transaction_isolation') <> 'read committed'
          OR NOT pg_try_advisory_xact_lock({LOCK[0]}, {LOCK[1]}) THEN
        RETURN 0;
    END IF;
    WITH d AS (DELETE FROM event_unlinked RETURNING event_id)
        SELECT array_agg(d.event_id ORDER BY d.event_id) INTO taken FROM d;
    IF taken IS NULL THEN
        RETURN 0;
    END IF;
    SELECT l.seq, l.hash INTO pos, prev FROM event_link l ORDER BY l.seq DESC LIMIT 1;
    pos := coalesce(pos, 0);
    prev := coalesce(prev, '{audit.GENESIS}');
    FOREACH i IN ARRAY taken LOOP
        SELECT e.hash INTO digest FROM event e WHERE e.id = i;
        CONTINUE WHEN digest IS NULL OR digest !~ {_DIGEST};
        linked := encode(sha256(convert_to(prev || digest, 'UTF8')), 'hex');
        pos := pos + 1;
        INSERT INTO event_link (seq, event_id, prev_hash, hash) VALUES (pos, i, prev, linked);
        prev := linked;
        n := n + 1;
    END LOOP;
    RETURN n;
END $$ LANGUAGE plpgsql
"""

#: One event in this many (by id) links the events waiting when its trigger finds the chain's
#: lock free: linking a batch costs an operation about half what linking each event in its
#: own trigger did (``docs/benchmarks.md``), and no more than this many wait between reads.
LINK_EVERY = 64

#: An event's trigger: refuse an event without a digest; note it as waiting; one in
#: :data:`LINK_EVERY` links what is waiting (its own event too) if the lock is free.
_TRIGGER_FUNCTION = f"""
CREATE OR REPLACE FUNCTION event_chain() RETURNS trigger AS $$
BEGIN
    IF NEW.hash IS NULL OR NEW.hash !~ {_DIGEST} THEN
        RAISE EXCEPTION 'an audit event carries the digest of its content (portops writes it)';
    END IF;
    INSERT INTO event_unlinked (event_id) VALUES (NEW.id);
    IF NEW.id % {LINK_EVERY} = 0 THEN
        PERFORM event_link_pending(false);
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql
"""

#: The statements that put the chain's PostgreSQL side in place (again: a test that dropped
#: it puts it back with them).
CHAIN_SQL = (_LINKER, _TRIGGER_FUNCTION,
             "DROP TRIGGER IF EXISTS event_chain ON event",
             "CREATE TRIGGER event_chain AFTER INSERT ON event FOR EACH ROW "
             "EXECUTE FUNCTION event_chain()")
#: Link what is left, waiting for the lock (in a READ COMMITTED transaction of its own).
LINK_PENDING = "SELECT event_link_pending(true)"

#: The event id's sequence as the column's default (0325 took it away while the trigger drew
#: the id under its lock; 0350 gives it back: still one draw per event).
ID_DEFAULT = "nextval('event_id_seq'::regclass)"


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


# -- migration 0280: the chain linked in the event's INSERT, under a lock to the COMMIT ------

_FUNCTION_0280 = f"""
CREATE OR REPLACE FUNCTION event_chain() RETURNS trigger AS $$
DECLARE
    prev text;
BEGIN
    IF NEW.hash IS NULL OR NEW.hash !~ {_DIGEST} THEN
        RAISE EXCEPTION 'an audit event carries the digest of its content (portops writes it)';
    END IF;
    PERFORM pg_advisory_xact_lock({LOCK[0]}, {LOCK[1]});
    SELECT e.hash INTO prev FROM event e ORDER BY e.id DESC LIMIT 1;
    NEW.id := nextval('event_id_seq'::regclass);
    NEW.prev_hash := coalesce(prev, '{audit.GENESIS}');
    NEW.hash := encode(sha256(convert_to(NEW.prev_hash || NEW.hash, 'UTF8')), 'hex');
    RETURN NEW;
END $$ LANGUAGE plpgsql
"""


def create_chain_trigger() -> None:
    if not _postgresql():
        return  # SQLite: the writer links in Python, under the database's one write lock
    op.execute(_FUNCTION_0280)
    op.execute("CREATE TRIGGER event_chain BEFORE INSERT ON event FOR EACH ROW "
               "EXECUTE FUNCTION event_chain()")


def drop_chain_trigger() -> None:
    if not _postgresql():
        return
    op.execute("DROP TRIGGER IF EXISTS event_chain ON event")
    op.execute("DROP FUNCTION IF EXISTS event_chain()")


# -- migration 0325: ids step by one (the 0280 trigger drew the only id) --------------------

def drop_id_default() -> None:
    if _postgresql():
        op.execute("ALTER TABLE event ALTER COLUMN id DROP DEFAULT")


def restore_id_default() -> None:
    if _postgresql():
        op.execute(f"ALTER TABLE event ALTER COLUMN id SET DEFAULT {ID_DEFAULT}")


# -- migration 0350: linked after the commit ------------------------------------------------

def link_after_commit() -> None:
    """PostgreSQL: the links so far move to ``event_link`` in their (id) order, unchanged, so
    a head written out before still checks; then the trigger that links after commits."""
    if not _postgresql():
        return
    drop_chain_trigger()
    restore_id_default()
    op.execute("INSERT INTO event_link (seq, event_id, prev_hash, hash) "
               "SELECT row_number() OVER (ORDER BY id), id, prev_hash, hash FROM event "
               f"WHERE prev_hash IS NOT NULL AND hash ~ {_DIGEST} ORDER BY id")
    for statement in CHAIN_SQL:
        op.execute(statement)


def link_in_insert() -> None:
    """Back to 0280's trigger: every event linked again on its row, in id order (the one
    order that chain knows), under the guard lifted meanwhile."""
    if not _postgresql():
        return
    op.execute("DROP TRIGGER IF EXISTS event_chain ON event")
    op.execute("DROP FUNCTION IF EXISTS event_chain()")
    op.execute("DROP FUNCTION IF EXISTS event_link_pending(boolean)")
    link_all(op.get_bind())
    drop_id_default()
    create_chain_trigger()


# -- for measurements only ------------------------------------------------------------------

#: How each way of chaining is put in place on PostgreSQL, to compare them in one sitting
#: (``benchmarks/audit_chain.py``, ``benchmarks/chain_bookings.py``): ``after`` as shipped
#: (0350), ``insert`` as from 0280 to 0350 (linked in the event's INSERT, under a lock held
#: to the COMMIT; the id drawn by the trigger), ``off`` no chain (the trigger disabled; the
#: writers' ``audit.CHAIN`` off too).
CHAIN_VARIANTS: dict[str, tuple[str, ...]] = {
    "after": (f"ALTER TABLE event ALTER COLUMN id SET DEFAULT {ID_DEFAULT}", *CHAIN_SQL),
    "insert": ("DROP TRIGGER IF EXISTS event_chain ON event", _FUNCTION_0280,
               "CREATE TRIGGER event_chain BEFORE INSERT ON event FOR EACH ROW "
               "EXECUTE FUNCTION event_chain()",
               "ALTER TABLE event ALTER COLUMN id DROP DEFAULT"),
    "off": (f"ALTER TABLE event ALTER COLUMN id SET DEFAULT {ID_DEFAULT}", *CHAIN_SQL,
            "ALTER TABLE event DISABLE TRIGGER event_chain"),
}


def link_all(conn: Connection) -> None:
    """Link every event already in the log, in id order (its guard is off meanwhile)."""
    from sqlalchemy import select

    from portops.model import Event

    t = Event.__table__
    rows = conn.execute(select(*[t.c[k] for k in ("id", *audit.CONTENT)]).order_by(t.c.id)
                        ).all()
    prev, updates = audit.GENESIS, []
    for row in rows:
        h = audit.link(prev, audit.digest(row._mapping))
        updates.append({"i": row.id, "p": prev, "h": h})
        prev = h
    if updates:
        conn.execute(text("UPDATE event SET prev_hash = :p, hash = :h WHERE id = :i"), updates)
