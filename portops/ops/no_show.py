"""No-shows, late cancels and what they cost a haulier (issue 18).

A booked slot that no truck used is a place another haulier could have had. The terminal
marks, each as its own operation and event so that each appointment's history says it:

- a **no-show**: the appointment is still booked when its slot's window (slot end plus the
  tolerance) has closed and no late arrival was accepted (``appointment.no_show``);
- a **late cancel**: an appointment cancelled for its holder after the customers' change
  cut-off (``appointment.late_cancel``); a cancellation the terminal made of its own accord
  (a closed box, a hold) is nobody's fault and is not marked.

:func:`sweep` finds both as of the injected clock and runs the operations one by one
(``portops appointments sweep``; run it from cron or a gate clerk's shell every slot), so
the outcome depends only on the data and the clock, and running it twice marks nothing twice.

The consequence is the terminal's rule (the layout's ``appointments``): a haulier whose share
of no-shows and late cancels among its appointments due in the last ``no_show_window_days``
days (at least ``no_show_min_appointments`` of them) is over ``no_show_rate_pct`` may hold
only ``peak_cap_penalised`` appointments a day in the ``peak_hours`` while that lasts
(:func:`peak_rule`, stated by the customers' own bookings). The haulier sees its rate and the
consequence (``portops.queries.customer_platform.standing``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select as sa_select
from sqlmodel import col, select

from portops.clock import as_utc, show
from portops.i18n import N_
from portops.model import (
    LIVE_APPTS,
    Appointment,
    AppointmentSlot,
    ApptState,
    Container,
    Receival,
    ReceivalState,
    Role,
    Terminal,
    Where,
)
from portops.ops import appointments
from portops.ops.core import Refused, Term, Tx, operation
from portops.ops.gate_checks import settings
from portops.scope import Caller

_GATE = (Role.GATE_CLERK, Role.DISPATCHER)
#: How a cancellation made for the box's holder begins its reason (``appointment.cancel``).
_FOR_HOLDER = "customer: "


@dataclass(frozen=True)
class NoShowRules:
    """The terminal's no-show rule (Terminal.no_show_*, peak_*)."""

    rate_pct: int = 0  # 0: no consequence
    window_days: int = 28
    min_appointments: int = 5
    peak_hours: tuple[str, ...] = ()
    peak_cap: int = 0
    change_cutoff_minutes: int = 120
    timezone: str = "UTC"

    def in_peak(self, when: datetime) -> bool:
        """Does the slot starting ``when`` start in the peak hours (terminal-local)?"""
        local = when.astimezone(ZoneInfo(self.timezone)).time()
        for start, end in (parse_range(r) for r in self.peak_hours):
            if start <= local < end or (end <= start and (local >= start or local < end)):
                return True
        return False


def parse_range(text: str) -> tuple[time, time]:
    """``"07:00-10:00"`` -> its two times (the layout's parser checked the shape)."""
    a, b = text.split("-")
    return time.fromisoformat(a.strip()), time.fromisoformat(b.strip())


def no_show_rules(session) -> NoShowRules:
    # seven columns: more than sqlmodel's select is typed for, so SQLAlchemy's
    row = session.execute(sa_select(
        col(Terminal.no_show_rate_pct), col(Terminal.no_show_window_days),
        col(Terminal.no_show_min_appointments), col(Terminal.peak_hours),
        col(Terminal.peak_cap_penalised), col(Terminal.appt_change_cutoff_minutes),
        col(Terminal.timezone))
        .order_by(col(Terminal.id)).limit(1)).first()
    if row is None:
        return NoShowRules()
    rate, days, least, peak, cap, cutoff, tz = row
    return NoShowRules(rate, days, least, tuple(peak or ()), cap, cutoff, tz)


@dataclass(frozen=True)
class Standing:
    """A haulier's record over the rolling window ending now, and what it costs it."""

    party: str
    since: datetime
    due: int  # appointments whose slot started in the window, less timely cancellations
    no_shows: int
    late_cancels: int
    rules: NoShowRules = field(default_factory=NoShowRules)

    @property
    def rate_pct(self) -> float:
        return 100.0 * (self.no_shows + self.late_cancels) / self.due if self.due else 0.0

    @property
    def penalised(self) -> bool:
        r = self.rules
        return bool(r.rate_pct) and self.due >= r.min_appointments and self.rate_pct > r.rate_pct


