"""What every command shares: opening the database, acting as a user, reporting errors.

SQLAlchemy, the model and the operations are imported where used, not here: the console
(``portops`` with no command) draws its sign-in form before they are loaded and opens the
database while the clerk types (issue 3; ``tests/ui/test_console_start.py``).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from portops.i18n import N_, _

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from portops.ops import Core


class CLIError(Exception):
    """A failure with a message for the user; printed as one line, exit status ``code``."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def engine_for(args: argparse.Namespace, *, must_exist: bool = True) -> Engine:
    """The engine for ``--db``/``PORTOPS_DB``; refuses an uninitialised database."""
    from sqlalchemy.exc import ArgumentError, OperationalError

    from portops import schema
    from portops.db import make_engine

    try:
        engine = make_engine(args.db)
    except ArgumentError as exc:
        raise CLIError(f"--db: {exc}", 2) from None  # SQLAlchemy's own words
    _OPENED.append(engine)
    args._portops_engine = engine  # the one user_for authenticates against
    if must_exist:
        path = engine.url.database if engine.dialect.name == "sqlite" else None
        if path and not os.path.exists(path):
            raise CLIError(_("database {path} does not exist; run: portops init --db {path}")
                           .format(path=path))
        try:
            current = schema.current_revision(engine)
        except OperationalError as exc:
            said = (str(exc.orig).strip().splitlines() or [_("no reason given")])[0]  # one line
            raise CLIError(_("cannot open database {url}: {reason}").format(
                url=engine.url, reason=said)) from None
        if current is None:
            raise CLIError(_("database {name} is not initialised; run: portops init").format(
                name=engine.url.database or engine.url))
        if current != schema.head_revision():
            raise CLIError(_("the database schema is older than this portops; "
                             "run: portops db upgrade"))
    return engine


def ask_password(name: str, env: str = "PORTOPS_NEW_PASSWORD") -> str:
    """A new password for ``name``: from ``$env`` (scripts, tests) or typed twice, unechoed.

    Not ``$PORTOPS_PASSWORD``: that is the password of the user running the command
    (:func:`user_for`). The password goes only to the operation, which stores its scrypt
    hash; it is never printed.
    """
    given = os.environ.get(env)
    if given is not None:
        return given
    if not sys.stdin.isatty():  # a script or a pipe: getpass would echo or fail
        raise CLIError(_("no terminal to type {name}'s new password at; set ${env} "
                         "(scripts) or run the command at a terminal; nothing changed").format(
                             name=name, env=env))
    import getpass

    try:
        first = getpass.getpass(_("new password for {name}: ").format(name=name))
        again = getpass.getpass(_("new password for {name} again: ").format(name=name))
    except (EOFError, KeyboardInterrupt):
        raise CLIError(_("no password typed for {name}; nothing changed").format(
            name=name)) from None
    if again != first:
        raise CLIError(_("the two passwords differ; nothing changed"))
    return first


def user_for(args: argparse.Namespace) -> str:
    """The user a command that changes data acts as, once they have proved it (issue 16).

    An API token in ``$PORTOPS_TOKEN`` names its user (``--user``, if given, must be the
    same); otherwise ``--user``/``$PORTOPS_USER`` with the password in ``$PORTOPS_PASSWORD``
    or typed at the terminal, under the same back-off and lockout as the console's sign-in.
    The system account never signs in: it acts for ``init`` and upgrades, and for imports
    run with a token an admin issued to it (``portops token issue --for system``).
    """
    known = getattr(args, "_portops_actor", None)
    if known is not None:
        return known
    from portops.model import SYSTEM_USER

    engine = getattr(args, "_portops_engine", None) or engine_for(args)
    named = (args.user or os.environ.get("PORTOPS_USER") or "").strip().lower()
    token = os.environ.get("PORTOPS_TOKEN", "").strip()
    if token:
        actor = _token_user(engine, token, named)
        if actor == SYSTEM_USER and getattr(args, "command", None) != "import":
            raise CLIError(_("$PORTOPS_TOKEN is a token of the system account, which "
                             "serves unattended imports only (portops import); nothing "
                             "changed"))
    elif not named:
        raise CLIError(_("say who you are: --user NAME (or $PORTOPS_USER) and your "
                         "password ($PORTOPS_PASSWORD or typed), or an API token in "
                         "$PORTOPS_TOKEN; nothing changed"), 2)
    elif named == SYSTEM_USER:
        raise CLIError(_("the system account never signs in: act as yourself (--user "
                         "NAME); unattended imports use a token an admin issued to the system "
                         "account (portops token issue --for system); nothing changed"), 2)
    else:
        actor = _signed_in(engine, named, _password(named))
    args._portops_actor = actor
    return actor


def _token_user(engine: Engine, token: str, named: str) -> str:
    from portops.queries.accounts import token_owner

    owner = token_owner(engine, token)
    if owner is None:
        raise CLIError(_("$PORTOPS_TOKEN is no valid token (unknown, revoked, or its "
                         "account disabled); nothing changed"))
    if named and named != owner:
        raise CLIError(_("--user {name} is not the owner of $PORTOPS_TOKEN; leave out "
                         "--user or use that user's token; nothing changed").format(
                             name=named), 2)
    return owner


