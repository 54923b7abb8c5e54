"""The fuzz harness (issue 16): inputs of every kind portops takes from outside, and one
property for all of them:

    exit 0 or a clear message; no traceback; a refused input changes no row.

Three families of cases, each a hypothesis strategy and a check that returns ``None`` when
the property holds, else what broke it (one line):

* ``files``: every import format (the YAML kinds, the CSV manifest and release feeds,
  EDIFACT), each a real sample mutated: a value replaced by a nasty one, bytes spliced,
  the file cut short, a line doubled, a carriage return or an overlong field put in. Half
  are read only (``registry.prepare``: the parsers), half imported with ``portops import``
  into a copy of a terminal's database, whose rows must not change when it refuses.
* ``cli``: every command's arguments (``portops <command> ...`` as typed), built from the
  parser itself, so a command added later is fuzzed too; run against a copy of the
  database; a refusal must leave it as it was.
* ``typed``: every typed console field's validator: ``portops.textcheck`` (each kind),
  ``portops.clock.parse_typed`` and the code parsers of ``portops.codes``.

``tests/fuzz/test_fuzz.py`` runs a short budget in CI; ``benchmarks/fuzz.py --cases N`` a
long one that counts failures instead of stopping at the first.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "portops" / "data" / "demo"
DATA = ROOT / "tests" / "data"
ADMIN_PASSWORD = "fuzz-admin-pw-1234"

# -- the samples each file case starts from ---------------------------------------------

INVENTORY = """\
kind: inventory
containers:
  - number: CSQU3054383
    size_type: 45R1
    operator: COSU
    category: import
    gross_kg: 24000
    reefer_temp_c: -18
    imdg_class: "3"
    un_number: "1993"
    pol: NLRTM
    pod: CNSHA
    seals: [CN1, CN2]
    yard: A01.02.1.1
  - number: MSKU0000006
    size_type: "2200"
    yard: A01.01.2.1
"""
PORT_ENTRY = """\
kind: port_entry
version: 1
clearances:
  - visit: VOY-001
    reference: CIQ-2026-1127-0042
    authority: Shanghai MSA / customs
    cleared: 2026-11-27 13:45
