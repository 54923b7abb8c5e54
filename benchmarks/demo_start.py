"""``portops demo`` to its sign-in screen, against ``portops --version`` in the same run.

    python benchmarks/demo_start.py [--samples 5] [--size 80x24]

Each sample spawns ``portops demo`` in a pseudo-terminal (80x24, ``TERM=xterm-256color``), as a
person types it, and times from just before the spawn to the demo's sign-in screen drawn with
its "who are you" list (the demo's roles on the terminal). Then Ctrl+Q, and the sample checks
that the temporary database is gone. ``portops --version`` (the interpreter and the command's
own import, nothing else) is timed the same way in the same run, alternating, so the ratio
holds on a busy machine as well as an idle one. Also reported, once per run: how long the
demo terminal itself takes to be built (from the spawn to the list of accounts read from it).

Issue 14's target: the sign-in screen in under 2 s on an idle machine (it took 13-30 s while
the demo was built first).
"""

from __future__ import annotations

import argparse
import codecs
import fcntl
import os
import pty
import re
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
import tty
from collections.abc import Callable
from pathlib import Path

#: Escape sequences (CSI, OSC, two-byte) removed from what the console writes.
ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
#: The sign-in screen of the demo is there: its list of roles is drawn.
SIGN_IN = ("who are you", "dispatcher", "gate-clerk", "yard-planner")


ROOT = Path(__file__).resolve().parent.parent


def portops_command() -> list[str]:
    """``portops`` of the checkout this file is in (``python -m portops`` run from its root:
    the installed script may belong to another checkout)."""
    return [sys.executable, "-m", "portops"]


class Terminal:
    """A command in a pseudo-terminal; ``text`` is what it has written, escapes removed."""

    def __init__(self, argv: list[str], size: tuple[int, int] = (80, 24),
                 env: dict[str, str] | None = None, cwd: str | None = None) -> None:
        master, slave = pty.openpty()
        cols, lines = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, cols, 0, 0))
        tty.setraw(slave)
        environ = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(cols),
                   "LINES": str(lines), **(env or {})}
        for name in ("PORTOPS_LANG", "PORTOPS_DB", "PYTHONPATH"):
            if name not in (env or {}):
                environ.pop(name, None)
        self.spawned = time.perf_counter()
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=environ,
                                     cwd=cwd or ROOT, start_new_session=True, close_fds=True)
        os.close(slave)
        self.master = master
        self.text = ""
        self._decode = codecs.getincrementaldecoder("utf-8")(errors="replace").decode

    def drain(self, timeout: float = 0.0) -> bool:
        """Read what was written (waiting up to ``timeout``); False if nothing came."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.master, 1 << 16)
        except OSError:  # the process has exited and its terminal closed
            return False
        self.text += ESCAPE.sub("", self._decode(data))
        return True

    def wait_for(self, seen: Callable[[str], bool], timeout: float = 60.0) -> float:
        """Read until ``seen(text)``; the perf_counter then."""
        end = time.perf_counter() + timeout
        while not seen(self.text):
            if time.perf_counter() > end:
                raise TimeoutError(f"not drawn in {timeout} s; last: {self.text[-400:]!r}")
            if self.proc.poll() is not None and not self.drain(0.05):
                raise RuntimeError(f"exited ({self.proc.returncode}): {self.text[-800:]!r}")
            self.drain(0.05)
        return time.perf_counter()

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def finish(self, timeout: float = 20.0) -> int:
        """Wait for the process to end (reading what it writes meanwhile); its exit status."""
        end = time.perf_counter() + timeout
        try:
            while self.proc.poll() is None:
                if time.perf_counter() > end:
                    self.proc.kill()
                    raise TimeoutError(f"still running after {timeout} s: {self.text[-400:]!r}")
                self.drain(0.05)
            return self.proc.wait()
        finally:
            os.close(self.master)


def signed_in_screen(text: str) -> bool:
    return all(word in text for word in SIGN_IN)


def demo_start(tmp: str, size: tuple[int, int] = (80, 24),
               wait_built: bool = False) -> dict[str, float | bool]:
    """One ``portops demo``: seconds to the sign-in screen (and to the terminal built, if
    ``wait_built``); whether its temporary database was removed after Ctrl+Q."""
    term = Terminal([*portops_command(), "demo"], size, env={"TMPDIR": tmp})
    try:
        shown = term.wait_for(signed_in_screen) - term.spawned
        built = None
        if wait_built:  # the terminal's name replaces "Building the demo terminal…"
            mark = len(term.text)
            try:
                built = term.wait_for(lambda t: "Demo Container Terminal" in t[mark:],
                                      timeout=300) - term.spawned
            except (RuntimeError, TimeoutError) as exc:  # the build failed: say so
                print(f"  the demo terminal was not built: {str(exc)[-300:]}")
                return {"signin": shown, "built": None, "status": 0, "removed": True}
    finally:
        term.send("\x11")  # ctrl+q
        status = term.finish()
    left = [p for p in os.listdir(tmp) if p.startswith("portops-demo-")]
    return {"signin": shown, "built": built, "status": status, "removed": not left}


def version_start() -> float:
    start = time.perf_counter()
    subprocess.run([*portops_command(), "--version"], check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--size", default="80x24", help="COLSxLINES (default 80x24)")
    a = parser.parse_args()
    size = tuple(int(n) for n in a.size.split("x"))
    print(f"portops demo to its sign-in screen at {a.size}, {a.samples} samples, "
          f"alternating with portops --version; load {os.getloadavg()[0]:.2f}")
    signin, version = [], []
    with tempfile.TemporaryDirectory(prefix="demo-start-") as tmp:
        version_start()  # the first run of the interpreter reads its files from disk
        for i in range(a.samples):
            version.append(version_start())
            run = demo_start(tmp, size, wait_built=i == 0)
            signin.append(run["signin"])
            if run["built"] is not None:
                print(f"  demo terminal built (accounts listed from it) {run['built']:.1f} s "
                      "after the command")
            assert run["removed"] and run["status"] == 0, run
    v, s = statistics.median(version), statistics.median(signin)
    print(f"portops --version  median {v * 1000:6.0f} ms  (min {min(version) * 1000:.0f})")
    print(f"demo sign-in       median {s * 1000:6.0f} ms  (min {min(signin) * 1000:.0f}, "
          f"max {max(signin) * 1000:.0f})")
    print(f"ratio sign-in / --version: {s / v:.1f}")
    print("temporary database removed after Ctrl+Q: every sample")


if __name__ == "__main__":
    main()
