"""Export deliveries under the platform's no-show rules (issue 18).

A delivery appointment (a :class:`~portops.model.Receival`) holds a place in a slot as a
pickup does, and a haulier that books it and sends no truck costs the terminal the same. So
the rules of :mod:`portops.ops.no_show` apply to it, each mark its own operation and event:

- a **no-show** (``export.no_show``): still booked when its slot (the terminal's slot length
  from its start) plus the tolerance has closed;
- a **late cancel** (``export.late_cancel``): cancelled for its customer (the haulier's
  ``customer.haulier_export_cancel``, the shipper's ``customer.export_cancel``, or the clerk's
  ``export.cancel`` naming the party) after the change cut-off. The terminal's own
  cancellation (a revoked nomination, a clerk naming no party) is nobody's fault.

The haulier is stored on a receival as its party code; a haulier's standing counts its
deliveries by that code beside its pickups (:func:`record`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from portops.clock import show
from portops.i18n import N_
from portops.model import ExportBooking, Receival, ReceivalState, Role, Terminal
from portops.ops.core import Term, Tx, operation
from portops.ops.gate_checks import party_by_code, settings
from portops.scope import Caller, booking_refs

_GATE = (Role.GATE_CLERK, Role.DISPATCHER)
#: How a cancellation made for the customer begins its reason (``export.cancel``).
_FOR_CUSTOMER = "customer: "


def party_of_receival(session: Session, r: Receival, code: str) -> bool:
    """Is ``code`` the receival's haulier, or a party whose booking it is (its shipper)?"""
    p = party_by_code(session, code)
    if p is None or p.id is None:
        return False
    if p.code == r.haulier:
        return True
    me = Caller(user="", role=Role.SHIPPER, party_id=p.id, code=p.code, name=p.name,
                kind=p.kind, party_admin=False)
    return session.exec(select(ExportBooking.id).where(
        ExportBooking.id == r.booking_id, col(ExportBooking.ref).in_(booking_refs(me)))
    ).first() is not None


def _cutoff(session: Session) -> timedelta:
    """The customers' change cut-off before a slot (``no_show_rules``' own; read here, as
    ``portops.ops.no_show`` counts this module's deliveries and may not be imported back)."""
    row = session.exec(select(Terminal.appt_change_cutoff_minutes)
                       .order_by(col(Terminal.id))).first()
    return timedelta(minutes=120 if row is None else row)


def _find(tx: Tx, ref: str) -> Receival:
    r = tx.session.exec(select(Receival).where(Receival.ref == ref.strip().upper())).first()
    if r is None:
        tx.fail("export.no_appointment", N_("no delivery appointment {ref}"),
                N_("check the reference"), ref=ref)
    tx.about("receival", r.id, r.ref)
    return r


def slot_end(session: Session, start: datetime) -> datetime:
    """A delivery slot's end: its start plus the terminal's slot length."""
    return start + timedelta(minutes=settings(session).minutes)


@operation("export.no_show", *_GATE)
def no_show(tx: Tx, ref: str) -> None:
    """Record that a delivery appointment's truck did not come within its window."""
    r = _find(tx, ref)
    cfg = settings(tx.session)
    closes = slot_end(tx.session, r.slot_start) + cfg.tolerance
    tx.rule(r.state == ReceivalState.BOOKED, "export.no_show.state",
            N_("appointment {ref} is {state}"), N_("nothing to record"), ref=r.ref,
            state=Term(r.state))
    tx.rule(tx.now() > closes, "export.no_show.window_open",
            N_("appointment {ref}'s window is open until {closes}"),
            N_("wait until its window has closed"), ref=r.ref,
            closes=show(closes, cfg.timezone))
    tx.ensure()
    r.state, r.ended_at, r.end_reason = ReceivalState.NO_SHOW, tx.now(), "no show"
    tx.record(haulier=r.haulier)


@operation("export.late_cancel", *_GATE)
def late_cancel(tx: Tx, ref: str) -> None:
    """Mark a delivery appointment's late cancel by its customer."""
    r = _find(tx, ref)
    cutoff = r.slot_start - _cutoff(tx.session)
    tx.rule(r.state == ReceivalState.CANCELLED and r.end_reason.startswith(_FOR_CUSTOMER),
            "export.late_cancel.state",
            N_("appointment {ref} is {state}, not cancelled for its customer"),
            N_("only a customer's cancellation can be late"), ref=r.ref, state=Term(r.state))
    ended = r.ended_at
    tx.rule(ended is not None and ended >= cutoff, "export.late_cancel.in_time",
            N_("appointment {ref} was cancelled before the cut-off {cutoff}"),
            N_("nothing to mark"), ref=r.ref, cutoff=show(cutoff, settings(tx.session).timezone))
    tx.rule(not r.late_cancel, "export.late_cancel.marked",
            N_("appointment {ref} is marked a late cancel already"), N_("nothing to do"),
            ref=r.ref)
    tx.ensure()
    r.late_cancel = True
    minutes = int((r.slot_start - ended).total_seconds() // 60) if ended else 0
    tx.record(haulier=r.haulier, minutes_before_slot=minutes)


def candidates(session: Session, now: datetime) -> tuple[list[str], list[str]]:
    """(no-shows, late cancels) among delivery appointments as of ``now``, read only (times
    compared in Python: one rule for SQLite and PostgreSQL)."""
    cfg = settings(session)
    length = timedelta(minutes=cfg.minutes)
    booked = session.exec(select(Receival.ref, Receival.slot_start).where(
        Receival.state == ReceivalState.BOOKED,
        Receival.slot_start < now - cfg.tolerance - length)).all()
    no_shows = sorted(ref for ref, start in booked if start + length + cfg.tolerance < now)
    cut = _cutoff(session)
    cancelled = session.exec(select(Receival.ref, Receival.ended_at, Receival.slot_start).where(
        Receival.state == ReceivalState.CANCELLED, ~col(Receival.late_cancel),
        col(Receival.end_reason).startswith(_FOR_CUSTOMER))).all()
    late = sorted(ref for ref, ended, start in cancelled
                  if ended is not None and ended >= start - cut)
    return no_shows, late


def record(session: Session, code: str, since: datetime, now: datetime) -> tuple[int, int, int]:
    """A haulier's deliveries due in ``[since, now)``: (due, no-shows, late cancels), counted
    as its pickups are (a timely cancellation and a still-booked slot are not due)."""
    rows = session.exec(select(Receival.state, Receival.late_cancel).where(
        Receival.haulier == code, Receival.slot_start >= since,
        Receival.slot_start < now)).all()
    due = no_shows = late = 0
    for state, late_cancel_ in rows:
        if state == ReceivalState.BOOKED or (state == ReceivalState.CANCELLED
                                             and not late_cancel_):
            continue
        due += 1
        no_shows += state == ReceivalState.NO_SHOW
        late += bool(late_cancel_)
    return due, no_shows, late
