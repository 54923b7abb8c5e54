"""SVG snapshots of the screens the gate clerk lives in, at 80×24 (a gate booth's terminal), in
English and 中文 (issue 14): the look-up and decision after a truck is read, the trouble list,
the day's appointments, the booking form and the export check.

The site is the journeys' new site (``portops init``, the demo layout and schedule, one user
per role), its data made through the operations a site uses: the go-live inventory import,
parties registered, releases given, appointments booked, a truck stopped at the gate; the
clock is the journeys' fixed one.

Update after an intended change with ``pytest tests/ui/test_snapshots_gate.py
--snapshot-update`` and look at the SVGs before committing them.
"""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

import portops.refs
from portops.formats import registry
from portops.ops.appointments import book
from portops.ops.export_bookings import add_booking
from portops.ops.flags import grant_permission
from portops.ops.gate import trouble
from portops.ops.receiving import book_receival
from portops.ops.releases import line_release, pass_on, register_party
from tests.journeys.conftest import ADMIN, USERS, new_site, site  # noqa: F401 (fixtures)
from tests.journeys.driver import Desk
from tests.ui.test_export_forms import VISIT, _app, open_site  # noqa: F401 (a fixture)

pytestmark = pytest.mark.sqlite_only
LANGUAGES = ["en", "zh_CN"]
#: Import boxes standing in the yard at go-live (check digits right).
BOXES = ("CSQU3054383", "MSKU0000006")
EXPORT_BOX = "TGHU0000008"
INVENTORY = """\
kind: inventory
containers:
  - {number: CSQU3054383, size_type: 22G1, operator: COSU, category: import, gross_kg: 21000,
     pol: NLRTM, pod: CNSHA, bl: COSU6123456780, seals: SL0001, yard: A01.01.1.1}
  - {number: MSKU0000006, size_type: 22G1, operator: COSU, category: import, gross_kg: 18000,
     pol: NLRTM, pod: CNSHA, bl: COSU6123456781, seals: SL0002, yard: A01.03.1.1}
"""


@pytest.fixture
def gate_site(open_site, tmp_path, monkeypatch):  # noqa: F811 (the export forms' fixture)
    """Two import boxes released to HAUL1 and booked out, the second truck stopped with a
    wrong haulier; an export booking and a box booked in on it. The references are drawn
    from a seeded generator, so the pictures show the same ones every run."""
    monkeypatch.setattr(portops.refs, "secrets", random.Random(16))
    engine, clock, core = open_site
    path = tmp_path / "inventory.yaml"
    path.write_text(INVENTORY, encoding="utf-8")
    registry.apply(core, ADMIN[0], registry.prepare([path]))
    for code, kind, ident in [("COSU", "line", ""), ("FWD1", "forwarder", "EORI-CN-1"),
                              ("HAUL1", "haulier", "USCI-91310000X"),
                              ("HAUL2", "haulier", "USCI-91310000Y")]:
        core.run("dispatcher", register_party, code=code, name=f"{code} Ltd", kind=kind,
                 identity=ident)
    slot = clock.now().replace(minute=0) + timedelta(hours=1)
    refs = []
    for box, plate in zip(BOXES, ("SHA12345", "SHB67890"), strict=True):
        core.run("dispatcher", grant_permission, code="CUSTOMS_IMPORT", reference=f"C-{box}",
                 container=box)
        core.run("dispatcher", line_release, line="COSU", to_party="FWD1",
                 reference=f"DO-{box}", container=box)
        core.run("dispatcher", pass_on, container=box, by_party="FWD1", to_party="HAUL1")
        refs.append(core.run("gate-clerk", book, container=box, slot_start=slot,
                             haulier="HAUL1", plate=plate, driver_name="Wang Wei",
                             driver_id="D-310001")["ref"])
    clock.advance(minutes=25)
    core.run("gate-clerk", trouble, lookup=refs[1], plate="SHB67890", haulier="HAUL2",
             driver_id="D-310001", note="")
    core.run("dispatcher", add_booking, ref="MSC0001", visit_key=VISIT, line="MSCU",
             pod="NLRTM", size_type="45G1", quantity=2)
    export = core.run("gate-clerk", book_receival, booking_ref="MSC0001", container=EXPORT_BOX,
                      size_type="45G1", slot_start=slot, haulier="HAUL1", plate="ZJB52100",
                      driver_name="Li Lei", driver_id="D-320002", vgm_kg=22000, seal="SL9")
    return engine, clock, {"pickup": refs[0], "export": export["ref"]}


