"""``portops hold apply|release|list`` and ``portops permission grant|revoke``.

The same operations as the console's Releases & holds area (``hold.apply``, ``hold.release``,
``permission.grant``, ``permission.revoke``, and ``release.line`` for a line release, which
names the party that may collect): run as ``--user``, whose role must own the type. A hold or
permission to clear is named by its id (``--flag``, shown by ``portops hold list``) or by its
type and what it is on, when exactly one of that type is in force there.
"""

from __future__ import annotations

import argparse

from portops.cli.common import CLIError, code_error, core_for, engine_for, user_for
from portops.i18n import N_, _

HOLDS = ("XRAY", "INSPECTION", "DAMAGE", "STORAGE")
PERMISSIONS = ("PORT_ENTRY", "CUSTOMS_IMPORT", "LINE_RELEASE", "CUSTOMS_EXPORT")
#: How ``hold list`` names a box's category, place and the action judged, in words to
#: translate (the stored values are codes: "import", "yard", "deliver").
CATEGORY = {"import": N_("import box"), "export": N_("export box"),
            "tranship": N_("transhipment box"), "storage": N_("storage box")}
PLACE = {"advised": N_("advised, not here yet"), "vessel": N_("on board"),
         "yard": N_("in the yard"), "truck": N_("on a truck"), "gone": N_("gone")}
ACTION = {"deliver": N_("delivery"), "load": N_("loading"), "discharge": N_("discharge"),
          "receive": N_("receiving")}


def _subject_options(p: argparse.ArgumentParser, visit: bool = False) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--container", metavar="NUMBER", help=N_("the container number (ISO 6346)"))
    g.add_argument("--bl", metavar="B/L", help=N_("every box on this bill of lading"))
    g.add_argument("--booking", metavar="REF", help=N_("every box on this booking"))
    if visit:
        g.add_argument("--visit", metavar="KEY", help=N_("a vessel visit (PORT_ENTRY)"))


def _type(choices: tuple[str, ...]):
    def parse(text: str) -> str:
        code = text.strip().upper()
        if code not in choices:
            raise argparse.ArgumentTypeError(_("{value!r} is not one of {choices}").format(
                value=text, choices=", ".join(choices)))
        return code
    return parse


def register(sub: argparse._SubParsersAction) -> None:
    h = sub.add_parser("hold", help=N_("apply, release or list holds on a container, B/L or "
                       "booking"))
    hs = h.add_subparsers(dest="hold_command", metavar="ACTION", required=True)
    ap = hs.add_parser("apply", help=N_("put a hold on a box, B/L or booking"))
    ap.add_argument("--type", required=True, type=_type(HOLDS), help=", ".join(HOLDS))
    _subject_options(ap)
    ap.add_argument("--reason", required=True, help=N_("why it is held"))
    ap.add_argument("--reference", default="", help=N_("inspection order, survey number..."))
    ap.set_defaults(handler=_apply)
    rl = hs.add_parser("release", help=N_("release a hold with the reference that cleared it"))
    rl.add_argument("--flag", type=int, help=N_("the hold's id (portops hold list)"))
    rl.add_argument("--type", type=_type(HOLDS), help=N_("or the hold's type, with what it is on"))
    _subject_options(rl)
    rl.add_argument("--reference", required=True, help=N_("inspection, scan or payment reference"))
    rl.add_argument("--reason", default="", help=N_("why it is released"))
    rl.set_defaults(handler=_release)
    ls = hs.add_parser("list", help=N_("a box's holds and permissions, and what blocks it"))
    ls.add_argument("container", metavar="NUMBER")
    ls.set_defaults(handler=_list)

    p = sub.add_parser("permission", help=N_("grant or revoke a customs, line or port-entry "
                       "release"))
    ps = p.add_subparsers(dest="permission_command", metavar="ACTION", required=True)
    gr = ps.add_parser("grant", help=N_("grant a permission with its reference"))
    gr.add_argument("--type", required=True, type=_type(PERMISSIONS), help=", ".join(PERMISSIONS))
    _subject_options(gr, visit=True)
    gr.add_argument("--reference", required=True,
                    help=N_("customs entry, clearance or release no."))
    gr.add_argument("--reason", default="", help=N_("a note kept with the grant"))
    gr.add_argument("--line", help=N_("LINE_RELEASE: the releasing line's party code"))
    gr.add_argument("--party", help=N_("LINE_RELEASE: the consignee, forwarder or haulier that "
                    "may collect"))
    gr.set_defaults(handler=_grant)
    rv = ps.add_parser("revoke", help=N_("revoke a permission with the reason"))
    rv.add_argument("--flag", type=int, help=N_("the permission's id (portops hold list)"))
    rv.add_argument("--type", type=_type(PERMISSIONS), help=N_("or its type, with what it is on"))
    _subject_options(rv, visit=True)
    rv.add_argument("--reason", required=True, help=N_("why it is revoked"))
    rv.add_argument("--reference", default="", help=N_("the customs or line notice"))
    rv.set_defaults(handler=_revoke)


