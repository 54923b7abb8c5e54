"""How many open pickup appointments a box may have: a terminal setting (issue 18).

Most terminals allow one (``Terminal.appt_max_open_per_box``, default 1); some let a haulier
hold a second slot for the same box as a fallback. Either way the database settles a race:
each live appointment holds one of the box's *places* ``1..N`` (``Appointment.live_seq``) and
the partial unique index ``uq_appointment_live_box`` (container, place) over live
appointments lets each place go to one appointment only. With N = 1 every appointment takes
place 1, which is the one-per-box index as it always was; with N > 1 a booking takes the
lowest free place, counted under a lock on the box (``Tx.lock``), and the index stays the
last word: a box never has more than N open appointments, however many book at once. The
setting's default costs a booking nothing: the lock and the count are taken only for N > 1.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from portops.i18n import N_
from portops.model import LIVE_APPTS, Appointment
from portops.ops.core import Tx


def box_place(tx: Tx, c: Any) -> int:
    """State the box's open-appointments rule and return the place a new booking takes.

    ``c`` is the booking's facts row (``booking_facts``): ``live_ref`` (one live
    appointment's reference) and the setting ``appt_max_open_per_box``."""
    per_box = c.appt_max_open_per_box or 1
    if per_box <= 1:
        tx.rule(c.live_ref is None, "appointment.box_booked",
                N_("container {number} already has appointment {live}"),
                N_("change or cancel that appointment"), number=c.number, live=c.live_ref)
        return 1
    # More than one: bookings of this box take turns (PostgreSQL: an advisory lock to the
    # commit; SQLite's write lock already does), and each counts the places afresh under it,
    # so the second of two racing bookings takes place 2 instead of colliding on place 1.
    if not tx.checking:
        tx.lock("box_places", c.id)
    used = set(tx.session.exec(select(Appointment.live_seq).where(
        Appointment.container_id == c.id, col(Appointment.state).in_(LIVE_APPTS))))
    count = len(used)
    _max_open(tx, count < per_box, c, count)
    return next((k for k in range(1, per_box + 1) if k not in used), 1)


#: The index that settles a race for a box's places (``portops.model.gate``).
BOX_PLACE_INDEX = "uq_appointment_live_box"


def box_taken(tx: Tx, c: Any) -> None:
    """Refuse: the database's index refused the booking's place (``BOX_PLACE_INDEX``), so
    another booking of the box took it at the same moment; the box's own rule, not a generic
    conflict. Reads nothing (on PostgreSQL the failed transaction can read no more)."""
    per_box = c.appt_max_open_per_box or 1
    if per_box <= 1:
        tx.rule(False, "appointment.box_booked",
                N_("container {number} was booked by another at the same moment"),
                N_("change or cancel that appointment"), number=c.number)
    else:
        _max_open(tx, False, c, per_box)
    tx.ensure()


def _max_open(tx: Tx, ok: bool, c: Any, count: int) -> None:
    tx.rule(ok, "appointment.box_max_open",
            N_("container {number} has {count} open appointments, as many as the terminal "
               "allows"), N_("change or cancel one of them"), number=c.number, count=count)
