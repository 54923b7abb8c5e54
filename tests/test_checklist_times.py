"""Mooring steps belong to a vessel that is there, and their times read in the order they happened.

Seen walking an empty terminal: floats set, position confirmed and "all lines fast" were
accepted for a visit still planned, ten hours before its berthing time, and a time typed as
``2026-12-07 11:34`` (terminal local) was stored as 11:34 UTC, eight hours off.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from portops.model import ChecklistStep, Phase, Role, VesselVisit
from portops.ops import Refused
from portops.ops.checklists import tick
from portops.ops.visits import arrive
from tests.conftest import as_role

D = as_role(Role.DISPATCHER)
L = as_role(Role.LINE_HANDLER)
POSITION = {"pilot": "Wang Lei", "bollard_fore": "B14", "bollard_aft": "B22"}
#: 11:00 in Shanghai; the visit arrives at this time in most tests.
ARRIVAL = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)


def _tick(core, user, vid, step, values=None, checklist="berthing"):
    return core.run(user, tick, visit_id=vid, checklist=checklist, step=step, values=values)


def _up_to_all_fast(core, clock, vid) -> None:
    clock.set(ARRIVAL)
    core.run(D, arrive, visit_id=vid)
    _tick(core, D, vid, "PARTICULARS_CONFIRMED")
    _tick(core, D, vid, "BERTH_CLEARED")
    clock.advance(minutes=10)  # 11:10 local
    _tick(core, L, vid, "FLOATS_AND_MARKS_SET")
    _tick(core, D, vid, "POSITION_CONFIRMED", POSITION)
    clock.advance(minutes=50)  # 12:00 local


def test_mooring_steps_refused_while_the_visit_is_planned(core, engine, small_terminal, clock):
    vid = small_terminal["visit"]  # planned, ETB 16:00 local; it is 14:00 local
    _tick(core, D, vid, "PARTICULARS_CONFIRMED")  # preparation may start before arrival
    _tick(core, D, vid, "BERTH_CLEARED")
    with pytest.raises(Refused) as exc:
        _tick(core, L, vid, "FLOATS_AND_MARKS_SET")
    assert exc.value.rules == ["checklist.step.phase"]
    (unmet,) = exc.value.unmet
    assert "TST-001 is planned" in unmet.message
    assert "record the vessel's arrival first" in unmet.remedy
    core.run(D, arrive, visit_id=vid)
    _tick(core, L, vid, "FLOATS_AND_MARKS_SET")


def test_a_typed_local_time_is_stored_in_utc(core, engine, small_terminal, clock):
    vid = small_terminal["visit"]
    _up_to_all_fast(core, clock, vid)
    _tick(core, L, vid, "ALL_FAST", {"first_line_secured": "11:20",
                                     "all_fast": "2026-12-07 11:34", "lines": "8"})
    with Session(engine) as s:
        row = s.exec(select(ChecklistStep).where(ChecklistStep.step_id == "ALL_FAST")).one()
    assert row.values["all_fast"] == "2026-12-07T03:34:00+00:00"
    assert row.values["first_line_secured"] == "2026-12-07T03:20:00+00:00"
    _tick(core, D, vid, "BERTHED_CONFIRMED", {"berthed_at": "07 11:40"})
    with Session(engine) as s:
        v = s.get(VesselVisit, vid)
        assert (v.phase, v.atb) == (Phase.BERTHED, datetime(2026, 12, 7, 3, 40, tzinfo=UTC))


def test_a_time_in_the_future_is_refused_in_local_time(core, small_terminal, clock):
    vid = small_terminal["visit"]
    _up_to_all_fast(core, clock, vid)
    with pytest.raises(Refused) as exc:
        _tick(core, L, vid, "ALL_FAST", {"first_line_secured": "11:50", "all_fast": "12:30"})
    assert exc.value.rules == ["checklist.time.future"]
    message = exc.value.unmet[0].message
    assert "All fast 2026-12-07 12:30 is in the future (it is now 12:00)" in message
    assert "Z" not in message


def test_a_time_before_the_step_it_follows_or_the_arrival_is_refused(core, small_terminal,
                                                                     clock):
    vid = small_terminal["visit"]
    _up_to_all_fast(core, clock, vid)
    with pytest.raises(Refused) as exc:  # position confirmed at 11:10; arrival at 11:00
        _tick(core, L, vid, "ALL_FAST", {"first_line_secured": "11:05", "all_fast": "10:59"})
    assert exc.value.rules == ["checklist.time.order", "checklist.time.order"]
    first, second = exc.value.unmet
    assert "First line secured 2026-12-07 11:05 is before step 4" in first.message
    assert "at or after 2026-12-07 11:10" in first.remedy
    assert "All fast 2026-12-07 10:59 is before" in second.message
    _tick(core, L, vid, "ALL_FAST", {"first_line_secured": "11:30", "all_fast": "11:45"})
    with pytest.raises(Refused) as exc:  # berthed before all fast
        _tick(core, D, vid, "BERTHED_CONFIRMED", {"berthed_at": "11:40"})
    assert exc.value.rules == ["checklist.time.order"]


def test_unberthing_times_are_after_berthing(core, small_terminal, clock):
    vid = small_terminal["visit"]
    _up_to_all_fast(core, clock, vid)
    _tick(core, L, vid, "ALL_FAST", {"first_line_secured": "11:30", "all_fast": "11:45"})
    _tick(core, D, vid, "BERTHED_CONFIRMED", {"berthed_at": "11:50"})
    # the unberthing time agreed may lie ahead: it is a plan, not a moment past
    _tick(core, D, vid, "UNBERTHING_CONFIRMED", {"unberthing_time": "18:00"},
          checklist="unberthing")
    with pytest.raises(Refused) as exc:
        _tick(core, D, vid, "PILOT_ORDER_RECEIVED", {"order_at": "11:49"},
              checklist="unberthing")
    assert exc.value.rules == ["checklist.time.order"]
    assert "is before step 1 (2026-12-07 12:00)" in exc.value.unmet[0].message


def test_a_bad_typed_time_says_what_to_type(core, small_terminal, clock):
    vid = small_terminal["visit"]
    _up_to_all_fast(core, clock, vid)
    with pytest.raises(Refused) as exc:
        _tick(core, L, vid, "ALL_FAST", {"all_fast": "half past eleven"})
    assert exc.value.rules == ["checklist.value.invalid"]
    assert "14:30, 07 14:30, 2026-12-07 14:30" in exc.value.unmet[0].remedy
    assert "Asia/Shanghai" in exc.value.unmet[0].remedy