"""
RELEASES = "kind,container,reference,bl_number\ncustoms,CSQU3054383,E-2,\nline,,E-3,COSU1\n"


def samples() -> dict[str, bytes]:
    """File name -> content of one real file of each format portops imports."""
    out = {
        "layout.yaml": (DEMO / "layout.yaml").read_bytes(),
        "schedule.yaml": (DEMO / "schedule.yaml").read_bytes(),
        "parties.yaml": (DEMO / "parties.yaml").read_bytes(),
        "checklists.yaml": (ROOT / "portops" / "data" / "checklists.yaml").read_bytes(),
        "inventory.yaml": INVENTORY.encode(),
        "port_entry.yaml": PORT_ENTRY.encode(),
        "manifest.csv": (DATA / "manifest.csv").read_bytes(),
        "releases.csv": RELEASES.encode(),
    }
    for edi in sorted([*DATA.glob("*.edi"), *(DATA / "edi").glob("*.edi")]):
        out[edi.name] = edi.read_bytes()
    return out


SAMPLES = samples()

NASTY = ["[]", "{}", '""', "~", "1e999", "-1e999", "-1", "0", "x: y", "true", "!!str a",
         "&a b", "[", "'", "*a", "2026-02-30T00:00", "99999999999999999999", ".nan", ".inf",
         "- a", "\t", "é", "沪A12345", "[1, [2, [3]]]", "{a: {b: c}}", "0x", "0o9",
         "CSQU3054384", "45X9", "NOPE", "\r", "a\rb", "\x00", "\ufeff", "'; DROP TABLE x;--",
         "%s%n", "../../etc/passwd", "A" * 300, "9" * 5000, "-0", "1_000", "１２", "\u202e"]


@st.composite
def mutated_file(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(SAMPLES)))
    data = SAMPLES[name]
    how = draw(st.sampled_from(["value", "value", "splice", "cut", "double", "cr", "long"]))
    lines = data.split(b"\n")
    if how == "value":
        value = draw(st.one_of(st.sampled_from(NASTY), st.text(max_size=16)))
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        sep = b": " if b": " in line else b"," if b"," in line else b"+"
        if sep in line:
            parts = line.split(sep)
            j = draw(st.integers(1 if len(parts) > 1 else 0, len(parts) - 1))
            parts[j] = value.encode("utf-8", "surrogatepass")
            lines[i] = sep.join(parts)
        data = b"\n".join(lines)
    elif how == "splice":
        at = draw(st.integers(0, len(data)))
        gone = draw(st.integers(0, 16))
        data = data[:at] + draw(st.binary(max_size=16)) + data[at + gone:]
    elif how == "cut":
        data = data[: draw(st.integers(0, len(data)))]
    elif how == "double":
        i = draw(st.integers(0, len(lines) - 1))
        data = b"\n".join(lines[: i + 1] + lines[i:])
    elif how == "cr":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\r" + data[at:]
    else:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"A" * draw(st.sampled_from([300, 70_000, 140_000])) + data[at:]
    return name, data


# -- a terminal's database to run against ------------------------------------------------

@dataclass
class World:
    """A scratch directory with a terminal's database (the template) and a copy per case."""

    root: Path

    @property
    def template(self) -> Path:
        return self.root / "template.db"

    @property
    def db(self) -> Path:
        return self.root / "case.db"

    def fresh(self) -> Path:
        """The database as the template has it, for one case."""
        for suffix in ("", "-wal", "-shm", "-writers"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(str(self.db) + suffix)
        shutil.copyfile(self.template, self.db)
        return self.db


@contextlib.contextmanager
def world() -> Iterator[World]:
    """A terminal from nothing: init, the demo's layout, schedule and parties, an admin."""
    from portops.cli import main

    root = Path(tempfile.mkdtemp(prefix="portops-fuzz-"))
    try:
        w = World(root)
        db = str(w.template)
        with _quiet(), _credentials():
            assert main(["--db", db, "init", "--admin", "boss"]) == 0
            assert main(["--db", db, "--user", "boss", "import", str(DEMO / "layout.yaml"),
                         str(DEMO / "schedule.yaml"), str(DEMO / "parties.yaml")]) == 0
        _checkpoint(w.template)
        (root / "files").mkdir()
        yield w
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _checkpoint(db: Path) -> None:
    """Fold the WAL into the file so that a copy of the file alone is the whole database."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


_ENV = ("PORTOPS_PASSWORD", "PORTOPS_ADMIN_PASSWORD", "PORTOPS_USER", "PORTOPS_DB",
        "PORTOPS_TOKEN")


@contextlib.contextmanager
def _credentials() -> Iterator[None]:
    """The environment a case runs in: the admin's password (``--user boss`` signs in), no
    default user, database or token (a test's fixtures may have set them)."""
    saved = {k: os.environ.get(k) for k in _ENV}
    os.environ.update(PORTOPS_PASSWORD=ADMIN_PASSWORD, PORTOPS_ADMIN_PASSWORD=ADMIN_PASSWORD)
    for k in ("PORTOPS_USER", "PORTOPS_DB", "PORTOPS_TOKEN"):
        os.environ.pop(k, None)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextlib.contextmanager
def _quiet() -> Iterator[tuple[io.StringIO, io.StringIO]]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        yield out, err


#: What a refusal may write by design: a failed sign-in is recorded (the back-off and the
#: lockout count it, and the audit log has its event), whatever the command was.
BOOKKEEPING = ("sign_in_failure",)
SIGN_IN_EVENTS = "operation <> 'user.sign_in_failed'"


def fingerprint(db: Path) -> tuple:
    """Every table's row count and the newest event: what a refusal must leave alone."""
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name") if r[0] not in BOOKKEEPING]
        counts = tuple(conn.execute(f'SELECT count(*) FROM "{t}"' + (
            f" WHERE {SIGN_IN_EVENTS}" if t == "event" else "")).fetchone()[0] for t in tables)
        last = conn.execute(f"SELECT max(id) FROM event WHERE {SIGN_IN_EVENTS}").fetchone()
    return counts, last


# -- running a command as typed ---------------------------------------------------------

def run_cli(w: World, argv: list[str]) -> str | None:
    """Run ``portops argv --db <a fresh copy>``; None if the property holds, else why not."""
    from portops.cli import main

    db = w.fresh()
    before = fingerprint(db)
    with _quiet() as (out, err), _credentials(), _patience():
        try:
            code = main([*argv, "--db", str(db)])
        except SystemExit as stop:  # argparse: usage errors (2), --help/--version (0)
            code = stop.code if isinstance(stop.code, int) else 1
        except _TooLong:
            return f"{argv!r}: no answer in {PATIENCE} s"
        except BaseException as exc:  # noqa: BLE001 - the point: nothing escapes
            return f"{argv!r}: traceback: {type(exc).__name__}: {str(exc)[:200]}"
    said = err.getvalue()
    if "Traceback" in said or "Traceback" in out.getvalue():
        return f"{argv!r}: printed a traceback"
    if code not in (0, 1, 2):
        return f"{argv!r}: exit status {code}"
    if code != 0:
        if not said.strip():
            return f"{argv!r}: exit status {code} with nothing said"
        after = fingerprint(db)
        if after != before:
            return f"{argv!r}: refused (exit {code}) but rows changed: {said.strip()[:200]}"
    return None


class _TooLong(BaseException):
    """Raised in a case that has run longer than :data:`PATIENCE` (not an Exception, so
    that no handler in portops mistakes it for its own)."""


@contextlib.contextmanager
def _patience() -> Iterator[None]:
    import signal

    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def stop(_signum, _frame):  # noqa: ANN001
        raise _TooLong

    before = signal.signal(signal.SIGALRM, stop)
    signal.alarm(PATIENCE)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)


def check_file_read(w: World, name: str, data: bytes) -> str | None:
    """The parsers alone: a prepared file, or SourceErrors of one line each naming it."""
    from portops.formats import registry
    from portops.formats.yamlsrc import SourceError, SourceErrors

    path = w.root / "files" / name
    path.write_bytes(data)
    try:
        registry.prepare([path])
    except (SourceError, SourceErrors) as exc:
        for error in SourceErrors.of(exc):
            text = str(error)
            if not text.startswith(str(path)) or "\n" in text:
                return f"{name}: a problem that is not one line naming the file: {text[:200]!r}"
    except Exception as exc:  # noqa: BLE001
        return f"{name}: traceback reading it: {type(exc).__name__}: {str(exc)[:200]}"
    return None


def check_file_import(w: World, name: str, data: bytes) -> str | None:
    path = w.root / "files" / name
    path.write_bytes(data)
    return run_cli(w, ["--user", "boss", "import", str(path)])


# -- every command's arguments ----------------------------------------------------------

#: Commands not fuzzed: they start a server or a console, or build a whole demo terminal.
SKIP = {"serve", "api", "demo", "init", "console"}
#: A command that has not answered in this many seconds is a failure (a server started, a
#: prompt waiting): the case is stopped by SIGALRM, so the run goes on.
PATIENCE = 20
#: Options naming a file portops writes: kept inside the scratch directory.
WRITES = {"-o", "--output", "--file", "--checkpoint", "--keep"}
USERS = ["boss", "system", "nobody", "BOSS", "boss ", ""]


def commands() -> dict[str, argparse.ArgumentParser]:
    """Every leaf command of the CLI (``user add``, ``events``, ...) and its parser."""
    from portops.cli import build_parser

    out: dict[str, argparse.ArgumentParser] = {}

    def walk(parser: argparse.ArgumentParser, prefix: tuple[str, ...]) -> None:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            out[" ".join(prefix)] = parser
            return
        for name, child in subs[0].choices.items():
            if not prefix and name in SKIP:
                continue
            walk(child, (*prefix, name))

    walk(build_parser(), ())
    return out


_VALUE = st.one_of(st.sampled_from(NASTY), st.text(max_size=24),
                   st.integers(-2**70, 2**70).map(str),
                   st.sampled_from(["MSCU2401740", "CSQU3054383", "COSU287484583", "VOY-001",
                                    "customs", "admin", "gate_clerk", "2026-11-27",
                                    "9999-12-31", "0001-01-01", "2026-12-07T14:30",
                                    "edi", "csv", "text", "1", "0"]))


@st.composite
def cli_args(draw: st.DrawFn, w: World) -> list[str]:
    table = commands()
    name = draw(st.sampled_from(sorted(table)))
    parser = table[name]
    argv = name.split()
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction) or "--db" in action.option_strings:
            continue
        positional = not action.option_strings
        if not positional and not draw(st.booleans()):
            continue
        values: list[str] = []
        if action.nargs != 0:
            many = action.nargs in ("+", "*")
            for _ in range(draw(st.integers(1, 2)) if many else 1):
                values.append(draw(_value_for(action, w)))
        if positional:
            argv += values
        elif action.option_strings == ["--user"]:
            argv += ["--user", draw(st.sampled_from(USERS))]
        else:
            argv += [draw(st.sampled_from(action.option_strings)), *values]
    return argv


