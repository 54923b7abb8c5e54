"""The ``portops`` command line. Each command group lives in its own module with a
``register(subparsers)`` function; the CLI only parses, calls operations and prints.

Errors a person can fix (usage, bad files, refusals) print one clear line and exit non-zero;
no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from portops import __version__
from portops.cli import (
    api_cmd,
    appointments_cmd,
    audit_cmd,
    booking_cmd,
    console_cmd,
    db_cmd,
    events_cmd,
    export_cmd,
    flags_cmd,
    import_cmd,
    party_cmd,
    serve_cmd,
    token_cmd,
    user_cmd,
)
from portops.cli.common import CLIError, language_of, run_command
from portops.i18n import N_, _

#: Options that may come before or after the command, as people type them
#: (``portops demo --lang zh_CN``, ``portops --lang zh_CN demo``, ``portops import F --db x``).
GLOBAL_OPTIONS = ("--db", "--user", "--lang", "--idle-minutes")

#: Command modules, in the order ``--help`` lists them.
COMMANDS = [db_cmd, import_cmd, export_cmd, user_cmd, token_cmd, party_cmd, booking_cmd,
            appointments_cmd, flags_cmd, events_cmd, audit_cmd, console_cmd, serve_cmd, api_cmd]


class _Formatter(argparse.HelpFormatter):
    """argparse's help, its lines cut by the width they take on screen: a Chinese help text
    has no spaces to wrap at and each character takes two columns."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        import re
        import unicodedata

        if not any(unicodedata.east_asian_width(c) in "WF" for c in text):
            return super()._split_lines(text, width)
        return _by_columns(re.sub(r"\s+", " ", text).strip(), width)


#: Punctuation that never starts a line in Chinese: it stays after the character before it.
_NO_LINE_START = "，。；：）、？！」》"


def _by_columns(line: str, width: int) -> list[str]:
    import re
    import unicodedata

    def columns(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

    out, current = [], ""
    for token in re.findall(r"[\x21-\x7e]+|\s+|.", line):  # a word of ASCII stays whole
        if (current.strip() and token not in _NO_LINE_START
                and columns(current + token.rstrip()) > width):
            out.append(current.rstrip())
            current = token.lstrip()
        else:
            current += token
    if current.strip():
        out.append(current.rstrip())
    return out


class Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # one line, exit 2
        self.exit(2, _("{prog}: error: {message} (see {prog} --help)").format(
            prog=self.prog, message=message) + "\n")


def build_parser() -> Parser:
    parser = Parser(prog="portops", description=N_("portops: a terminal operating system for "
                    "container terminals."))
    parser.add_argument("--version", action="version", version=f"portops {__version__}")
    parser.add_argument("--db", help=N_("database: a path or an SQLAlchemy URL "
                        "(default: $PORTOPS_DB or portops.db in the user data directory)"))
    parser.add_argument("--user", default=None,
                        help=N_("act as this user, who signs in with $PORTOPS_PASSWORD (or "
                        "types it) unless $PORTOPS_TOKEN holds their API token (default: "
                        "$PORTOPS_USER); commands that only read need none"))
    console_cmd.add_console_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for module in COMMANDS:
        module.register(sub)
    _accept_everywhere(parser, GLOBAL_OPTIONS)
    _bounded_ints(parser)
    _in_language(parser, set())
    return parser


def _in_language(parser: argparse.ArgumentParser, done: set[int]) -> None:
    """The help texts (marked ``N_`` where the commands declare them) in the language chosen
    before the parser was built (``main`` sets it from ``--lang`` first): ``--help`` speaks
    it; argparse's own words ("usage:", "options") stay English."""
    if parser.description:
        parser.description = _(parser.description)
    for action in parser._actions:
        if action.help and action.help is not argparse.SUPPRESS and id(action) not in done:
            done.add(id(action))
            action.help = _(action.help)
        if isinstance(action, argparse._SubParsersAction):
            for listed in action._choices_actions:  # the commands' lines in the parent's help
                if listed.help and id(listed) not in done:
                    done.add(id(listed))
                    listed.help = _(listed.help)
            for child in {id(c): c for c in action.choices.values()}.values():
                _in_language(child, done)


#: The largest whole number the databases store (a 64-bit integer).
LARGEST = 2**63 - 1


def _whole_number(value: str) -> int:
    """``type=int``, refusing what no database column holds (an id of 20 digits ended in
    'OverflowError: Python int too large to convert to SQLite INTEGER', issue 16)."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{value!r} is not a whole number").format(
            value=value)) from None
    if not -LARGEST <= number <= LARGEST:
        raise argparse.ArgumentTypeError(_("{value} is out of range; give a whole number of "
                                           "at most {largest}").format(value=value,
                                                                       largest=LARGEST))
    return number


def _bounded_ints(parser: argparse.ArgumentParser) -> None:
    """Every ``type=int`` argument of every command takes :func:`_whole_number` instead, so a
    command added later is covered too."""
    for action in parser._actions:
        if action.type is int:
            action.type = _whole_number
        if isinstance(action, argparse._SubParsersAction):
            for child in {id(c): c for c in action.choices.values()}.values():
                _bounded_ints(child)


def _accept_everywhere(parser: argparse.ArgumentParser, options: tuple[str, ...],
                       originals: list[argparse.Action] | None = None) -> None:
    """Let the global ``options`` also follow the command (``portops import F --db x.db``).

    Each subcommand gets a copy whose default is SUPPRESS, so a value given after the command
    wins and an absent one leaves the value given before it (or the default) alone.
    """
    if originals is None:
        originals = [a for a in parser._actions if set(a.option_strings) & set(options)]
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        for child in {id(c): c for c in action.choices.values()}.values():
            have = {o for a in child._actions for o in a.option_strings}
            for orig in originals:
                if not set(orig.option_strings) & have:
                    child.add_argument(*orig.option_strings, dest=orig.dest, help=orig.help,
                                       type=orig.type, metavar=orig.metavar,
                                       default=argparse.SUPPRESS)
            _accept_everywhere(child, options, originals)


def main(argv: Sequence[str] | None = None) -> int:
    from portops.i18n import set_language

    try:  # an unknown language is refused in one line once the command line is parsed
        set_language(language_of(sys.argv[1:] if argv is None else argv))
    except ValueError:
        set_language("en")
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None) or console_cmd.open_console
    try:
        return run_command(handler, args)
    except Exception as exc:
        # a full disk under the database, found down the error's chain (portops.db is loaded
        # if a database was opened at all)
        db = sys.modules.get("portops.db")
        full = db.disk_full(exc) if db is not None else None
        if full is None:
            raise
        print(f"portops: {full}", file=sys.stderr)
        return 1


__all__ = ["CLIError", "main"]

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
