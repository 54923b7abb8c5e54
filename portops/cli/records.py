"""What ``portops party`` and ``portops user`` share: the actions that run one operation on
one record named by its key (``party disable CODE``, ``user unlock NAME``) and say in one
line, in the CLI's language, that it is done. A refusal is the CLI's usual one sentence per
rule (``portops.cli.common``)."""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from portops.i18n import _


@dataclass(frozen=True)
class OnOne:
    """``portops GROUP NAME KEY``: ``operation`` (``"module:function"``, imported when run:
    the CLI starts without the operations) with ``KEY=value``; then ``done`` (marked ``N_``,
    with the key's placeholder) is printed."""

    name: str
    help: str
    operation: str
    done: str


def add_actions(sub: argparse._SubParsersAction, key: str, actions: Iterable[OnOne],
                shown: Callable[[str], str] = str) -> None:
    """One subcommand per action, taking the record's ``key``; ``shown`` is the key as the
    line that says it is done names it (a party's code in capitals)."""
    for action in actions:
        p = sub.add_parser(action.name, help=action.help)
        p.add_argument(key)
        p.set_defaults(handler=functools.partial(_run, action, key, shown))


def _run(action: OnOne, key: str, shown: Callable[[str], str],
         args: argparse.Namespace) -> int:
    from importlib import import_module

    from portops.cli.common import core_for, user_for

    module, _colon, name = action.operation.partition(":")
    value = getattr(args, key)
    core_for(args).run(user_for(args), getattr(import_module(module), name), **{key: value})
    print(_(action.done).format(**{key: shown(value)}))
    return 0