def _subject(args: argparse.Namespace) -> dict:
    if args.container:
        return {"container": args.container}
    if args.bl:
        return {"bl_number": args.bl}
    if args.booking:
        return {"booking_ref": args.booking}
    if getattr(args, "visit", None):
        return {"visit": args.visit}
    raise CLIError(_("name what it is on: --container, --bl, --booking or --visit")
                   if hasattr(args, "visit") else
                   _("name what it is on: --container, --bl or --booking"), 2)


def _visit_id(engine, key: str) -> int:
    from sqlmodel import select

    from portops.db import read_session
    from portops.model import VesselVisit

    with read_session(engine) as s:
        vid = s.exec(select(VesselVisit.id).where(VesselVisit.key == key)).first()
    if vid is None:
        raise CLIError(_("--visit: there is no visit {key!r} (see the schedule)").format(
            key=key))
    return vid


def _find_flag(args: argparse.Namespace, in_force: str) -> int:
    """The id of the one flag of ``--type`` in force on the subject (or ``--flag``)."""
    if args.flag is not None:
        return args.flag
    if not args.type:
        raise CLIError(_("name the flag: --flag ID (portops hold list NUMBER) or --type with "
                         "--container, --bl, --booking"), 2)
    from sqlmodel import or_, select

    from portops.codes import CodeError, parse_container_number
    from portops.db import read_session
    from portops.model import Container, Flag, Where

    engine = engine_for(args)
    subject = _subject(args)
    with read_session(engine) as s:
        q = select(Flag.id).where(Flag.type_code == args.type, Flag.state == in_force)
        if "container" in subject:
            try:
                number = parse_container_number(subject["container"])
            except CodeError as exc:
                raise CLIError(f"--container: {code_error(exc)}", 2) from None
            c = s.exec(select(Container).where(Container.number == number,
                                               Container.location != Where.GONE)).first()
            if c is None:
                raise CLIError(_("--container: {number} is not at or expected at the "
                                 "terminal").format(number=number))
            conds = [Flag.container_id == c.id]
            conds += [Flag.bl_number == c.bl_number] if c.bl_number else []
            conds += [Flag.booking_ref == c.booking_ref] if c.booking_ref else []
            q = q.where(or_(*conds))
        elif "visit" in subject:
            q = q.where(Flag.visit_id == _visit_id(engine, subject["visit"]))
        else:
            (k, v), = subject.items()
            q = q.where(getattr(Flag, k) == v)
        ids = list(s.exec(q))
    what = " ".join(f"{v}" for v in subject.values())
    if not ids:
        raise CLIError(_("no {type} in force on {what}; nothing changed").format(
            type=args.type, what=what))
    if len(ids) > 1:
        raise CLIError(_("{n} {type} in force on {what} (ids {ids}); name one with --flag; "
                         "nothing changed").format(n=len(ids), type=args.type, what=what,
                                                   ids=", ".join(map(str, ids))))
    return ids[0]


