"""The dispatcher's berthing and unberthing checklists (F5): pick a visit, tick its steps.

The steps, who does them, what they need and record come from the checklist file in force.
A step that records values opens a small form, which stays open with a refusal shown inside
it; ``o`` overrides a refusal for unfinished cargo work with a written reason. Before anything
is tried, the line under the list says why the highlighted step cannot be ticked now
(``Core.check``), every rule of it, for the step the cursor is on (also through a refresh
because another console ticked a step). A step is named by its number and title, never its id.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlmodel import select
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from portops.db import read_session
from portops.formats.checklists import ValueDef
from portops.i18n import N_, _, language
from portops.model import ALONGSIDE, LIVE, VesselVisit
from portops.ops import Refused, Unmet
from portops.ops.berthplan import terminal_settings
from portops.ops.checklists import tick
from portops.queries.checklists import ChecklistView, StepView, checklist
from portops.queries.events import high_water
from portops.textcheck import kind_of
from portops.ui.commands import Command
from portops.ui.errors import rules_text
from portops.ui.live import Changes
from portops.ui.screens.admin_forms import FormField, OperationForm
from portops.ui.screens.base import AreaScreen
from portops.ui.widgets.checklist import StepList
from portops.ui.widgets.fields import FieldInput


def text_lang() -> str:
    """The key of step texts in the checklist file for the console's language (en, zh)."""
    return language().split("_")[0]


class ValuesForm(ModalScreen[dict[str, str] | None]):
    """Enter some values (Enter on the last field submits, Esc cancels); the loading and
    departure panes use it. A step's values have their own form (:class:`StepForm`)."""

    BINDINGS = [Binding("escape", "cancel", N_("cancel"), id="form.cancel")]

    def __init__(self, title: str, fields: list[ValueDef]) -> None:
        super().__init__()
        self.title_text, self.fields = title, fields

    def compose(self) -> ComposeResult:
        lang = text_lang()
        with Vertical(classes="form"):
            yield Label(self.title_text, classes="form-title")
            for f in self.fields:
                hint = _("blank = now") if f.default == "now" else (
                    "" if f.required else _("optional"))
                if f.type == "time":  # read in the terminal's zone by the operation
                    hint = ", ".join(x for x in (hint, _("e.g. 14:30 or 07 14:30")) if x)
                label = f.label.get(lang) or f.label.get("en", f.name)
                yield FieldInput(placeholder=f"{label}" + (f" ({hint})" if hint else ""),
                            id=f"v-{f.name}", max_length=kind_of(f.name).max_len
                            if f.type == "text" else 40)  # what checklist.tick takes
            with Horizontal(classes="form-buttons"):
                yield Button(_("OK"), variant="primary", id="ok")
                yield Button(_("Cancel"), id="cancel")

    def _values(self) -> dict[str, str]:
        return {f.name: self.query_one(f"#v-{f.name}", Input).value for f in self.fields}

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        i = inputs.index(event.input)
        if i + 1 < len(inputs):
            inputs[i + 1].focus()
        else:
            self.dismiss(self._values())

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.dismiss(self._values())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class StepForm(OperationForm):
    """The values a step records, then ``checklist.tick`` from the form itself: a refusal
    (Bollard aft left empty, Berthed at 25:00) is shown inside the form, with what was typed
    still there and the cursor on the field the rule names (walker item 11: the form used to
    close and lose it all). Dismisses with the tick's result once done."""

    ID_PREFIX = "v-"

    def __init__(self, title: str, fields: list[ValueDef], send: dict[str, Any]) -> None:
        lang = text_lang()
        rows = []
        for f in fields:
            hint = _("blank = now") if f.default == "now" else (
                "" if f.required else _("optional"))
            if f.type == "time":  # read in the terminal's zone by the operation
                hint = ", ".join(x for x in (hint, _("e.g. 14:30 or 07 14:30")) if x)
            rows.append(FormField(f.name, f.label.get(lang) or f.label.get("en", f.name),
                                  max_length=kind_of(f.name).max_len if f.type == "text"
                                  else 40, hint=hint))  # what checklist.tick takes
        #: a rule's field as the core names it (the English label) -> the form's field
        self.named = {f.label.get("en", f.name): f.name for f in fields} | {
            "reason": "override_reason"}
        super().__init__(title, rows, tick, self._arguments)
        self.send = send

    def _arguments(self, typed: dict[str, str]) -> dict[str, Any]:
        values = {k: v for k, v in typed.items() if v.strip()}
        reason = values.pop("override_reason", "")
        return {**self.send, "values": values, "override_reason": reason}

    def _refused(self, exc: Exception) -> None:
        super()._refused(exc)
        for u in getattr(exc, "unmet", ()):
            for key in ("label", "field"):
                name = self.named.get(str(u.params.get(key, "")))
                if name is not None:
                    self.show_error(rules_text(exc.unmet), name)
                    return


