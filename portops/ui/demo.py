"""The demo the console opens: the foundation's demo terminal plus one account per role.

``portops.demo.build_demo(core)`` (the foundation's) fills the terminal; until a build has it,
a small stand-in here does (one terminal, three berths, a few visits; written directly, as
test fixtures are). Then every role gets an account named after it (``dispatcher``,
``line-handler``...) with no password: the demo's sign-in picker chooses one (demo only).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlmodel import Session, select

from portops.model import STAFF_ROLES, Berth, Role, Terminal, User, Vessel, VesselVisit
from portops.ops import Core
from portops.ops.users import add_user

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from portops.clock import Clock


def demo_user(role: Role) -> str:
    return role.value.replace("_", "-")


def create_demo(path: str, clock: Clock) -> Engine:
    """A new database at ``path`` holding the demo terminal as of ``clock``'s now.

    ``portops demo`` runs this in the console's opening thread while the sign-in screen
    shows (it takes seconds: the week played through the operations, thousands of boxes).
    """
    from portops import schema
    from portops.db import make_engine, write_session
    from portops.ops.users import bootstrap

    engine = make_engine(path)
    schema.upgrade(engine)
    with write_session(engine) as session:
        bootstrap(session, clock)
    build_demo(Core(engine, clock))
    return engine


def build_demo(core: Core) -> None:
    try:
        from portops.demo import build_demo as build_terminal
    except ImportError:
        build_terminal = _stand_in
    build_terminal(core)
    with Session(core.engine) as s:
        existing = set(s.exec(select(User.name)).all())
    for role in STAFF_ROLES:  # a customer's account needs its party
        if demo_user(role) not in existing:
            core.run("system", add_user, name=demo_user(role), role=role.value,
                     full_name=f"Demo {role.label}")


def _stand_in(core: Core) -> None:
    now = core.clock.now().replace(minute=0, second=0, microsecond=0)
    with Session(core.engine) as s, s.begin():
        s.add(Terminal(code="CNSHA-DEMO", name="Demo Container Terminal", locode="CNSHA",
                       timezone="Asia/Shanghai"))
        berths = [Berth(name=f"B{i + 1}", quay_start_m=i * 350, quay_end_m=(i + 1) * 350,
                        depth_m=15.0 - i) for i in range(3)]
        ships = [("9074729", "COSCO STAR", 300, 13.5, "COSU"), ("9321483", "MSC AURORA", 366,
                  14.5, "MSCU"), ("9454448", "EVER GIVEN", 399, 15.7, "EGLV"),
                 ("9631955", "CMA CGM LYRA", 294, 12.0, "CMDU")]
        vessels = [Vessel(imo=i, name=n, loa_m=loa, beam_m=48, max_draft_m=d) for i, n, loa, d, _
                   in ships]
        s.add_all(berths + vessels)
        s.flush()
        for n, (v, (_, _, _, _, line)) in enumerate(zip(vessels, ships, strict=True)):
            etb = now + timedelta(hours=8 * n - 6)
            s.add(VesselVisit(key=f"{line}-{101 + n}E", vessel_id=v.id, line_operator=line,
                              voyage_in=f"{101 + n}W", voyage_out=f"{101 + n}E",
                              eta=etb - timedelta(hours=3), etb=etb,
                              etd=etb + timedelta(hours=16), berth_id=berths[n % 3].id,
                              quay_from_m=berths[n % 3].quay_start_m + 10,
                              moves_discharge=400 + 50 * n, moves_load=350 + 40 * n))
