"""The import journey in the browser (issue 18): a consignee and a haulier, each in their own
tab of ``portops serve``, do their part by keys while the gate clerk's console is open in a
third; the clerk's and customs' steps are operations here, to keep it short.

The consignee hands the right to collect to the haulier; the haulier's booking is refused
before customs releases the box (the clerk's rule, in the form), then accepted with its plate
named; after the gate the haulier's My boxes shows the EIR.

Needs Debian's ``chromium`` (``.ci/run`` installs it); skipped, saying so, where it is missing.
"""

from __future__ import annotations

import asyncio
import os
import re
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from portops.clock import FixedClock
from portops.model import Container
from portops.ops import Core
from portops.ops.flags import grant_permission
from portops.ops.gate import admit, gate_out, hand_over
from portops.ops.releases import line_release
from portops.queries import customer as q
from tests import customer_world
from tests.browser import chromium
from tests.browser_tabs import Tab, browser
from tests.conftest import TEST_PASSWORD
from tests.customer_world import PASSWORD
from tests.gate_world import CLERK, DISPATCHER
from tests.server_process import free_port as _free_port
from tests.test_serve import _serving

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only,
              pytest.mark.skipif(chromium() is None, reason="no chromium: apt-get install "
                                 "chromium (.ci/run does)")]


async def _sign_in(tab: Tab, name: str, password: str) -> None:
    await tab.wait(r"(?i)password", timeout=60)
    await tab.focus()
    mark = tab.mark()
    await tab.type(name)
    await tab.press("enter")
    await tab.type(password)
    await tab.press("enter")
    await tab.wait(re.escape(name) + r" \(", since=mark)  # the status line: name (role)


async def _poll(condition, what: str, timeout: float = 30) -> None:
    for _ in range(int(timeout * 10)):
        if condition():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"never: {what}")


def test_a_haulier_and_a_consignee_do_their_part_in_the_browser(core, engine, small_terminal,
                                                                   db_url):
    world = customer_world.build(core, engine, small_terminal)
    box = world["boxes"][3]  # the line releases it to FWD1; customs not yet
    core.run(DISPATCHER, line_release, line="COSU", to_party="FWD1", reference="DO-3",
             container=box)
    port = _free_port()
    env = dict(os.environ)
    env.pop("PORTOPS_USER", None)
    with _serving(["-m", "portops", "--db", db_url, "serve", "--port", str(port)], port,
                  env) as url:
        asyncio.run(_journey(url, engine, box))


async def _journey(url: str, engine, box: str) -> None:
    async with browser() as open_tab:
        clerk = await open_tab(url)
        fwd = await open_tab(url)
        haul = await open_tab(url)
        await _sign_in(clerk, "gate-clerk", TEST_PASSWORD)
        await clerk.press("f9")
        # the consignee hands the right to collect on to the haulier (F4, the second box)
        await _sign_in(fwd, "fwd1", PASSWORD)
        mark = fwd.mark()
        await fwd.press("f4")
        await fwd.wait(box, since=mark)
        await fwd.press("down")
        await fwd.type("h")
        await fwd.wait("HAUL", since=mark)
        await fwd.type("HAUL1")
        await fwd.press("enter")
        await fwd.type("ORDER-3")
        await fwd.press("enter")
        try:
            await _poll(lambda: q.box(engine, "haul1", box) is not None, "handed to HAUL1")
        except AssertionError:
            print(fwd.screen(mark)[-4000:])
            raise
        # the haulier books before customs released the box: refused, the clerk's rule
        await _sign_in(haul, "haul1", PASSWORD)
        mark = haul.mark()
        await haul.press("f3")
        await haul.wait(r"(?i)slot|ref", since=mark)
        mark = haul.mark()
        await haul.type("n")
        await haul.wait(r"Plate", since=mark)
        await haul.type(box)
        await haul.press("enter", "enter")  # the next hour's slot is filled in
        await haul.type("沪A12345")
        await haul.press("enter")
        await haul.type("Li Lei")
        await haul.press("enter")
        await haul.type("D-77")
        mark = haul.mark()
        await haul.press("enter")
        await haul.wait(r"customs_import", since=mark)
        assert not q.appointments(engine, "haul1", live_only=True)
        # customs releases it (the clerk's side); the same form sent again is accepted
        Core(engine, FixedClock(_now())).run(DISPATCHER, grant_permission,
                                             code="CUSTOMS_IMPORT", reference="C-3",
                                             container=box)
        await haul.press("enter")
        await _poll(lambda: q.appointments(engine, "haul1", live_only=True), "booked")
        (appt,) = q.appointments(engine, "haul1", live_only=True)
        assert appt.plate == "沪A12345" and appt.number == box
        # the gate: in, the box on the truck, out with its EIR (five minutes into the slot)
        seen_by_clerk = clerk.mark()
        gate = Core(engine, FixedClock(appt.slot_start + timedelta(minutes=5)))
        tv = gate.run(CLERK, admit, lookup=appt.ref, plate="沪A12345", haulier="HAUL1",
                      driver_id="D-77")["truck_visit_id"]
        gate.run(DISPATCHER, hand_over, truck_visit_id=tv)
        with Session(engine) as s:
            seals = s.exec(select(Container.seals).where(Container.number == box)).first()
        out = gate.run(CLERK, gate_out, truck_visit_id=tv, container=box, seal=seals or "")
        mark = haul.mark()
        await haul.press("f2")
        await haul.wait(out["eir"], since=mark)  # My boxes names the EIR of its gate-out
        assert q.box(engine, "haul1", box).status == "out"
        # the clerk's console, open on the gate all along, still draws (its status line ticks)
        await clerk.wait(r"gate-clerk \(gate clerk\)", since=seen_by_clerk)


def _now():
    from datetime import UTC, datetime

    return datetime.now(UTC)

