"""The registry of customer-facing queries and the wrapper that scopes each to its caller.

Apart from ``portops.queries.customer`` so that every module of customer queries (the
boxes and appointments there, a shipper's exports in ``customer_export``) registers into the
one :data:`CUSTOMER_QUERIES` without importing another (an import cycle otherwise).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from portops.db import read_session
from portops.scope import caller_of

#: Every customer-facing query by name (``tests/test_customer_scope.py`` walks them all).
CUSTOMER_QUERIES: dict[str, Callable] = {}


def with_caller(fallback: Any) -> Callable:
    """Decorate a query ``fn(session, me, ...)`` into ``query(engine, user, ...)`` that reads
    the caller's party first and returns ``fallback`` for anyone who is not a party's account."""
    def wrap(fn: Callable) -> Callable:
        def query(engine, user: str, *args: Any, **kwargs: Any):
            with read_session(engine) as s:
                me = caller_of(s, user)
                if me is None:
                    return fallback() if callable(fallback) else fallback
                return fn(s, me, *args, **kwargs)
        functools.update_wrapper(query, fn)  # its name, doc and __wrapped__
        CUSTOMER_QUERIES[fn.__name__] = query
        return query
    return wrap
