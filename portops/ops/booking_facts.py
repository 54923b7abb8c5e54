"""What a booking reads, in one question, and the two writes it ends with.

With a few dozen clerks and hauliers' systems booking at once on PostgreSQL, every statement
a booking makes costs CPU on both sides (the driver's work, the server's parse, bind and
execute, a round trip each way), and every round trip while the slot's row is locked keeps
the clerks booking the same slot waiting. A booking used to ask six questions (the box with
its right, the parties, the slot settings, the holds and releases, the slot, the vessel) and
write three times (the appointment, its reference, the slot's count). Here it asks one:

- :data:`FACTS` is the box, its active right and live appointment, its vessel's ETD, the
  haulier and the booker, the terminal's slot settings, the slot row the wanted time falls in
  (if any) and one row per flag of the box, its B/L or its booking. No flag: one row with the
  flag columns NULL; no box: no row.
- The facts also draw the new appointment's id (``portops.db.next_id``), so the booking
  knows it before it writes, and ends with two writes after its event (``Tx.write_last``):
  the appointment (:data:`NEW`) and its place counted in the slot (:data:`TAKE_PLACE`), which
  the database refuses when the slot is full. The booking begins late
  (``Operation.late_begin``): where its ending can (PostgreSQL's fast path,
  ``portops.ops.fastpath_pg``) the facts are read outside a transaction and both writes and
  the event go as one statement, atomic by itself. A refused booking leaves a gap in the
  ids, as a rolled-back one always did.
- The reference is random (:mod:`portops.refs`), drawn before the facts are read; they say
  whether it is taken (``ref_taken``), so a collision costs a second draw, never a round trip
  more on the way that matters. The unique index on the reference settles the rest.

The rules are judged by the same functions as every other caller's (``box_ready``,
``right_unmet``, ...), given these facts instead of reading them again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy
from sqlalchemy import and_, bindparam, exists, or_, true
from sqlmodel import col, select

from portops.db import next_id
from portops.model import (
    LIVE_APPTS,
    Appointment,
    AppointmentSlot,
    CollectRight,
    Container,
    Flag,
    Party,
    RightState,
    Terminal,
    VesselVisit,
    Where,
)
from portops.model.base import table
from portops.ops.gate_checks import SlotSettings
from portops.prepared import Prepared

_slots = table(AppointmentSlot)
_appts = table(Appointment)
_haulier = table(Party).alias("haulier")
_booker = table(Party).alias("booker")
_terminal = sqlalchemy.select(
    col(Terminal.appt_slot_minutes), col(Terminal.appt_slot_capacity),
    col(Terminal.appt_tolerance_minutes), col(Terminal.timezone),
    col(Terminal.appt_max_open_per_box)).order_by(col(Terminal.id)).limit(1).subquery("settings")
#: The latest slot row starting at or before the wanted time: the one it falls in if that
#: slot has a row (the caller checks the start against the settings' grid).
_slot_at = (select(_slots.c.id).where(_slots.c.start <= bindparam("when"))
            .order_by(_slots.c.start.desc()).limit(1).scalar_subquery())

def _facts(*extra: Any) -> Any:
    # SQLAlchemy's select: sqlmodel's is typed for at most four columns (same statement)
    return (
        sqlalchemy.select(
               col(Container.id), col(Container.number), col(Container.location),
               col(Container.in_visit_id), col(Container.category), col(Container.bl_number),
               col(Container.booking_ref),
               col(CollectRight.id).label("right_id"), col(CollectRight.holder_party_id),
               select(Appointment.ref).where(
                   Appointment.container_id == Container.id,
                   or_(*(col(Appointment.state) == state for state in LIVE_APPTS))
               ).limit(1).scalar_subquery().label("live_ref"),
               # how many open appointments a box may have (``box_places``)
               _terminal.c.appt_max_open_per_box,
               col(VesselVisit.etd).label("visit_etd"),
               _haulier.c.id.label("haulier_id"), _haulier.c.code.label("haulier_code"),
               _haulier.c.kind.label("haulier_kind"), _haulier.c.active.label("haulier_active"),
               _booker.c.id.label("booker_id"), _booker.c.code.label("booker_code"),
               _booker.c.kind.label("booker_kind"), _booker.c.active.label("booker_active"),
               _terminal.c.appt_slot_minutes, _terminal.c.appt_slot_capacity,
               _terminal.c.appt_tolerance_minutes, _terminal.c.timezone,
               _slots.c.id.label("slot_id"), _slots.c.start.label("slot_start"),
               _slots.c.booked.label("slot_booked"), _slots.c.capacity.label("slot_capacity"),
               col(Flag.type_code).label("flag_type"), col(Flag.state).label("flag_state"),
               col(Flag.reason).label("flag_reason"),
               # the reference drawn for the new appointment is someone's already (portops.refs)
               exists().where(_appts.c.ref == bindparam("ref")).label("ref_taken"), *extra)
        .select_from(Container)
        .outerjoin(CollectRight, and_(col(CollectRight.container_id) == Container.id,
                                      col(CollectRight.state) == RightState.ACTIVE))
        .outerjoin(VesselVisit, col(VesselVisit.id) == Container.in_visit_id)
        .outerjoin(_haulier, _haulier.c.code == bindparam("haulier"))
        .outerjoin(_booker, _booker.c.code == bindparam("booker"))
        .outerjoin(_terminal, true())
        .outerjoin(_slots, _slots.c.id == _slot_at)
        # the box's own flags, its B/L's and its booking's (an empty B/L or booking matches none)
        .outerjoin(Flag, or_(col(Flag.container_id) == Container.id,
                             and_(col(Container.bl_number) != "",
                                  col(Flag.bl_number) == Container.bl_number),
                             and_(col(Container.booking_ref) != "",
                                  col(Flag.booking_ref) == Container.booking_ref)))
        .where(col(Container.number) == bindparam("number"),
               col(Container.location) != Where.GONE)
    )


FACTS = Prepared(_facts())
#: The facts and, drawn once however many flag rows there are, the new appointment's id.
#: Only for a booking being made: a check ("why not?") draws none.
FACTS_DRAWING_ID = Prepared(_facts(select(next_id(_appts)).scalar_subquery().label("new_id")))


@dataclass(frozen=True)
class FlagRow:
    """A flag as the rules read it (``portops.flags``): its type, state and reason."""

    type_code: str
    state: str
    reason: str


@dataclass(frozen=True)
class PartyRow:
    id: int
    code: str
    kind: str
    active: bool


@dataclass(frozen=True)
class SlotRow:
    """What a booking needs of its slot row: which, and how full."""

    id: int
    start: datetime
    booked: int
    capacity: int


@dataclass(frozen=True)
class Facts:
    """One booking's facts, from :data:`FACTS`'s rows."""

    box: Any  # the first row: the box's columns are read by the rules as a Container's
    flags: list[FlagRow]
    parties: dict[str, PartyRow]
    settings: SlotSettings
    slot: SlotRow | None  # the row the wanted time falls in, if it has one
    new_id: int | None  # drawn for the new appointment (``draw_id``)
    ref_taken: bool = False  # the reference given to :meth:`read` is taken (``ref``)

    @classmethod
    def read(cls, conn: Any, number: str, haulier: str, booker: str,
             when: datetime, draw_id: bool = False, ref: str = "") -> Facts | None:
        """``draw_id``: draw the new appointment's id too (a booking); ``ref``: the
        reference drawn for it, asked whether it is taken in the same question."""
        rows = (FACTS_DRAWING_ID if draw_id else FACTS)(
            conn, {"number": number, "haulier": haulier, "booker": booker, "when": when,
                   "ref": ref}).rows
        if not rows:
            return None
        f = rows[0]
        parties = {}
        for prefix in ("haulier", "booker"):
            pid = getattr(f, f"{prefix}_id")
            if pid is not None:
                parties[getattr(f, f"{prefix}_code")] = PartyRow(
                    pid, getattr(f, f"{prefix}_code"), getattr(f, f"{prefix}_kind"),
                    getattr(f, f"{prefix}_active"))
        settings = SlotSettings() if f.appt_slot_minutes is None else SlotSettings(
            f.appt_slot_minutes, f.appt_slot_capacity, f.appt_tolerance_minutes, f.timezone)
        slot = None if f.slot_id is None else SlotRow(f.slot_id, f.slot_start, f.slot_booked,
                                                       f.slot_capacity)
        flags = [FlagRow(r.flag_type, r.flag_state, r.flag_reason) for r in rows
                 if r.flag_type is not None]
        return cls(f, flags, parties, settings, slot, f.new_id if draw_id else None,
                   bool(f.ref_taken))


#: The columns a booking fills (with ``id`` and ``ref``, drawn with the facts).
NEW_COLUMNS = ("container_id", "slot_id", "right_id", "state", "booked_by_party_id",
                "on_behalf", "haulier_id", "plate", "driver_name", "driver_id", "created_at",
                "created_by", "changes", "end_reason", "live_seq", "late_cancel")
#: The new appointment, its id and reference drawn with the facts (``Tx.write_last``).
NEW = Prepared(_appts.insert().values({k: bindparam(k) for k in ("id", "ref", *NEW_COLUMNS)}))
#: Count one place in the slot: the transaction's last statement (``Tx.write_last``). The
#: database refuses it if the slot is full (``SLOT_ROOM_CHECK``), which settles a race for
#: the last place: PostgreSQL re-checks the row it waited for.
TAKE_PLACE = Prepared(_slots.update().where(_slots.c.id == bindparam("slot_id"))
                      .values(booked=_slots.c.booked + 1))
