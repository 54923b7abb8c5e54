"""``portops export WHAT``: plans, reports and messages written to a file or standard output.

Each export is declared once with :func:`exporter`; the group adds ``--format`` (from the
formats it names) and ``-o FILE`` to every one. Adding an export is a few lines::

    @exporter("tally-report", "the tally report of a visit", formats=("md", "edi"),
              arguments=[(("--visit",), {"required": True})])
    def tally_report(args, engine, fmt) -> str:
        ...return the text...
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portops.cli.common import CLIError, engine_for
from portops.i18n import N_, _

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


@dataclass(frozen=True)
class Export:
    name: str
    help: str
    formats: tuple[str, ...]
    arguments: tuple[tuple[tuple[str, ...], dict[str, Any]], ...]
    write: Callable[[argparse.Namespace, Engine, str], str]


EXPORTS: dict[str, Export] = {}


def exporter(name: str, help: str, *, formats: tuple[str, ...] = ("md",),
             arguments: list[tuple[tuple[str, ...], dict[str, Any]]] = ()):
    """Declare ``portops export NAME``; the function returns the text to write."""
    def wrap(fn: Callable[[argparse.Namespace, Engine, str], str]):
        EXPORTS[name] = Export(name, help, formats, tuple(arguments), fn)
        return fn
    return wrap


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help=N_("write plans, reports and messages to a file"))
    what = p.add_subparsers(dest="export", metavar="WHAT", parser_class=type(p), required=True)
    for e in EXPORTS.values():
        q = what.add_parser(e.name, help=e.help)
        for flags, kw in e.arguments:
            q.add_argument(*flags, **kw)
        q.add_argument("--format", choices=e.formats, default=e.formats[0])
        q.add_argument("-o", "--output", metavar="FILE", help=N_("write here (default: stdout)"))
        q.set_defaults(handler=_run, exporter=e)


def _run(args: argparse.Namespace) -> int:
    e: Export = args.exporter
    text = e.write(args, engine_for(args), args.format)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CLIError(_("-o {path}: cannot write ({reason})").format(
                path=args.output, reason=exc.strerror)) from None
        print(_("{path}: {what} written").format(path=args.output, what=e.name),
              file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def day_arg(value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{value!r} is not a date; write YYYY-MM-DD").format(
            value=value)) from None
    # the day's shifts run into the next day and are stored in UTC: years 1 and 9999 have no
    # room around them (OverflowError: date value out of range)
    if not 1900 <= day.year <= 9000:
        raise argparse.ArgumentTypeError(_("{value}: give a day between 1900 and 9000").format(
            value=value))
    return day


@exporter("work-plan", N_("the day-and-night work plan (昼夜作业计划) for a date"),
          formats=("md", "csv"),
          arguments=[(("--date",), {"type": day_arg, "required": True,
                                     "help": N_("the terminal-local day, YYYY-MM-DD")})])
def work_plan(args: argparse.Namespace, engine: Engine, fmt: str) -> str:
    from portops.db import read_session
    from portops.formats.workplan import to_csv, to_markdown
    from portops.ops.berthplan import terminal_settings
    from portops.queries.workplan import build

    with read_session(engine) as s:
        plan = build(s, args.date)
        name = terminal_settings(s).name
    if fmt == "csv":
        return to_csv(plan)
    return to_markdown(plan, name, _) + _audit_head(engine)


@exporter("pickup-plan", N_("the pickup plan (提箱计划) for a date: appointments by slot, yard "
          "slots, relocations, housekeeping moves"), formats=("md", "csv"),
          arguments=[(("--date",), {"type": day_arg, "required": True,
                                     "help": N_("the terminal-local day, YYYY-MM-DD")})])
def pickup_plan(args: argparse.Namespace, engine: Engine, fmt: str) -> str:
    from portops.db import read_session
    from portops.ops.berthplan import terminal_settings
    from portops.queries.pickup_plan import pickup_plan, pickup_plan_csv, pickup_plan_markdown

    with read_session(engine) as s:
        plan = pickup_plan(s, args.date)
        name = terminal_settings(s).name
    return pickup_plan_csv(plan) if fmt == "csv" else pickup_plan_markdown(plan, name, _)


@exporter("eir", N_("an out-gate equipment interchange receipt (设备交接单), or its CODECO"),
          formats=("md", "edi"),
          arguments=[(("--id",), {"required": True, "metavar": "ID_OR_NUMBER",
                                   "help": N_("the EIR's id or number (EIR...)")})])
def eir(args: argparse.Namespace, engine: Engine, fmt: str) -> str:
    from portops.db import read_session
    from portops.ops.berthplan import terminal_settings
    from portops.queries.gate import eir, eir_markdown

    with read_session(engine) as s:
        key = args.id.strip()
        # an id beyond what the database holds is no EIR's (it was an OverflowError)
        by_id = key.isdigit() and int(key) < 2**63
        view = eir(s, eir_id=int(key)) if by_id else eir(s, number=key)
        if view is None:
            raise CLIError(_("--id {id}: there is no EIR with that id or number; see the "
                             "gate-out events (portops events)").format(id=args.id))
        name = terminal_settings(s).name
    return view.codeco if fmt == "edi" else eir_markdown(view, name, _)


@exporter("bay-plan", N_("what is on board a visit now, as a BAPLIE (e.g. the departure bay plan): "
          "edi is D.95B SMDG 2.2, edi31 D.13B SMDG 3.1"),
          formats=("edi", "edi31"), arguments=[(("--visit",), {"required": True,
                                                               "metavar": "KEY"})])
def bay_plan(args: argparse.Namespace, engine: Engine, fmt: str) -> str:
    from sqlmodel import Session, select

    from portops.clock import SystemClock
    from portops.formats.edifact.baplie import write_baplie, write_baplie31
    from portops.model import VesselVisit
    from portops.queries.bayplan import on_board

    with Session(engine) as s:
        visit = s.exec(select(VesselVisit).where(VesselVisit.key == args.visit)).first()
        if visit is None:
            raise CLIError(_("--visit: there is no visit {key!r}").format(key=args.visit))
        plan = on_board(s, visit.id)
    now = SystemClock().now()
    plan.header.prepared = now
    write = write_baplie31 if fmt == "edi31" else write_baplie
    return write(plan, control_ref=now.strftime("%y%m%d%H%M%S"), prepared=now)


@exporter("tally-report", N_("the tally report (理货报告) of a visit's discharge: readable, or "
          "as a COARRI discharge report"), formats=("txt", "edi"),
          arguments=[(("--visit",), {"required": True,
                                     "help": N_("the visit key, e.g. COSU-045E")}),
                     (("--issued",), {"action": "store_true",
                                      "help": N_("record that this report went out to the line")})])
def tally_report(args: argparse.Namespace, engine: Engine, fmt: str) -> str:
    from sqlmodel import select

    from portops.cli.common import user_for
    from portops.clock import SystemClock
    from portops.db import read_session
    from portops.formats.tally import coarri_text
    from portops.model import Terminal, VesselVisit
    from portops.ops import Core
    from portops.ops.tally import report_sent
    from portops.queries.discharge import render_tally_report
    from portops.queries.discharge import tally_report as build
    from portops.queries.tally import handling_report

    clock = SystemClock()
    with read_session(engine) as s:
        visit = s.exec(select(VesselVisit).where(VesselVisit.key == args.visit)).first()
        if visit is None:
            raise CLIError(_("--visit {key}: no such visit (see the vessel schedule)").format(
                key=args.visit))
        report = build(s, visit.id)
        if report is None:
            raise CLIError(_("--visit {key}: the visit has no discharge plan").format(
                key=args.visit))
        terminal = s.exec(select(Terminal)).first()
        text = (coarri_text(handling_report(s, visit.id), clock.now()) if fmt == "edi"
                else render_tally_report(report, terminal.timezone if terminal else "UTC", _)
                + _audit_head(engine))
    if args.issued:
        Core(engine, clock).run(user_for(args), report_sent, visit_id=visit.id,
                                reference=f"{args.format} {args.output or 'stdout'}")
    return text


def _audit_head(engine: Engine) -> str:
    """The audit log's head at the foot of a printed report (issue 16): a paper copy the
    database cannot change, to check the log against later (portops audit verify). In every
    language as written: it is copied into a checkpoint file that verify reads back."""
    from portops.audit import head_line

    line = head_line(engine)
    return "" if line is None else f"\n\n{line}\n"


def _visit_by_key(session, key: str):
    from sqlmodel import select

    from portops.model import VesselVisit

    visit = session.exec(select(VesselVisit).where(VesselVisit.key == key)).first()
    if visit is None:
        raise CLIError(_("--visit {key}: no such visit (see the vessel schedule)").format(
            key=key))
    return visit


#: A column whose CSV name would read wrong as a heading (an arrival's time, not a vessel
#: that "arrived"): the Markdown heading says what it holds.
_LABELS = {"arrived": N_("arrival time")}


def _table(fmt: str, head: list[str], rows: list[list[Any]]) -> str:
    """Rows as a Markdown table or CSV. The CSV's column names are English as declared (a
    partner's or the customs' software reads them by name); the Markdown table is read by
    people, so its heads are in the CLI's language."""
    if fmt == "csv":
        import csv
        import io

        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(head)
        w.writerows(rows)
        return buf.getvalue()
    out = ["| " + " | ".join(_(_LABELS.get(h, h)) for h in head) + " |",
           "|" + "---|" * len(head)]
    out += ["| " + " | ".join("" if v is None else str(v) for v in r) + " |" for r in rows]
    return "\n".join(out) + "\n"


