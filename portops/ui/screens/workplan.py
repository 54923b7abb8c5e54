"""The day-and-night work plan (昼夜作业计划) on screen: view a day, regenerate, see what changed
since the plan was issued, and issue it.
"""

from __future__ import annotations

from datetime import date, timedelta

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from portops.db import read_session
from portops.ops import Core, Refused
from portops.ops.workplans import issue
from portops.planning.workplan import WorkPlan, diff
from portops.queries.workplan import Issued, build, last_issued, local_today
from portops.ui.screens.berths import refusal_text
from portops.ui.text import _


def plan_renderable(plan: WorkPlan) -> Group:
    """The plan as tables, one block per shift."""
    parts = []
    for s in plan.shifts:
        parts.append(Text(f"{_(s.name).capitalize()} {_('shift')} "
                          f"{s.start:%d %b %H:%M}–{s.end:%d %b %H:%M}", "bold reverse"))
        moves = Table(title=_("Berthing and unberthing"), title_justify="left", expand=True,
                      show_edge=False, pad_edge=False, box=box.SIMPLE_HEAD)
        for col in (_("Time"), _("Movement"), _("Visit"), _("Vessel"), _("Berth"), _("Pilot"),
                    _("Gang")):
            moves.add_column(col, overflow="ellipsis", no_wrap=True)
        for m in s.movements:
            moves.add_row(m.at + ("✓" if m.actual else ""), _(m.kind), m.key, m.vessel,
                          m.berth or "—", m.pilot or "—", m.gang or "—")
        if not s.movements:
            moves.add_row("—", _("none"), "", "", "", "", "")
        cranes = Table(title=_("Cranes and moves"), title_justify="left", expand=True,
                       show_edge=False, pad_edge=False, box=box.SIMPLE_HEAD)
        for col, just in ((_("Visit"), "left"), (_("Vessel"), "left"), (_("Berth"), "left"),
                          (_("Cranes"), "right"), (_("Discharge"), "right"),
                          (_("Load"), "right")):
            cranes.add_column(col, justify=just, overflow="ellipsis", no_wrap=True)
        for w in s.cranes:
            cranes.add_row(w.key, w.vessel, w.berth or "—", str(w.cranes), str(w.discharge),
                           str(w.load))
        if s.cranes:
            cranes.add_row(_("Total"), "", "", "", str(sum(w.discharge for w in s.cranes)),
                           str(sum(w.load for w in s.cranes)), style="bold")
        parts += [moves, cranes]
        for name, rows in s.sections.items():
            t = Table(title=_(name).capitalize(), title_justify="left", expand=True,
                      show_edge=False, box=box.SIMPLE_HEAD)
            keys = list(rows[0]) if rows else [_("none")]
            for k in keys:
                t.add_column(str(k), overflow="ellipsis", no_wrap=True)
            for r in rows:
                t.add_row(*(str(r.get(k, "")) for k in keys))
            parts.append(t)
        parts.append(Text(""))
    return Group(*parts)


class WorkPlanView(Vertical):
    DEFAULT_CSS = """
    WorkPlanView { height: 1fr; }
    WorkPlanView #wp-head { height: auto; text-style: bold; }
    WorkPlanView #wp-changes { height: auto; max-height: 8; color: $warning; }
    """
    BINDINGS = [
        Binding("[", "day(-1)", _("Previous day"), id="workplan.previous"),
        Binding("]", "day(1)", _("Next day"), id="workplan.next"),
        Binding("g", "regenerate", _("Regenerate"), id="workplan.regenerate"),
        Binding("i", "issue", _("Issue"), id="workplan.issue"),
    ]

    def __init__(self, core: Core, user: str, day: date | None = None, **kw) -> None:
        super().__init__(**kw)
        self.core, self.user = core, user
        self.day = day
        self.plan: WorkPlan | None = None
        self.issued: Issued | None = None
        self.changes: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="wp-head")
        yield Static("", id="wp-changes")
        with VerticalScroll(id="wp-scroll"):
            yield Static("", id="wp-body")

    def on_mount(self) -> None:
        if self.day is None:
            with read_session(self.core.engine) as s:
                self.day = local_today(s, self.core.clock.now())
        self.action_regenerate()
        self.query_one("#wp-scroll").focus()

    def action_day(self, delta: int) -> None:
        self.day = self.day + timedelta(days=delta)
        self.action_regenerate()

    @work(thread=True, exclusive=True, exit_on_error=False, group="workplan")
    def action_regenerate(self) -> None:
        """Build the plan from the schedule as it stands and compare it with the last issue."""
        with read_session(self.core.engine) as s:
            plan = build(s, self.day)
            issued = last_issued(s, self.day)
        changes = diff(issued.body, plan.to_json()) if issued else []
        self.app.call_from_thread(self._show, plan, issued, changes)

    def _show(self, plan: WorkPlan, issued: Issued | None, changes: list[str]) -> None:
        self.plan, self.issued, self.changes = plan, issued, changes
        head = f"{_('Day-and-night work plan')} {plan.day.isoformat()} ({plan.timezone})"
        if issued:
            head += " · " + _("issued {at} by {who}").format(
                at=issued.issued_at.strftime("%d %b %H:%M") + "Z", who=issued.issued_by)
        else:
            head += " · " + _("not issued")
        self.query_one("#wp-head", Static).update(head)
        box = self.query_one("#wp-changes", Static)
        if issued and changes:
            box.update(_("Changed since issued:") + "\n" + "\n".join(f"• {c}" for c in changes))
        elif issued:
            box.update(_("No change since the plan was issued."))
        else:
            box.update("")
        self.query_one("#wp-body", Static).update(plan_renderable(plan))

    def action_issue(self) -> None:
        try:
            out = self.core.run(self.user, issue, day=self.day)
        except Refused as exc:
            self.notify(refusal_text(exc), title=_("Not issued"), severity="error", timeout=10)
            return
        self.notify(_("Work plan {day} issued").format(day=self.day.isoformat())
                    + ("" if out["first"] else
                       " " + _("({n} changes)").format(n=len(out["changes"]))))
        self.action_regenerate()


class WorkPlanScreen(Screen):
    def __init__(self, core: Core, user: str, day: date | None = None) -> None:
        super().__init__()
        self.core, self.user, self.day = core, user, day

    def compose(self) -> ComposeResult:
        yield WorkPlanView(self.core, self.user, self.day)
        yield Footer()