def _value_for(action: argparse.Action, w: World) -> st.SearchStrategy[str]:
    if set(action.option_strings) & WRITES:
        return st.sampled_from(["out.txt", "sub/none/out.txt", ".", "heads.txt"]).map(
            lambda n: str(w.root / "files" / n))
    if action.dest == "files":
        return st.sampled_from(sorted(SAMPLES)).map(lambda n: str(_sample_file(w, n))) | \
            st.sampled_from([str(w.root / "missing.yaml"), str(w.root)])
    if action.choices:
        return st.sampled_from(sorted(map(str, action.choices))) | _VALUE
    return _VALUE


def _sample_file(w: World, name: str) -> Path:
    path = w.root / "files" / f"sample-{name}"
    if not path.exists():
        path.write_bytes(SAMPLES[name])
    return path


# -- typed console fields ---------------------------------------------------------------

_TIME_TEXT = st.one_of(
    st.text(max_size=30),
    st.text(alphabet="0123456789:-T Z+.", max_size=25),
    st.builds(lambda d, h, m: f"{d} {h}:{m}", st.integers(-5, 40), st.integers(-1, 30),
              st.integers(-1, 99)),
    st.sampled_from(["14:30", "07 14:30", "12-07 14:30", "2026-12-07 14:30", "24:00",
                     "2026-02-30 10:00", "9999-12-31T23:59Z", "0001-01-01T00:00+14:00",
                     "2026-12-07T06:30+99:00", "99999999999999999999:00", "1e999"]))


