"""The yard planner's discharge screen: the vessel bay by bay, and the plans made from it.

``p`` makes the discharge plan (crane split and sequence), ``y`` the yard plan; ``[``/``]``
page through the bays. The bay view colours each box by what happens to it here: to
discharge, discharged, staying on board, and the load plan (to load, loaded); the arrow keys
select a box and the line below the bay names its crane and place in that crane's sequence.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from portops.db import read_session
from portops.i18n import N_, _
from portops.model import DischargePlan
from portops.ops import Core
from portops.ops.discharge import make_plan, warning_text
from portops.ops.yard import plan as yard_plan
from portops.queries.views import Cell, Grid, vessel_bay, visit_key
from portops.ui.screens.base import Working
from portops.ui.widgets.slot_grid import SlotGrid


def plan_summary(plan: DischargePlan | None) -> str:
    if plan is None:
        return _("No discharge plan yet — press p to make it.")
    cranes = "  ".join(f"QC{w['crane']}: {_('bays')} {','.join(f'{b:02d}' for b in w['bays'][:6])}"
                       f"{'…' if len(w['bays']) > 6 else ''} ({w['moves']})" for w in plan.split)
    yard = _("yard planned") if plan.yard_planned_at else _("no yard plan — press y")
    text = f"{_('quay cranes')} {plan.cranes}: {cranes}\n{yard}"
    if plan.warnings:  # the first, in the reader's language, and how many more
        more = len(plan.warnings) - 1
        text += f"\n⚠ {warning_text(plan.warnings[0], _)}" + (f" (+{more})" if more else "")
    return text


#: What happens to a box, as the selected-box line says it.
STATE_TEXT = {"discharge": N_("to discharge"), "discharged": N_("discharged"),
              "short": N_("short-landed"), "over": N_("over-landed"),
              "rob": N_("staying on board"), "load": N_("to load"), "loaded": N_("loaded on board")}


def load_summary(session, visit_id: int) -> str:
    """The visit's load plan in one line: boxes by state and per crane."""
    from sqlalchemy import func
    from sqlalchemy import select as sa_select

    from portops.model import LoadItem

    rows = session.execute(sa_select(LoadItem.crane, LoadItem.state, func.count()).where(
        LoadItem.visit_id == visit_id).group_by(LoadItem.crane, LoadItem.state)).all()
    if not rows:
        return ""
    by_state: dict[str, int] = {}
    by_crane: dict[int, int] = {}
    for crane, state, n in rows:
        by_state[str(state)] = by_state.get(str(state), 0) + n
        if str(state) != "rolled":
            by_crane[crane] = by_crane.get(crane, 0) + n
    cranes = "  ".join(f"QC{c}: {n}" for c, n in sorted(by_crane.items()))
    return _("load plan: {planned} to load, {loaded} loaded, {rolled} rolled · {cranes}").format(
        planned=by_state.get("planned", 0), loaded=by_state.get("loaded", 0),
        rolled=by_state.get("rolled", 0), cranes=cranes)


def box_line(cells: list[Cell]) -> str:
    """The selected slot's box(es): number, size/type, slot, what happens, crane and sequence."""
    parts = []
    for c in cells:
        text = _("{number} {size_type} at {slot}: {state}").format(
            number=c.number, size_type=c.size_type, slot=c.slot,
            state=_(STATE_TEXT.get(c.state, c.state)))
        if c.crane and c.state in ("discharge", "load", "loaded"):
            text += " · " + _("crane QC{crane}, move {seq} of its sequence").format(
                crane=c.crane, seq=c.seq)
        if c.pod:
            text += f" · POD {c.pod}"
        parts.append(text)
    return "\n".join(parts) or _("no box in this slot")


class BayPlanView(Working, Vertical):
    DEFAULT_CSS = """
    BayPlanView { height: 1fr; }
    BayPlanView #bp-head { height: auto; text-style: bold; }
    BayPlanView #bp-plan { height: auto; color: $text-muted; }
    BayPlanView #bp-box { height: auto; text-style: bold; }
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
        yield Static("", id="bp-box")
        with VerticalScroll(id="bp-scroll"):
            yield SlotGrid(vessel=True, selectable=True, id="bp-grid")

    def on_mount(self) -> None:
        self.refresh_view()
        self.query_one("#bp-grid").focus()

    def on_slot_grid_selected(self, event: SlotGrid.Selected) -> None:
        self.query_one("#bp-box", Static).update(box_line(event.cells))

    def refresh_view(self) -> None:
        self.in_thread(self._load, self._show)

    def _load(self):
        from sqlmodel import select

        with read_session(self.core.engine) as s:
            grid = vessel_bay(s, self.visit_id, self.bay)
            key = visit_key(s, self.visit_id)
            plan = s.exec(select(DischargePlan).where(
                DischargePlan.visit_id == self.visit_id)).first()
            loading = load_summary(s, self.visit_id)
            summary = plan_summary(plan) if plan is not None or not loading else ""
            return grid, key, "\n".join(x for x in (summary, loading) if x)

    def _show(self, data) -> None:
        self.grid, key, summary = data
        self.query_one("#bp-head", Static).update(f"{_('Vessel')} {key} · {self.grid.title}")
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

        self.perform(op, then=then, visit_id=self.visit_id)

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
