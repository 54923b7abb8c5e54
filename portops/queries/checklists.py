"""What the checklist screens and the line handler's console show: steps, who, done, what next."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from portops.formats import checklists as fmt
from portops.model import LIVE, Berth, ChecklistSet, ChecklistStep, Vessel, VesselVisit
from portops.model.base import pk


def definitions(session: Session) -> tuple[int | None, dict[str, fmt.ChecklistDef]]:
    """The checklists in force: the newest imported set, else the shipped default (id None)."""
    row = session.exec(select(ChecklistSet).order_by(col(ChecklistSet.id).desc())).first()
    if row is None:
        return None, fmt.default()
    return row.id, fmt.from_json(row.body)


@dataclass(frozen=True)
class StepView:
    number: int
    id: str
    text: dict[str, str]
    role: str
    needs: tuple[str, ...]
    records: tuple[fmt.ValueDef, ...]
    done: bool
    ready: bool  # not done and every step it needs is done
    done_by: str | None = None
    done_at: datetime | None = None
    values: dict[str, Any] = field(default_factory=dict)
    override_reason: str | None = None

    def label(self, lang: str = "en") -> str:
        return self.text.get(lang) or self.text.get("en") or self.id


@dataclass(frozen=True)
class ChecklistView:
    visit_id: int
    visit_key: str
    vessel: str
    berth: str | None
    phase: str
    checklist: str
    title: dict[str, str]
    open: bool  # the visit's phase allows working this checklist
    steps: tuple[StepView, ...]

    @property
    def next_step(self) -> StepView | None:
        return next((s for s in self.steps if s.ready), None)

    @property
    def complete(self) -> bool:
        return all(s.done for s in self.steps)


def _views(d: fmt.ChecklistDef, done: dict[str, ChecklistStep]) -> tuple[StepView, ...]:
    out = []
    for n, s in enumerate(d.steps, 1):
        row = done.get(s.id)
        ready = row is None and all(x in done for x in s.needs)
        out.append(StepView(n, s.id, s.text, s.role, s.needs, s.records, row is not None, ready,
                            row.done_by if row else None, row.done_at if row else None,
                            dict(row.values) if row else {},
                            row.override_reason if row else None))
    return tuple(out)


def checklist(session: Session, visit_id: int, name: str) -> ChecklistView | None:
    """One visit's checklist with every step's state; None if the visit or list is unknown."""
    _, defs = definitions(session)
    d = defs.get(name)
    row = session.exec(select(VesselVisit, Vessel, Berth)
                       .join(Vessel, col(Vessel.id) == col(VesselVisit.vessel_id))
                       .join(Berth, col(Berth.id) == col(VesselVisit.berth_id), isouter=True)
                       .where(VesselVisit.id == visit_id)).first()
    if d is None or row is None:
        return None
    visit, vessel, berth = row
    done = {r.step_id: r for r in session.exec(select(ChecklistStep).where(
        ChecklistStep.visit_id == visit_id, ChecklistStep.checklist == name))}
    return ChecklistView(pk(visit), visit.key, vessel.name, berth.name if berth else None,
                         str(visit.phase), name, d.title, visit.phase in d.phases,
                         _views(d, done))


@dataclass(frozen=True)
class Job:
    """A step someone in ``role`` can do now, on one visit."""

    visit_id: int
    visit_key: str
    vessel: str
    berth: str | None
    quay_from_m: float | None
    loa_m: float
    checklist: str
    step: StepView
    when: datetime | None  # ETB for berthing, ETD for unberthing, to order the jobs


def jobs(session: Session, role: str) -> list[Job]:
    """Every step ``role`` can tick now, soonest first: the line handler's work list."""
    _, defs = definitions(session)
    rows = session.exec(select(VesselVisit, Vessel, Berth)
                        .join(Vessel, col(Vessel.id) == col(VesselVisit.vessel_id))
                        .join(Berth, col(Berth.id) == col(VesselVisit.berth_id), isouter=True)
                        .where(col(VesselVisit.phase).in_(LIVE))).all()
    ids = [pk(v) for v, _, _ in rows]
    done: dict[tuple[int, str], dict[str, ChecklistStep]] = {}
    if ids:
        for r in session.exec(select(ChecklistStep).where(col(ChecklistStep.visit_id).in_(ids))):
            done.setdefault((r.visit_id, r.checklist), {})[r.step_id] = r
    out = []
    for visit, vessel, berth in rows:
        for name, d in defs.items():
            if visit.phase not in d.phases:
                continue
            for s in _views(d, done.get((pk(visit), name), {})):
                step = d.step(s.id)
                phases = step.phases if step else ()
                if phases and visit.phase not in phases:
                    continue  # a mooring job waits for the vessel to arrive
                if s.ready and s.role == role:
                    when = visit.etb if visit.phase in ("planned", "arrived") else visit.etd
                    out.append(Job(pk(visit), visit.key, vessel.name,
                                   berth.name if berth else None, visit.quay_from_m,
                                   vessel.loa_m, name, s, when))
    far = datetime.max.replace(tzinfo=None)
    out.sort(key=lambda j: (j.when.replace(tzinfo=None) if j.when else far, j.visit_key))
    return out
