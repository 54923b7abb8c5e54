"""The PostgreSQL role portops runs as day to day: it may do everything portops does, and
nothing that rewrites history (issue 16).

The triggers that keep the audit log append-only and chained are stopped by anyone who may
drop them, and PostgreSQL lets only a table's owner (or a superuser) drop a trigger, disable
it or alter the table. So the tables belong to the role that runs ``portops db upgrade`` (the
migrations), and consoles, gates and imports connect as another role granted:

* every table: SELECT, INSERT, UPDATE, DELETE; and the sequences behind their ids;
* the event table and the audit chain's links (``event_link``): SELECT and INSERT only
  (their triggers refuse the rest anyway); the events waiting to be linked
  (``event_unlinked``) as any table: the linker takes them;
* the migrations' own table (alembic_version): SELECT only (commands check the schema);
* no TRUNCATE, no REFERENCES, no TRIGGER privilege, no ownership: no DDL at all.

``portops db grants ROLE`` prints the statements for the owner to run (again after every
``portops db upgrade``: a migration's new table needs its grant).
"""

from __future__ import annotations

import re

_ROLE = re.compile(r"[a-z_][a-z0-9_$]{0,62}")


def grants_sql(role: str, database: str) -> str:
    """The statements, for ``role`` on ``database`` (both checked: they go into SQL)."""
    if not _ROLE.fullmatch(role):
        raise ValueError(f"{role!r} is not a plain PostgreSQL role name (lower-case letters, "
                         "digits and _, at most 63)")
    db = database.replace('"', '""')
    return f"""\
-- portops: the everyday role {role} on "{db}"; run as the tables' owner (the role that runs
-- portops db upgrade), and again after each upgrade. {role} cannot drop or disable the audit
-- log's triggers, alter a table or truncate one: only an owner can.
-- CREATE ROLE {role} LOGIN PASSWORD '...';   -- once, if it does not exist
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT CONNECT ON DATABASE "{db}" TO {role};
GRANT USAGE ON SCHEMA public TO {role};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role};
REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON event FROM {role};
REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON event_link FROM {role};
REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {role};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role};
"""
