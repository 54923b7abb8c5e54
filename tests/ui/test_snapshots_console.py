"""SVG snapshots of the console at 80×24 and 160×50, from fixed data and a fixed clock.

Update after an intended change with ``pytest tests/ui/test_snapshots_console.py
--snapshot-update`` and look at the SVGs before committing them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from portops.model import Phase, Role, Vessel, VesselVisit
from tests.ui.conftest import sign_in, wait_for

pytestmark = pytest.mark.sqlite_only
SIZES = [(80, 24), (160, 50)]


@pytest.fixture
def schedule(small_terminal, engine) -> None:
    """Five more visits in several phases (set-up only)."""
    t0 = datetime(2026, 11, 27, 0, 0, tzinfo=UTC)
    ships = [("9321483", "MSC AURORA", "MSCU", Phase.WORKING, 366),
             ("9454448", "EVER GIVEN", "EGLV", Phase.ARRIVED, 399),
             ("9631955", "CMA CGM LYRA", "CMDU", Phase.PLANNED, 294),
             ("9703291", "ONE HARMONY", "ONEY", Phase.PLANNED, 364),
             ("9839131", "中远海运天秤座", "COSU", Phase.PLANNED, 400)]
    with Session(engine) as s, s.begin():
        for n, (imo, name, line, phase, loa) in enumerate(ships):
            v = Vessel(imo=imo, name=name, loa_m=loa, beam_m=51, max_draft_m=14.5)
            s.add(v)
            s.flush()
            etb = t0 + timedelta(hours=10 * n - 8)
            s.add(VesselVisit(
                key=f"{line}-{201 + n}", vessel_id=v.id, line_operator=line,
                voyage_in=f"{201 + n}W", voyage_out=f"{201 + n}E", eta=etb - timedelta(hours=4),
                etb=etb, etd=etb + timedelta(hours=22), phase=phase,
                ata=etb - timedelta(hours=3) if phase != Phase.PLANNED else None,
                atb=etb if phase == Phase.WORKING else None,
                berth_id=small_terminal["berth2"] if n % 2 else small_terminal["berth1"],
                moves_discharge=500 + 25 * n, moves_load=420 + 10 * n))


async def _open_schedule(pilot) -> None:
    app = pilot.app
    await sign_in(pilot, Role.DISPATCHER)
    await wait_for(pilot, lambda: getattr(app.screen, "loaded", False))
    await wait_for(pilot, lambda: not app.screen.workers, what="checks finished")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_schedule(snap_compare, console, schedule, size) -> None:
    assert snap_compare(console(), terminal_size=size, run_before=_open_schedule)


def test_schedule_in_chinese(snap_compare, console, schedule) -> None:
    assert snap_compare(console(language="zh_CN"), terminal_size=(80, 24),
                        run_before=_open_schedule)


@pytest.mark.parametrize("size", SIZES)
def test_sign_in(snap_compare, console, size) -> None:
    assert snap_compare(console(), terminal_size=size)