def standing(session, party_id: int, code: str, now: datetime) -> Standing:
    """``code``'s no-shows and late cancels among its appointments due in the window."""
    rules = no_show_rules(session)
    since = now - timedelta(days=rules.window_days)
    rows = session.exec(select(Appointment.state, Appointment.late_cancel).join(
        AppointmentSlot, col(AppointmentSlot.id) == Appointment.slot_id).where(
        Appointment.haulier_id == party_id, AppointmentSlot.start >= since,
        AppointmentSlot.start < now)).all()
    due = no_shows = late = 0
    for state, late_cancel in rows:
        if state == ApptState.CANCELLED and not late_cancel:
            continue  # cancelled in time: the place went back to others
        if state == ApptState.BOOKED:
            continue  # not judged yet (the sweep has not run past it)
        due += 1
        no_shows += state == ApptState.NO_SHOW
        late += bool(late_cancel)
    from portops.ops.export_no_show import record  # its deliveries count as its pickups

    d_due, d_no, d_late = record(session, code, since, now)
    return Standing(code, since, due + d_due, no_shows + d_no, late + d_late, rules)


def _peak_count(tx: Tx, caller: Caller, day_start: datetime, rules: NoShowRules) -> int:
    """The haulier's open appointments (pickups and deliveries) in the peak hours of a day."""
    day_end = day_start + timedelta(days=1)
    starts = list(tx.session.exec(select(AppointmentSlot.start).join(
        Appointment, col(Appointment.slot_id) == AppointmentSlot.id).where(
        Appointment.haulier_id == caller.party_id, col(Appointment.state).in_(LIVE_APPTS),
        AppointmentSlot.start >= day_start, AppointmentSlot.start < day_end)))
    starts += list(tx.session.exec(select(Receival.slot_start).where(
        Receival.haulier == caller.code, Receival.state == ReceivalState.BOOKED,
        Receival.slot_start >= day_start, Receival.slot_start < day_end)))
    return sum(1 for s in starts if rules.in_peak(s))


def peak_rule(tx: Tx, caller: Caller, slot_start: datetime) -> None:
    """A haulier over the terminal's no-show rate holds at most ``peak_cap`` appointments a
    day in the peak hours (a customer's own booking; the terminal's clerks may still book)."""
    rules = no_show_rules(tx.session)
    when = as_utc(slot_start)
    if not rules.rate_pct or not rules.peak_hours or not rules.in_peak(when):
        return
    mine = standing(tx.session, caller.party_id, caller.code, tx.now())
    if not mine.penalised:
        return
    tz = ZoneInfo(rules.timezone)
    local = when.astimezone(tz)
    day_start = local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(when.tzinfo)
    held = _peak_count(tx, caller, day_start, rules)
    tx.rule(held < rules.peak_cap, "customer.book.peak_no_show",
            N_("{party}'s no-shows and late cancels are {rate:.0f}% of its last {due} "
               "appointments (the terminal allows {limit}%): it may hold {cap} appointment(s) "
               "a day in the peak hours {peak}, and holds {held} on {day}"),
            N_("book a slot outside the peak hours; the rate falls as your trucks come as "
               "booked"), party=caller.code, rate=mine.rate_pct, due=mine.due,
            limit=rules.rate_pct, cap=rules.peak_cap, peak=", ".join(rules.peak_hours),
            held=held, day=local.strftime("%Y-%m-%d"))


