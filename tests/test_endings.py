"""How an operation ends is chosen by the engine's configuration (issue 17): plain SQLAlchemy
on SQLite always and on PostgreSQL with ``PORTOPS_PG_FASTPATH=0``; PostgreSQL's fast path with
``1`` (the default). Both end an operation the same way as far as anyone can tell: the change
and its event, or a refusal naming the rule a constraint failure means."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import ArgumentError
from sqlmodel import Session

from portops.db import PG_FASTPATH_ENV, fast_path_wanted, make_engine
from portops.model import AppointmentSlot, Event
from portops.ops import Core, Refused
from portops.ops.appointments import book
from portops.ops.ending import PLAIN, ending_for
from portops.ops.fastpath_pg import FastPath
from tests.gate_world import CLERK, booking, build, release


@pytest.mark.parametrize("value", ["1", "0", ""])
def test_the_configuration_chooses_the_ending(db_url, db_backend, monkeypatch, value):
    monkeypatch.setenv(PG_FASTPATH_ENV, value)
    engine = make_engine(db_url)
    try:
        chosen = ending_for(engine)
    finally:
        engine.dispose()
    if db_backend == "sqlite" or value == "0":
        assert chosen is PLAIN
    else:
        assert isinstance(chosen, FastPath)


def test_a_value_that_is_neither_is_one_sentence_naming_the_setting(monkeypatch):
    monkeypatch.setenv(PG_FASTPATH_ENV, "maybe")
    with pytest.raises(ArgumentError, match="PORTOPS_PG_FASTPATH is 'maybe': write 1"):
        fast_path_wanted()
    assert fast_path_wanted(False) is False  # the caller's choice wins


@pytest.mark.parametrize("fast", [True, False])
def test_either_ending_writes_the_change_with_its_event_or_nothing(core, engine, db_url, clock,
                                                                    small_terminal, fast):
    world = build(core, engine, small_terminal, boxes=1)
    box = world["boxes"][0]
    release(core, box)
    other = make_engine(db_url, fast_path=fast)
    try:
        runner = Core(other, clock)

        def counts() -> tuple[int, int]:
            with Session(other) as s:
                return (s.scalar(select(func.count()).select_from(Event)) or 0,
                        s.scalar(select(func.sum(AppointmentSlot.booked))) or 0)

        events, booked = counts()
        made = runner.run(CLERK, book, **booking(box))
        assert counts() == (events + 1, booked + 1)
        with Session(other) as s:
            event = s.execute(select(Event).order_by(Event.id.desc()).limit(1)).scalar_one()
        assert (event.operation, event.subject_id, event.subject_ref) == (
            "appointment.book", made["id"], made["ref"])
        with pytest.raises(Refused) as refused:
            runner.run(CLERK, book, **booking(box, plate="沪B99999"))
        assert "appointment.box_booked" in refused.value.rules
        assert counts() == (events + 1, booked + 1)
    finally:
        other.dispose()
