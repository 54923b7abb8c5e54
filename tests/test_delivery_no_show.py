"""Export delivery appointments under the platform's no-show rules (issue 18): a delivery no
truck came for is a no-show, a customer's cancellation after the cut-off a late cancel, both
count in the haulier's standing beside its pickups, and a delivery truck kept waiting is the
terminal's delay."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from portops.model import Container, Receival, ReceivalState, YardBlock
from portops.ops import Refused
from portops.ops import customer as ops
from portops.ops.customer_export import export_cancel
from portops.ops.export_haulier import haulier_export_book, haulier_export_cancel
from portops.ops.export_no_show import no_show
from portops.ops.gate_arrival import arrive
from portops.ops.no_show import sweep
from portops.ops.receiving import cancel_receival, receive
from portops.queries import customer as q
from portops.queries.delays import terminal_delays
from tests import customer_world
from tests.gate_world import CLERK, DISPATCHER, SLOT, number
from tests.test_platform_rules import _events, _pickup


@pytest.fixture
def world(core, engine, small_terminal):
    return customer_world.build_receiving(core, engine, small_terminal)


def _deliver(core, slot, box=None):
    return core.run("haul1", haulier_export_book, booking_ref="BK-SHP1",
                    container=box or number("SHP", 7), size_type="22G1", slot_start=slot,
                    plate="沪B55555", driver_name="Zhang San", driver_id="D-55")


def _state(engine, ref):
    with Session(engine) as s:
        r = s.exec(select(Receival).where(Receival.ref == ref)).one()
        return r.state, r.late_cancel, r.end_reason


def test_a_delivery_no_truck_came_for_is_a_no_show_once(core, engine, world, clock):
    ra = world["receival"]  # HAUL1's delivery in the 11:00 slot (UTC)
    clock.advance(minutes=80)  # the slot has ended, the 30 minutes' tolerance not yet
    with pytest.raises(Refused) as refused:
        core.run(CLERK, no_show, ref=ra)
    assert refused.value.rules == ["export.no_show.window_open"]
    assert not sweep(core, CLERK).no_shows
    clock.advance(minutes=11)
    assert sweep(core, CLERK).no_shows == [ra]
    assert _state(engine, ra)[0] == ReceivalState.NO_SHOW
    assert _events(engine, "export.no_show") == [ra]
    again = sweep(core, CLERK)
    assert not (again.no_shows or again.late_cancels or again.skipped)
    with pytest.raises(Refused) as refused:
        core.run(CLERK, no_show, ref=ra)
    assert refused.value.rules == ["export.no_show.state"]
    # the no-show is HAUL1's, found by its party code on the receival
    mine = q.CUSTOMER_QUERIES["standing"](engine, "haul1", now=clock.now())
    assert (mine.due, mine.no_shows) == (2, 1)  # box 0 went out; the delivery
    assert q.CUSTOMER_QUERIES["standing"](engine, "haul2", now=clock.now()).due == 0


def test_a_customers_cancel_after_the_cut_off_is_a_late_cancel(core, engine, world, clock):
    ra = world["receival"]  # HAUL1's delivery at 11:00 (UTC): its cut-off was at 9:00
    with pytest.raises(Refused) as refused:  # the gate cancels for the customer it names
        core.run(DISPATCHER, cancel_receival, ref=ra, reason="phoned", by_party="HAUL2")
    assert refused.value.rules == ["export.cancel.not_customer"]
    core.run("shp1", export_cancel, ref=ra, reason="cargo not ready")
    assert _state(engine, ra) == (ReceivalState.CANCELLED, False, "customer: cargo not ready")
    by_gate = _deliver(core, SLOT + timedelta(hours=5))
    clock.advance(hours=4)  # an hour before the slot: the 2-hour cut-off has passed
    with pytest.raises(Refused) as refused:  # the haulier itself may no longer
        core.run("haul1", haulier_export_cancel, ref=by_gate["ref"], reason="no truck")
    assert refused.value.rules == ["customer.change.too_late"]
    core.run(DISPATCHER, cancel_receival, ref=by_gate["ref"], reason="haulier phoned",
             by_party="HAUL1")
    done = sweep(core, CLERK)
    assert done.late_cancels == sorted([by_gate["ref"], ra])
    assert _events(engine, "export.late_cancel") == done.late_cancels
    assert _state(engine, ra)[1] is True
    assert not sweep(core, CLERK).late_cancels
    clock.advance(hours=2)  # both slots are due now: two late cancels of HAUL1's
    mine = q.CUSTOMER_QUERIES["standing"](engine, "haul1", now=clock.now())
    assert (mine.due, mine.no_shows, mine.late_cancels) == (3, 0, 2)


def test_a_cancel_in_time_or_the_terminals_own_is_no_late_cancel(core, engine, world, clock):
    own = world["receival"]
    core.run(DISPATCHER, cancel_receival, ref=own, reason="the gate closed it")
    assert _state(engine, own)[2] == "terminal: the gate closed it"
    early = _deliver(core, SLOT + timedelta(hours=5))
    core.run("haul1", haulier_export_cancel, ref=early["ref"], reason="not needed")
    clock.advance(hours=6)
    assert not sweep(core, CLERK).late_cancels
    assert q.CUSTOMER_QUERIES["standing"](engine, "haul1", now=clock.now()).late_cancels == 0


def test_the_standing_counts_a_haulers_pickups_and_deliveries(core, engine, world, clock):
    core.run("haul1", ops.book, **_pickup(world["boxes"][1]))  # a pickup at 11:00, not kept
    clock.advance(hours=2)
    done = sweep(core, CLERK)
    assert len(done.no_shows) == 2 and world["receival"] in done.no_shows
    mine = q.CUSTOMER_QUERIES["standing"](engine, "haul1", now=clock.now())
    assert (mine.due, mine.no_shows, mine.late_cancels) == (3, 2, 0)


def test_a_delivery_truck_kept_waiting_is_the_terminals_delay(core, engine, world, clock):
    ra = world["receival"]
    with Session(engine) as s, s.begin():
        box = s.exec(select(Receival.container_number).where(Receival.ref == ra)).one()
        # set-up: the world's export box that came in stands in a yard slot
        here = s.exec(select(Container).where(Container.number == world["export"])).one()
        here.yard_block_id = s.exec(select(YardBlock.id).order_by(col(YardBlock.id))).first()
        here.yard_bay, here.yard_row, here.yard_tier = 1, 1, 1
    clock.advance(minutes=5)
    core.run(CLERK, arrive, lookup=ra.lower())  # its RA reference, typed loosely
    with pytest.raises(Refused) as refused:
        core.run(CLERK, arrive, lookup=ra)
    assert refused.value.rules == ["gate.arrive.recorded"]
    clock.advance(minutes=45)
    core.run(CLERK, receive, lookup=ra, container=box, size_type="22G1", seal="SL1",
             vgm_kg=20000)
    rows = terminal_delays(engine, SLOT - timedelta(hours=1), SLOT + timedelta(hours=2))
    assert (ra, "HAUL1", 45) in {(r.ref, r.haulier, r.minutes) for r in rows}
    mine = q.CUSTOMER_QUERIES["delays"](engine, "haul1", now=clock.now())
    assert ra in {r.ref for r in mine}
    assert ra not in {r.ref for r in q.CUSTOMER_QUERIES["delays"](engine, "haul2",
                                                                  now=clock.now())}
    with Session(engine) as s:  # taken in: not a no-show
        assert s.exec(select(col(Receival.state)).where(Receival.ref == ra)).one() == (
            ReceivalState.RECEIVED)
