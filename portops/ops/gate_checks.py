"""The judgements booking, gate-in and gate-out share: read-only, so screens can show them too.

An appointment is judged three times (at booking, at the in-gate and at the out-gate) against
the same facts: is the box here (or will it be), is it released by customs and the line, is it
free of holds, does the right to collect sit with the haulier at the gate. Each function here
returns a list of :class:`Unmet` and never writes; the operations turn them into rules and
the gate screen into its check list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from portops.flags import Action, blocking
from portops.i18n import N_
from portops.model import (
    Appointment,
    AppointmentSlot,
    ApptState,
    CollectRight,
    Container,
    Party,
    RightState,
    Terminal,
    VesselVisit,
    Where,
    YardBlock,
)
from portops.model.base import pk
from portops.ops.core import Term, Unmet
from portops.prepared import Prepared
from portops.refs import canonical, mistyped

#: What a check names when nothing was given (a plate, a seal): a word to translate.
NONE = Term(N_("(none)"))


@dataclass(frozen=True)
class SlotSettings:
    """The terminal's appointment settings (Terminal.appt_*), with their defaults."""

    minutes: int = 60
    capacity: int = 20
    tolerance_minutes: int = 30
    timezone: str = "UTC"

    @property
    def tolerance(self) -> timedelta:
        return timedelta(minutes=self.tolerance_minutes)


_SETTINGS = Prepared(select(Terminal.appt_slot_minutes, Terminal.appt_slot_capacity,
                            Terminal.appt_tolerance_minutes, Terminal.timezone
                            ).order_by(col(Terminal.id)).limit(1))


def settings(session: Session) -> SlotSettings:
    """Four columns, not the terminal row: every booking and gate decision asks."""
    row = _SETTINGS(session).first()
    return SlotSettings() if row is None else SlotSettings(*row)


