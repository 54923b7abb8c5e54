"""The appointment platform's rules (issue 18): a haulier nominated on a shipper's export
booking books its deliveries; no-shows and late cancels are marked and cost a haulier over
the terminal's rate its peak-hour slots; a truck kept waiting is the terminal's delay; a box's
open appointments are a setting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from portops.model import Appointment, ApptState, Event
from portops.ops import Refused
from portops.ops import customer as ops
from portops.ops.appointments import book as clerk_book
from portops.ops.appointments import cancel as clerk_cancel
from portops.ops.export_haulier import (
    haulier_export_book,
    haulier_export_cancel,
    nominate,
    revoke_nomination,
)
from portops.ops.gate import admit
from portops.ops.gate_arrival import arrive
from portops.ops.no_show import sweep
from portops.queries import customer as q
from portops.queries.delays import terminal_delays
from tests import customer_world
from tests.gate_world import CLERK, DISPATCHER, SLOT, number, release
from tests.test_customer import _site_rules


@pytest.fixture
def world(core, engine, small_terminal):
    return customer_world.build_receiving(core, engine, small_terminal)


def _deliver(core, user="haul2", slot=SLOT + timedelta(hours=4), box=None):
    return core.run(user, haulier_export_book, booking_ref="BK-SHP1",
                    container=box or number("SHP", 7), size_type="22G1", slot_start=slot,
                    plate="沪B55555", driver_name="Zhang San", driver_id="D-55")


def _pickup(box, **kw):
    return {"container": box, "slot_start": SLOT, "plate": "沪B54321",
            "driver_name": "Zhang San", "driver_id": "D-42", **kw}


def test_a_nominated_haulier_books_deliveries_until_its_nomination_is_revoked(core, engine,
                                                                              world):
    with pytest.raises(Refused) as refused:  # not nominated: the booking does not exist for it
        _deliver(core)
    assert refused.value.rules == ["customer.booking.not_found"]
    core.run("shp1", nominate, booking_ref="bk-shp1", haulier="haul2", reference="PO-7")
    with pytest.raises(Refused) as refused:
        core.run("shp1", nominate, booking_ref="BK-SHP1", haulier="HAUL2")
    assert refused.value.rules == ["customer.nominate.exists"]
    got = _deliver(core)
    assert [r.ref for r in q.CUSTOMER_QUERIES["receivals"](engine, "haul2")] == [got["ref"]]
    assert {n.haulier for n in q.CUSTOMER_QUERIES["nominations"](engine, "shp1")} == {
        "HAUL1", "HAUL2"}
    # the clerk's window rule refuses the haulier as it refuses the clerk
    with pytest.raises(Refused) as refused:
        _deliver(core, slot=SLOT + timedelta(days=2, hours=1), box=number("SHP", 8))
    # the booking's two boxes are booked in, and the slot is after the cargo cut-off
    assert refused.value.rules == ["export.appointment.booking_full", "export.window.closed"]
    cancelled = core.run("shp1", revoke_nomination, booking_ref="BK-SHP1", haulier="HAUL2",
                         reason="another haulier")
    assert cancelled == [got["ref"]]
    assert not q.CUSTOMER_QUERIES["receivals"](engine, "haul2")
    assert not q.CUSTOMER_QUERIES["nominations"](engine, "haul2")
    with pytest.raises(Refused) as refused:
        _deliver(core, box=number("SHP", 8))
    assert refused.value.rules == ["customer.booking.not_found"]


def test_nominating_names_a_registered_haulier(core, world):
    with pytest.raises(Refused) as refused:
        core.run("shp1", nominate, booking_ref="BK-SHP1", haulier="FWD1")
    assert refused.value.rules == ["customer.nominate.haulier"]
    with pytest.raises(Refused) as refused:
        core.run("shp1", revoke_nomination, booking_ref="BK-SHP1", haulier="HAUL2", reason="")
    assert refused.value.rules == ["customer.nomination.not_found",
                                   "customer.nomination.reason"]


def test_a_haulier_cancels_its_delivery_up_to_the_cut_off(core, engine, world, clock):
    got = _deliver(core, user="haul1")
    clock.advance(hours=3)  # an hour before the slot: the 2-hour cut-off has passed
    with pytest.raises(Refused) as refused:
        core.run("haul1", haulier_export_cancel, ref=got["ref"], reason="late")
    assert refused.value.rules == ["customer.change.too_late"]
    clock.advance(hours=-3)
    core.run("haul1", haulier_export_cancel, ref=got["ref"], reason="truck broke down")
    assert got["ref"] not in {r.ref for r in q.CUSTOMER_QUERIES["receivals"](
        engine, "haul1", live_only=True)}


def _events(engine, operation):
    with Session(engine) as s:
        return list(s.exec(select(Event.subject_ref).where(Event.operation == operation)
                           .order_by(col(Event.id))))


def test_the_sweep_marks_no_shows_and_late_cancels_once_each(core, engine, world, clock):
    box1, box3 = world["boxes"][1], world["boxes"][3]
    release(core, box3, to="HAUL1")
    late = core.run("haul1", ops.book, **_pickup(box1))
    kept = core.run("haul1", ops.book, **_pickup(box3, slot_start=SLOT + timedelta(hours=5)))
    clock.advance(hours=4)  # past the cut-off of the 11:00 slot (UTC)
    core.run(DISPATCHER, clerk_cancel, ref=kept["ref"], reason="haulier phoned",
             by_party="HAUL1")
    done = sweep(core, CLERK)
    # HAUL1's delivery RA-SHP1 in the same 11:00 slot sent no truck either
    assert (done.no_shows, done.late_cancels, done.skipped) == (
        [late["ref"], world["receival"]], [kept["ref"]], [])
    assert _events(engine, "appointment.no_show") == [late["ref"]]
    assert _events(engine, "export.no_show") == [world["receival"]]
    assert _events(engine, "appointment.late_cancel") == [kept["ref"]]
    again = sweep(core, CLERK)
    assert not (again.no_shows or again.late_cancels or again.skipped)
    mine = q.CUSTOMER_QUERIES["standing"](engine, "haul1", now=clock.now())
    # box 0 went out, box 1 and the delivery were no-shows, box 3's slot is not due yet
    assert (mine.due, mine.no_shows, mine.late_cancels) == (3, 2, 0)


def test_a_cancel_in_time_or_by_the_terminal_is_no_late_cancel(core, engine, world, clock):
    box1 = world["boxes"][1]
    a = core.run("haul1", ops.book, **_pickup(box1, slot_start=SLOT + timedelta(hours=5)))
    core.run("haul1", ops.cancel, ref=a["ref"], reason="not needed")  # 5 h before
    b = core.run("haul1", ops.book, **_pickup(box1, slot_start=SLOT + timedelta(hours=1)))
    core.run(DISPATCHER, clerk_cancel, ref=b["ref"], reason="the gate closed it")  # no party
    assert not sweep(core, CLERK).late_cancels


def test_a_haulier_over_the_no_show_rate_gets_no_peak_slot(core, engine, world, clock,
                                                            tmp_path):
    _site_rules(core, tmp_path, no_show_rate_pct=20, no_show_min_appointments=2,
                peak_hours='["13:00-16:00"]', peak_cap_penalised=0)
    box1 = world["boxes"][1]
    core.run("haul1", ops.book, **_pickup(box1))
    clock.advance(hours=2)
    sweep(core, CLERK)
    mine = q.CUSTOMER_QUERIES["standing"](engine, "haul1", now=clock.now())
    # box 0 went out; box 1's pickup and the RA-SHP1 delivery at 11:00 were no-shows
    assert mine.penalised and (mine.due, mine.no_shows) == (3, 2)
    peak = SLOT + timedelta(days=1)  # 14:00 in Shanghai
    with pytest.raises(Refused) as refused:
        core.run("haul1", ops.book, **_pickup(box1, slot_start=peak))
    assert refused.value.rules == ["customer.book.peak_no_show"]
    assert "67% of its last 3 appointments" in refused.value.describe()
    core.run("haul1", ops.book, **_pickup(box1, slot_start=peak + timedelta(hours=3)))
    # HAUL2 has no record: the limit is not its
    assert not q.CUSTOMER_QUERIES["standing"](engine, "haul2", now=clock.now()).penalised


def test_a_truck_kept_waiting_after_arriving_in_time_is_the_terminals_delay(core, engine,
                                                                             world, clock):
    box1 = world["boxes"][1]
    a = core.run("haul1", ops.book, **_pickup(box1))
    clock.advance(minutes=5)
    core.run(CLERK, arrive, lookup="沪B54321")
    with pytest.raises(Refused) as refused:
        core.run(CLERK, arrive, lookup=a["ref"])
    assert refused.value.rules == ["gate.arrive.recorded"]
    clock.advance(minutes=40)
    core.run(CLERK, admit, lookup=a["ref"], plate="沪B54321", haulier="HAUL1",
             driver_id="D-42")
    rows = terminal_delays(engine, SLOT - timedelta(hours=1), SLOT + timedelta(hours=2))
    # the world's first truck waited 50 minutes for its gate-in too
    assert [(r.ref, r.minutes) for r in rows] == [(world["appt"], 50), (a["ref"], 40)]
    mine = q.CUSTOMER_QUERIES["delays"](engine, "haul1", now=clock.now())
    assert a["ref"] in {r.ref for r in mine}
    assert not q.CUSTOMER_QUERIES["delays"](engine, "haul2", now=clock.now())


def test_open_appointments_per_box_is_a_setting(core, engine, world, tmp_path):
    box1 = world["boxes"][1]
    core.run("haul1", ops.book, **_pickup(box1))
    with pytest.raises(Refused) as refused:
        core.run("haul1", ops.book, **_pickup(box1, slot_start=SLOT + timedelta(hours=2)))
    assert refused.value.rules == ["appointment.box_booked"]
    _site_rules(core, tmp_path, max_open_per_box=2)
    core.run("haul1", ops.book, **_pickup(box1, slot_start=SLOT + timedelta(hours=2)))
    with pytest.raises(Refused) as refused:
        core.run(DISPATCHER, clerk_book, haulier="HAUL1", by_party="HAUL1",
                 **_pickup(box1, slot_start=SLOT + timedelta(hours=3)))
    assert refused.value.rules == ["appointment.box_max_open"]
    with Session(engine) as s:
        places = sorted(s.exec(select(Appointment.live_seq).where(
            Appointment.state == ApptState.BOOKED)))
    assert places == [1, 2]


def test_the_sweep_closes_a_second_appointment_of_a_box_that_left_no_fault(core, engine,
                                                                             world, clock,
                                                                             tmp_path):
    from portops.model import Container, Where

    _site_rules(core, tmp_path, max_open_per_box=2)
    box1 = world["boxes"][1]
    used = core.run("haul1", ops.book, **_pickup(box1))
    spare = core.run("haul1", ops.book, **_pickup(box1, slot_start=SLOT + timedelta(hours=1)))
    with Session(engine) as s, s.begin():  # set-up: the box went out on the first (the gate's
        a = s.exec(select(Appointment).where(Appointment.ref == used["ref"])).one()
        a.state = ApptState.COMPLETED  # own tests walk that path)
        s.exec(select(Container).where(Container.number == box1)).one().location = Where.GONE
    clock.advance(hours=3)
    done = sweep(core, CLERK)
    # the spare pickup is closed, no fault; only HAUL1's delivery at 11:00 was a no-show
    assert (done.closed, done.no_shows) == ([spare["ref"]], [world["receival"]])
    mine = q.CUSTOMER_QUERIES["standing"](engine, "haul1", now=clock.now())
    assert mine.no_shows == 1 and mine.late_cancels == 0