def _apply(args: argparse.Namespace) -> int:
    from portops.ops.flags import apply_hold

    fid = core_for(args).run(user_for(args), apply_hold, code=args.type, reason=args.reason,
                             reference=args.reference, **_subject(args))
    print(_("{type} hold applied (id {id})").format(type=args.type, id=fid))
    return 0


def _release(args: argparse.Namespace) -> int:
    from portops.ops.flags import release_hold

    fid = _find_flag(args, "active")
    core_for(args).run(user_for(args), release_hold, flag_id=fid, reference=args.reference,
                       reason=args.reason)
    print(_("hold {id} released").format(id=fid))
    return 0


def _grant(args: argparse.Namespace) -> int:
    from portops.ops.flags import grant_permission
    from portops.ops.releases import line_release

    subject = _subject(args)
    core = core_for(args)
    if args.type == "LINE_RELEASE":
        if not (args.line and args.party) or set(subject) - {"container", "bl_number"}:
            raise CLIError(_("a line release names --line, --party (who may collect) and "
                             "--container or --bl; nothing changed"), 2)
        ids = core.run(user_for(args), line_release, line=args.line, to_party=args.party,
                       reference=args.reference, **subject)
        print(_("line release recorded: {n} box(es) may be collected by {party}").format(
            n=len(ids), party=args.party.upper()))
        return 0
    if "visit" in subject:
        subject = {"visit_id": _visit_id(core.engine, subject.pop("visit"))}
    fid = core.run(user_for(args), grant_permission, code=args.type, reference=args.reference,
                   reason=args.reason, **subject)
    print(_("{type} granted (id {id})").format(type=args.type, id=fid))
    return 0


def _revoke(args: argparse.Namespace) -> int:
    from portops.ops.flags import revoke_permission

    fid = _find_flag(args, "granted")
    core_for(args).run(user_for(args), revoke_permission, flag_id=fid, reason=args.reason,
                       reference=args.reference)
    print(_("permission {id} revoked").format(id=fid))
    return 0


def _list(args: argparse.Namespace) -> int:
    from portops.clock import local
    from portops.queries import releases as q

    engine = engine_for(args)
    try:
        view = q.box(engine, args.container)
    except q.BadNumber as exc:
        raise CLIError(f"NUMBER: {code_error(exc.error)}", 2) from None
    if view is None:
        raise CLIError(_("{number} is not at or expected at the terminal").format(
            number=args.container.upper()))
    from sqlmodel import select

    from portops.db import read_session
    from portops.model import Terminal

    with read_session(engine) as s:
        tz = s.exec(select(Terminal.timezone)).first() or "UTC"
    parts = [view.number, view.size_type, _(CATEGORY.get(view.category, view.category)),
             _(PLACE.get(view.location, view.location))]
    parts += [_("visit {key}").format(key=view.visit)] if view.visit else []
    parts += [f"B/L {view.bl_number}"] if view.bl_number else []
    parts += [_("right to collect: {party}").format(party=view.holder)] if view.holder else []
    print(" ".join(parts))

    def at(when) -> str:
        return f"{local(when, tz):%Y-%m-%d %H:%M}"

    for f in view.flags:
        on = _(f.on) if f.on == "box" else f.on
        line = _("{id:>6} {code:<15} {state:<9} on {on:<14} ref {ref}").format(
            id=f.id, code=f.code, state=_(f.state), on=on, ref=f.reference or "-")
        line += f" ({f.reason})" if f.reason else ""
        line += " " + _("set by {user} {at}").format(user=f.set_by, at=at(f.set_at))
        if f.cleared_by:
            line += " " + _("cleared by {user} {at} ref {ref}").format(
                user=f.cleared_by, at=at(f.cleared_at), ref=f.clear_reference or "-")
        print("  " + line)
    action = _(ACTION.get(view.action, view.action))
    if view.blocking:
        print(_("{action} refused:").format(action=action))
        for u in view.blocking:
            print(f"  - {u.line(_)}")
    else:
        print(_("{action}: nothing stands in the way").format(action=action))
    return 0