def _snap(snap_compare, gate_site, language, then) -> bool:
    engine, clock, _refs = gate_site

    async def run_before(pilot) -> None:
        desk = Desk(pilot, clock, USERS)
        await desk.sign_in("gate-clerk")
        await desk.wait(lambda: desk.app.screen.query("#lookup"), "the gate")
        await then(desk)
        await desk.settle()
        desk.app.clear_notifications()
        await pilot.pause()

    return snap_compare(_app(engine, clock, language), terminal_size=(80, 24),
                        run_before=run_before)


async def _rows(desk: Desk, n: int) -> None:
    """Until the list shows ``n`` rows, its header drawn at the columns' new widths (a
    header drawn before the rows came, at the titles' widths, was seen in one run of ten)."""
    await desk.wait(lambda: desk.app.screen.query("#rows")
                    and desk.app.screen.query_one("#rows").row_count == n, "the list")
    await desk.settle()
    desk.app.screen.query_one("#rows").refresh()
    await desk.pilot.pause()


def _outcome(desk: Desk) -> str:
    return desk.text("#gate-outcome")


@pytest.mark.parametrize("language", LANGUAGES)
def test_gate_decision(snap_compare, gate_site, language) -> None:
    async def read_truck(desk: Desk) -> None:
        await desk.press("type:SHA12345", "enter", "enter", "type:HAUL1", "enter",
                         "type:D-310001", "enter")
        await desk.wait(lambda: desk.app.screen.assessment is not None and _outcome(desk),
                        "the checks")

    assert _snap(snap_compare, gate_site, language, read_truck)


@pytest.mark.parametrize("language", LANGUAGES)
def test_trouble_list(snap_compare, gate_site, language) -> None:
    async def troubles(desk: Desk) -> None:
        await desk.press("ctrl+r")
        await _rows(desk, 1)

    assert _snap(snap_compare, gate_site, language, troubles)


@pytest.mark.parametrize("language", LANGUAGES)
def test_appointments(snap_compare, gate_site, language) -> None:
    async def appointments(desk: Desk) -> None:
        await desk.press("ctrl+b")
        await _rows(desk, 2)

    assert _snap(snap_compare, gate_site, language, appointments)


@pytest.mark.parametrize("language", LANGUAGES)
def test_booking_form(snap_compare, gate_site, language) -> None:
    async def form(desk: Desk) -> None:
        await desk.press("ctrl+b")
        await _rows(desk, 2)
        await desk.press("n")
        await desk.wait(lambda: desk.app.screen.query("#f-container"), "the form")
        await desk.press("type:CSQU3054383")

    assert _snap(snap_compare, gate_site, language, form)


@pytest.mark.parametrize("language", LANGUAGES)
def test_export_check(snap_compare, gate_site, language) -> None:
    ref = gate_site[2]["export"]

    async def check(desk: Desk) -> None:
        await desk.press(f"type:{ref}", "enter")
        await desk.wait(lambda: desk.app.screen.export.appt is not None, "the export check")
        await desk.press(f"type:{EXPORT_BOX}", "enter", "type:45G1", "enter", "type:SL8",
                         "enter", "enter", "enter")
        await desk.wait(lambda: desk.app.screen.export.ready, "the inspection")

    assert _snap(snap_compare, gate_site, language, check)
