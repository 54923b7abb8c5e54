"""Racing worker processes against one database, for the concurrency tests.

:func:`race` forks one process per call; each opens its own engine on the database (a SQLite
file or a PostgreSQL URL), signs in, waits at a barrier with the others and then performs its
operation at the same instant. It returns what each process got: ``("won", result)``,
``("refused", [rule ids])`` or ``("error", text)`` — an error is a bug the test reports.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from portops.ops import OPERATIONS, Refused

_CTX = mp.get_context("fork")  # cheap: the children share the already-imported portops


@dataclass(frozen=True)
class Call:
    user: str
    operation: str  # the operation's name, e.g. "permission.grant"
    kwargs: dict[str, Any]
    at: datetime | None = None  # the worker's (fixed) clock; None: the wall clock


def _worker(url: str, call: Call, barrier, out) -> None:  # noqa: ANN001 - mp types
    from portops.clock import FixedClock, SystemClock
    from portops.db import make_engine
    from portops.ops import Core

    engine = make_engine(url)
    core = Core(engine, SystemClock() if call.at is None else FixedClock(call.at))
    try:
        with engine.connect():
            pass  # connect before the start so that the race is about the operation
        barrier.wait(timeout=60)
        result = core.run(call.user, OPERATIONS[call.operation], **call.kwargs)
        out.put(("won", result))
    except Refused as refusal:
        out.put(("refused", refusal.rules))
    except BaseException as exc:  # noqa: BLE001 - reported to the test, which fails on it
        out.put(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        engine.dispose()


def race(url: str, calls: Sequence[Call], *, timeout: float = 120) -> list[tuple[str, Any]]:
    """Run ``calls`` in as many processes, released together; each process's outcome."""
    barrier = _CTX.Barrier(len(calls))
    out = _CTX.Queue()
    procs = [_CTX.Process(target=_worker, args=(url, c, barrier, out), daemon=True)
             for c in calls]
    for p in procs:
        p.start()
    outcomes = [out.get(timeout=timeout) for _ in procs]
    for p in procs:
        p.join(timeout)
        assert p.exitcode == 0, f"worker exited with {p.exitcode}"
    return outcomes


def one_winner(outcomes: list[tuple[str, Any]], refused_by: set[str]) -> Any:
    """Assert exactly one process won and every other was refused by one of ``refused_by``."""
    errors = [o for o in outcomes if o[0] == "error"]
    assert not errors, f"workers failed instead of winning or being refused: {errors}"
    winners = [o for o in outcomes if o[0] == "won"]
    assert len(winners) == 1, f"expected exactly one winner, got {outcomes}"
    for kind, rules in outcomes:
        if kind == "refused":
            assert set(rules) & refused_by, f"refused for the wrong reason: {rules}"
    return winners[0][1]
