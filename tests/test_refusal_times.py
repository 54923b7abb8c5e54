"""A refusal names times as the terminal's clock shows them, not in UTC (issue 13, Time)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portops.ops import Refused
from portops.ops.appointments import book
from tests.gate_world import CLERK, SLOT, booking, build, release


def test_a_past_slot_is_named_in_terminal_time(core, clock, engine, small_terminal):
    world = build(core, engine, small_terminal, boxes=1)
    release(core, world["boxes"][0])
    clock.set(SLOT + timedelta(hours=3))
    with pytest.raises(Refused) as refused:
        core.run(CLERK, book, **booking(world["boxes"][0]))
    (over,) = [u for u in refused.value.unmet if u.rule == "appointment.slot_past"]
    # SLOT is 06:00 UTC: 14:00 in Shanghai, the terminal's zone
    assert "2026-11-27 14:00" in over.message
    assert "06:00" not in over.message and "Z" not in over.message


def test_a_full_slot_is_named_in_terminal_time(core, engine, small_terminal):
    world = build(core, engine, small_terminal, boxes=2, capacity=1)
    for b in world["boxes"]:
        release(core, b)
    core.run(CLERK, book, **booking(world["boxes"][0]))
    with pytest.raises(Refused) as refused:
        core.run(CLERK, book, **booking(world["boxes"][1], plate="沪B54321"))
    (full,) = [u for u in refused.value.unmet if u.rule == "appointment.slot_full"]
    assert "2026-11-27 14:00" in full.message
