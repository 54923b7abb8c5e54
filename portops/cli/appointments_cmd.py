"""``portops appointments sweep|arrive|delays|no-shows``: the terminal's side of the
appointment platform (issue 18) from the shell, for cron and the gate's queue camera.

- ``sweep`` marks every no-show and late cancel due by the clock, one operation and event
  each (``portops.ops.no_show.sweep``); run it every slot, from cron: running it twice marks
  nothing twice.
- ``arrive LOOKUP`` records a truck first seen at the gate (plate or reference), the start of
  its wait (``gate.arrive``).
- ``delays`` lists the trucks the terminal kept waiting (``portops.queries.delays``).
- ``no-shows`` lists each haulier's no-shows and late cancels over the terminal's window and
  whether its peak-hour limit applies.
"""

from __future__ import annotations

import argparse

from portops.i18n import N_, _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("appointments", help=N_("no-shows, late cancels, arrivals and delays"))
    s = p.add_subparsers(dest="appointments_command", metavar="ACTION", required=True)
    sw = s.add_parser("sweep", help=N_("mark the no-shows and late cancels due now"))
    sw.set_defaults(handler=_sweep)
    ar = s.add_parser("arrive", help=N_("record a truck's arrival at the gate"))
    ar.add_argument("lookup", help=N_("the truck's plate or its appointment's reference"))
    ar.add_argument("--plate", default="", help=N_("the plate read, if the lookup is a reference"))
    ar.set_defaults(handler=_arrive)
    de = s.add_parser("delays", help=N_("trucks the terminal kept waiting past their slot"))
    de.add_argument("--days", type=_days, default=7, help=N_("over the last so many days (7)"))
    de.set_defaults(handler=_delays)
    ns = s.add_parser("no-shows", help=N_("each haulier's no-show rate and its consequence"))
    ns.set_defaults(handler=_no_shows)


def _days(value: str) -> int:
    try:
        days = int(value)
    except ValueError:
        days = 0
    if not 1 <= days <= 366:
        raise argparse.ArgumentTypeError(_("{value!r} is not a number of days from 1 to 366")
                                         .format(value=value))
    return days


def _sweep(args: argparse.Namespace) -> int:
    from portops.cli.common import core_for, user_for
    from portops.ops.no_show import sweep

    done = sweep(core_for(args), user_for(args))
    print(_("{no_shows} no-show(s), {late} late cancel(s), {closed} closed, {skipped} "
            "done meanwhile by another").format(no_shows=len(done.no_shows),
                                                late=len(done.late_cancels),
                                                closed=len(done.closed),
                                                skipped=len(done.skipped)))
    for label, refs in ((_("no-show"), done.no_shows), (_("late cancel"), done.late_cancels),
                        (_("closed"), done.closed)):
        for ref in refs:
            print(f"  {ref}  {label}")
    return 0


def _arrive(args: argparse.Namespace) -> int:
    from portops.cli.common import core_for, user_for
    from portops.ops.gate_arrival import arrive

    core_for(args).run(user_for(args), arrive, lookup=args.lookup, plate=args.plate)
    print(_("arrival of {lookup} recorded").format(lookup=args.lookup.strip().upper()))
    return 0


def _tz(engine) -> str:
    from portops.db import read_session
    from portops.ops.gate_checks import settings

    with read_session(engine) as s:
        return settings(s).timezone


def _delays(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from portops.cli.common import engine_for
    from portops.clock import SystemClock, show
    from portops.queries.delays import terminal_delays

    engine = engine_for(args)
    now = SystemClock().now()
    tz = _tz(engine)
    rows = terminal_delays(engine, now - timedelta(days=args.days), now)
    for r in rows:
        print(f"{r.ref:<12} {r.haulier:<8} {r.plate:<10} {show(r.slot_start, tz)}  "
              + _("came {arrived}, in {admitted}, waited {minutes} min").format(
                  arrived=show(r.arrived_at, tz, "%H:%M"),
                  admitted=show(r.admitted_at, tz, "%H:%M"), minutes=r.minutes))
    print(_("{count} truck(s) kept waiting in the last {days} day(s)").format(
        count=len(rows), days=args.days))
    return 0


def _no_shows(args: argparse.Namespace) -> int:
    from portops.cli.common import engine_for
    from portops.clock import SystemClock
    from portops.queries.delays import standings

    for st in standings(engine_for(args), SystemClock().now()):
        flag = _("peak hours limited") if st.penalised else ""
        print(f"{st.party:<8} " + _("{due} due, {no_shows} no-show(s), {late} late "
                                    "cancel(s): {rate:.0f}%").format(
            due=st.due, no_shows=st.no_shows, late=st.late_cancels, rate=st.rate_pct)
              + (f"  {flag}" if flag else ""))
    return 0
