"""``portops`` with no command: opens the console (until it exists, prints the state)."""

from __future__ import annotations

import argparse

from portops.cli.common import engine_for


def open_console(args: argparse.Namespace) -> int:
    from sqlmodel import func, select

    from portops.db import read_session
    from portops.model import Container, Event, VesselVisit

    engine = engine_for(args)
    with read_session(engine) as s:
        visits = s.exec(select(func.count()).select_from(VesselVisit)).one()
        boxes = s.exec(select(func.count()).select_from(Container)).one()
        events = s.exec(select(func.count()).select_from(Event)).one()
    print(f"{engine.url.database}: {visits} visits, {boxes} containers, {events} events")
    return 0
