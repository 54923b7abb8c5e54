"""The console on a big terminal, measured as a user meets it: a real ``portops`` process.

    python benchmarks/console.py --db /tmp/bench100k.db      # an existing database (copied)
    python benchmarks/console.py --containers 100000 --visits 500   # generate one first

Each sample starts ``portops --db COPY`` in a pseudo-terminal (160x50, ``TERM=xterm-256color``)
exactly as a clerk would, with nothing in-process: the time runs from just before the process
is spawned. As soon as the sign-in form is drawn the benchmark types the user name and the
password (the password is checked with scrypt, as always); the start is over when the schedule's
rows are on the terminal (ten vessel names of the schedule drawn) and the console has answered
a key (``/`` draws the filter line). The CPU figure is the console process's own (user + system,
from ``/proc``) at that moment.

Refresh: one console is started and signed in the same way; this benchmark process (another
process, as another console would be) commits ``berthplan.set_times`` on a visit that is on
screen; the time runs from the commit returning to the new ETD drawn on the console's terminal.
The console's CPU share while idle (polling the database) is measured too.

``benchmarks/live_refresh.py`` measures the same refresh on a freshly generated terminal with
other operations and poll intervals (``PORTOPS_POLL_SECONDS``).
"""

from __future__ import annotations

import argparse
import codecs
import fcntl
import os
import pty
import re
import select
import shlex
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
import tty
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

USER = "bench-dispatcher"
PASSWORD = "bench password"
SIZE = (160, 50)  # columns, lines: the schedule's wide layout
VESSEL = re.compile(r"BENCH \d{4}")
#: Escape sequences (CSI, OSC, two-byte) removed from what the console writes.
ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
TYPING_GAP = 0.03  # seconds between two typed keys (a fast typist)
THINK = 0.3  # seconds before and after Enter (a key hard on the heels of Enter can be lost)


def prepare(db: str) -> None:
    """Give the database a dispatcher with a password (the console asks for one)."""
    from portops import schema
    from portops.db import make_engine
    from portops.ops import Core
    from portops.ops.users import add_user, set_password
    from portops.queries.accounts import account

    engine = make_engine(db)
    schema.upgrade(engine)
    core = Core(engine)
    if account(engine, USER) is None:
        core.run("system", add_user, name=USER, role="dispatcher", password=PASSWORD)
    else:
        core.run("system", set_password, name=USER, password=PASSWORD)
    engine.dispose()


#: The console command measured (``--portops``); default: the script next to this Python.
COMMAND: list[str] = []


def portops_command() -> list[str]:
    """The ``portops`` script installed next to this Python (what a user types)."""
    if COMMAND:
        return COMMAND
    script = Path(sys.executable).with_name("portops")
    return [str(script)] if script.exists() else [sys.executable, "-m", "portops"]


