"""``portops audit``: check the audit log's hash chain, and write its head where the database
cannot reach (a file or syslog a site chooses), so a rewritten log is found later."""

from __future__ import annotations

import argparse
import sys

from portops.cli.common import CLIError, engine_for
from portops.i18n import N_, _, ngettext


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help=N_("verify the audit log's hash chain; write its head"))
    asub = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True,
                            parser_class=type(p))
    v = asub.add_parser("verify", help=N_("walk the chain; name the first event that does not fit"))
    v.add_argument("--checkpoint", metavar="FILE", action="append", default=[],
                   help=N_("also check that the log still holds every head written in FILE"))
    v.set_defaults(handler=verify)
    c = asub.add_parser("checkpoint", help=N_("append the head (event id, time, hash) to a file "
                        "or syslog"))
    where = c.add_mutually_exclusive_group(required=True)
    where.add_argument("--file", metavar="FILE", help=N_("append the head line to FILE"))
    where.add_argument("--syslog", action="store_true",
                       help=N_("send the head line to syslog (facility auth, tag portops-audit)"))
    c.add_argument("--syslog-address", metavar="ADDRESS",
                   help=N_("with --syslog: the syslog's Unix socket or HOST:PORT (UDP); default "
                        "$PORTOPS_SYSLOG_ADDRESS, else /dev/log"))
    c.set_defaults(handler=checkpoint)


def verify(args: argparse.Namespace) -> int:
    from portops import audit

    engine = engine_for(args)
    heads = [_read_checkpoints(path) for path in args.checkpoint]
    report = audit.verify(engine)
    if report.broken is not None:
        raise CLIError(_("the audit log is broken at event {id}: {reason} ({events} before "
                         "it fit)").format(id=report.broken.event_id,
                                           reason=_said(report.broken),
                                           events=_events(report.events - 1)))
    for path, lines in zip(args.checkpoint, heads, strict=True):
        for event_id, expected in lines:
            wrong = audit.check_checkpoint(engine, event_id, expected)
            if wrong is not None:
                raise CLIError(f"{path}: {wrong.text(_)}")
    # the head line stays as written: it is what a checkpoint file holds and is read back
    head = report.head.line() if report.head else _("no events yet")
    print(_("audit log intact: {events}; {head}").format(events=_events(report.events),
                                                        head=head))
    return 0


def _said(broken) -> str:
    """Why the chain broke, in the CLI's language."""
    return broken.said.text(_) if broken.said is not None else broken.reason


def _events(n: int) -> str:
    return ngettext("{n} event", "{n} events", n).format(n=n)


def _read_checkpoints(path: str) -> list[tuple[int, str]]:
    from portops import audit

    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = [(n, audit.parse_checkpoint(line)) for n, line in enumerate(f, 1)
                     if line.strip()]
    except OSError as exc:
        raise CLIError(f"--checkpoint {path}: {exc.strerror}", 2) from None  # the system's words
    bad = [n for n, got in lines if got is None]
    if bad:
        raise CLIError(_("{where}: not a head written by portops audit checkpoint "
                         "(expected 'audit head: event N at TIME hash HEX')").format(
                             where=f"{path}:{bad[0]}"), 2)
    if not lines:
        raise CLIError(_("{path} holds no head; write one with portops audit checkpoint")
                       .format(path=path), 2)
    return [got for _, got in lines if got is not None]


def checkpoint(args: argparse.Namespace) -> int:
    from portops import audit

    line = audit.head_line(engine_for(args))
    if line is None:
        raise CLIError(_("the audit log has no events yet; nothing to write"))
    if args.syslog:
        address = audit.syslog_address(args.syslog_address)
        if address is None:
            raise CLIError(_("this system has no syslog; use --file"), 2)
        try:
            audit.send_to_syslog(line, address)
        except (OSError, ValueError) as exc:
            raise CLIError(_("syslog at {address}: {reason}; nothing sent").format(
                address=address, reason=getattr(exc, "strerror", None) or exc)) from None
        print(_("sent to syslog: {line}").format(line=line))
        return 0
    try:
        with open(args.file, "a", encoding="utf-8") as f:
            f.write(line + "\n")
    except OSError as exc:
        raise CLIError(_("--file {path}: {reason}; nothing written").format(
            path=args.file, reason=exc.strerror)) from None
    print(_("written to {path}: {line}").format(path=args.file, line=line), file=sys.stdout)
    return 0
