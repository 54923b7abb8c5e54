"""``portops init`` and ``portops db upgrade``."""

from __future__ import annotations

import argparse

from portops.cli.common import CLIError, ask_password, engine_for
from portops.i18n import N_, _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help=N_("create or upgrade a database (--demo: fill it with the "
                       "demo terminal in mid-operation)"))
    p.add_argument("--demo", action="store_true", help=N_("load the demo terminal"))
    p.add_argument("--admin", default=None, help=N_("create this first admin user (asks for a "
                   "password unless PORTOPS_ADMIN_PASSWORD is set)"))
    p.set_defaults(handler=init)

    db = sub.add_parser("db", help=N_("database maintenance"))
    dbsub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    up = dbsub.add_parser("upgrade", help=N_("migrate the database to the newest schema"))
    up.set_defaults(handler=upgrade)
    cur = dbsub.add_parser("current", help=N_("print the schema revision"))
    cur.set_defaults(handler=current)
    gr = dbsub.add_parser("grants", help=N_("print the PostgreSQL grants for the everyday role, "
                          "which cannot drop the audit log's triggers (docs/architecture.md)"))
    gr.add_argument("role", help=N_("the role consoles, gates and imports connect as"))
    gr.set_defaults(handler=grants)


def grants(args: argparse.Namespace) -> int:
    from sqlalchemy.engine import make_url

    from portops.db import resolve_url
    from portops.grants import grants_sql

    url = make_url(resolve_url(args.db))
    if url.get_backend_name() != "postgresql":
        raise CLIError(_("--db: grants are for PostgreSQL; an SQLite file is guarded by "
                         "its file permissions"), 2)
    try:
        print(grants_sql(args.role, url.database or "postgres"), end="")
    except ValueError as exc:
        raise CLIError(str(exc), 2) from None
    return 0


def init(args: argparse.Namespace) -> int:
    from portops import schema
    from portops.clock import SystemClock
    from portops.db import write_session
    from portops.ops import Core
    from portops.ops.users import add_user, bootstrap

    # asked first: a password that cannot be asked for leaves the database untouched
    password = ask_password(args.admin, "PORTOPS_ADMIN_PASSWORD") if args.admin else None
    engine = engine_for(args, must_exist=False)
    schema.upgrade(engine)
    clock = SystemClock()
    with write_session(engine) as session:
        created = bootstrap(session, clock)
    core = Core(engine, clock)
    if args.admin:
        core.run("system", add_user, name=args.admin, role="admin", password=password)
    if args.demo:
        try:
            from portops.demo import build_demo
        except ImportError:
            raise CLIError(_("the demo terminal is not available in this build")) from None
        demo = build_demo(core)
    done = _("created {db} (schema {revision})") if created else \
        _("upgraded {db} (schema {revision})")
    print(done.format(db=engine.url.database or engine.url,
                      revision=schema.current_revision(engine)))
    if args.demo:
        from portops.i18n import localized_value

        for note in demo.notes:
            print(localized_value(note, _))
        if demo.visits:
            from collections import Counter

            phases = Counter(demo.visits.values())
            print(_("demo terminal as of {now} UTC: {visits} visits ({phases}), {boxes} "
                    "boxes").format(now=f"{demo.now:%Y-%m-%d %H:%M}", visits=len(demo.visits),
                                    phases=_(", ").join(f"{n} {_(p)}" for p, n in
                                                        sorted(phases.items())),
                                    boxes=demo.boxes))
    if not _anyone_can_sign_in_as_admin(engine):
        print(_("no admin can sign in yet: portops init --admin NAME (or portops user add NAME "
                "--role admin)"))
    return 0


def _anyone_can_sign_in_as_admin(engine) -> bool:  # noqa: ANN001
    from sqlmodel import select

    from portops.db import read_session
    from portops.model import Role, User

    with read_session(engine) as s:
        return s.exec(select(User.id).where(User.role == Role.ADMIN, User.active,
                                            User.password_hash.is_not(None))).first() is not None


def upgrade(args: argparse.Namespace) -> int:
    from portops import schema

    engine = engine_for(args, must_exist=False)
    before = schema.current_revision(engine)
    schema.upgrade(engine)
    print(_("schema {before} -> {after}").format(before=before or _("empty"),
                                                 after=schema.current_revision(engine)))
    return 0


def current(args: argparse.Namespace) -> int:
    from portops import schema

    # a revision id or "empty", as scripts compare it: not translated
    print(schema.current_revision(engine_for(args, must_exist=False)) or "empty")
    return 0
