"""The yard planner's discharge screen: the vessel bay by bay, and the plans made from it.

``p`` makes the discharge plan (crane split and sequence), ``y`` the yard plan; ``[``/``]``
page through the bays. The bay view colours each box by what happens to it here.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from portops.db import read_session
from portops.i18n import _
from portops.model import DischargePlan
from portops.ops import Core
from portops.ops.discharge import make_plan
from portops.ops.yard import plan as yard_plan
from portops.queries.views import Grid, vessel_bay, visit_key
from portops.ui.widgets.slot_grid import SlotGrid
from portops.ui.widgets.threaded import Threaded


def plan_summary(plan: DischargePlan | None) -> str:
    if plan is None:
        return _("No discharge plan yet — press p to make it.")
    cranes = "  ".join(f"QC{w['crane']}: {_('bays')} {','.join(f'{b:02d}' for b in w['bays'][:6])}"
                       f"{'…' if len(w['bays']) > 6 else ''} ({w['moves']})" for w in plan.split)
    yard = _("yard planned") if plan.yard_planned_at else _("no yard plan — press y")
    return f"{_('quay cranes')} {plan.cranes}: {cranes}\n{yard}" + (
        f"\n⚠ {plan.warnings[0]}" + (f" (+{len(plan.warnings) - 1})" if len(plan.warnings) > 1
                                     else "") if plan.warnings else "")


class BayPlanView(Threaded, Vertical):
    DEFAULT_CSS = """
    BayPlanView { height: 1fr; }
    BayPlanView #bp-head { height: auto; text-style: bold; }
    BayPlanView #bp-plan { height: auto; color: $text-muted; }
    """
    BINDINGS = [
        Binding("[", "bay(-1)", _("Previous bay"), id="discharge.previous_bay"),
        Binding("]", "bay(1)", _("Next bay"), id="discharge.next_bay"),
        Binding("p", "plan", _("Discharge plan"), id="discharge.plan"),
        Binding("y", "yard_plan", _("Yard plan"), id="discharge.yard_plan"),
    ]

    def __init__(self, core: Core, user: str, visit_id: int, **kw) -> None:
        super().__init__(**kw)
        self.core, self.user, self.visit_id = core, user, visit_id
        self.bay: int | None = None
        self.grid: Grid | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="bp-head")
        yield Static("", id="bp-plan")
        with VerticalScroll(id="bp-scroll"):
            yield SlotGrid(vessel=True, id="bp-grid")

    def on_mount(self) -> None:
        self.refresh_view()
        self.query_one("#bp-scroll").focus()

    def refresh_view(self) -> None:
        self.in_thread(self._load, self._show)

    def _load(self):
        from sqlmodel import select

        with read_session(self.core.engine) as s:
            grid = vessel_bay(s, self.visit_id, self.bay)
            key = visit_key(s, self.visit_id)
            plan = s.exec(select(DischargePlan).where(
                DischargePlan.visit_id == self.visit_id)).first()
            return grid, key, plan_summary(plan)

    def _show(self, data) -> None:
        self.grid, key, summary = data
        self.query_one("#bp-head", Static).update(f"{_('Discharge')} {key} · {self.grid.title}")
        self.query_one("#bp-plan", Static).update(summary)
        self.query_one("#bp-grid", SlotGrid).show(self.grid)

    def action_bay(self, step: int) -> None:
        if not self.grid or not self.grid.bays:
            return
        bays = self.grid.bays
        current = self.bay if self.bay in bays else bays[0]
        self.bay = bays[max(0, min(len(bays) - 1, bays.index(current) + step))]
        self.refresh_view()

    def _run(self, op, done: str) -> None:
        def then(out) -> None:
            self.notify(done.format(**out))
            self.refresh_view()

        self.operate(op, then, visit_id=self.visit_id)

    def action_plan(self) -> None:
        self._run(make_plan, _("Discharge plan: {boxes} boxes, {cranes} cranes"))

    def action_yard_plan(self) -> None:
        self._run(yard_plan, _("Yard plan: {planned} slots planned"))


class BayPlanScreen(Screen):
    def __init__(self, core: Core, user: str, visit_id: int) -> None:
        super().__init__()
        self.core, self.user, self.visit_id = core, user, visit_id

    def compose(self) -> ComposeResult:
        yield BayPlanView(self.core, self.user, self.visit_id)
        yield Footer()
