"""``portops user add|passwd|role|disable|enable|unlock|list``.

The new password of ``add`` and ``passwd`` comes from ``$PORTOPS_NEW_PASSWORD`` or is typed
twice; ``$PORTOPS_PASSWORD`` is the password of whoever runs the command (``--user``)."""

from __future__ import annotations

import argparse

from portops.cli.common import ask_password, core_for, engine_for, user_for
from portops.cli.records import OnOne, add_actions
from portops.i18n import N_, _
from portops.model import Role


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("user", help=N_("manage user accounts"))
    s = p.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = s.add_parser("add", help=N_("add a user"))
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--full-name", default="")
    add.add_argument("--party", default="", metavar="CODE",
                     help=N_("the party a customer's account belongs to (haulier, consignee, "
                     "shipper, line): the party's admin, who then adds its other accounts"))
    add.add_argument("--no-password", action="store_true", help=N_("an account with no password"))
    add.set_defaults(handler=_add)
    pw = s.add_parser("passwd", help=N_("set a user's password"))
    pw.add_argument("name")
    pw.set_defaults(handler=_passwd)
    add_actions(s, "name", (
        OnOne("disable", N_("disable a user"), "portops.ops.users:disable_user",
              N_("disabled {name}")),
        OnOne("enable", N_("enable a disabled user"), "portops.ops.users:enable_user",
              N_("enabled {name}")),
        OnOne("unlock", N_("unlock an account locked by wrong passwords"),
              "portops.ops.signin:unlock_user", N_("unlocked {name}"))))
    ro = s.add_parser("role", help=N_("change a user's role"))
    ro.add_argument("name")
    ro.add_argument("--role", required=True, choices=[r.value for r in Role])
    ro.set_defaults(handler=_role)
    ls = s.add_parser("list", help=N_("list users"))
    ls.set_defaults(handler=_list)


def _add(args: argparse.Namespace) -> int:
    from portops.ops.users import add_user

    core, me = core_for(args), user_for(args)  # who you are first, then the new password
    password = None if args.no_password else ask_password(args.name)
    core.run(me, add_user, name=args.name, role=args.role, password=password,
             full_name=args.full_name, party=args.party)
    if args.party:
        print(_("added {name} ({role}, admin of {party})").format(
            name=args.name, role=_role_name(args.role), party=args.party.upper()))
    else:
        print(_("added {name} ({role})").format(name=args.name, role=_role_name(args.role)))
    return 0


def _passwd(args: argparse.Namespace) -> int:
    from portops.ops.users import set_password

    core, me = core_for(args), user_for(args)
    core.run(me, set_password, name=args.name, password=ask_password(args.name))
    print(_("password set for {name}").format(name=args.name))
    return 0


def _role(args: argparse.Namespace) -> int:
    from portops.ops.users import set_role

    core_for(args).run(user_for(args), set_role, name=args.name, role=args.role)
    print(_("{name} is now {role}").format(name=args.name, role=_role_name(args.role)))
    return 0


def _list(args: argparse.Namespace) -> int:
    from sqlmodel import select

    from portops.db import read_session
    from portops.model import User

    with read_session(engine_for(args)) as s:
        for u in s.exec(select(User).order_by(User.name)):
            state = _(N_("disabled") if not u.active else N_("locked") if u.locked_at
                      else N_("active"))
            party = "  " + _("party {id}").format(id=u.party_id) if u.party_id else ""
            print(f"{u.name:<20} {u.role:<13} {state}{party}")
    return 0


def _role_name(value: str) -> str:
    """A role as people call it, in the CLI's language ("gate clerk", 闸口员); the role's
    code (``gate_clerk``, what ``--role`` takes) is shown as is by ``user list``."""
    return _(Role(value).label)