class Console:
    """A ``portops`` console in a pseudo-terminal; ``text`` is what it has drawn so far."""

    def __init__(self, db: str, env: dict[str, str] | None = None) -> None:
        master, slave = pty.openpty()
        cols, lines = SIZE
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, cols, 0, 0))
        tty.setraw(slave)  # keys typed as soon as the form shows reach the console unchanged
        environ = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(cols),
                   "LINES": str(lines), **(env or {})}
        environ.pop("PORTOPS_LANG", None)
        self.spawned = time.perf_counter()
        self.proc = subprocess.Popen([*portops_command(), "--db", db], stdin=slave,
                                     stdout=slave, stderr=slave, env=environ,
                                     start_new_session=True, close_fds=True)
        os.close(slave)
        self.master = master
        self.text = ""
        self._decode = codecs.getincrementaldecoder("utf-8")(errors="replace").decode
        self._pending = ""

    def drain(self, timeout: float = 0.0) -> bool:
        """Read what the console wrote (waiting up to ``timeout``); False if nothing came."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.master, 1 << 16)
        except OSError:  # the console has exited
            raise RuntimeError(f"the console exited: {self.text[-500:]!r}") from None
        chunk = self._pending + self._decode(data)
        cut = chunk.rfind("\x1b")  # an escape sequence cut in two waits for its end
        if cut != -1 and len(chunk) - cut < 64 and not ESCAPE.match(chunk, cut):
            chunk, self._pending = chunk[:cut], chunk[cut:]
        else:
            self._pending = ""
        self.text += ESCAPE.sub("", chunk)
        return True

    def wait_for(self, seen: Callable[[str], bool], since: int = 0,
                 timeout: float = 60.0) -> float:
        """Read until ``seen(text drawn after position since)``; returns perf_counter then."""
        end = time.perf_counter() + timeout
        while not seen(self.text[since:]):
            if time.perf_counter() > end:
                raise TimeoutError(f"not drawn in {timeout} s; last: {self.text[-300:]!r}")
            self.drain(0.05)
        return time.perf_counter()

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def type(self, text: str) -> None:
        """One key at a time, as typed (a burst of characters would arrive as a paste)."""
        for key in text:
            self.send(key)
            time.sleep(TYPING_GAP)

    def cpu_seconds(self) -> float:
        """User + system CPU the console process has used so far."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def sign_in(self, vessels_shown: int) -> dict[str, float]:
        """Type the credentials when asked. Seconds from spawn to the sign-in form, to the
        schedule's rows drawn and to a key answered, the typing time excluded from both."""
        form = self.wait_for(lambda t: "Password" in t)
        form_cpu = self.cpu_seconds()
        mark = len(self.text)
        self.type(USER)
        time.sleep(THINK)
        self.send("\r")  # on to the password
        time.sleep(THINK)
        self.type(PASSWORD)
        time.sleep(THINK)
        typed = time.perf_counter()
        typed_cpu = self.cpu_seconds()
        self.send("\r")
        typing = typed - form
        rows = self.wait_for(lambda t: len(set(VESSEL.findall(t))) >= vessels_shown, mark)
        mark = len(self.text)
        self.send("/")
        answered = self.wait_for(lambda t: "filter: vessel" in t, mark)
        cpu = self.cpu_seconds()
        self.send("\x1b")  # close the filter line again
        return {"form": form - self.spawned, "rows": rows - self.spawned - typing,
                "key": answered - self.spawned - typing, "cpu": cpu, "form_cpu": form_cpu,
                "signed_in_cpu": cpu - typed_cpu, "typing": typing}

    def close(self) -> None:
        self.send("\x11")  # ctrl+q
        try:
            end = time.perf_counter() + 10
            while self.proc.poll() is None and time.perf_counter() < end:
                try:
                    self.drain(0.05)
                except RuntimeError:
                    break
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        finally:
            os.close(self.master)


def starts(db: str, samples: int) -> dict[str, list[float]]:
    """Start a console ``samples`` times: seconds to the form, to the rows, to a key; CPU."""
    out: dict[str, list[float]] = {"form": [], "rows": [], "key": [], "cpu": [], "form_cpu": [],
                                   "signed_in_cpu": [], "typing": []}
    for _ in range(samples):
        console = Console(db)
        try:
            for name, value in console.sign_in(vessels_shown=10).items():
                out[name].append(value)
        finally:
            console.close()
    return out


def _candidates(engine) -> list:
    """Planned visits among the first rows of the schedule (on screen), by ETB."""
    from portops.queries.schedule import visits

    since = datetime.now(UTC) - timedelta(hours=24)
    rows = sorted((r for r in visits(engine, departed_since=since) if r.etb and r.etd),
                  key=lambda r: (r.etb, r.key))[:25]
    return [r for r in rows if r.phase.value == "planned"]


