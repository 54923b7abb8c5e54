"""Every customer-facing query and operation sees only its party's data.

The registries are walked, not a list written here: a new customer query or ``customer.*``
operation without a probe below fails ``test_every_customer_query_and_operation_is_probed``.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from portops.ops import Refused
from portops.ops.core import OPERATIONS
from portops.queries import customer as q
from tests import customer_world
from tests.customer_world import OUTSIDERS
from tests.gate_world import SLOT

#: The first party of each kind: it owns the data the others are probed against.
FIRST = {"HAUL1", "FWD1", "SHP1", "COSU"}


@pytest.fixture
def world(core, engine, small_terminal):
    return customer_world.build(core, engine, small_terminal)


def _customer_ops() -> set[str]:
    import portops.ops

    portops.ops.load_all()
    return {name for name in OPERATIONS if name.startswith("customer.")}


#: The first party's things each query and operation is asked about.
def _query_probes(world) -> dict:
    return {"boxes": {}, "box": {"number": world["boxes"][1]}, "appointments": {},
            "eirs": {}, "bookings": {}, "calls": {}, "receiving": {}, "receivals": {},
            "arrivals": {},
            # the caller's own party's accounts: probed below for another party's names
            "accounts": {},
            # not any party's data: the room left in each slot, the hauliers' directory
            "availability": {"now": SLOT}, "hauliers": {},
            "nominations": {}, "delays": {"now": SLOT + timedelta(hours=2)},
            # the caller's own standing: probed below for another party's record
            "standing": {"now": SLOT + timedelta(hours=2)}}


#: Queries whose answer is not a party's data (every account gets the same).
PUBLIC = {"availability", "hauliers"}
#: Queries whose answer is the caller's own party's (never empty for its admin): no first
#: party's name may be in it.
OWN = {"accounts"}
#: Queries about the caller's own party's record (a haulier's no-show standing): another
#: party's appointments are not counted in it.
SELF = {"standing"}


def _op_probes(world) -> dict:
    b = world["boxes"]
    return {
        "customer.book": dict(container=b[1], slot_start=SLOT, plate="沪A99999",
                              driver_name="Li Lei", driver_id="D-9"),
        "customer.change": dict(ref=world["appt"], plate="沪A99999"),
        "customer.cancel": dict(ref=world["appt"], reason="not ours"),
        "customer.pass_on": dict(container=b[2], to_party="HAUL2"),
        "customer.release": dict(container=b[3], to_party="FWD2", reference="DO-X"),
        "customer.export_book": dict(booking_ref="BK-SHP1", container=world["export"],
                                     size_type="22G1", slot_start=SLOT, haulier="HAUL1",
                                     plate="沪A99999", driver_name="Li Lei", driver_id="D-9"),
        "customer.export_cancel": dict(ref=world["receival"], reason="not ours"),
        "customer.nominate": dict(booking_ref="BK-SHP1", haulier="HAUL2"),
        "customer.revoke_nomination": dict(booking_ref="BK-SHP1", haulier="HAUL1",
                                           reason="not ours"),
        "customer.haulier_export_book": dict(booking_ref="BK-SHP1", container=world["export"],
                                             size_type="22G1", slot_start=SLOT,
                                             plate="沪A99999", driver_name="Li Lei",
                                             driver_id="D-9"),
        "customer.haulier_export_cancel": dict(ref=world["receival"], reason="not ours"),
        "customer.user_add": dict(name="haul1", password="intruder-pw-1"),  # its name taken
        "customer.user_disable": dict(name="haul1"),
        "customer.user_password": dict(name="haul1", password="stolen-pw-12"),
    }


def test_every_customer_query_and_operation_is_probed(world):
    assert set(_query_probes(world)) == set(q.CUSTOMER_QUERIES)
    assert set(_op_probes(world)) == _customer_ops()


def test_the_owners_see_their_data(engine, world):
    """The probes are not empty by accident: the first party of each kind sees its things."""
    b = world["boxes"]
    assert {x.number for x in q.boxes(engine, "haul1")} == {b[0], b[1]}
    assert {x.number for x in q.boxes(engine, "fwd1")} == {b[0], b[1], b[2]}
    assert {x.number for x in q.boxes(engine, "shp1")} == {world["export"]}
    assert world["export"] in {x.number for x in q.boxes(engine, "cosu")}
    assert [a.ref for a in q.appointments(engine, "haul1")] == [world["appt"]]
    assert [e.number for e in q.eirs(engine, "haul1")] == ["EIR-0001"]
    assert [e.number for e in q.eirs(engine, "fwd1")] == ["EIR-0001"]
    assert [x.ref for x in q.bookings(engine, "shp1")] == ["BK-SHP1"]
    assert q.calls(engine, "cosu") and q.box(engine, "haul1", b[1]) is not None
    assert [c.visit for c in q.CUSTOMER_QUERIES["receiving"](engine, "shp1")] == ["TST-001"]
    assert [r.ref for r in q.CUSTOMER_QUERIES["receivals"](engine, "shp1")] == ["RA-SHP1"]
    assert [a.container for a in q.CUSTOMER_QUERIES["arrivals"](engine, "shp1")] == [
        world["export"]]
    assert [a.name for a in q.CUSTOMER_QUERIES["accounts"](engine, "shp1")] == ["shp1"]
    nominated = q.CUSTOMER_QUERIES["nominations"]
    assert [(n.booking_ref, n.haulier) for n in nominated(engine, "shp1")] == [
        ("BK-SHP1", "HAUL1")]
    assert [(n.booking_ref, n.by) for n in nominated(engine, "haul1")] == [("BK-SHP1", "SHP1")]
    # the nominated haulier sees the booking and its own trucks on it
    assert [r.ref for r in q.CUSTOMER_QUERIES["receivals"](engine, "haul1")] == ["RA-SHP1"]
    assert [c.visit for c in q.CUSTOMER_QUERIES["receiving"](engine, "haul1")] == ["TST-001"]
    later = SLOT + timedelta(hours=2)
    assert [(d.ref, d.minutes) for d in q.CUSTOMER_QUERIES["delays"](engine, "haul1",
                                                                     now=later)] == [
        (world["appt"], 50)]
    assert q.CUSTOMER_QUERIES["standing"](engine, "haul1", now=later).due == 1


@pytest.mark.parametrize("user", OUTSIDERS)
def test_another_partys_data_is_not_seen(engine, world, user):
    for name, args in _query_probes(world).items():
        got = q.CUSTOMER_QUERIES[name](engine, user, **args)
        if name in PUBLIC:
            continue
        if name in SELF:
            assert got is None or (got.party not in FIRST and not got.due), (user, got)
            continue
        if name in OWN:
            names = {a.name for a in got}
            assert names and not names & {"haul1", "fwd1", "shp1", "cosu"}, (user, names)
            continue
        assert not got, f"{user} saw {name}: {got!r}"


@pytest.mark.parametrize("user", OUTSIDERS)
def test_another_partys_data_is_refused(core, world, user):
    for name, args in _op_probes(world).items():
        with pytest.raises(Refused) as refused:
            core.run(user, OPERATIONS[name], **args)
        rules = refused.value.rules
        assert rules, name
        # the refusal tells nothing of the other party: no holder, no appointment's details
        text = refused.value.describe()
        for secret in ("HAUL1", "FWD1", "Wang Wei"):
            assert secret not in text, (user, name, text)


@pytest.mark.parametrize("user", ["gate-clerk", "dispatcher", "admin"])
def test_the_terminals_staff_get_nothing_from_the_customers_faces(core, engine, world, user):
    """Staff work through their own areas; the customer's face acts for a party, and they
    belong to none (the admin, who may call every operation, included)."""
    for name, args in _query_probes(world).items():
        assert not q.CUSTOMER_QUERIES[name](engine, user, **args), name
    for name, args in _op_probes(world).items():
        with pytest.raises(Refused) as refused:
            core.run(user, OPERATIONS[name], **args)
        assert refused.value.rules[0] in ("customer.no_party", "role.not_permitted"), name
