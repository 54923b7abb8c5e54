"""The day-and-night work plan (昼夜作业计划) on screen: view a day, regenerate, see what changed
since the plan was issued, and issue it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

from rich import box
from rich.cells import cell_len
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from portops.clock import local
from portops.db import read_session
from portops.formats.workplan import shift_title
from portops.i18n import N_, _, stamp
from portops.ops.workplans import issue
from portops.planning.workplan import WorkPlan, diff
from portops.queries.events import high_water
from portops.queries.workplan import Issued, build, last_issued, local_today
from portops.ui.commands import Command
from portops.ui.live import Changes
from portops.ui.screens.base import AreaScreen


def plan_renderable(plan: WorkPlan) -> Group:
    """The plan as tables, one block per shift."""
    parts = []
    for s in plan.shifts:
        parts.append(Text(f"{shift_title(s.name, _)} {stamp(s.start, _)}–{stamp(s.end, _)}",
                          "bold reverse"))
        moves = Table(title=_("Berthing and unberthing"), title_justify="left", expand=True,
                      show_edge=False, pad_edge=False, box=box.SIMPLE_HEAD)
        # the time ("06 07:00" for an overdue berthing), the movement, the visit and every
        # heading whole at 80 columns: the vessel's and the pilot's names give way, onto a
        # second line (a column that cannot wrap is only ever cut, or dropped by Rich)
        widths = {_("Time"): 8, _("Movement"): 8}
        names = {_("Vessel"), _("Pilot")}
        for col in (_("Time"), _("Movement"), _("Visit"), _("Vessel"), _("Berth"), _("Pilot"),
                    _("Gang")):
            moves.add_column(col, overflow="fold" if col in names else "ellipsis",
                             no_wrap=col not in names,
                             min_width=max(widths.get(col, 0), cell_len(col)))
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
            cranes.add_column(col, justify=just, overflow="fold" if col == _("Vessel")
                              else "ellipsis", no_wrap=col != _("Vessel"),
                              min_width=cell_len(col))  # a heading is never cut (泊…)
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
                t.add_column(_(str(k)), overflow="ellipsis", no_wrap=True)
            for r in rows:
                t.add_row(*(str(r.get(k, "")) for k in keys))
            parts.append(t)
        parts.append(Text(""))
    return Group(*parts)


G = N_("work plan")
EARLIER = Command("workplan.previous", "left_square_bracket", N_("previous day"),
                  N_("Show the plan of the day before."), "day(-1)", G, key_display="[")
LATER = Command("workplan.next", "right_square_bracket", N_("next day"),
                N_("Show the plan of the next day."), "day(1)", G, key_display="]")
REGENERATE = Command("workplan.regenerate", "g", N_("regenerate"), N_("Build the plan again "
                     "from the schedule and show what changed since it was issued."),
                     "regenerate", G)
ISSUE = Command("workplan.issue", "i", N_("issue"), N_("Issue the plan to the shifts (kept, so "
                "later changes can be shown against it)."), "issue", G)


def _read(engine, day: date):
    mark = high_water(engine)
    with read_session(engine) as s:
        plan = build(s, day)
        issued = last_issued(s, day)
    return mark, plan, issued, (diff(issued.body, plan.to_json()) if issued else [])


class WorkPlanScreen(AreaScreen):
    TITLE = N_("Day-and-night work plan")
    HELP = N_("The plan for one terminal day, shift by shift: every berthing and unberthing "
              "with its time, berth, pilot and line-handling gang, and each vessel's cranes "
              "and moves in the shift. Issue it to the shifts; after a schedule change, "
              "regenerate to see what changed since it was issued.")
    AUTO_FOCUS = "#wp-scroll"
    COMMANDS_DECLARED: ClassVar[tuple[Command, ...]] = (EARLIER, LATER, REGENERATE, ISSUE)
    DEFAULT_CSS = """
    WorkPlanScreen #wp-head { height: auto; text-style: bold; padding: 0 1; }
    WorkPlanScreen #wp-changes { height: auto; max-height: 8; color: $warning; padding: 0 1; }
    WorkPlanScreen #wp-scroll { height: 1fr; padding: 0 1; }
    """

    def __init__(self, day: date | None = None) -> None:
        super().__init__()
        self.day = day
        self.plan: WorkPlan | None = None
        self.issued: Issued | None = None
        self.changes: list[str] = []

    def compose_body(self) -> ComposeResult:
        yield Static("", id="wp-head")
        yield Static("", id="wp-changes")
        with VerticalScroll(id="wp-scroll"):
            yield Static("", id="wp-body")

    def on_mount(self) -> None:
        if self.day is None:
            with read_session(self.app.engine) as s:
                self.day = local_today(s, self.app.core.clock.now())
        self.action_regenerate()

    def action_day(self, delta: int) -> None:
        self.day = self.day + timedelta(days=delta)
        self.action_regenerate()

    def action_regenerate(self) -> None:
        """Build the plan from the schedule as it stands and compare it with the last issue."""
        self.plan = None
        self.fetch(_read, self.day, then=self._show, group="workplan")

    def apply_changes(self, changes: Changes) -> None:
        self.action_regenerate()

    def _show(self, result) -> None:
        mark, plan, issued, changes = result
        self.mark_seen(mark)
        self.issued, self.changes = issued, changes
        head = f"{_('Day-and-night work plan')} {plan.day.isoformat()} ({plan.timezone})"
        if issued:
            head += " · " + _("issued {at} by {who}").format(
                at=stamp(local(issued.issued_at, plan.timezone), _), who=issued.issued_by)
        else:
            head += " · " + _("not issued")
        self.query_one("#wp-head", Static).update(head)
        box = self.query_one("#wp-changes", Static)
        if issued and changes:
            box.update(_("Changed since issued:") + "\n" + "\n".join(f"• {c.text(_)}" for c in changes))
        elif issued:
            box.update(_("No change since the plan was issued."))
        else:
            box.update("")
        self.query_one("#wp-body", Static).update(plan_renderable(plan))
        self.plan = plan

    def action_issue(self) -> None:
        day = self.day

        def done(out) -> None:
            self.notify(_("Work plan {day} issued").format(day=day.isoformat())
                        + ("" if out["first"] else
                           " " + _("({n} changes)").format(n=len(out["changes"]))))
            self.action_regenerate()

        self.perform(issue, then=done, day=day)
