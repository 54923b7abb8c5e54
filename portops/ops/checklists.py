"""Ticking berthing and unberthing checklist steps, and loading the terminal's checklist file.

Who may tick a step, what it needs first, what it records and what it checks come from the
checklist definition in force (``schedules/checklists.yaml`` or the terminal's imported copy),
not from code. A step that brings about a phase (berthed, departed) goes through the visit's
own transition (:mod:`portops.ops.visits`), so the phase rules live in one place.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import select

from portops import textcheck
from portops.clock import TYPED_FORMS, TimeTextError, parse_typed, show
from portops.formats import checklists as fmt
from portops.formats import registry
from portops.i18n import N_, Message, Texts
from portops.model import (
    ALONGSIDE,
    STAFF_ROLES,
    Berth,
    ChecklistSet,
    ChecklistStep,
    Phase,
    Role,
    Vessel,
    VesselVisit,
)
from portops.model.base import pk
from portops.ops import visits
from portops.ops.berthplan import berth_spec, live_placements, placement, terminal_settings
from portops.ops.cargo_work import due as cargo_due
from portops.ops.core import Choices, Term, Terms, Tx, Unmet, jsonable, operation
from portops.ops.report import ImportReport
from portops.ops.through import may, roles_through, through
from portops.planning.berths import fit_conflicts
from portops.queries.checklists import definitions

#: The visit transition each phase a step may bring about goes through.
TRANSITION = {Phase.ARRIVED: visits.arrive, Phase.BERTHED: visits.berth,
              Phase.WORKING: visits.start_work, Phase.COMPLETED: visits.complete_work,
              Phase.DEPARTED: visits.depart}
_TIMED = {Phase.ARRIVED, Phase.BERTHED, Phase.DEPARTED}


_VALUE_REMEDY = {"int": N_("enter a whole number"), "number": N_("enter a number"),
                 "time": N_("enter a time like {forms} (terminal time, {tz})")}


def step_ref(d: fmt.ChecklistDef, step_id: str) -> Texts:
    """A step as a refusal names it: by its number in the checklist, as the console lists it
    (step 3, 第 3 步), in every language; the id (FLOATS_AND_MARKS_SET) is what events and
    the file say, not a word a clerk reads (issue 14, walker item 9). An id the checklist
    does not hold stays as it is."""
    n = next((i for i, s in enumerate(d.steps, 1) if s.id == step_id), None)
    return Texts(f"step {n}", zh=f"第 {n} 步") if n else Texts(step_id)


def _own(english: str, texts: dict[str, str]) -> Texts:
    """A site's text from its YAML (``{en: ..., zh: ...}``) as a value for a refusal."""
    return Texts(english, **{k: v for k, v in texts.items() if k != "en"})


def step_title(sdef: fmt.StepDef) -> Texts:
    return _own(sdef.label(), sdef.text)


def _value_label(v: fmt.ValueDef) -> Texts:
    return _own(v.label.get("en", v.name), v.label)


