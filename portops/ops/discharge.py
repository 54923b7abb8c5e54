"""The discharge plan: which boxes come off a visit, which crane lifts each, in what order.

The planning is :func:`portops.planning.discharge.plan_discharge` (pure); this operation
loads the boxes on board, runs it, and stores one plan row and one item per box, in bulk.
"""

from __future__ import annotations

from sqlalchemy import delete, insert
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from portops.i18n import N_, Message, as_is
from portops.model import (
    Container,
    DischargeItem,
    DischargePlan,
    ItemStatus,
    OnBoard,
    Phase,
    Role,
    VesselVisit,
    Where,
)
from portops.model.base import pk
from portops.ops.core import Term, Tx, operation
from portops.planning.discharge import Stowed, plan_discharge

#: Phases in which a discharge plan may be (re)made.
PLANNABLE = (Phase.PLANNED, Phase.ARRIVED, Phase.BERTHED, Phase.WORKING)


def on_board(session: Session, visit_id: int) -> list[Stowed]:
    """Every box on board the visit: the ones to discharge here (containers standing on the
    vessel, as the bay plan import put them) and those remaining on board (for restows)."""
    rows = session.execute(sa_select(
        col(Container.id), col(Container.number), col(Container.vessel_bay),
        col(Container.vessel_row), col(Container.vessel_tier)).where(
        col(Container.location) == Where.VESSEL, col(Container.visit_id) == visit_id)).all()
    out = [Stowed(cid, number, bay or 0, row or 0, tier or 0, True)
           for cid, number, bay, row, tier in rows]
    rob = session.execute(sa_select(col(OnBoard.number), col(OnBoard.bay), col(OnBoard.row),
                                    col(OnBoard.tier)).where(
        col(OnBoard.visit_id) == visit_id)).all()
    out += [Stowed(-i, number, bay, row, tier, False)
            for i, (number, bay, row, tier) in enumerate(rob, start=1)]
    return out


@operation("discharge.plan", Role.YARD_PLANNER, Role.DISPATCHER)
def make_plan(tx: Tx, visit_id: int, cranes: int | None = None) -> dict:
    """Make (or remake) the discharge plan of a visit: crane split and sequence."""
    visit = tx.get(VesselVisit, visit_id, what="visit", for_update=True)
    tx.about("visit", visit.id, visit.key)
    tx.rule(visit.phase in PLANNABLE, "discharge.plan.phase",
            N_("visit {visit} is {phase}; a discharge plan is made before or during cargo work"),
            N_("nothing to plan for this visit"), visit=visit.key, phase=Term(visit.phase))
    tx.rule(cranes is None or 1 <= int(cranes) <= 12, "discharge.plan.cranes",
            N_("{cranes} is not a number of quay cranes"),
            N_("give 1 to 12 cranes, or none to let the planner choose"), cranes=cranes)
    old = tx.session.exec(select(DischargePlan).where(
        DischargePlan.visit_id == visit.id)).first()
    if old is not None:
        started = tx.session.exec(select(DischargeItem.id).where(
            DischargeItem.plan_id == old.id,
            DischargeItem.status != ItemStatus.PLANNED)).first()
        tx.rule(started is None, "discharge.plan.started",
                N_("discharge of {visit} has started; the plan can no longer be remade"),
                N_("move single yard slots by hand instead"), visit=visit.key)
    boxes = on_board(tx.session, pk(visit))
    leaving = [b for b in boxes if b.discharge]
    tx.rule(leaving, "discharge.plan.nothing",
            N_("no box on board {visit} is to be discharged here"),
            N_("import the bay plan (BAPLIE) or discharge list (COPRAR) first"), visit=visit.key)
    tx.ensure()
    result = plan_discharge(boxes, cranes or visit.cranes)
    if old is not None:
        tx.session.execute(delete(DischargeItem).where(col(DischargeItem.plan_id) == old.id))
        tx.session.delete(old)
        tx.session.flush()
    dplan = DischargePlan(visit_id=pk(visit), cranes=len(result.cranes),
                          split=[{"crane": w.crane, "hatches": list(w.hatches),
                                  "bays": list(w.bays), "moves": w.moves}
                                 for w in result.cranes],
                          warnings=[stored_warning(w) for w in result.warnings],
                          makespan_moves=result.makespan,
                          planned_by=tx.actor.name, planned_at=tx.now())
    tx.session.add(dplan)
    tx.session.flush()
    seq = {m.key: m for m in result.moves}
    details: dict[int, str] = dict(tx.session.execute(
        sa_select(col(Container.id), col(Container.size_type)).where(
            col(Container.location) == Where.VESSEL,
            col(Container.visit_id) == visit.id)).all())
    tx.session.execute(insert(DischargeItem), [
        {"plan_id": dplan.id, "container_id": b.key, "number": b.number,
         "size_type": details[b.key], "vessel_bay": b.bay, "vessel_row": b.row,
         "vessel_tier": b.tier, "crane": seq[b.key].crane, "seq": seq[b.key].seq,
         "status": ItemStatus.PLANNED.value, "why": "", "number_read": "", "seal_read": "",
         "damage_codes": "", "damage_note": "", "note": ""}
        for b in leaving])
    tx.record(boxes=len(leaving), cranes=len(result.cranes), makespan=result.makespan,
              waits=result.waits, warnings=len(result.warnings), replaced=old is not None)
    return {"plan_id": dplan.id, "boxes": len(leaving), "cranes": len(result.cranes),
            "warnings": [str(w) for w in result.warnings]}


def stored_warning(warning: Message) -> dict:
    """A plan's warning as stored: its English text (what older rows hold, for logs) and its
    template and values, so the console shows it in the reader's language."""
    return {"text": str(warning), "template": warning.template, "params": warning.params}


def warning_text(stored: str | dict, translate=as_is) -> str:
    """A stored warning in ``translate``'s language (a plain string: as it was written)."""
    if isinstance(stored, str):
        return stored
    return Message(stored["template"], **stored["params"]).text(translate)
