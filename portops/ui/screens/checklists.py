"""The dispatcher's berthing and unberthing checklists: pick a visit, tick its steps.

A step that records values opens a small form first; a step refused for unfinished cargo
work can be overridden (``o``) with a written reason. Before anything is tried, the line under
the list says why the highlighted step cannot be ticked now (``Core.check``).
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from portops.db import read_session
from portops.formats.checklists import ValueDef
from portops.model import ALONGSIDE, LIVE, Phase, VesselVisit
from portops.ops import Core, Refused
from portops.ops.berthplan import terminal_settings
from portops.ops.checklists import tick
from portops.queries.checklists import ChecklistView, checklist
from portops.ui.screens.berths import refusal_text
from portops.ui.text import _
from portops.ui.widgets.checklist import StepList


class ValuesForm(ModalScreen[dict[str, str] | None]):
    """Enter the values a step records (Enter on the last field submits, Esc cancels)."""

    DEFAULT_CSS = """
    ValuesForm { align: center middle; }
    ValuesForm > Vertical { width: 60; height: auto; border: thick $accent; padding: 1 2;
                            background: $surface; }
    ValuesForm Input { margin-bottom: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", _("Cancel"), id="form.cancel")]

    def __init__(self, title: str, fields: list[ValueDef], lang: str) -> None:
        super().__init__()
        self.title_text, self.fields, self.lang = title, fields, lang

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title")
            for f in self.fields:
                hint = _("now") if f.default == "now" else ("" if f.required else _("optional"))
                label = f.label.get(self.lang) or f.label.get("en", f.name)
                yield Input(placeholder=f"{label} {('(' + hint + ')') if hint else ''}",
                            id=f"v-{f.name}")
            with Horizontal():
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


class ChecklistPanel(Vertical):
    """One visit's checklist with the why-not line; Enter ticks, ``o`` overrides."""

    DEFAULT_CSS = """
    ChecklistPanel { height: 1fr; }
    ChecklistPanel #cl-head { height: auto; text-style: bold; }
    ChecklistPanel #cl-why { height: auto; color: $warning; }
    """
    BINDINGS = [
        Binding("enter", "tick", _("Tick step"), id="checklist.tick", priority=True),
        Binding("o", "override", _("Override"), id="checklist.override"),
        Binding("t", "toggle", _("Berthing/unberthing"), id="checklist.toggle"),
    ]

    def __init__(self, core: Core, user: str, lang: str = "en", **kw) -> None:
        super().__init__(**kw)
        self.core, self.user, self.lang = core, user, lang
        self.visit_id: int | None = None
        self.name_: str = "berthing"
        self.view: ChecklistView | None = None
        self.tz = "UTC"

    def compose(self) -> ComposeResult:
        yield Static("", id="cl-head")
        yield StepList(id="cl-steps")
        yield Static("", id="cl-why")

    def open(self, visit_id: int, name: str | None = None) -> None:
        self.visit_id = visit_id
        if name is None:
            with read_session(self.core.engine) as s:
                phase = s.get(VesselVisit, visit_id).phase
            name = "unberthing" if phase in ALONGSIDE else "berthing"
        self.name_ = name
        self.reload()

    def reload(self) -> None:
        if self.visit_id is None:
            return
        with read_session(self.core.engine) as s:
            self.tz = terminal_settings(s).timezone
            self.view = checklist(s, self.visit_id, self.name_)
        v = self.view
        title = v.title.get(self.lang) or v.title.get("en", v.checklist)
        self.query_one("#cl-head", Static).update(
            f"{title} · {v.visit_key} {v.vessel} · {_('berth')} {v.berth or '—'} · "
            f"{_(v.phase)}")
        self.query_one(StepList).show(v, self.lang, self.tz)
        self._why()

    def _selected(self):
        sid = self.query_one(StepList).step_id
        return next((s for s in self.view.steps if s.id == sid), None) if self.view else None

    @on(OptionList.OptionHighlighted)
    def _why(self, *_args: Any) -> None:
        step = self._selected()
        why = self.query_one("#cl-why", Static)
        if step is None or step.done:
            why.update("")
            return
        values = {r.name: "0" for r in step.records if r.required and r.default is None}
        unmet = self.core.check(self.user, tick, visit_id=self.visit_id, checklist=self.name_,
                                step=step.id, values=values)
        why.update("\n".join(f"✗ {u.message} — {u.remedy}" for u in unmet) if unmet
                   else _("✓ can be ticked now (Enter)"))

    def action_toggle(self) -> None:
        self.open(self.visit_id, "unberthing" if self.name_ == "berthing" else "berthing")

    def action_tick(self, override: bool = False) -> None:
        step = self._selected()
        if step is None or step.done:
            return
        asks = list(step.records)  # times left blank are recorded as now
        if override:
            asks.append(ValueDef("override_reason", "text", True, None,
                                 {"en": _("Reason for the override")}))
        if not asks:
            self._do(step.id, {})
            return

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                reason = values.pop("override_reason", "")
                self._do(step.id, values, reason)

        self.app.push_screen(ValuesForm(step.label(self.lang), asks, self.lang), done)

    def action_override(self) -> None:
        self.action_tick(override=True)

    def _do(self, step_id: str, values: dict[str, str], reason: str = "") -> None:
        try:
            self.core.run(self.user, tick, visit_id=self.visit_id, checklist=self.name_,
                          step=step_id, values={k: v for k, v in values.items() if v},
                          override_reason=reason)
        except Refused as exc:
            self.notify(refusal_text(exc), title=_("Step refused"), severity="error",
                        timeout=10)
        else:
            self.notify(_("{step} done").format(step=step_id), title=self.view.visit_key)
        self.reload()


class ChecklistsView(Horizontal):
    """Visits on the left (berthing soon or alongside), the chosen visit's checklist right."""

    DEFAULT_CSS = """
    ChecklistsView { height: 1fr; }
    ChecklistsView > #cl-visits { width: 24; }
    """

    def __init__(self, core: Core, user: str, lang: str = "en", **kw) -> None:
        super().__init__(**kw)
        self.core, self.user, self.lang = core, user, lang

    def compose(self) -> ComposeResult:
        yield OptionList(id="cl-visits")
        yield ChecklistPanel(self.core, self.user, self.lang)

    def on_mount(self) -> None:
        with read_session(self.core.engine) as s:
            from sqlmodel import select

            visits = s.exec(select(VesselVisit).where(VesselVisit.phase.in_(LIVE))
                            .order_by(VesselVisit.etb)).all()
        options = self.query_one("#cl-visits", OptionList)
        options.add_options([Option(f"{v.key} {_(Phase(v.phase).value)}", id=str(v.id))
                             for v in visits])
        if visits:
            self.query_one(ChecklistPanel).open(visits[0].id)
        self.query_one(StepList).focus()

    @on(OptionList.OptionSelected, "#cl-visits")
    def _pick(self, event: OptionList.OptionSelected) -> None:
        self.query_one(ChecklistPanel).open(int(event.option.id))
        self.query_one(StepList).focus()


class ChecklistScreen(Screen):
    """Standalone wrapper (the console mounts :class:`ChecklistsView` in its mode)."""

    BINDINGS = [Binding("v", "visits", _("Visits"), id="checklist.visits")]

    def __init__(self, core: Core, user: str, lang: str = "en") -> None:
        super().__init__()
        self.core, self.user, self.lang = core, user, lang

    def compose(self) -> ComposeResult:
        yield ChecklistsView(self.core, self.user, self.lang)
        yield Footer()

    def action_visits(self) -> None:
        visits = self.query_one("#cl-visits", OptionList)
        visits.focus()
        if visits.highlighted is None and visits.option_count:
            visits.highlighted = 0
