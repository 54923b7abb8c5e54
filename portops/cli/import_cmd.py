"""``portops import FILE...``: load schedules/ YAML and message files into the database.

Every file is read and validated before the database is opened; then all of them are written
in one transaction. A problem anywhere prints one line per problem, ``FILE:LINE: what is wrong
and how to fix it`` (and nothing else), exits 1 and leaves the database exactly as it was.
"""

from __future__ import annotations

import argparse
import inspect
import sys

from portops.cli.common import core_for, use_language, user_for
from portops.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="load layout/schedule/checklist YAML and message files "
                       "(all or nothing)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--dry-run", action="store_true",
                   help="check everything against the database, write nothing")
    p.add_argument("--visit", metavar="KEY",
                   help="the vessel visit a bay plan, discharge list or manifest is for "
                   "(default: found by the message's voyage and vessel)")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="list every entry added or changed, not only the counts")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from portops.formats import registry
    from portops.formats.yamlsrc import SourceErrors
    from portops.ops import Refused

    try:
        prepared = registry.prepare(args.files)
    except SourceErrors as exc:
        for error in exc.errors:
            print(error, file=sys.stderr)
        return 1
    if getattr(args, "visit", None):
        for item in prepared:
            if "visit_key" in inspect.signature(item.importer.operation.body).parameters:
                item.kwargs["visit_key"] = args.visit
    core = core_for(args)
    use_language(args)
    try:
        results = registry.apply(core, user_for(args), prepared, dry_run=args.dry_run)
    except Refused as exc:
        for u in exc.unmet:
            where = f"{u.where}: " if u.where else ""
            print(f"{where}{u.message}; {u.remedy} [{u.rule}]", file=sys.stderr)
        return 1
    for item, result in zip(prepared, results, strict=True):
        print(f"{item.path}: {_summary(result)}")
        if args.verbose and hasattr(result, "details"):
            for line in result.details(_):
                print(f"  {line}")
    if args.dry_run:
        print("dry run: nothing was written")
    return 0


def _summary(result: object) -> str:
    if hasattr(result, "summary"):
        return result.summary(_)
    return "imported" if result is None else str(result)
