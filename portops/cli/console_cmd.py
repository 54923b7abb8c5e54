"""``portops`` (no command) opens the console on the configured database; ``portops demo``
builds a fresh demo terminal in a temporary file and opens it with a "who are you" picker."""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import tempfile
from pathlib import Path

from portops.cli.common import _OPENED, CLIError, engine_for
from portops.i18n import N_, _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help=N_("build a fresh demo terminal in a temporary file and open "
                       "the console on it (pick who you are; no passwords)"))
    p.add_argument("--keep", metavar="PATH", default=None,
                   help=N_("write the demo database here instead of a temporary file"))
    p.set_defaults(handler=open_demo)


def add_console_options(parser: argparse.ArgumentParser) -> None:
    """Options of the console itself (on the top-level parser, before any command)."""
    parser.add_argument("--lang", default=None, help=N_("language of the console: en or zh_CN "
                        "(default: $PORTOPS_LANG or en)"))
    parser.add_argument("--idle-minutes", type=float, default=None, metavar="N",
                        help=N_("sign out after N minutes without use; 0 never "
                        "(default: $PORTOPS_IDLE_MINUTES or 30)"))


def _settings(args: argparse.Namespace, **extra: object):
    from portops.i18n import normalize
    from portops.ui.settings import Settings

    try:
        lang = normalize(args.lang) if args.lang else None
        if args.idle_minutes is not None and args.idle_minutes < 0:
            raise ValueError(_("--idle-minutes: must be 0 or more"))
        return Settings.from_env(language=lang, idle_minutes=args.idle_minutes, **extra)
    except ValueError as exc:
        raise CLIError(str(exc), 2) from None


def open_console(args: argparse.Namespace) -> int:
    """The sign-in form first; the database is opened and checked while the clerk types
    (issue 3). A database that cannot be used closes the console with the same one-line
    error as any command."""
    from portops import identity

    identity.FACE = "console"  # its events' ``via`` (the web's sessions say ``web``)
    settings = _settings(args)
    _refuse_missing_file(args)
    # No garbage collection while Textual loads and the form is drawn (nothing to collect,
    # yet the collector would walk the growing heap again and again); the console turns it
    # back on once the database is open and what it loaded is frozen.
    gc.disable()
    from portops.ui.app import make_console

    app = make_console(lambda: engine_for(args), settings=settings)
    _run_app(app)
    if app.open_error is not None:
        raise app.open_error
    return 0


def _refuse_missing_file(args: argparse.Namespace) -> None:
    """A ``--db``/``PORTOPS_DB`` file that does not exist: say so before the console starts
    (``engine_for`` checks everything else, in the console's opening thread)."""
    value = args.db or os.environ.get("PORTOPS_DB")
    if value and "://" not in value:
        path = Path(value).expanduser().absolute()
        if not path.exists():
            raise CLIError(_("database {path} does not exist; run: portops init --db {path}")
                           .format(path=path))


def _run_app(app) -> None:
    """Run the console; with ``PORTOPS_PROFILE=FILE`` under cProfile (the UI thread's calls,
    written to FILE for ``python -m pstats``), to see where a start's time goes."""
    profile = os.environ.get("PORTOPS_PROFILE")
    if not profile:
        app.run()
        return
    import cProfile

    with cProfile.Profile() as prof:
        app.run()
    prof.dump_stats(profile)


def open_demo(args: argparse.Namespace) -> int:
    """The sign-in screen at once (the "who are you" picker); the demo terminal is built in
    the console's opening thread meanwhile and the picker fills when it is ready (building
    it first kept people 13-30 s before anything showed, issue 14). The temporary database
    is removed when the console closes, however it closes."""
    settings = _settings(args, demo=True)
    if args.db:  # $PORTOPS_DB (a site's real database) is rightly not the demo's
        raise CLIError(_("portops demo builds its own database (a temporary file, or --keep "
                         "PATH) and opens it without passwords; for the demo terminal in {db} "
                         "run: portops init --demo --db {db}").format(db=args.db), 2)
    if args.keep:
        if os.path.exists(args.keep):
            raise CLIError(_("--keep: {path} exists already; choose a new file").format(
                path=args.keep))
        path, scratch = args.keep, None
    else:
        scratch = tempfile.mkdtemp(prefix="portops-demo-")
        path = os.path.join(scratch, "demo.db")
    try:
        app = _demo_console(path, settings)
        _run_app(app)
        if app.open_error is not None:
            raise app.open_error
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


def _demo_console(path: str, settings):
    from portops.clock import SystemClock
    from portops.ui.app import make_console

    clock = SystemClock()

    def build():
        from portops.ui.demo import create_demo

        engine = create_demo(path, clock)
        _OPENED.append(engine)  # disposed when the command ends, before the file is removed
        return engine

    return make_console(build, clock=clock, settings=settings,
                        database_label=f"demo {os.path.basename(path)}")
