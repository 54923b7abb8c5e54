"""Read-only queries for screens and exports: each returns plain dataclasses, never ORM rows.

One module per area. A query opens its own read session (``portops.db.read_session``) so that
it can run in a console's worker thread while operations write elsewhere.
"""