def _local(session):
    from sqlmodel import select

    from portops.clock import local
    from portops.model import Terminal

    t = session.exec(select(Terminal)).first()
    tz = t.timezone if t else "UTC"
    return lambda when: (local(when, tz).strftime("%Y-%m-%d %H:%M") if when else ""), tz


@exporter("receiving-plan", N_("the export receiving plan (集港计划): each visit's receiving "
          "window and cut-offs"), formats=("md", "csv"),
          arguments=[(("--visit",), {"help": N_("one visit key (default: every live visit)")})])
def receiving_plan(args: argparse.Namespace, engine: Engine, fmt: str) -> str:
    from portops.db import read_session
    from portops.queries.export import receiving_plan as build

    with read_session(engine) as s:
        if args.visit:
            _visit_by_key(s, args.visit)
        rows = build(s, args.visit)
        show, tz = _local(s)
    head = [N_("visit"), N_("vessel"), N_("voyage"), N_("ETB"), N_("opens"),
            N_("cargo cut-off"), N_("reefer cut-off"), N_("DG cut-off")]
    body = [[r.visit, r.vessel, r.voyage, show(r.etb), show(r.opens), show(r.cargo_cutoff),
             show(r.reefer_cutoff), show(r.dg_cutoff)] for r in rows]
    title = _("# Receiving plan (集港计划), times {tz}").format(tz=tz) + "\n\n" \
        if fmt == "md" else ""
    return title + _table(fmt, head, body)


