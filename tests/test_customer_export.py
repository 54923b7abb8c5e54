"""A shipper books its export deliveries within the published receiving window (issue 18)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from portops.model import VesselVisit
from portops.ops import Refused
from portops.ops.customer_export import export_book, export_cancel
from portops.queries.customer_export import receivals, receiving
from tests import customer_world
from tests.gate_world import SLOT, number


@pytest.fixture
def world(core, engine, small_terminal):
    return customer_world.build_receiving(core, engine, small_terminal)


def _book(core, slot, box=None, ref="BK-SHP1", user="shp1"):
    return core.run(user, export_book, booking_ref=ref, container=box or number("SHP", 7),
                    size_type="22G1", slot_start=slot, haulier="HAUL1", plate="沪B55555",
                    driver_name="Zhang San", driver_id="D-55")


def test_the_receiving_plan_names_the_window_and_the_bookings(engine, world):
    (plan,) = receiving(engine, "shp1")
    etb = SLOT + timedelta(days=3)
    assert (plan.opens, plan.cargo_cutoff, plan.dg_cutoff) == (
        etb - timedelta(days=7), etb - timedelta(hours=24), etb - timedelta(hours=36))
    (b,) = plan.bookings
    assert (b.ref, b.quantity, b.booked, b.received) == ("BK-SHP1", 2, 1, 0)


def test_a_shipper_books_a_delivery_inside_the_window(core, engine, world):
    got = _book(core, SLOT + timedelta(hours=2))
    assert got["ref"] in {r.ref for r in receivals(engine, "shp1", live_only=True)}
    # the booking's two boxes are now both booked in: a third is the clerk's refusal
    with pytest.raises(Refused) as refused:
        _book(core, SLOT + timedelta(hours=3), box=number("SHP", 8))
    assert "export.appointment.booking_full" in refused.value.rules


def test_after_the_cut_off_the_clerks_window_rule_refuses(core, world):
    with pytest.raises(Refused) as refused:
        _book(core, SLOT + timedelta(days=2, hours=1))  # the cargo cut-off is ETB - 24 h
    assert refused.value.rules == ["export.window.closed"]


def test_too_far_ahead_and_bad_input_name_every_rule(core, world):
    with pytest.raises(Refused) as refused:
        core.run("shp1", export_book, booking_ref="BK-SHP1", container="NOTABOX",
                 size_type="22G1", slot_start=SLOT + timedelta(days=9), haulier="",
                 plate="", driver_name="", driver_id="")
    rules = refused.value.rules
    for rule in ("customer.book.too_far", "export.appointment.container",
                 "export.appointment.truck", "export.appointment.driver"):
        assert rule in rules


def test_another_shippers_booking_does_not_exist_for_it(core, world):
    with pytest.raises(Refused) as refused:
        _book(core, SLOT + timedelta(hours=2), user="shp2")
    assert refused.value.rules == ["customer.booking.not_found"]
    assert "SHP1 Ltd" not in refused.value.describe()  # the booking's owner is not named


def test_a_shipper_cancels_its_delivery(core, engine, world):
    core.run("shp1", export_cancel, ref=world["receival"], reason="truck broke down")
    assert not receivals(engine, "shp1", live_only=True)
    with pytest.raises(Refused) as refused:
        core.run("shp1", export_cancel, ref=world["receival"], reason="again")
    assert refused.value.rules == ["customer.receival.not_found"]


def test_a_line_sees_its_own_calls_before_any_box(engine, world, small_terminal):
    from portops.queries.customer import calls

    assert calls(engine, "mscu") == []
    with Session(engine) as s, s.begin():  # set-up: a call of MSCU's, no box advised yet
        s.add(VesselVisit(key="MSC-001", vessel_id=small_terminal["vessel"],
                          line_operator="MSCU", voyage_in="1W", voyage_out="1E",
                          etb=SLOT + timedelta(days=2)))
    assert [(c.key, c.boxes) for c in calls(engine, "mscu")] == [("MSC-001", 0)]
    assert "MSC-001" not in {c.key for c in calls(engine, "cosu")}
