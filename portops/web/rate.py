"""The API's rate per token, one for all server processes (``portops api --workers N``,
``portops serve``): a token bucket kept in the database, in the form of the generic cell rate
algorithm (GCRA), so that a token's bucket is one number and taking from it one statement.

The row holds the token's "theoretical arrival time" ``tat``: when its bucket would be full
again. A request at ``now`` conforms if ``max(tat, now) + 1/rate <= now + burst/rate`` (at most
``burst`` requests ahead of the rate), and then moves ``tat`` on by ``1/rate``. The test and
the move are one ``INSERT ... ON CONFLICT DO UPDATE ... WHERE ... RETURNING``: the database
settles two processes taking from the same bucket at once (SQLite's write lock; PostgreSQL's
row lock on the conflict), so eight processes together let a token through at its rate, not
eight times it. Refused: no row comes back, and the wait is read from the row.

Time is the wall clock (``time.time``): the processes share it, a monotonic clock they do not.
A request writes here before it is judged: this row is the one write outside an operation,
and no event (it is not the terminal's business; a refused request changes nothing else).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from portops.db import is_sqlite, write_turn

_TAKE = """
INSERT INTO api_rate (token_sha256, tat) VALUES (:key, :now + :step)
ON CONFLICT (token_sha256) DO UPDATE SET tat = {most}(api_rate.tat, :now) + :step
WHERE {most}(api_rate.tat, :now) + :step <= :limit
RETURNING tat
"""
#: SQLite's two-argument ``max`` is PostgreSQL's ``GREATEST``.
TAKE_SQLITE = text(_TAKE.format(most="max"))
TAKE_PG = text(_TAKE.format(most="GREATEST"))
TAT = text("SELECT tat FROM api_rate WHERE token_sha256 = :key")


def take(engine: Any, key: str, rate: float, burst: float, now: float) -> float:
    """Take one request from the bucket of the token whose SHA-256 is ``key``: 0.0 if it
    conforms, else the seconds until it would."""
    step = 1.0 / rate
    given = {"key": key, "now": now, "step": step, "limit": now + max(burst, 1.0) * step}
    if is_sqlite(engine):
        with write_turn(engine), engine.begin() as conn:  # BEGIN IMMEDIATE: one at a time
            return _taken(conn, TAKE_SQLITE, given, step, burst, now)
    # one statement, atomic by itself: autocommit saves the COMMIT's round trip
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        return _taken(conn, TAKE_PG, given, step, burst, now)


def _taken(conn: Any, take_sql: Any, given: dict, step: float, burst: float,
           now: float) -> float:
    if conn.execute(take_sql, given).first() is not None:
        return 0.0
    tat = conn.execute(TAT, {"key": given["key"]}).scalar()
    if tat is None:  # cannot be: the conflict was on this row
        return step
    return max(step / 2, tat + step - max(burst, 1.0) * step - now)
