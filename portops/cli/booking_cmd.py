"""``portops export-booking add|list``: a line's export bookings from the shell (the same
operation as F12's booking form, ``b``); a line's whole list imports as ``kind:
export_bookings`` (``portops import``)."""

from __future__ import annotations

import argparse

from portops.i18n import N_, _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export-booking", help=N_("a line's export bookings (出口订舱)"))
    s = p.add_subparsers(dest="booking_command", metavar="ACTION", required=True)
    add = s.add_parser("add", help=N_("record a line's export booking for a visit"))
    add.add_argument("ref", help=N_("the booking number"))
    add.add_argument("--visit", required=True, help=N_("the visit key, e.g. COSU-AEU3-126"))
    add.add_argument("--line", required=True, help=N_("the line's code (SCAC)"))
    add.add_argument("--pod", required=True, help=N_("port of discharge (UN/LOCODE)"))
    add.add_argument("--size-type", required=True, help=N_("ISO 6346 size/type, e.g. 45G1"))
    add.add_argument("--quantity", required=True, type=int, help=N_("boxes"))
    add.add_argument("--shipper", default="")
    add.add_argument("--reefer-temp", type=float, default=None, help=N_("set point, °C"))
    add.add_argument("--imdg-class", default=None)
    add.add_argument("--un-number", default=None)
    add.set_defaults(handler=_add)
    ls = s.add_parser("list", help=N_("a visit's bookings: boxes booked in and inside"))
    ls.add_argument("visit")
    ls.set_defaults(handler=_list)


def _add(args: argparse.Namespace) -> int:
    from portops.cli.common import core_for, user_for
    from portops.ops.export_bookings import add_booking

    core_for(args).run(user_for(args), add_booking, ref=args.ref, visit_key=args.visit,
                       line=args.line, pod=args.pod, size_type=args.size_type,
                       quantity=args.quantity, shipper=args.shipper,
                       reefer_temp_c=args.reefer_temp, imdg_class=args.imdg_class,
                       un_number=args.un_number)
    print(_("booked {ref} on {visit}").format(ref=args.ref.strip().upper(), visit=args.visit))
    return 0


def _list(args: argparse.Namespace) -> int:
    from sqlmodel import select

    from portops.cli.common import CLIError, engine_for
    from portops.clock import local
    from portops.db import read_session
    from portops.model import Terminal, VesselVisit
    from portops.queries.export import bookings

    with read_session(engine_for(args)) as s:
        visit_id = s.exec(select(VesselVisit.id).where(VesselVisit.key == args.visit)).first()
        if visit_id is None:
            raise CLIError(_("there is no visit {key!r}; check the key (portops export "
                             "receiving-plan lists them)").format(key=args.visit))
        rows, appts = bookings(s, visit_id)
        terminal = s.exec(select(Terminal)).first()
    tz = terminal.timezone if terminal else "UTC"
    for b in rows:
        counts = _("booked in {booked:<4} inside {received:<4}").format(booked=b.booked,
                                                                      received=b.received)
        print(f"{b.ref:<16} {b.line:<6} {b.pod:<6} {b.size_type:<5} x{b.quantity:<4} "
              f"{counts} {b.shipper}")
    for a in appts:
        print(f"  {a.ref} {a.container} {a.booking_ref} {a.plate} "
              f"{local(a.slot_start, tz):%Y-%m-%d %H:%M} {tz}")
    return 0
