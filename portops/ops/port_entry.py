"""Port-entry formalities (靠港手续, seed II.(1)③): the clearance that lets discharge begin.

Discharge and loading are refused until the visit holds the ``PORT_ENTRY`` permission
(``portops.flags``). The dispatcher records it here, from the console's visit screen or from a
file (``kind: port_entry``) for a site whose clearance arrives as a message. Either way the
grant itself is :func:`portops.ops.flags.grant_permission`, so its rules (the dispatcher's
type, a reference, not granted twice) and refusals are the same everywhere. What a clearance
adds is stated here first: who cleared it (the authority, kept as the grant's reason) and when
(kept as the grant's time: a time typed in the terminal's zone, not in the future, not before
the vessel was expected).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select

from portops.clock import TYPED_FORMS, TimeTextError, parse_typed, show
from portops.i18n import N_
from portops.model import Flag, FlagState, Phase, Role, VesselVisit
from portops.model.base import pk
from portops.ops.berthplan import terminal_settings
from portops.ops.core import Term, Tx, operation
from portops.ops.flags import grant_permission
from portops.ops.report import ImportReport
from portops.ops.through import through

CODE = "PORT_ENTRY"
AUTHORITY_MAX = 80
#: The phases in which a clearance can still matter (it may come before the vessel arrives).
OPEN_PHASES = (Phase.PLANNED, Phase.ARRIVED, Phase.BERTHED, Phase.WORKING)


@dataclass(frozen=True)
class Clearance:
    """One clearance in a ``port_entry`` file (``where`` = ``FILE:LINE``)."""

    where: str
    visit: str
    reference: str
    authority: str
    cleared: str | datetime | None = None


def _judge(tx: Tx, visit: VesselVisit, authority: str, cleared_at: str | datetime | None,
           where: str = "") -> datetime:
    """State what a clearance needs beyond the grant; returns when it was cleared (UTC)."""
    tx.rule(visit.phase in OPEN_PHASES, "port_entry.phase",
            N_("visit {visit} is {phase}; port entry is recorded for a visit not yet gone"),
            N_("record it on the visit that is calling now"), where=where, visit=visit.key,
            phase=Term(Phase(visit.phase).value))
    authority = (authority or "").strip()
    tx.rule(authority, "port_entry.authority",
            N_("the clearance needs the authority that gave it"),
            N_("enter who cleared the vessel, e.g. Shanghai MSA / customs"), where=where)
    tx.rule(len(authority) <= AUTHORITY_MAX and authority.isprintable(),
            "port_entry.authority.shape",
            N_("the authority is {length} characters long or not on one line; at most {longest} fit"),
            N_("shorten it to the authority's name"), where=where, length=len(authority),
            longest=AUTHORITY_MAX)
    now, tz = tx.now(), terminal_settings(tx.session).timezone
    if cleared_at is None or (isinstance(cleared_at, str) and not cleared_at.strip()):
        return now
    try:
        when = parse_typed(cleared_at, tz, now)
    except TimeTextError:
        tx.rule(False, "port_entry.cleared_at.invalid", N_("cleared at {raw!r} is not a time"),
                N_("enter a time like {forms} (terminal time, {tz})"), where=where,
                raw=str(cleared_at), forms=TYPED_FORMS, tz=tz)
        return now
    tx.rule(when <= now, "port_entry.cleared_at.future",
            N_("cleared at {when} is in the future (it is now {now})"),
            N_("enter the time the clearance was given, not later than now"), where=where,
            when=show(when, tz), now=show(now, tz, "%H:%M"))
    return when


def _grant(tx: Tx, visit: VesselVisit, reference: str, authority: str, when: datetime) -> int:
    """The grant itself (its rules ensured there), then what the clearance adds."""
    flag_id = through(tx, grant_permission, code=CODE, reference=reference,
                      visit_id=visit.id, reason=authority.strip())
    flag = tx.get(Flag, flag_id)
    flag.set_at = when  # when the authority cleared it; the event keeps when it was recorded
    return flag_id


@operation("port_entry.record", Role.DISPATCHER)
def record(tx: Tx, visit_id: int, reference: str, authority: str,
           cleared_at: str | datetime | None = None) -> int:
    """Record the vessel's port-entry clearance (靠港手续), which lets discharge begin."""
    visit = tx.get(VesselVisit, visit_id, what="visit", for_update=True)
    tx.about("visit", visit.id, visit.key)
    when = _judge(tx, visit, authority, cleared_at)
    flag_id = _grant(tx, visit, reference, authority, when)  # ensures every rule
    tx.record(authority=authority.strip(), cleared_at=when)
    return flag_id


def _granted(tx: Tx, visit_id: int) -> Flag | None:
    return tx.session.exec(select(Flag).where(
        Flag.type_code == CODE, Flag.visit_id == visit_id,
        Flag.state == FlagState.GRANTED)).first()


@operation("port_entry.import", Role.DISPATCHER, log_args=["source"])
def import_clearances(tx: Tx, clearances: list[Clearance], source: str = "") -> ImportReport:
    """Record the port-entry clearances a file (an authority's message) lists."""
    report = ImportReport(N_("port entry"))
    tx.about("feed", None, source[-64:])
    todo: list[tuple[VesselVisit, Clearance, datetime]] = []
    for c in clearances:
        visit = tx.session.exec(select(VesselVisit).where(VesselVisit.key == c.visit)).first()
        tx.rule(visit is not None, "port_entry.visit.unknown", N_("there is no visit {visit}"),
                N_("use the visit's key as the schedule shows it"), where=c.where, visit=c.visit)
        if visit is None:
            continue
        when = _judge(tx, visit, c.authority, c.cleared, c.where)
        existing = _granted(tx, pk(visit))
        same = existing is not None and existing.reference == c.reference.strip()
        tx.rule(existing is None or same, "port_entry.other_reference",
                N_("{visit} was cleared already under {ref}, the file says {new}"),
                N_("revoke the clearance in force first, if the authority replaced it"),
                where=c.where, visit=visit.key, ref=existing.reference if existing else "",
                new=c.reference.strip())
        if existing is not None and same:
            report.add(N_("clearance"), visit.key, {"reference": existing.reference},
                       {"reference": existing.reference})
        else:
            todo.append((visit, c, when))
    tx.ensure()
    for visit, c, when in todo:
        _grant(tx, visit, c.reference, c.authority, when)
        report.add(N_("clearance"), visit.key, None, {"reference": c.reference.strip()})
    tx.record(counts=report.counts())
    return report