@st.composite
def typed_case(draw: st.DrawFn) -> tuple[str, Callable[[], object], tuple[type, ...]]:
    """A typed value and the validator a console field hands it to; and what the validator
    may raise to refuse it (anything else is a traceback)."""
    from portops import clock, codes, textcheck

    which = draw(st.sampled_from(["text", "text", "time", "container", "imo", "locode",
                                  "size_type"]))
    if which == "text":
        kinds = sorted({id(k): k for k in vars(textcheck).values()
                        if isinstance(k, textcheck.Kind)}.values(), key=lambda k: k.name)
        kind = draw(st.sampled_from(kinds))
        value = draw(st.one_of(st.text(max_size=300), st.sampled_from(NASTY), st.none()))
        return f"textcheck {kind.name} {value!r}"[:120], \
            lambda: (textcheck.problem(kind, value), textcheck.message(kind, value)), ()
    if which == "time":
        text = draw(_TIME_TEXT)
        tz = draw(st.sampled_from(["Asia/Shanghai", "UTC", "Pacific/Kiritimati",
                                   "America/St_Johns"]))
        now = draw(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1),
                                timezones=st.just(UTC)))
        return f"parse_typed {text!r} {tz}", lambda: clock.parse_typed(text, tz, now), \
            (clock.TimeTextError,)
    parse = {"container": codes.parse_container_number, "imo": codes.parse_imo,
             "locode": codes.parse_locode, "size_type": codes.parse_size_type}[which]
    value = draw(st.one_of(st.text(max_size=20), st.sampled_from(NASTY),
                           st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ",
                                   max_size=14)))
    return f"{which} {value!r}", lambda: parse(value), (codes.CodeError,)


def check_typed(case: tuple[str, Callable[[], object], tuple[type, ...]]) -> str | None:
    what, call, refusals = case
    try:
        got = call()
    except refusals as exc:
        text = str(exc)
        if not text.strip() or "\n" in text:
            return f"{what}: refused without one clear sentence: {text[:200]!r}"
        return None
    except Exception as exc:  # noqa: BLE001
        return f"{what}: traceback: {type(exc).__name__}: {str(exc)[:200]}"
    if isinstance(got, tuple):  # textcheck: None or one line
        for said in got:
            if said is not None and (isinstance(said, str) and ("\n" in said or not said)):
                return f"{what}: a problem that is not one line: {said!r}"
    return None
