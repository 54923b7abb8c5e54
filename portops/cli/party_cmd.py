"""``portops party add|list|edit|disable|enable``: shipping lines, hauliers, forwarders,
consignees, shippers and agents (the same operations as the console's Parties screen)."""

from __future__ import annotations

import argparse

from portops.cli.records import OnOne, add_actions
from portops.i18n import N_, _

KINDS = ("line", "consignee", "forwarder", "haulier", "shipper", "agent")
SCHEMES = ("eori", "usci", "other")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("party", help=N_("register shipping lines, hauliers and other parties"))
    s = p.add_subparsers(dest="party_command", metavar="ACTION", required=True)
    add = s.add_parser("add", help=N_("register a party (a line's CODE is its SCAC)"))
    add.add_argument("code")
    add.add_argument("--name", required=True)
    add.add_argument("--kind", required=True, choices=KINDS)
    add.add_argument("--identity", default="",
                     help=N_("EORI, USCI (统一社会信用代码) or other"))
    add.add_argument("--scheme", default="", choices=("", *SCHEMES),
                     help=N_("how to check the identity (default: what it looks like)"))
    add.set_defaults(handler=_add)
    ed = s.add_parser("edit", help=N_("change a party's name or identity"))
    ed.add_argument("code")
    ed.add_argument("--name", default=None)
    ed.add_argument("--identity", default=None)
    ed.add_argument("--scheme", default="", choices=("", *SCHEMES))
    ed.set_defaults(handler=_edit)
    ls = s.add_parser("list", help=N_("list parties"))
    ls.add_argument("--kind", choices=KINDS, default=None)
    ls.set_defaults(handler=_list)
    add_actions(s, "code", (
        OnOne("disable", N_("deactivate a party"), "portops.ops.parties:disable_party",
              N_("deactivated {code}")),
        OnOne("enable", N_("make a party active again"), "portops.ops.parties:enable_party",
              N_("activated {code}"))), shown=lambda code: code.strip().upper())


def _add(args: argparse.Namespace) -> int:
    from portops.cli.common import core_for, user_for
    from portops.ops.parties import register_party

    core_for(args).run(user_for(args), register_party, code=args.code, name=args.name,
                       kind=args.kind, identity=args.identity, scheme=args.scheme)
    print(_("registered {code} ({kind})").format(code=args.code.strip().upper(),
                                                  kind=_(args.kind)))
    return 0


def _edit(args: argparse.Namespace) -> int:
    from portops.cli.common import core_for, user_for
    from portops.ops.parties import update_party

    core_for(args).run(user_for(args), update_party, code=args.code, name=args.name,
                       identity=args.identity, scheme=args.scheme)
    print(_("changed {code}").format(code=args.code.strip().upper()))
    return 0


def _list(args: argparse.Namespace) -> int:
    from portops.cli.common import engine_for
    from portops.queries.parties import parties

    for p in parties(engine_for(args), kind=args.kind):
        state = _(N_("active") if p.active else N_("inactive"))
        print(f"{p.code:<16} {p.kind:<10} {state:<8} {p.identity:<20} {p.name}")
    return 0
