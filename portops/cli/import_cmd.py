"""``portops import FILE...``: load schedules/ YAML and message files into the database.

Every file is read and validated before the database is opened; then all of them are written
in one transaction. A problem anywhere prints one line per problem, ``FILE:LINE: what is wrong
and how to fix it`` (and nothing else), exits 1 and leaves the database exactly as it was.

What a message import tolerates (a box skipped or flagged, a warning: see
``portops.formats.edifact.problems``) is listed after the file's summary, one line each with
its segment; ``--strict`` refuses the import instead when there is any.
"""

from __future__ import annotations

import argparse
import inspect
import sys

from portops.cli.common import core_for, user_for
from portops.i18n import N_, _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help=N_("load layout/schedule/checklist YAML and message files "
                       "(all or nothing)"))
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--dry-run", action="store_true",
                   help=N_("check everything against the database, write nothing"))
    p.add_argument("--visit", metavar="KEY",
                   help=N_("the vessel visit a bay plan, discharge or load list, MOVINS, COARRI "
                   "or manifest is for (default: found by the message's voyage and vessel)"))
    p.add_argument("--force", action="store_true",
                   help=N_("with --visit: import a message onto that visit even though its vessel "
                   "or voyage differs"))
    p.add_argument("--strict", action="store_true",
                   help=N_("refuse the import when a message has any problem (a box skipped or "
                   "flagged, a warning); by default these are reported and the rest goes in"))
    p.add_argument("-v", "--verbose", action="store_true",
                   help=N_("list every entry added or changed, not only the counts"))
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from portops.formats import registry
    from portops.formats.yamlsrc import SourceErrors
    from portops.ops import Refused

    try:
        prepared = registry.prepare(args.files)
    except SourceErrors as exc:
        for error in exc.errors:
            print(error.localized(_), file=sys.stderr)
        return 1
    problems = [(item.path, p) for item in prepared for p in item.problems]
    if getattr(args, "strict", False) and problems:
        for path, p in problems:
            print(_problem_line(path, p), file=sys.stderr)
        print(_("refused (--strict): {n} problem(s); nothing was written").format(
            n=len(problems)), file=sys.stderr)
        return 1
    if getattr(args, "visit", None):
        for item in prepared:
            params = inspect.signature(item.importer.operation.body).parameters
            if "visit_key" in params:
                item.kwargs["visit_key"] = args.visit
                if "force" in params:
                    item.kwargs["force"] = bool(getattr(args, "force", False))
    core = core_for(args)
    try:
        results = registry.apply(core, user_for(args), prepared, dry_run=args.dry_run)
    except Refused as exc:
        for u in exc.unmet:
            # a rule naming its segment already starts with the file ("FILE: segment 14: ...")
            message, remedy = u.localized(_)
            where = f"{u.where}: " if u.where and not message.startswith(u.where) else ""
            print(f"{where}{message}; {remedy} [{u.rule}]", file=sys.stderr)
        return 1
    for item, result in zip(prepared, results, strict=True):
        print(f"{item.path}: {_summary(result)}")
        if item.problems:
            print("  " + _("{problems}:").format(problems=_problem_counts(item.problems)))
            for p in item.problems:
                print(f"  {_problem_line(item.path, p)}")
        if args.verbose and hasattr(result, "details"):
            for line in result.details(_):
                print(f"  {line}")
    if args.dry_run:
        print(_("dry run: nothing was written"))
    return 0


def _summary(result: object) -> str:
    if hasattr(result, "summary"):
        return result.summary(_)
    return _("imported") if result is None else str(result)


def _problem_line(path: str, problem) -> str:
    """``FILE: segment 12 (EQD): what [box]``: one problem a message import tolerated."""
    return f"{path}: {problem.localized(_)} [{problem.kind}]"


def _problem_counts(problems) -> str:
    from portops.formats.edifact.problems import BOX, WARNING, counts

    n = counts(problems)
    return _(", ").join(_(label).format(n=n[k]) for k, label in (
        (BOX, N_("{n} box problem(s)")), (WARNING, N_("{n} warning(s)"))) if n.get(k))
