"""Checklists as data: the berthing and unberthing steps, read from YAML and checked line by line.

The shipped default is ``portops/data/checklists.yaml`` (``schedules/checklists.yaml`` in a
checkout links to it); a terminal edits a copy (adds a step such
as GANGWAY_DOWN_AND_SECURE, gives a step to another role) and loads it with ``portops import``.
The operations then follow whatever definition was imported last, so no code changes.

A mistake in the file is reported as ``FILE:LINE: what is wrong — how to fix it`` and nothing
is loaded.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from portops import data
from portops.formats import yamlsrc
from portops.formats.yamlsrc import SourceError
from portops.i18n import N_, Said, Term
from portops.model import STAFF_ROLES, Phase, Role

#: Checks a step can ask for when it is ticked (implemented in portops.ops.checklists).
GUARDS = ("berth_fit", "berth_clear", "cargo_finished")
#: Guards a dispatcher may override with a written reason.
OVERRIDABLE = ("cargo_finished",)
#: What a key of the file holds, as a sentence names it (``Term(kind.__name__)``).
_KINDS = (N_("str"), N_("list"), N_("dict"), N_("bool"))
#: The types a record takes; the names are words a refusal says (``Term``: 整数, 时间).
VALUE_TYPES = (N_("text"), N_("int"), N_("number"), N_("time"))
#: Phases a step may bring about, each through the visit transition of the same name.
STEP_PHASES = (Phase.ARRIVED, Phase.BERTHED, Phase.WORKING, Phase.COMPLETED, Phase.DEPARTED)

DEFAULT_PATH = data.path("checklists.yaml")  # inside the package (schedules/ links to it)


#: A bad checklist file: ``str()`` is ``FILE:LINE: problem; remedy``.
ChecklistFileError = SourceError


@dataclass(frozen=True)
class ValueDef:
    name: str
    type: str
    required: bool = True
    default: str | None = None
    label: dict[str, str] = field(default_factory=dict)
    #: A time planned ahead (the unberthing time agreed), not the moment something happened:
    #: it may lie in the future and is not ordered against the steps before it.
    planned: bool = False


@dataclass(frozen=True)
class StepDef:
    id: str
    text: dict[str, str]
    role: str
    needs: tuple[str, ...] = ()
    guards: tuple[str, ...] = ()
    records: tuple[ValueDef, ...] = ()
    event: str | None = None
    phase: str | None = None
    at: str | None = None
    #: The visit phases in which this step may be ticked (empty: the checklist's phases).
    #: Mooring steps belong to a vessel that has arrived, not to one still planned.
    phases: tuple[str, ...] = ()

    def label(self, lang: str = "en") -> str:
        return self.text.get(lang) or self.text.get("en") or self.id


@dataclass(frozen=True)
class ChecklistDef:
    name: str
    title: dict[str, str]
    phases: tuple[str, ...]
    steps: tuple[StepDef, ...]

    def step(self, step_id: str) -> StepDef | None:
        return next((s for s in self.steps if s.id == step_id), None)


class _Reader:
    """Walks the loaded mapping, raising the first error with its line."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, where: Any, key: Any, problem: str, remedy: str) -> NoReturn:
        line = None
        if isinstance(where, yamlsrc.Map):
            line = where.line_of(key) if key is not None else where.line
        elif isinstance(where, yamlsrc.Seq):
            line = where.line
        raise SourceError(self.source, line or 1, Said(N_("{problem}; {remedy}"),
                                                       problem=problem, remedy=remedy))

    def need(self, d: Any, key: str, kind: type, what: str) -> Any:
        if not isinstance(d, dict) or key not in d:
            self.fail(d, None, Said(N_("{what} has no '{key}'"), what=what, key=key),
                      Said(N_("add '{key}:'"), key=key))
        value = d[key]
        if not isinstance(value, kind) or (kind is str and not str(value).strip()):
            self.fail(d, key, Said(N_("'{key}' of {what} must be {name}"),
                                   key=key, what=what, name=Term(kind.__name__)),
                      Said(N_("write '{key}' as a {name}"), key=key, name=Term(kind.__name__)))
        return value

    def opt(self, d: dict, key: str, kind: type, default: Any) -> Any:
        if key not in d or d[key] is None:
            return default
        if not isinstance(d[key], kind):
            self.fail(d, key, Said(N_("'{key}' must be a {name}"), key=key,
                                   name=Term(kind.__name__)),
                      Said(N_("write '{key}' as a {name}"), key=key, name=Term(kind.__name__)))
        return d[key]

    def text(self, d: dict, key: str, what: str) -> dict[str, str]:
        value = d.get(key)
        if isinstance(value, str) and value.strip():
            return {"en": value}
        if not isinstance(value, dict) or not isinstance(value.get("en"), str):
            self.fail(d, key if key in d else None, Said(N_("{what} needs '{key}' with an "
                                                            "English text"), what=what, key=key),
                      Said(N_("write {key}: {{en: ..., zh: ...}}"), key=key))
        return {str(k): str(v) for k, v in value.items()}