def refreshes(db: str, samples: int, env: dict[str, str] | None = None,
              idle_seconds: float = 3.0) -> tuple[list[float], float]:
    """Seconds from another process's commit to the change drawn; the console's idle CPU
    share (its polling) over ``idle_seconds``."""
    from portops.clock import local
    from portops.db import make_engine
    from portops.ops import Core
    from portops.ops.berthplan import set_times
    from portops.queries.accounts import terminal_info

    engine = make_engine(db)
    core = Core(engine)
    tz = terminal_info(engine).timezone
    candidates = _candidates(engine)
    console = Console(db, env)
    out = []
    try:
        console.sign_in(vessels_shown=10)
        time.sleep(1.0)
        while console.drain(0.2):
            pass
        cpu0, t0 = console.cpu_seconds(), time.perf_counter()
        time.sleep(idle_seconds)
        while console.drain():
            pass
        idle = (console.cpu_seconds() - cpu0) / (time.perf_counter() - t0)
        for n in range(samples):
            row = candidates[n % len(candidates)]
            shift = 1
            while True:  # a new ETD whose text the console has not drawn yet
                new_etd = _current_etd(engine, row.id) + timedelta(minutes=shift)
                shown = local(new_etd, tz).strftime("%m-%d %H:%M")
                if shown not in console.text:
                    break
                shift += 1
            time.sleep(0.1 * (n % 7) / 7)  # changes land anywhere in the poll cycle
            while console.drain():
                pass
            mark = len(console.text)
            core.run(USER, set_times, visit_id=row.id, etd=new_etd)
            committed = time.perf_counter()
            drawn = console.wait_for(lambda t, s=shown: s in t, mark, timeout=30)
            out.append(drawn - committed)
            time.sleep(0.05)
    finally:
        console.close()
        engine.dispose()
    return out, idle


def _current_etd(engine, visit_id: int) -> datetime:
    from portops.queries.schedule import visits

    return visits(engine, ids=[visit_id])[0].etd


def report(name: str, seconds: list[float]) -> None:
    ms = sorted(x * 1000 for x in seconds)
    p90 = ms[int(len(ms) * 0.9) - 1] if len(ms) >= 10 else ms[-1]
    print(f"{name:<38} median {statistics.median(ms):7.1f} ms   p90 {p90:7.1f} ms   "
          f"max {ms[-1]:7.1f} ms  (n={len(ms)})")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="console benchmarks")
    p.add_argument("--db", help="an existing database (it is copied; the copy is measured)")
    p.add_argument("--containers", type=int, default=100_000)
    p.add_argument("--visits", type=int, default=500)
    p.add_argument("--samples", type=int, default=10)
    p.add_argument("--refresh-samples", type=int, default=50)
    p.add_argument("--no-pause", action="store_true", help="type the name and password with "
                   "no pause between keys and 0.05 s around Enter (a clerk faster than the "
                   "console's preparation while the form shows)")
    p.add_argument("--portops", help="the console to start (another checkout's portops "
                   "script, to compare in one sitting; default: the one next to this Python)")
    args = p.parse_args(argv)
    if args.portops:
        COMMAND[:] = shlex.split(args.portops)
    if args.no_pause:
        global TYPING_GAP, THINK
        TYPING_GAP, THINK = 0.0, 0.05
    work = tempfile.mkdtemp(prefix="portops-console-bench-")
    db = os.path.join(work, "console.db")
    if args.db:
        shutil.copyfile(args.db, db)
    else:
        from benchmarks.terminal import generate

        generate(db, args.containers, args.visits)
    prepare(db)
    from portops.ui.settings import Settings

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, "
          f"load {os.getloadavg()[0]:.1f}, database {os.path.getsize(db) / 1e6:.1f} MB, "
          f"console: {' '.join(portops_command())}")
    if args.samples:
        start = starts(db, args.samples)
        report("start to the sign-in form", start["form"])
        report("  CPU of the console process then", start["form_cpu"])
        report("start to the schedule's rows drawn", start["rows"])
        report("start to interactive schedule (key)", start["key"])
        report("  CPU of the console process then", start["cpu"])
        report("  of which from Enter (sign-in) on", start["signed_in_cpu"])
        report("  (typing the name and password, excluded)", start["typing"])
    if args.refresh_samples:
        seconds, idle = refreshes(db, args.refresh_samples)
        report(f"refresh after a change (poll {Settings().poll_seconds:g} s)", seconds)
        print(f"console CPU while idle: {idle * 100:.1f} % of one core")
    print(f"load at the end {os.getloadavg()[0]:.1f}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
