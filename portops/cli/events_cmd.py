"""``portops events``: the audit log, as text or JSON lines."""

from __future__ import annotations

import argparse
import json

from portops.cli.common import engine_for
from portops.i18n import N_, _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("events", help=N_("print the audit log"))
    p.add_argument("--format", choices=["text", "jsonl"], default="text")
    p.add_argument("--since", type=_count, default=0, help=N_("only events after this id"))
    p.add_argument("--limit", type=_count, default=None, help=N_("at most this many (the newest)"))
    p.set_defaults(handler=show)


#: The largest id or count the database takes (a 64-bit integer).
_LARGEST = 2**63 - 1


def _count(value: str) -> int:
    """A whole number from 0 up to what the database can compare with (argparse prints the
    error as one line, exit status 2)."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{value!r} is not a whole number").format(
            value=value)) from None
    if not 0 <= number <= _LARGEST:
        raise argparse.ArgumentTypeError(_("{value} is out of range; give a whole number "
                                           "from 0 to {largest}").format(value=value,
                                                                         largest=_LARGEST))
    return number


def show(args: argparse.Namespace) -> int:
    from sqlmodel import select

    from portops.db import read_session
    from portops.model import Event

    with read_session(engine_for(args)) as s:
        q = select(Event).where(Event.id > args.since).order_by(Event.id)
        if args.limit:
            q = select(Event).where(Event.id > args.since).order_by(Event.id.desc()).limit(
                args.limit)
        rows = list(s.exec(q))
        if args.limit:
            rows.reverse()
        for e in rows:
            if args.format == "jsonl":
                print(json.dumps({"id": e.id, "at": e.at.isoformat(), "user": e.user,
                                  "role": e.role, "operation": e.operation,
                                  "subject": {"kind": e.subject_kind, "id": e.subject_id,
                                              "ref": e.subject_ref},
                                  "dcsa": e.dcsa, "data": e.data}, ensure_ascii=False))
            else:
                subject = f"{e.subject_kind} {e.subject_ref}".strip()
                print(f"{e.id:>7} {e.at:%Y-%m-%d %H:%M:%S}Z {e.user:<12} {e.operation:<24} "
                      f"{subject}  {_gist(e.data)}".rstrip())
    return 0


def _gist(data: dict) -> str:
    """A short line of what an event carried: an import's file and counts, or its values."""
    if not isinstance(data, dict):
        return ""
    parts = []
    if data.get("source"):
        parts.append(str(data["source"]).rsplit("/", 1)[-1])
    counts = data.get("counts")
    if isinstance(counts, dict):
        for kind, n in counts.items():
            if isinstance(n, dict):
                parts.append(f"{kind} " + ", ".join(f"{v} {k}" for k, v in n.items() if v))
            else:
                parts.append(f"{kind} {n}")
    else:
        parts += [f"{k}={v}" for k, v in data.items()
                  if k not in ("source", "password") and isinstance(v, str | int | float)
                  and not isinstance(v, bool) and v != ""]
    text = "; ".join(parts)
    return text if len(text) <= 90 else text[:89] + "…"