def parse(data: Any, source: str = "<checklists>") -> dict[str, ChecklistDef]:
    """Check a loaded checklist document and turn it into definitions (by checklist name)."""
    r = _Reader(source)
    if not isinstance(data, dict):
        r.fail(data, None, Said(N_("the file is not a mapping")),
               Said(N_("start with 'kind: checklists'")))
    if data.get("kind") != "checklists":
        r.fail(data, "kind", Said(N_("kind is {data!r}, not 'checklists'"), data=data.get('kind')),
               Said(N_("set 'kind: checklists'")))
    lists = r.need(data, "checklists", dict, Said(N_("the file")))
    if not lists:
        r.fail(lists, None, Said(N_("no checklists are defined")),
               Said(N_("define berthing and unberthing")))
    out = {}
    for name, body in lists.items():
        if not isinstance(body, dict):
            r.fail(lists, name, Said(N_("checklist {name} is not a mapping"), name=name),
                   Said(N_("give it title, phases and steps")))
        out[name] = _checklist(r, name, body)
    return out


def _checklist(r: _Reader, name: str, body: dict) -> ChecklistDef:
    phases = r.need(body, "phases", list, Said(N_("checklist {name}"), name=name))
    for p in phases:
        if p not in {ph.value for ph in Phase}:
            r.fail(body, "phases", Said(N_("checklist {name}: {p!r} is not a visit phase"),
                                        name=name, p=p),
                   Said(N_("use {choices}"), choices=", ".join(ph.value for ph in Phase)))
    raw = r.need(body, "steps", list, Said(N_("checklist {name}"), name=name))
    if not raw:
        r.fail(body, "steps", Said(N_("checklist {name} has no steps"), name=name),
               Said(N_("add at least one step")))
    steps: list[StepDef] = []
    for item in raw:
        step = _step(r, name, item, {s.id for s in steps})
        steps.append(step)
    return ChecklistDef(name, r.text(body, "title", Said(N_("checklist {name}"),
                                                         name=name)) if "title" in body
                        else {"en": name}, tuple(phases), tuple(steps))


def _step(r: _Reader, name: str, d: Any, earlier: set[str]) -> StepDef:
    if not isinstance(d, dict):
        r.fail(d, None, Said(N_("a step of {name} is not a mapping"), name=name),
               Said(N_("write '- id: ...' with "
                                                                      "its keys")))
    sid = r.need(d, "id", str, Said(N_("a step of {name}"), name=name))
    if sid in earlier:
        r.fail(d, "id", Said(N_("step {sid} is defined twice"), sid=sid),
               Said(N_("give every step its own id")))
    what = Said(N_("step {sid}"), sid=sid)
    role = r.need(d, "role", str, what)
    roles = [x.value for x in STAFF_ROLES if x != Role.ADMIN]
    if role not in roles:
        r.fail(d, "role", Said(N_("{what}: {role!r} is not a role"), what=what, role=role),
               Said(N_("use {choices}"), choices=", ".join(roles)))
    needs = r.opt(d, "needs", list, [])
    for n in needs:
        if n not in earlier:
            r.fail(d, "needs", Said(N_("{what} needs {n!r}, which is not an earlier step of "
                                       "{name}"), what=what, n=n, name=name),
                   Said(N_("name a step listed above it")))
    guards = r.opt(d, "guards", list, [])
    for g in guards:
        if g not in GUARDS:
            r.fail(d, "guards", Said(N_("{what}: unknown guard {g!r}"), what=what, g=g),
                   Said(N_("use {choices}"), choices=", ".join(GUARDS)))
    records = tuple(_value(r, what, v) for v in r.opt(d, "records", list, []))
    phase = r.opt(d, "phase", str, None)
    if phase is not None and phase not in {p.value for p in STEP_PHASES}:
        r.fail(d, "phase", Said(N_("{what}: a step cannot bring about phase {phase!r}"),
                                what=what, phase=phase),
               Said(N_("use {choices}"), choices=", ".join(p.value for p in STEP_PHASES)))
    at = r.opt(d, "at", str, None)
    if at is not None and not any(v.name == at and v.type == "time" for v in records):
        r.fail(d, "at", Said(N_("{what}: 'at: {at}' is not a time this step records"),
                             what=what, at=at),
               Said(N_("name one of its records of type time")))
    event = r.opt(d, "event", str, None)
    if event is not None and len(event) > 48:
        r.fail(d, "event", Said(N_("{what}: event name longer than 48 characters"), what=what),
               Said(N_("shorten it")))
    phases = r.opt(d, "phases", list, [])
    for p in phases:
        if p not in {ph.value for ph in Phase}:
            r.fail(d, "phases", Said(N_("{what}: {p!r} is not a visit phase"), what=what, p=p),
                   Said(N_("use {choices}"), choices=", ".join(ph.value for ph in Phase)))
    return StepDef(sid, r.text(d, "text", what), role, tuple(needs), tuple(guards), records,
                   event, phase, at, tuple(phases))


