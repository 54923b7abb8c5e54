"""``portops token issue|list|revoke``: API tokens for scripts (``PORTOPS_TOKEN``).

A token acts as the user it was issued to, without a password; it is printed once, when
issued, and only its SHA-256 is kept. Issuing one needs the user's own sign-in (password or
another token). A token of the system account (an admin issues it with ``--for system``)
serves unattended imports only.
"""

from __future__ import annotations

import argparse

from portops.cli.common import core_for, engine_for, user_for
from portops.i18n import N_, _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("token", help=N_("issue, list or revoke API tokens for scripts"))
    s = p.add_subparsers(dest="token_command", metavar="ACTION", required=True)
    iss = s.add_parser("issue", help=N_("issue a token (printed once; set it as PORTOPS_TOKEN)"))
    iss.add_argument("--for", dest="owner", default=None, metavar="USER",
                     help=N_("the user it acts as (default: you; another user: admins only; "
                     "'system': unattended imports)"))
    iss.add_argument("--note", default="", help=N_("what the token is for (e.g. 'nightly EDI')"))
    iss.set_defaults(handler=_issue)
    ls = s.add_parser("list", help=N_("your tokens (an admin: every token)"))
    ls.set_defaults(handler=_list)
    rv = s.add_parser("revoke", help=N_("revoke a token by its number (see token list)"))
    rv.add_argument("id", type=int)
    rv.set_defaults(handler=_revoke)


def _issue(args: argparse.Namespace) -> int:
    from portops.ops.tokens import issue_token

    core = core_for(args)
    me = user_for(args)
    token = core.run(me, issue_token, user=args.owner or me, note=args.note)
    print(token)
    print(_("(the token for {user}: shown this once; keep it where only its script can "
            "read it, and give it as PORTOPS_TOKEN)").format(user=args.owner or me))
    return 0


def _list(args: argparse.Namespace) -> int:
    from portops.queries.accounts import account, tokens

    engine = engine_for(args)
    me = user_for(args)
    mine = account(engine, me)
    admin = mine is not None and mine.role.value == "admin"
    for t in tokens(engine, None if admin else me):
        state = _("revoked {day}").format(day=f"{t.revoked_at:%Y-%m-%d}") if t.revoked_at \
            else _("active")
        by = _("by {user}").format(user=f"{t.created_by:<12}")
        print(f"{t.id:>4} {t.user:<16} {t.shown}… {t.created_at:%Y-%m-%d} {by} "
              f"{state:<18} {t.note}")
    return 0


def _revoke(args: argparse.Namespace) -> int:
    from portops.ops.tokens import revoke_token

    core_for(args).run(user_for(args), revoke_token, token_id=args.id)
    print(_("revoked token {id}").format(id=args.id))
    return 0
