"""A server started for a test in a process of its own (``portops serve``, ``portops api``),
on a free port of 127.0.0.1: started, waited for until it listens, stopped at the end."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def listening(argv: list[str], port: int, *, seconds: float = 60,
              **popen: Any) -> Iterator[subprocess.Popen]:
    """``argv`` running until the block ends, once it accepts connections on ``port``; a
    server that stops first fails the test with what it printed (when piped)."""
    proc = subprocess.Popen(argv, **popen)
    try:
        deadline = time.monotonic() + seconds
        while True:
            if proc.poll() is not None:
                said = proc.stdout or proc.stderr
                raise AssertionError(f"the server stopped: {said.read() if said else ''}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start listening"
                time.sleep(0.2)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