@exporter("arrival-report", N_("the arrival report (运抵报告) of a visit's export boxes: "
                               "readable, CSV, or CODECO gate-in messages"),
          formats=("md", "csv", "edi"),
          arguments=[(("--visit",), {"required": True, "metavar": "KEY"})])
def arrival_report(args: argparse.Namespace, engine: Engine, fmt: str) -> str:
    from sqlmodel import select

    from portops.db import read_session
    from portops.model import Eir
    from portops.queries.export import arrival_report as build

    with read_session(engine) as s:
        visit = _visit_by_key(s, args.visit)
        rows = build(s, visit.id)
        show, tz = _local(s)
        if fmt == "edi":
            eirs = [r.eir for r in rows]
            texts = [e.codeco for e in s.exec(select(Eir).where(Eir.number.in_(eirs))
                                               .order_by(Eir.id)) if e.codeco]
            if not texts:
                raise CLIError(_("the arrival report of {key} has no box yet (no export box "
                                 "has come in through the gate); nothing was written").format(
                                     key=args.visit))
            return _one_interchange(texts, f"AR{visit.id}")
    head = [N_("container"), N_("size/type"), N_("booking"), N_("POD"), N_("VGM kg"),
            N_("seal"), N_("EIR"), N_("arrived")]
    body = [[r.container, r.size_type, r.booking_ref, r.pod, r.vgm_kg, r.seals, r.eir,
             show(r.reported_at)] for r in rows]
    title = (_("# Arrival report (运抵报告) {key}: {n} box(es), times {tz}").format(
        key=args.visit, n=len(rows), tz=tz) + "\n\n" if fmt == "md" else "")
    return title + _table(fmt, head, body)


def _one_interchange(texts: list[str], ref: str) -> str:
    """Stored messages (one interchange each) as ONE interchange, dated now."""
    from portops.clock import SystemClock
    from portops.formats.edifact.envelope import join

    now = SystemClock().now()
    return join(texts, control_ref=f"{ref}{now:%y%m%d%H%M}", prepared=now)


@exporter("load-report", N_("the load tally report of a visit: readable, or as a COARRI load "
          "report"), formats=("txt", "edi"),
          arguments=[(("--visit",), {"required": True, "metavar": "KEY"})])
def load_report(args: argparse.Namespace, engine: Engine, fmt: str) -> str:
    from portops.clock import SystemClock
    from portops.db import read_session
    from portops.formats.tally import coarri_text
    from portops.queries.export import load_report as build
    from portops.queries.export import render_load_report, rolled

    with read_session(engine) as s:
        visit = _visit_by_key(s, args.visit)
        report = build(s, visit.id)
        gone = rolled(s, visit.id)
        show, tz = _local(s)
    if fmt == "edi":
        return coarri_text(report, SystemClock().now())
    return render_load_report(args.visit, report, gone, show, tz, _)
