"""The platform's rules through the machine interface (issue 18): a shipper's software
nominates a haulier, the haulier's software books the delivery (refused by the clerk's window
rule as JSON first), sees its no-show standing and the terminal's delays, and a revocation
takes the booking away from it."""

from __future__ import annotations

import pytest

from portops.ops.tokens import issue_token
from portops.web.api import Limits, make_app
from tests import customer_world
from tests.api_server import Served
from tests.gate_world import number


@pytest.fixture
def world(core, engine, small_terminal):
    w = customer_world.build_receiving(core, engine, small_terminal)
    w["tokens"] = {name: core.run(name, issue_token, user=name, note="api test")
                   for name in ("haul1", "haul2", "shp1")}
    return w


@pytest.fixture
def api(engine, clock):
    served = Served(make_app(engine, clock, Limits(rate=1000, burst=1000), threads=2))
    yield served
    served.close()


def _rules(answer) -> list[str]:
    return [r["rule"] for r in answer["refused"]]


def test_a_nominated_hauliers_software_books_a_delivery(world, api):
    shp1, haul2 = world["tokens"]["shp1"], world["tokens"]["haul2"]
    delivery = {"booking_ref": "BK-SHP1", "container": number("SHP", 7), "size_type": "22G1",
                "slot_start": "2026-11-27 18:00", "plate": "沪B55555",
                "driver_name": "Zhang San", "driver_id": "D-55"}
    status, _h, answer = api.call("POST", "/api/haulier/deliveries", haul2, delivery)
    assert status == 404 and _rules(answer) == ["customer.booking.not_found"]
    status, _h, answer = api.call("POST", "/api/bookings/BK-SHP1/nominations", shp1,
                                  {"haulier": "HAUL2", "reference": "PO-7"})
    assert status == 201, answer
    status, _h, seen = api.call("GET", "/api/nominations", haul2)
    assert [(n["booking_ref"], n["by"]) for n in seen] == [("BK-SHP1", "SHP1")]
    late = dict(delivery, slot_start="2026-11-29 15:00")  # after the cargo cut-off
    status, _h, answer = api.call("POST", "/api/haulier/deliveries", haul2, late)
    assert status == 409 and "export.window.closed" in _rules(answer)
    status, _h, answer = api.call("POST", "/api/haulier/deliveries", haul2, delivery)
    assert status == 201, answer
    ref = answer["result"]["ref"]
    status, _h, answer = api.call("POST", "/api/bookings/BK-SHP1/nominations/HAUL2/revoke",
                                  shp1, {"reason": "another haulier"})
    assert (status, answer["result"]) == (200, [ref])
    status, _h, answer = api.call("POST", f"/api/haulier/deliveries/{ref}/cancel", haul2,
                                  {"reason": "gone"})
    assert status == 404 and _rules(answer) == ["customer.receival.not_found"]


def test_a_haulier_sees_its_standing_and_its_delays(world, api, clock):
    haul1 = world["tokens"]["haul1"]
    clock.advance(hours=2)  # the world's first truck came, waited 50 minutes, went out
    status, _h, mine = api.call("GET", "/api/standing", haul1)
    assert status == 200 and (mine["party"], mine["due"], mine["no_shows"]) == ("HAUL1", 1, 0)
    status, _h, rows = api.call("GET", "/api/delays", haul1)
    assert status == 200 and [r["minutes"] for r in rows] == [50]
    status, _h, answer = api.call("GET", "/api/delays?days=9999", haul1)
    assert status == 422
    status, _h, mine = api.call("GET", "/api/standing", world["tokens"]["shp1"])
    assert (status, mine) == (200, None)