def _values(tx: Tx, step: fmt.StepDef, given: dict[str, Any], tz: str,
            ref: Texts | None = None) -> dict[str, Any]:
    """The step's recorded values, typed; every missing or malformed one is a rule."""
    ref = ref or Texts(step.id)
    known = {v.name for v in step.records}
    for name in given:
        tx.rule(name in known, "checklist.value.unknown",
                N_("{step} does not record {name!r}"), N_("record only: {known}"),
                step=ref, name=name, known=", ".join(sorted(known)) or "-")
    out: dict[str, Any] = {}
    for v in step.records:
        raw = given.get(v.name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if v.default == "now":
                out[v.name] = tx.now()
            elif v.required:
                tx.rule(False, "checklist.value.missing",
                        N_("{step} ({title}) needs the {label}"),
                        N_("enter the {label}"), step=ref, title=step_title(step),
                        label=_value_label(v))
            continue
        try:
            out[v.name] = _typed(v.type, raw, tz, tx.now())
            if v.type == "text":  # a length and a shape, like every typed field
                textcheck.rule(tx, textcheck.kind_of(v.name), out[v.name], "checklist.value.shape",
                               v.label.get("en", v.name))
        except (TypeError, ValueError):
            tx.rule(False, "checklist.value.invalid", N_("{label} {raw!r} is not a valid {type}"),
                    _VALUE_REMEDY.get(v.type, N_("correct it")), label=_value_label(v),
                    raw=raw, type=Term(v.type), forms=TYPED_FORMS, tz=tz)
    return out


def _typed(kind: str, raw: Any, tz: str, now: datetime) -> Any:
    if kind == "int":
        if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
            raise ValueError(raw)
        value = int(raw)
        if value < 0:
            raise ValueError(raw)
        return value
    if kind == "number":
        return float(raw)
    if kind == "time":  # typed in the terminal's zone, like every time a person types
        try:
            return parse_typed(raw, tz, now)
        except TimeTextError as exc:
            raise ValueError(raw) from exc
    return str(raw).strip()


def _step_time(sdef: fmt.StepDef | None, row: ChecklistStep) -> datetime:
    """When a done step happened: its last recorded (not planned) time, else when ticked."""
    times = [t for v in (sdef.records if sdef else ())
             if v.type == "time" and not v.planned and (t := row.values.get(v.name))]
    return max(datetime.fromisoformat(t) for t in times) if times else row.done_at


def _needed(d: fmt.ChecklistDef, sdef: fmt.StepDef) -> set[str]:
    """Every step ``sdef`` needs, directly or through the steps it needs."""
    out: set[str] = set()
    todo = list(sdef.needs)
    while todo:
        sid = todo.pop()
        if sid not in out:
            out.add(sid)
            todo.extend(s.needs if (s := d.step(sid)) else ())
    return out


def _phase_and_times(tx: Tx, d: fmt.ChecklistDef, sdef: fmt.StepDef, visit: VesselVisit,
                     done: dict[str, ChecklistStep], got: dict[str, Any], tz: str) -> None:
    """State the step's own phase rule and that its times are neither ahead nor out of order.

    Why: a mooring step belongs to a vessel that is there (floats and "all fast" were accepted
    for a visit still planned, ten hours before it berthed), and the timeline it writes must
    read in the order things happened: no time after now, none before the steps it follows or
    the vessel's arrival and berthing.
    """
    if sdef.phases:
        arrive_first = Phase.ARRIVED.value in sdef.phases and visit.phase == Phase.PLANNED
        tx.rule(visit.phase in sdef.phases, "checklist.step.phase",
                N_("{step} ({label}) is done while the visit is {phases}; {visit} is "
                   "{phase}"),
                N_("record the vessel's arrival first (schedule, key a)") if arrive_first
                else N_("tick it while the visit is {phases}"),
                step=step_ref(d, sdef.id), label=step_title(sdef), phases=Choices(sdef.phases),
                visit=visit.key,
                phase=Term(Phase(visit.phase).value))
    now = tx.now()
    floor: tuple[datetime, str] | None = None
    for when, what in ((visit.ata, Term("ATA")), (visit.atb, Term("ATB"))):
        if when is not None and (floor is None or when > floor[0]):
            floor = (when, what)
    needed = _needed(d, sdef)
    for step in (s for s in d.steps if s.id in needed):  # in order: the nearest wins a tie
        row = done.get(step.id)
        if row is not None:
            when = _step_time(step, row)
            if floor is None or when >= floor[0]:
                floor = (when, step_ref(d, step.id))
    for v in sdef.records:
        when = got.get(v.name)
        if v.type != "time" or v.planned or not isinstance(when, datetime):
            continue
        label = _value_label(v)
        tx.rule(when <= now, "checklist.time.future",
                N_("{label} {when} is in the future (it is now {now})"),
                N_("enter the time it happened, not later than now"),
                label=label, when=show(when, tz), now=show(now, tz, "%H:%M"))
        if floor is not None:
            tx.rule(when >= floor[0], "checklist.time.order",
                    N_("{label} {when} is before {before} ({at})"),
                    N_("enter a time at or after {at}"),
                    label=label, when=show(when, tz), before=floor[1], at=show(floor[0], tz))
        floor = (when, label) if floor is None or when > floor[0] else floor


def _unfinished_cargo(tx: Tx, visit: VesselVisit) -> Unmet | None:
    """Why cargo work on ``visit`` is not finished, or None when it is."""
    remedy = N_("finish cargo work, or override with a written reason")
    if visit.phase == Phase.WORKING:
        return Unmet.of("checklist.cargo_unfinished", N_("cargo work on {visit} is still under way"),
                        remedy, visit=visit.key)
    to_discharge, to_load = cargo_due(tx.session, pk(visit))  # short-landed boxes are not due
    if to_discharge or to_load:
        return Unmet.of("checklist.cargo_unfinished",
                        N_("{visit} still has {to_discharge} box(es) to discharge and {to_load} to load"),
                        remedy, visit=visit.key, to_discharge=to_discharge, to_load=to_load)
    return None


def _guards(tx: Tx, step: fmt.StepDef, visit: VesselVisit, override_reason: str) -> str | None:
    """State each guard the step asks for; returns the guard overridden, if any."""
    overridden = None
    vessel = tx.get(Vessel, visit.vessel_id)
    term = terminal_settings(tx.session)
    here = placement(visit, vessel, tx.now())
    for g in step.guards:
        if g == "berth_fit":
            berth = tx.session.get(Berth, visit.berth_id) if visit.berth_id else None
            tx.rule(berth is not None and visit.quay_from_m is not None,
                    "checklist.berth_fit.unassigned",
                    N_("visit {visit} has no berth and quay position"),
                    N_("assign it in the berth plan"), visit=visit.key)
            tx.rule(visit.etb or visit.atb, "checklist.berth_fit.no_time",
                    N_("visit {visit} has no berthing time"), N_("set its ETB"), visit=visit.key)
            if berth is not None:
                for c in fit_conflicts(here, berth_spec(berth), ukc_m=term.ukc_m):
                    tx.add(c.unmet)
        elif g == "berth_clear" and here.quay_from_m is not None:
            here_to = here.quay_from_m + here.loa_m  # Placement.quay_to_m, known not None
            for o in live_placements(tx.session, tx.now(), exclude=visit.id):
                if o.phase not in ALONGSIDE or o.quay_from_m is None:
                    continue
                gap = term.vessel_clearance_m
                o_to = o.quay_from_m + o.loa_m
                if o.quay_from_m < here_to + gap and here.quay_from_m < o_to + gap:
                    tx.rule(False, "berth.occupied",
                            N_("{key} is still alongside at {quay_from_m:g}–{quay_to_m:g} m, on the quay {visit} needs"),
                            N_("wait until {key} has unberthed, or move {visit} in the berth plan"),
                            key=o.key, quay_from_m=o.quay_from_m, quay_to_m=o_to,
                            visit=visit.key)
        elif g == "cargo_finished":
            why = _unfinished_cargo(tx, visit)
            if why and override_reason:
                overridden = g
            else:
                if why:
                    tx.add(why)
    return overridden


@operation("checklist.tick", *[r for r in STAFF_ROLES if r != Role.ADMIN])
def tick(tx: Tx, visit_id: int, checklist: str, step: str,
         values: dict[str, Any] | None = None, override_reason: str = "") -> dict[str, Any]:
    """Tick a checklist step on a visit."""
    set_id, defs = definitions(tx.session)
    d = defs.get(checklist)
    if d is None:
        tx.fail("checklist.unknown", N_("there is no {checklist!r} checklist"),
                N_("use one of: {choices}"), checklist=checklist, choices=", ".join(defs))
    sdef = d.step(step)
    if sdef is None:
        tx.fail("checklist.step.unknown", N_("the {checklist} checklist has no step {step!r}"),
                N_("use one of: {choices}"), checklist=_own(checklist, d.title), step=step,
                choices=", ".join(s.id for s in d.steps))
    visit = tx.get(VesselVisit, visit_id, what="visit", for_update=True)
    tx.about("visit", visit.id, visit.key)
    role = tx.actor.role
    tx.rule(role == Role.ADMIN or role.value == sdef.role, "checklist.step.role",
            N_("{step} ({label}) is done by a {role}, not a {actor_role}"),
            N_("ask a {role} to tick it"), step=step_ref(d, sdef.id), label=step_title(sdef),
            role=Term(Role(sdef.role).label), actor_role=Term(role.label))
    tx.rule(visit.phase in d.phases, "checklist.phase",
            N_("visit {visit} is {phase}; the {checklist} checklist is worked only while it is "
               "{phases}"),
            N_("work the checklist that fits the visit's phase"), visit=visit.key,
            phase=Term(Phase(visit.phase).value), checklist=_own(checklist, d.title),
            phases=Choices(d.phases))
    rows = {r.step_id: r for r in tx.session.exec(select(ChecklistStep).where(
        ChecklistStep.visit_id == visit.id, ChecklistStep.checklist == checklist))}
    done = set(rows)
    tx.rule(sdef.id not in done, "checklist.step.done",
            N_("{step} ({title}) is already done on {visit}"), N_("go on with the next step"),
            step=step_ref(d, sdef.id), title=step_title(sdef), visit=visit.key)
    for need in sdef.needs:
        tx.rule(need in done, "checklist.step.needs",
                N_("{step} ({title}) needs {need} ({label}) first"), N_("do {need} first"),
                step=step_ref(d, sdef.id), title=step_title(sdef), need=step_ref(d, need),
                label=step_title(nd) if (nd := d.step(need)) else need)  # needs are checked steps
    tz = terminal_settings(tx.session).timezone
    got = _values(tx, sdef, dict(values or {}), tz, step_ref(d, sdef.id))
    _phase_and_times(tx, d, sdef, visit, rows, got, tz)
    reason = (override_reason or "").strip()
    textcheck.typed(tx, "checklist", reason=reason)
    overridden = _guards(tx, sdef, visit, reason)
    if overridden == "cargo_finished" and visit.phase == Phase.WORKING:
        # The vessel sails with work unfinished (cut and run): cargo work stops here, with
        # the written reason, so that the visit can go on to depart.
        through(tx, visits.complete_work, visit_id=visit.id)  # its role check applies
    if sdef.phase:
        phase = Phase(sdef.phase)
        kwargs = {"at": got.get(sdef.at) if sdef.at else None} if phase in _TIMED else {}
        through(tx, TRANSITION[phase], visit_id=visit.id, **kwargs)  # its roles and rules
    tx.ensure()
    tx.session.add(ChecklistStep(visit_id=pk(visit), checklist=checklist, step_id=sdef.id,
                                 set_id=set_id, done_by=tx.actor.name, role=role.value,
                                 done_at=tx.now(), values=jsonable(got),
                                 override=overridden,
                                 override_reason=reason if overridden else None))
    tx.dcsa = sdef.event or tx.dcsa
    tx.record(step=sdef.id, values=got, override=overridden,
              override_reason=reason if overridden else None)
    remaining = [s.id for s in d.steps if s.id not in done and s.id != sdef.id]
    return {"step": sdef.id, "phase": str(visit.phase), "remaining": remaining}


@operation("checklist.import", Role.ADMIN)
def import_definitions(tx: Tx, body: dict[str, Any], source: str = "") -> ImportReport:
    """Load the terminal's checklist definitions (from a checklists YAML file)."""
    defs = fmt.from_json(body)
    _, before = definitions(tx.session)
    tx.about("checklists", None, source[-64:])
    _steps_may_change_phase(tx, defs)
    tx.ensure()
    row = ChecklistSet(body=body, source=source[-256:], imported_by=tx.actor.name,
                       imported_at=tx.now())
    tx.session.add(row)
    tx.session.flush()
    report = _report(before, defs)
    tx.record(set_id=row.id, counts=report.counts(), changes=report.details())
    return report


def _steps_may_change_phase(tx: Tx, defs: dict[str, fmt.ChecklistDef]) -> None:
    """A step that brings about a phase (or cuts cargo work short) is ticked by a role that
    may make that change (``ops.through``): the file cannot give berthing to a line handler."""
    for name, d in defs.items():
        for s in d.steps:
            changes = ([TRANSITION[Phase(s.phase)]] if s.phase else []) + (
                [visits.complete_work] if "cargo_finished" in s.guards else [])
            for inner in changes:
                tx.rule(may(Role(s.role), tick.name, inner), "checklist.step.role_may_not",
                        N_("{step} ({label}) of the {checklist} checklist would {action}, "
                           "which a {role} may not do"),
                        N_("give the step to a {allowed}"), step=step_ref(d, s.id), label=step_title(s),
                        checklist=_own(name, d.title),
                        action=Term(inner.action), role=Term(Role(s.role).label),
                        allowed=Terms(sorted(r.label for r in roles_through(tick.name, inner))))


_COMPARED = ("role", "needs", "guards", "records", "event", "phase", "at", "text", "phases")


def _report(old: dict[str, fmt.ChecklistDef], new: dict[str, fmt.ChecklistDef]) -> ImportReport:
    """What the newly loaded checklists change, step by step."""
    report = ImportReport(N_("checklists"))
    for name, d in new.items():
        prev = old.get(name)
        for s in d.steps:
            p = prev.step(s.id) if prev else None
            report.add(N_("step"), f"{name} {s.id}", _fields(p) if p else None, _fields(s))
        if prev:
            report.notes += [Message(N_("removed step {step}"), step=f"{name} {s.id}")
                             for s in prev.steps if d.step(s.id) is None]
    report.notes += [Message(N_("removed checklist {name}"), name=name)
                     for name in old if name not in new]
    return report


def _fields(s: fmt.StepDef) -> dict[str, Any]:
    return {k: jsonable(getattr(s, k)) for k in _COMPARED}


registry.register_yaml("checklists", fmt.import_kwargs, import_definitions,
                       summary=N_("berthing and unberthing checklists"))