def slot_bounds(when: datetime, cfg: SlotSettings) -> tuple[datetime, datetime]:
    """The slot that contains ``when``: slots are cut from local midnight in the terminal's
    time zone, so a 60-minute slot is a clock hour there even with a half-hour UTC offset."""
    tz = ZoneInfo(cfg.timezone)
    loc = when.astimezone(tz)
    midnight = loc.replace(hour=0, minute=0, second=0, microsecond=0)
    minutes = int((loc - midnight).total_seconds() // 60)
    start_local = midnight + timedelta(minutes=minutes - minutes % cfg.minutes)
    start = start_local.astimezone(when.tzinfo)
    return start, start + timedelta(minutes=cfg.minutes)


def normalise_plate(plate: str) -> str:
    """Plates are compared without spaces, dashes or dots and in capitals (沪A·12345 = 沪A12345)."""
    return "".join(ch for ch in plate.upper() if ch not in " -·.")


def active_container(session: Session, number: str) -> Container | None:
    return session.exec(select(Container).where(
        Container.number == number.strip().upper(), Container.location != Where.GONE)).first()


def party_by_code(session: Session, code: str | None) -> Party | None:
    if not code:
        return None
    return session.exec(select(Party).where(Party.code == code.strip().upper())).first()


def active_right(session: Session, container_id: int) -> CollectRight | None:
    return session.exec(select(CollectRight).where(
        CollectRight.container_id == container_id,
        CollectRight.state == RightState.ACTIVE)).first()


def yard_label(session: Session, c: Container) -> str:
    """Where a driver goes for the box: ``BLOCK bay-row-tier``; empty when it is not in the yard."""
    if c.location != Where.YARD or c.yard_block_id is None:
        return ""
    block = session.get(YardBlock, c.yard_block_id)
    name = block.name if block else f"#{c.yard_block_id}"
    return f"{name} {c.yard_bay:02d}-{c.yard_row:02d}-{c.yard_tier}"


def blockers(session: Session, c: Container) -> list[Container]:
    """The boxes stacked on top of ``c`` (the relocations a pickup costs), top first."""
    if c.location != Where.YARD or c.yard_block_id is None:
        return []
    return list(session.exec(select(Container).where(
        Container.location == Where.YARD, Container.yard_block_id == c.yard_block_id,
        Container.yard_bay == c.yard_bay, Container.yard_row == c.yard_row,
        col(Container.yard_tier) > c.yard_tier).order_by(col(Container.yard_tier).desc())))


def box_ready(session: Session, c: Container, slot_start: datetime, *, flags=None,
              visit_etd: datetime | None | Literal[False] = False) -> list[Unmet]:
    """Is the box here (or discharged before the slot), released, and free of holds?

    ``flags`` and ``visit_etd`` (its vessel's ETD, None if none): when the caller read them
    already with the box (a booking does), else they are read here."""
    unmet: list[Unmet] = []
    if c.location == Where.YARD:
        pass
    elif c.location in (Where.ADVISED, Where.VESSEL) and c.in_visit_id is not None:
        if visit_etd is False:
            visit = session.get(VesselVisit, c.in_visit_id)
            visit_etd = visit.etd if visit else None
        done_by = visit_etd
        if done_by is None or done_by > slot_start:
            unmet.append(Unmet.of("appointment.not_discharged",
                                  N_("container {number} is not discharged and its vessel's discharge is not planned to finish before the slot"),
                                  N_("choose a slot after the vessel's discharge"),
                                  number=c.number))
    else:
        unmet.append(Unmet.of("appointment.not_in_yard",
                              N_("container {number} is {location} and cannot be picked up"),
                              N_("check where the box is"), number=c.number, location=Term(c.location)))
    unmet += blocking(session, Action.DELIVER, container=c, container_flags=flags)
    return unmet


class HeldRight(Protocol):
    """What the rules read of a right to collect: its row, or the booking's snapshot of it."""

    @property
    def id(self) -> int | None: ...

    @property
    def holder_party_id(self) -> int: ...


def right_unmet(session: Session, c: Container, haulier: Party | None,
                rule_prefix: str, right: HeldRight | None | Literal[False] = False
                ) -> tuple[HeldRight | None, list[Unmet]]:
    """The right to collect ``c`` must be active and held by ``haulier``.

    ``right`` is ``c``'s active right when the caller read it already (booking reads it in
    the same query as the box), ``False`` to look it up here.
    """
    if right is False:
        right = active_right(session, pk(c))
    if right is None:
        return None, [Unmet.of(f"{rule_prefix}.no_right",
                               N_("nobody holds the right to collect {number}"),
                               N_("the shipping line must release the box to a named party"),
                               number=c.number)]
    if haulier is None or right.holder_party_id != haulier.id:
        holder = session.get(Party, right.holder_party_id)
        return right, [Unmet.of(f"{rule_prefix}.haulier_not_holder",
                                N_("the right to collect {number} is held by {holder}, not by {haulier}"),
                                N_("the current holder must pass the right to this haulier first"),
                                number=c.number, holder=holder.code if holder else '?',
                                haulier=haulier.code if haulier else Term(N_("the haulier named")))]
    return right, []


def window(slot: AppointmentSlot, cfg: SlotSettings) -> tuple[datetime, datetime]:
    """When a truck for this slot may pass the in-gate: the slot widened by the tolerance."""
    return slot.start - cfg.tolerance, slot.end + cfg.tolerance


def live_count(session: Session, slot_id: int) -> int:
    return session.exec(select(func.count()).select_from(Appointment).where(
        Appointment.slot_id == slot_id,
        col(Appointment.state).in_([ApptState.BOOKED, ApptState.ADMITTED]))).one()


def find_for_gate(session: Session, text: str, now: datetime) -> Appointment | None:
    """The appointment a clerk means by a reference or a plate: by plate, the booked one whose
    slot is nearest to now."""
    key = text.strip().upper()
    appt = session.exec(select(Appointment).where(Appointment.ref == canonical(key))).first()
    if appt is not None:
        return appt
    rows = session.exec(select(Appointment, AppointmentSlot).join(
        AppointmentSlot, col(AppointmentSlot.id) == Appointment.slot_id).where(
        Appointment.plate == normalise_plate(key), Appointment.state == ApptState.BOOKED)).all()
    if not rows:
        return None
    return min(rows, key=lambda r: abs((r[1].start - now).total_seconds()))[0]


def no_appointment(lookup: str, remedy: str) -> Unmet:
    """Nothing found for ``lookup``: a reference with a character mistyped (its check
    character does not fit, :mod:`portops.refs`) says so, rather than "not found"."""
    if mistyped(lookup):
        return Unmet.of("gate.ref_invalid", N_("{lookup!r} is not a valid reference"),
                        N_("a character is mistyped: read the reference again"), lookup=lookup)
    return Unmet.of("gate.no_appointment", N_("no appointment found for {lookup!r}"), remedy,
                    lookup=lookup)


def gate_in_unmet(session: Session, appt: Appointment, now: datetime, plate: str,
                  haulier_code: str, driver_id: str) -> list[Unmet]:
    """Every reason to stop this truck at the in-gate now."""
    cfg = settings(session)
    slot = session.get_one(AppointmentSlot, appt.slot_id)
    c = session.get_one(Container, appt.container_id)
    unmet: list[Unmet] = []
    if appt.state != ApptState.BOOKED:
        unmet.append(Unmet.of("gate.appointment_state", N_("appointment {appt} is {state}"),
                              N_("book a new appointment"), appt=appt.ref, state=Term(appt.state)))
    opens, closes = window(slot, cfg)
    if now < opens:
        unmet.append(Unmet.of("gate.early", N_("the truck is early: its window opens at {opens}"),
                              N_("wait, or change the appointment"), opens=_local(opens, cfg)))
    elif now > closes and appt.late_accepted_at is None:
        unmet.append(Unmet.of("gate.late", N_("the truck is late: its window closed at {closes}"),
                              N_("record the late arrival (accept late) or book a new slot"),
                              closes=_local(closes, cfg)))
    # What is at the gate, as the clerk typed or scanned it, against the booking. A mismatch
    # says what does not match, never the booked value: the clerk reads the truck, not the screen.
    if not normalise_plate(plate):
        unmet.append(Unmet.of("gate.plate", N_("no plate typed"),
                              N_("type the plate read on the truck")))
    elif normalise_plate(plate) != appt.plate:
        unmet.append(Unmet.of("gate.plate", N_("plate {plate} is not the booked truck's"),
                              N_("change the appointment's truck or turn away"),
                              plate=normalise_plate(plate)))
    haulier = party_by_code(session, haulier_code)
    if not haulier_code.strip():
        unmet.append(Unmet.of("gate.haulier", N_("no haulier typed"),
                              N_("type the haulier's code from the driver's papers")))
    elif haulier is None or haulier.id != appt.haulier_id:
        unmet.append(Unmet.of("gate.haulier",
                              N_("haulier {haulier_code} is not the nominated haulier"),
                              N_("only the nominated haulier may collect"),
                              haulier_code=haulier_code.strip().upper()))
    if not driver_id.strip():
        unmet.append(Unmet.of("gate.driver", N_("no driver ID typed"),
                              N_("type or scan the ID on the driver's card")))
    elif driver_id.strip().upper() != appt.driver_id:
        unmet.append(Unmet.of("gate.driver", N_("driver ID {driver_id} is not the booked driver's"),
                              N_("change the appointment's driver or turn away"),
                              driver_id=driver_id.strip().upper()))
    # The right is judged for the nominated haulier: a wrong haulier at the gate is the rule
    # above, and naming the right's holder here would tell the clerk the expected code.
    booked = session.get(Party, appt.haulier_id)
    unmet += right_unmet(session, c, booked, "gate")[1]
    if c.location != Where.YARD:
        unmet.append(Unmet.of("gate.not_in_yard",
                              N_("container {number} is not in the yard yet ({location})"),
                              N_("wait for discharge"), number=c.number, location=Term(c.location)))
    unmet += blocking(session, Action.DELIVER, container=c)
    return unmet


def _local(when: datetime, cfg: SlotSettings) -> str:
    return when.astimezone(ZoneInfo(cfg.timezone)).strftime("%H:%M")