def _value(r: _Reader, what: str, v: Any) -> ValueDef:
    if not isinstance(v, dict):
        r.fail(v, None, Said(N_("{what}: a record is not a mapping"), what=what),
               Said(N_("write {name: ..., type: "
                                                                      "...}")))
    name = r.need(v, "name", str, Said(N_("a record of {what}"), what=what))
    vtype = r.opt(v, "type", str, "text")
    if vtype not in VALUE_TYPES:
        r.fail(v, "type", Said(N_("{what}: record {name} has unknown type {vtype!r}"),
                               what=what, name=name, vtype=vtype),
               Said(N_("use {choices}"), choices=", ".join(VALUE_TYPES)))
    default = r.opt(v, "default", str, None)
    if default is not None and vtype == "time" and default != "now":
        r.fail(v, "default", Said(N_("{what}: a time default can only be 'now'"), what=what),
               Said(N_("write "
                                                                                  "default: now")))
    required = r.opt(v, "required", bool, default is None)
    label = r.text(v, "label", Said(N_("record {name}"),
                                    name=name)) if "label" in v else {"en": name}
    planned = r.opt(v, "planned", bool, False)
    if planned and vtype != "time":
        r.fail(v, "planned", Said(N_("{what}: only a time can be planned"), what=what),
               Said(N_("remove 'planned'")))
    return ValueDef(name, vtype, required, default, label, planned)


def load_text(text: str, source: str) -> dict[str, ChecklistDef]:
    docs = yamlsrc.load_documents(text, source)
    if len(docs) != 1:
        raise SourceError(source, 1, Said(N_("a checklist file holds exactly one YAML document")))
    return parse(docs[0], source)


def load_file(path: str | Path) -> dict[str, ChecklistDef]:
    return parse(yamlsrc.load_file(path), str(path))


def import_kwargs(doc: Any, path: str) -> dict[str, Any]:
    """``portops import``: a checklists file, checked, as ``checklist.import`` arguments."""
    return {"body": to_json(parse(doc, path)), "source": path}


def to_json(defs: dict[str, ChecklistDef]) -> dict[str, Any]:
    """What the database stores for an imported definition."""
    return {name: asdict(d) for name, d in defs.items()}


def from_json(data: dict[str, Any]) -> dict[str, ChecklistDef]:
    out = {}
    for name, d in data.items():
        steps = tuple(StepDef(**{**s, "needs": tuple(s["needs"]), "guards": tuple(s["guards"]),
                                 "phases": tuple(s.get("phases", ())),
                                 "records": tuple(ValueDef(**v) for v in s["records"])})
                      for s in d["steps"])
        out[name] = ChecklistDef(name, d["title"], tuple(d["phases"]), steps)
    return out


def default() -> dict[str, ChecklistDef]:
    """The shipped checklists (``portops/data/checklists.yaml``)."""
    return load_file(DEFAULT_PATH)
