"""A late export box: past the receiving cut-off the dispatcher accepts it with a reason
(``export.accept_late_box``), whether or not it has an appointment, and the gate takes it in.

Before, a box with no appointment had no way in: the appointment was refused for the closed
window, and the late acceptance for want of an appointment (the QA walk's item 3)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from portops.model import ArrivalEntry, Event, Phase, Receival, VesselVisit
from portops.ops import Refused
from portops.ops.export_late import accept_late_box
from portops.ops.receiving import add_booking, book_receival, receive
from tests.test_export import BOX1, BOX2, D, G, _book, export_terminal

#: The export fixture of the core tests, used here by name.
FIXTURES = (export_terminal,)

TRUCK = dict(size_type="45G1", haulier="HAUL1", plate="沪A55555", driver_name="Li Lei",
             driver_id="D9", vgm_kg=21000, seal="SL9")


def _late(clock):
    clock.advance(days=2, minutes=10)  # past the visit's 24 h cargo cut-off


def test_late_box_without_appointment_is_accepted_and_gated_in(core, engine, export_terminal,
                                                                clock):
    _late(clock)
    with pytest.raises(Refused) as exc:
        _book(core, clock, BOX2)
    assert exc.value.rules == ["export.window.closed"]
    with pytest.raises(Refused) as exc:  # a gate clerk may not; no reason: refused too
        core.run(G, accept_late_box, booking_ref="BK1", container=BOX2, reason="", **TRUCK)
    assert exc.value.rules == ["role.not_permitted", "export.accept_late.reason"]
    with Session(engine) as s:
        assert s.exec(select(Receival)).all() == []
    out = core.run(D, accept_late_box, booking_ref="bk1", container=BOX2,
                   reason="vessel delayed, line agreed", **TRUCK)
    result = core.run(G, receive, lookup="沪A55555", container=BOX2, size_type="45G1",
                      seal="SL9")
    assert result["eir"]
    with Session(engine) as s:
        assert s.exec(select(ArrivalEntry)).one().container_number == BOX2
        r = s.exec(select(Receival).where(Receival.ref == out["ref"])).one()
        assert r.late_reason == "vessel delayed, line agreed"
        ev = s.exec(select(Event).where(Event.operation == "export.accept_late_box")).one()
        assert ev.user == "dispatcher"
        assert ev.data["reason"] == ev.data["late_reason"] == "vessel delayed, line agreed"
        assert ev.data["accepted_by"] == "dispatcher"
        received = s.exec(select(Event).where(Event.operation == "export.receive")).one()
        assert received.data["late"] == "vessel delayed, line agreed"
    # the box is in now: a second late acceptance of it is refused
    with pytest.raises(Refused) as exc:
        core.run(D, accept_late_box, booking_ref="BK1", container=BOX2, reason="again", **TRUCK)
    assert "export.appointment.box_here" in exc.value.rules


def test_late_box_keeps_the_bookings_rules(core, engine, export_terminal, clock):
    core.run(D, add_booking, ref="BK2", visit_key="TST-001", line="COSU", pod="NLRTM",
             size_type="45G1", quantity=1)
    _late(clock)
    core.run(D, accept_late_box, booking_ref="BK2", container=BOX1, reason="line agreed",
             **TRUCK)
    with pytest.raises(Refused) as exc:  # the booking is for one box
        core.run(D, accept_late_box, booking_ref="BK2", container=BOX2, reason="line agreed",
                 **dict(TRUCK, plate="沪A66666"))
    assert exc.value.rules == ["export.appointment.booking_full"]
    with Session(engine) as s, s.begin():
        s.exec(select(VesselVisit).where(VesselVisit.key == "TST-001")).one().phase = \
            Phase.DEPARTED
    with pytest.raises(Refused) as exc:
        core.run(D, accept_late_box, booking_ref="BK1", container=BOX2, reason="line agreed",
                 **dict(TRUCK, plate="沪A66666"))
    assert exc.value.rules == ["export.accept_late.visit"]


def test_late_box_with_an_appointment_gets_the_reason(core, engine, export_terminal, clock):
    appt = core.run(G, book_receival, booking_ref="BK1", container=BOX2,
                    slot_start=clock.now() + timedelta(minutes=30), **TRUCK)
    _late(clock)
    out = core.run(D, accept_late_box, booking_ref="BK1", container=BOX2, reason="queue")
    assert out["ref"] == appt["ref"]
    core.run(G, receive, lookup=appt["ref"], container=BOX2, size_type="45G1", seal="SL9")
    with Session(engine) as s:
        assert len(s.exec(select(Receival)).all()) == 1