@operation("appointment.late_cancel", *_GATE)
def late_cancel(tx: Tx, ref: str) -> None:
    """Mark an appointment cancelled for its holder after the change cut-off as a late cancel."""
    appt = appointments._appointment(tx, ref)  # found as the clerk's operations find it
    slot = tx.get(AppointmentSlot, appt.slot_id, what="slot")
    rules = no_show_rules(tx.session)
    cutoff = slot.start - timedelta(minutes=rules.change_cutoff_minutes)
    tx.rule(appt.state == ApptState.CANCELLED and appt.end_reason.startswith(_FOR_HOLDER),
            "appointment.late_cancel.state",
            N_("appointment {appt} is {state}, not cancelled for its holder"),
            N_("only a holder's cancellation can be late"), appt=appt.ref,
            state=Term(appt.state))
    ended = appt.ended_at
    tx.rule(ended is not None and ended >= cutoff, "appointment.late_cancel.in_time",
            N_("appointment {appt} was cancelled before the cut-off {cutoff}"),
            N_("nothing to mark"), appt=appt.ref, cutoff=show(cutoff, rules.timezone))
    tx.rule(not appt.late_cancel, "appointment.late_cancel.marked",
            N_("appointment {appt} is marked a late cancel already"), N_("nothing to do"),
            appt=appt.ref)
    tx.ensure()
    appt.late_cancel = True
    minutes = int((slot.start - ended).total_seconds() // 60) if ended else 0
    tx.record(haulier_id=appt.haulier_id, minutes_before_slot=minutes)


@dataclass(frozen=True)
class Swept:
    """What one sweep marked (refs), and what it left because another did it meanwhile."""

    no_shows: list[str]  # pickups' refs, then deliveries'
    late_cancels: list[str]
    closed: list[str]  # a box collected on another of its appointments: closed, no fault
    skipped: list[str]


def candidates(session, now: datetime) -> tuple[list[str], list[str], list[str]]:
    """(no-shows, late cancels, to close) as of ``now``, read only."""
    cfg = settings(session)
    rules = no_show_rules(session)
    booked = session.exec(select(Appointment.ref, Container.location).join(
        AppointmentSlot, col(AppointmentSlot.id) == Appointment.slot_id).join(
        Container, col(Container.id) == Appointment.container_id).where(
        Appointment.state == ApptState.BOOKED, col(Appointment.late_accepted_at).is_(None),
        AppointmentSlot.end < now - cfg.tolerance).order_by(col(Appointment.ref))).all()
    gone = [ref for ref, where in booked if where == Where.GONE]
    no_shows = [ref for ref, where in booked if where != Where.GONE]
    late = session.exec(select(Appointment.ref).where(
        Appointment.state == ApptState.CANCELLED, ~col(Appointment.late_cancel),
        col(Appointment.end_reason).startswith(_FOR_HOLDER))).all()
    late_refs = _late_only(session, list(late), rules)
    return no_shows, late_refs, gone


def _late_only(session, refs: list[str], rules: NoShowRules) -> list[str]:
    """Of the holders' cancellations, those made after the cut-off (times compared in Python:
    one rule for SQLite and PostgreSQL, on the few cancellations not yet marked)."""
    if not refs:
        return []
    rows = session.exec(select(Appointment.ref, Appointment.ended_at, AppointmentSlot.start)
                        .join(AppointmentSlot, col(AppointmentSlot.id) == Appointment.slot_id)
                        .where(col(Appointment.ref).in_(refs))).all()
    cut = timedelta(minutes=rules.change_cutoff_minutes)
    return sorted(ref for ref, ended, start in rows if ended is not None and ended >= start - cut)


def sweep(core, user: str) -> Swept:
    """Mark every no-show and late cancel due as of the core's clock, one operation each:
    pickups first, then export deliveries (:mod:`portops.ops.export_no_show`)."""
    from portops.db import read_session
    from portops.ops import export_no_show as deliveries

    with read_session(core.engine) as s:
        no_shows, late, gone = candidates(s, core.clock.now())
        d_no_shows, d_late = deliveries.candidates(s, core.clock.now())
    done: dict[str, list[str]] = {"no": [], "late": [], "closed": [], "skipped": []}
    for refs, op, key, extra in (
            (gone, appointments.cancel, "closed",
             {"reason": "box collected on another appointment"}),
            (no_shows, appointments.no_show, "no", {}),
            (late, late_cancel, "late", {}),
            (d_no_shows, deliveries.no_show, "no", {}),
            (d_late, deliveries.late_cancel, "late", {})):
        for ref in refs:
            try:
                core.run(user, op, ref=ref, **extra)
            except Refused:
                done["skipped"].append(ref)
            else:
                done[key].append(ref)
    return Swept(done["no"], done["late"], done["closed"], done["skipped"])