def _password(name: str) -> str:
    given = os.environ.get("PORTOPS_PASSWORD")
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise CLIError(_("{name}'s password is needed: set $PORTOPS_PASSWORD or "
                         "$PORTOPS_TOKEN (scripts) or run the command at a terminal; nothing "
                         "changed").format(name=name))
    import getpass

    try:
        return getpass.getpass(_("password for {name}: ").format(name=name))
    except (EOFError, KeyboardInterrupt):
        raise CLIError(_("no password typed for {name}; nothing changed").format(
            name=name)) from None


def _signed_in(engine: Engine, name: str, password: str) -> str:
    from portops.clock import SystemClock
    from portops.identity import source
    from portops.queries.accounts import sign_in

    result = sign_in(engine, name, password, source("cli"), SystemClock())
    if result.account is not None:
        return result.account.name
    why = {"disabled": N_("user {name!r} is disabled; ask an admin; nothing changed"),
           "locked": N_("user {name!r} is locked after too many wrong passwords; an admin "
                        "unlocks it: portops user unlock {name}; nothing changed"),
           "wait": N_("too many wrong passwords: wait {seconds} s and try again; nothing "
                      "changed")}
    text = why.get(result.reason or "", N_("unknown user {name!r} or wrong password; nothing "
                                           "changed"))
    raise CLIError(_(text).format(name=name, seconds=result.wait_seconds))


def core_for(args: argparse.Namespace) -> Core:
    from portops.clock import SystemClock
    from portops.ops import Core

    return Core(engine_for(args), SystemClock())


#: Engines a command opened; closed when it ends, so SQLite folds its WAL back into the file.
_OPENED: list[Engine] = []


def run_command(handler: Callable[[argparse.Namespace], int | None], args) -> int:
    from portops import identity

    identity.FACE = identity.FACE or "cli"  # events record where they came from (``via``)
    try:
        return _run(handler, args)
    finally:
        while _OPENED:
            _OPENED.pop().dispose()


def _run(handler: Callable[[argparse.Namespace], int | None], args) -> int:
    try:
        use_language(args)
        return handler(args) or 0
    except CLIError as exc:
        print(f"portops: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (portops party list | head): no traceback
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python's flush at exit would fail again
        return 141
    except Exception as exc:
        # Refused and SchemaError, looked up only if their modules were loaded (a command
        # that never imported them cannot have raised them)
        core = sys.modules.get("portops.ops.core")
        refused = getattr(core, "Refused", None)
        if refused is not None and isinstance(exc, refused):
            print(f"portops: {refusal_text(exc, getattr(core, 'OPERATIONS', {}))}",
                  file=sys.stderr)
            return 1
        schema_error = getattr(sys.modules.get("portops.schema"), "SchemaError", None)
        if schema_error is not None and isinstance(exc, schema_error):
            print(f"portops: {exc}", file=sys.stderr)
            return 1
        raise


def refusal_text(exc, operations: dict) -> str:
    """A refusal in the CLI's language: what was refused (the operation's phrase, as the
    console names it), then each unmet rule as ``[rule.id] sentence — remedy``. The rule id
    stays as it is, before the sentence: people quote it to support like an error code."""
    op = operations.get(exc.operation)
    head = _("refused: {action}").format(action=_(op.action) if op else exc.operation)
    return "\n".join([head] + [f"  - {u.line(_)}" for u in exc.unmet])


def code_error(exc) -> str:
    """A :class:`portops.codes.CodeError` (a container number that is none) in the CLI's
    language: its template translated, then filled with its values."""
    from portops.i18n import localized_value

    params = {k: localized_value(v, _) for k, v in exc.params.items()}
    return _(exc.template).format(**params) if params else _(exc.template)


def language_of(argv: Sequence[str]) -> str | None:
    """The ``--lang`` typed anywhere in ``argv`` (the last one wins, as argparse takes it),
    else ``$PORTOPS_LANG``: read before the parser is built, so that portops' own usage
    errors (a date that is no date) are written in it too."""
    lang = os.environ.get("PORTOPS_LANG")
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    return lang


def use_language(args: argparse.Namespace) -> None:
    """Every command writes in ``--lang`` (or $PORTOPS_LANG), as the console shows it: its
    messages, errors, refusals and readable reports; machine formats (CSV columns partners
    parse, EDIFACT, JSON keys, the audit head line ``audit verify --checkpoint`` reads back)
    stay as they are. Called by :func:`run_command` before every command."""
    from portops.i18n import normalize, set_language

    lang = getattr(args, "lang", None) or os.environ.get("PORTOPS_LANG")
    try:
        set_language(normalize(lang) if lang else None)
    except ValueError as exc:
        raise CLIError(str(exc), 2) from None
