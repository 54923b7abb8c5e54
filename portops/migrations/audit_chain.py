"""The audit chain's database side (migration 0280): linking the log written before it, and
on PostgreSQL the trigger that links every new event under one lock (``portops/audit.py``).
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text
from sqlalchemy.engine import Connection

from portops import audit

#: The transaction advisory lock the chain is extended under (two-key form: its own space,
#: apart from ``Tx.lock``'s one-key locks). "port", 1.
LOCK = (0x706F7274, 1)

_FUNCTION = f"""
CREATE OR REPLACE FUNCTION event_chain() RETURNS trigger AS $$
DECLARE
    prev text;
BEGIN
    IF NEW.hash IS NULL OR NEW.hash !~ '^[0-9a-f]{{64}}$' THEN
        RAISE EXCEPTION 'an audit event carries the digest of its content (portops writes it)';
    END IF;
    PERFORM pg_advisory_xact_lock({LOCK[0]}, {LOCK[1]});
    SELECT e.hash INTO prev FROM event e ORDER BY e.id DESC LIMIT 1;
    NEW.id := nextval('event_id_seq'::regclass);  -- the id column's own sequence, drawn
                                                  -- only here (the column has no default)
    NEW.prev_hash := coalesce(prev, '{audit.GENESIS}');
    NEW.hash := encode(sha256(convert_to(NEW.prev_hash || NEW.hash, 'UTF8')), 'hex');
    RETURN NEW;
END $$ LANGUAGE plpgsql
"""


def create_chain_trigger() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite: the writer links in Python, under the database's one write lock
    op.execute(_FUNCTION)
    op.execute("CREATE TRIGGER event_chain BEFORE INSERT ON event FOR EACH ROW "
               "EXECUTE FUNCTION event_chain()")


def drop_chain_trigger() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS event_chain ON event")
    op.execute("DROP FUNCTION IF EXISTS event_chain()")


#: The event id's sequence as the column's default, which the chain does without: an INSERT
#: would draw an id before the trigger draws the one it keeps, and ids would step by two.
ID_DEFAULT = "nextval('event_id_seq'::regclass)"
#: Switch the chain off and on (PostgreSQL; a measurement or a test only): without the
#: trigger the column draws its id itself again.
CHAIN_OFF = ("ALTER TABLE event DISABLE TRIGGER event_chain",
             f"ALTER TABLE event ALTER COLUMN id SET DEFAULT {ID_DEFAULT}")
CHAIN_ON = ("ALTER TABLE event ALTER COLUMN id DROP DEFAULT",
            "ALTER TABLE event ENABLE TRIGGER event_chain")


def drop_id_default() -> None:
    """The trigger's draw is the event's only one (migration 0325): ids step by one."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE event ALTER COLUMN id DROP DEFAULT")


def restore_id_default() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE event ALTER COLUMN id SET DEFAULT {ID_DEFAULT}")


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
