"""A checklist drawn as a list of steps: done (who, when, what was recorded), ready, or waiting."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from portops.i18n import _, stamp
from portops.model import Role
from portops.queries.checklists import ChecklistView, StepView


def role_label(role: str) -> str:
    return _(Role(role).label)


def step_prompt(step: StepView, view: ChecklistView, lang: str, tz: str) -> Text:
    """One step as the list shows it: mark, number, text, role and its state."""
    text = Text()
    if step.done:
        text.append("✓ ", "bold green")
    elif step.ready:
        text.append("▶ ", "bold yellow")
    else:
        text.append("· ", "dim")
    text.append(f"{step.number}. ", "bold")
    text.append(step.label(lang), "bold" if step.ready else ("" if step.done else "dim"))
    text.append(f"  [{role_label(step.role)}]", "cyan")
    if step.done and step.done_at:
        when = stamp(step.done_at.astimezone(ZoneInfo(tz)), _)
        text.append(f"\n     {step.done_by} {when}", "dim")
        shown = {k: v for k, v in step.values.items() if v not in (None, "")}
        for rec in step.records:
            if rec.name in shown:
                value = shown[rec.name]
                if rec.type == "time" and isinstance(value, str) and "T" in value:
                    value = _local_hhmm(value, tz)
                text.append(f"  {rec.label.get(lang) or rec.label.get('en', rec.name)}: "
                            f"{value}", "dim")
        if step.override_reason:
            text.append(f"\n     {_('override')}: {step.override_reason}", "bold red")
    elif not step.ready and step.needs:
        # the steps it waits for by number and title, as the list shows them (not their ids)
        steps = {s.id: s for s in view.steps}
        text.append(f"\n     {_('after')} " + ", ".join(
            f"{steps[n].number}. {steps[n].label(lang)}" if n in steps else n
            for n in step.needs), "dim")
    return text


def _local_hhmm(iso: str, tz: str) -> str:
    """A stored (UTC) time as the terminal's wall clock reads it: the step was ticked at 10:59
    local, so it must not read 02:59."""
    try:
        return datetime.fromisoformat(iso).astimezone(ZoneInfo(tz)).strftime("%H:%M")
    except ValueError:
        return iso


class StepList(OptionList):
    """The steps of one checklist; the highlighted one is the one Enter ticks."""

    DEFAULT_CSS = "StepList { height: 1fr; }"
    #: the visit and checklist shown, and its steps done (to tell a refresh from a new list)
    _of: tuple[int, str] | None = None
    _done: frozenset[str] = frozenset()

    def show(self, view: ChecklistView, lang: str, tz: str) -> None:
        """Redraw the steps, the cursor staying on the step it was on (by id, not by row):
        a refresh because another console ticked a step must not move it (walker item 8:
        a cursor on a done step jumped back to the next one at every refresh, so Up and
        Down seemed dead). Only the step the cursor was on being done now moves it on, to
        the next step to do; a new list starts there too."""
        same = self._of == (view.visit_id, view.checklist)
        was = self.step_id if same else None
        was_done = was in self._done
        self._of = (view.visit_id, view.checklist)
        self._done = frozenset(s.id for s in view.steps if s.done)
        ids = [s.id for s in view.steps]
        self.clear_options()
        self.add_options([Option(step_prompt(s, view, lang, tz), id=s.id) for s in view.steps])
        nxt = view.next_step
        if was in ids and (was_done or was not in self._done):
            self.highlighted = ids.index(was)
        elif nxt is not None:
            self.highlighted = nxt.number - 1
        elif view.steps:
            self.highlighted = 0

    @property
    def step_id(self) -> str | None:
        if self.highlighted is None:
            return None
        return self.get_option_at_index(self.highlighted).id
