"""When a visit's cargo work is done, and the step from working to completed.

A visit works cargo in two parts, each declared finished by its own operation: discharge
(``discharge.complete``) and loading (``load.complete``; a box left behind is rolled with
``load.roll``). A visit that has only one of them needs only that one. When the declaration
of the last part commits, the same transaction moves the visit from working to completed (its
event records ``phase_from``/``phase_to`` and the DCSA cargo-completed code), so that the
unberthing checklist's cargo guard passes without an override. See docs/architecture.md
("Cargo work completes") for why this is not a separate dispatcher key.
"""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from portops.model import (
    Container,
    DischargeItem,
    DischargePlan,
    ItemStatus,
    LoadItem,
    LoadState,
    Phase,
    VesselVisit,
    Where,
)
from portops.model.base import pk
from portops.ops import visits
from portops.ops.core import Tx
from portops.ops.through import through

#: Where an import box of the visit is while it is still due off the vessel.
_DUE_OFF = (Where.ADVISED, Where.VESSEL)
#: Where an export box of the visit is while it is still due on board.
_DUE_ON = (Where.ADVISED, Where.YARD, Where.TRUCK)


def due(session: Session, visit_id: int) -> tuple[int, int]:
    """Boxes still to discharge and to load on the visit.

    A box recorded short-landed is not due off the vessel any more (it was not on board):
    its container stays where the manifest put it, so it is left out by its tally line."""
    short = select(DischargeItem.container_id).join(
        DischargePlan, col(DischargePlan.id) == col(DischargeItem.plan_id)).where(
        DischargePlan.visit_id == visit_id, DischargeItem.status == ItemStatus.SHORT)
    to_discharge = session.exec(select(func.count()).select_from(Container).where(
        Container.in_visit_id == visit_id, col(Container.location).in_(_DUE_OFF),
        col(Container.id).not_in(short))).one()
    to_load = session.exec(select(func.count()).select_from(Container).where(
        Container.out_visit_id == visit_id, col(Container.location).in_(_DUE_ON))).one()
    return to_discharge, to_load


def completed_at(session: Session, visit_id: int):
    """When loading of the visit was last declared complete (``load.complete``), or None.

    Loading keeps no state of its own beyond its boxes: its completion is the event."""
    from portops.model import Event

    return session.exec(select(func.max(Event.at)).where(
        Event.operation == "load.complete", Event.subject_kind == "visit",
        Event.subject_id == visit_id)).one()


def open_parts(session: Session, visit_id: int, *, finishing: str = "") -> list[str]:
    """The parts of the visit's cargo work not yet declared finished ("discharge", "loading").

    ``finishing`` names the part whose completion is being recorded in this transaction
    (``load.complete`` keeps no state but its event, written at commit)."""
    to_discharge, to_load = due(session, visit_id)
    parts = []
    plan = session.exec(select(DischargePlan).where(DischargePlan.visit_id == visit_id)).first()
    if finishing != "discharge" and (
            plan.completed_at is None if plan is not None else to_discharge > 0):
        parts.append("discharge")
    planned = session.exec(select(func.count()).select_from(LoadItem).where(
        LoadItem.visit_id == visit_id, LoadItem.state == LoadState.PLANNED)).one()
    any_items = session.exec(select(func.count()).select_from(LoadItem).where(
        LoadItem.visit_id == visit_id)).one()
    declared = finishing == "loading" or completed_at(session, visit_id) is not None
    if planned or to_load or (any_items and not declared):
        parts.append("loading")
    return parts


def finish_if_done(tx: Tx, visit: VesselVisit, finishing: str) -> bool:
    """Move a working visit to completed when ``finishing`` was the last open part; True if so.

    Through ``visit.complete_work`` (its rules, its phase change and DCSA code in this
    operation's event); a tally clerk may make that change only this way (``through.THROUGH``)."""
    if visit.phase != Phase.WORKING or open_parts(tx.session, pk(visit), finishing=finishing):
        return False
    through(tx, visits.complete_work, visit_id=pk(visit))
    return True