def done_notice(step: StepView, lang: str) -> str:
    """A ticked step as a clerk reads it: its number and title, never its id (walker item 9:
    "POSITION_CONFIRMED 已完成" on a Chinese screen)."""
    return _("Step {number} ({title}) done").format(number=step.number, title=step.label(lang))


G = N_("checklists")
TICK = Command("checklists.tick", "enter", N_("tick"), N_("Tick the highlighted step (a step "
               "that records values asks for them first)."), "tick", G)
OVERRIDE = Command("checklists.override", "o", N_("override"), N_("Tick the step although "
                   "cargo work is unfinished, with a written reason (recorded)."), "override", G)
TOGGLE = Command("checklists.toggle", "t", N_("berthing/unberthing"), N_("Switch between the "
                 "berthing and the unberthing checklist of the visit."), "toggle", G)
VISITS = Command("checklists.visits", "v", N_("visits"), N_("Choose another visit."),
                 "visits", G)


#: Rules about what is typed in a step's form: judged when it is sent, not before it opens.
FORM_RULES = ("checklist.value.", "checklist.time.")


def _read(engine, visit_id: int | None, name: str | None):
    """Visits to choose from, the chosen one's checklist, the terminal's time zone."""
    mark = high_water(engine)
    with read_session(engine) as s:
        tz = terminal_settings(s).timezone
        visits = [(v.id, v.key, str(v.phase)) for v in s.exec(
            # a stable order: by ETB the list moved under the dispatcher whenever a time was
            # recorded or a visit without one came along (SQLite sorts no ETB first)
            select(VesselVisit).where(VesselVisit.phase.in_(LIVE))
            .order_by(VesselVisit.eta, VesselVisit.id))]
        if visit_id is not None and visit_id not in {v[0] for v in visits}:
            visit_id, name = None, None  # the visit remembered has gone (departed)
        if visit_id is None and visits:
            visit_id = visits[0][0]
        view = None
        if visit_id is not None:
            if name is None:
                phase = s.get(VesselVisit, visit_id).phase
                name = "unberthing" if phase in ALONGSIDE else "berthing"
            view = checklist(s, visit_id, name)
    return mark, tz, visits, view


class ChecklistsScreen(AreaScreen):
    TITLE = N_("Checklists")
    HELP = N_("The berthing and unberthing checklists of a visit, as the terminal's checklist "
              "file defines them: ✓ done (by whom, when, what was recorded), ▶ can be done "
              "now, · waiting for an earlier step. The line under the list says why the "
              "highlighted step cannot be ticked yet.")
    AUTO_FOCUS = "#cl-steps"
    COMMANDS_DECLARED: ClassVar[tuple[Command, ...]] = (TICK, OVERRIDE, TOGGLE, VISITS)
    DEFAULT_CSS = """
    ChecklistsScreen #cl-body { height: 1fr; }
    ChecklistsScreen #cl-visits { width: 22; }
    ChecklistsScreen #cl-head { height: auto; text-style: bold; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.visit_id: int | None = None
        self.name_: str | None = None
        self.view: ChecklistView | None = None
        self.tz = "UTC"
        self.loaded = False

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="cl-body"):
            yield OptionList(id="cl-visits")
            with Vertical():
                yield Static("", id="cl-head")
                yield StepList(id="cl-steps")
                yield Static("", id="cl-why", classes="why")

    def on_mount(self) -> None:
        # the visit and checklist this user had chosen (at the last sign-in on this console)
        self.visit_id, self.name_ = self.app.remembered.get(self._memory, (None, None))
        # every rule under the list, wrapped (walker item 12: a second rule was cut at 80
        # columns by the five lines a ``.why`` line is given elsewhere); the list gives way
        self.query_one("#cl-why", Static).styles.max_height = 12
        self.load()

    @property
    def _memory(self) -> tuple[str, str]:
        return (self.app.user.name if self.app.user else "", "checklists")

    def load(self) -> None:
        self.fetch(_read, self.visit_id, self.name_, then=self._loaded, group="checklists")

    def _loaded(self, result) -> None:
        mark, self.tz, visits, view = result
        self.mark_seen(mark)
        options = self.query_one("#cl-visits", OptionList)
        options.clear_options()
        options.add_options([Option(f"{key} {_(phase)}", id=str(vid))
                             for vid, key, phase in visits])
        self.view = view
        if view is not None:
            self.visit_id, self.name_ = view.visit_id, view.checklist
            self.app.remembered[self._memory] = (self.visit_id, self.name_)
            # the visit shown stays highlighted in the list (its place may have moved)
            ids = [vid for vid, _key, _phase in visits]
            if view.visit_id in ids:
                options.highlighted = ids.index(view.visit_id)
            title = view.title.get(text_lang()) or view.title.get("en", view.checklist)
            self.query_one("#cl-head", Static).update(
                f"{title} · {view.visit_key} {view.vessel} · {_('berth')} {view.berth or '—'}"
                f" · {_(view.phase)}")
            self.query_one(StepList).show(view, text_lang(), self.tz)
        self.loaded = True
        if self.focused is None:  # the cursor stays in the list through a refresh
            self.query_one(StepList).focus()
        self._why()

    def apply_changes(self, changes: Changes) -> None:
        if changes.everything or changes.bulk("visit") or changes.ids("visit"):
            self.load()

    def _selected(self) -> StepView | None:
        sid = self.query_one(StepList).step_id
        return next((s for s in self.view.steps if s.id == sid), None) if self.view else None

    @on(OptionList.OptionHighlighted, "#cl-steps")
    def _why(self, *_args: Any) -> None:
        step = self._selected()
        why = self.query_one("#cl-why", Static)
        if step is None or step.done:
            why.update("")
            return
        values = {r.name: "0" for r in step.records if r.required and r.default is None}

        asked = (self.visit_id, self.name_, step.id)

        def show(unmet: list[Unmet]) -> None:
            # an answer for a step the cursor has left (End, then Home, faster than the
            # check) must not stand under another step (walker item 8)
            if asked != (self.visit_id, self.name_, self.query_one(StepList).step_id):
                return
            why.update(rules_text(unmet) if unmet else _("✓ can be ticked now (Enter)"))

        self.why_not(tick, then=show, visit_id=self.visit_id, checklist=self.name_,
                     step=step.id, values=values)

    @on(OptionList.OptionSelected, "#cl-visits")
    def _pick(self, event: OptionList.OptionSelected) -> None:
        self.visit_id, self.name_ = int(event.option.id), None
        self.load()
        self.query_one(StepList).focus()

    @on(OptionList.OptionSelected, "#cl-steps")
    def _selected_step(self, _event: OptionList.OptionSelected) -> None:
        self.action_tick()

    def action_visits(self) -> None:
        visits = self.query_one("#cl-visits", OptionList)
        visits.focus()
        if visits.highlighted is None and visits.option_count:
            visits.highlighted = 0

    def action_toggle(self) -> None:
        if self.visit_id is not None:
            self.name_ = "unberthing" if self.name_ == "berthing" else "berthing"
            self.load()

    def action_tick(self, override: bool = False) -> None:
        step = self._selected()
        if step is None or step.done:
            return
        if override:
            self._ask(step, override=True)
            return
        values = {r.name: "0" for r in step.records if r.required and r.default is None}

        def judged(unmet: list[Unmet]) -> None:
            # the line under the list already says the step would be refused: say why,
            # instead of a form whose values would be refused (the typed values' own rules
            # are the form's to judge)
            blocking = [u for u in unmet if not u.rule.startswith(FORM_RULES)]
            if blocking:
                self.app.report_error(Refused(tick.name, blocking))
            else:
                self._ask(step)

        self.why_not(tick, then=judged, visit_id=self.visit_id, checklist=self.name_,
                     step=step.id, values=values)

    def _ask(self, step: StepView, override: bool = False) -> None:
        asks = list(step.records)  # times left blank are recorded as now
        if override:
            asks.append(ValueDef("override_reason", "text", True, None,
                                 {"en": "Reason for the override",
                                  text_lang(): _("Reason for the override")}))
        if not asks:
            self._do(step)
            return
        key = self.view.visit_key if self.view else ""

        def done(result: Any) -> None:
            if result is not None:
                self._done(step, key)

        send = {"visit_id": self.visit_id, "checklist": self.name_, "step": step.id}
        self.app.push_screen(StepForm(step.label(text_lang()), asks, send), done)

    def action_override(self) -> None:
        self.action_tick(override=True)

    def _done(self, step: StepView, key: str) -> None:
        self.notify(done_notice(step, text_lang()), title=key)
        self.load()

    def _do(self, step: StepView) -> None:
        key = self.view.visit_key if self.view else ""
        self.perform(tick, then=lambda _result: self._done(step, key), visit_id=self.visit_id,
                     checklist=self.name_, step=step.id, values={}, override_reason="")
