"""The dispatcher's berth plan: the berth chart, visits still to place, moves as operations."""

from __future__ import annotations

from datetime import datetime, timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, OptionList
from textual.widgets.option_list import Option

from portops.db import read_session
from portops.ops import Core, Refused
from portops.ops.berthplan import assign
from portops.queries.berths import Chart, berth_chart
from portops.ui.text import _
from portops.ui.widgets.berth_chart import BerthChart


def refusal_text(exc: Refused) -> str:
    """A refusal as a notification: every unmet rule with its remedy."""
    return "\n".join(f"• [{u.rule}] {u.message} — {u.remedy}" for u in exc.unmet)


class BerthPlanView(Horizontal):
    """The chart with the unplaced visits beside it (on a wide terminal)."""

    DEFAULT_CSS = """
    BerthPlanView { height: 1fr; }
    BerthPlanView > OptionList { width: 28; display: none; }
    BerthPlanView.-wide > OptionList { display: block; }
    """
    BINDINGS = [Binding("a", "assign_next", _("Assign"), id="berths.assign"),
                Binding("r", "reload", _("Refresh"), show=False, id="berths.reload")]

    def __init__(self, core: Core, user: str, **kw) -> None:
        super().__init__(**kw)
        self.core, self.user = core, user
        self.chart_data: Chart | None = None

    def compose(self) -> ComposeResult:
        yield BerthChart(id="berth-chart")
        yield OptionList(id="unplaced")

    @property
    def chart(self) -> BerthChart:
        return self.query_one(BerthChart)

    def on_mount(self) -> None:
        self.action_reload()
        self.chart.focus()

    def on_resize(self) -> None:
        self._side_list()

    def _side_list(self) -> None:
        """The list of visits to place, when there are any and room for it."""
        some = bool(self.chart_data and self.chart_data.unplaced)
        self.set_class(some and self.app.size.width >= 120, "-wide")

    def _window(self) -> tuple[datetime, int]:
        now = self.core.clock.now()
        start = self.chart.start or (now - timedelta(hours=6)).replace(minute=0, second=0,
                                                                        microsecond=0)
        return start, self.chart.hours

    def action_reload(self) -> None:
        start, hours = self._window()
        now = self.core.clock.now()
        with read_session(self.core.engine) as s:
            from portops.ops.berthplan import terminal_settings

            self.chart.ukc_m = terminal_settings(s).ukc_m
            data = berth_chart(s, start, start + timedelta(hours=hours), now)
        self.chart_data = data
        self.chart.start = start
        self.chart.show(data, now)
        options = self.query_one("#unplaced", OptionList)
        options.clear_options()
        options.add_options([Option(f"{u.key} {u.loa_m:g}m", id=str(u.visit_id))
                             for u in data.unplaced])
        self._side_list()

    def on_berth_chart_window_changed(self, _msg: BerthChart.WindowChanged) -> None:
        self.action_reload()

    def action_assign_next(self) -> None:
        """Place the first visit without a berth: a ghost at the first berth, from its ETA."""
        data = self.chart_data
        if not data or not data.unplaced or not data.berths:
            self.notify(_("Every visit in view has a berth."))
            return
        u = data.unplaced[0]
        # the ghost needs a block to size itself: take the unplaced visit as one
        from dataclasses import replace

        from portops.queries.berths import Block

        start = u.eta or self._window()[0]
        berth = data.berths[0]
        block = Block(u.visit_id, u.key, u.vessel, "", u.loa_m, u.draft_m, None, berth.start_m,
                      berth.start_m + u.loa_m, start, start + timedelta(hours=24), False,
                      u.phase)
        self.chart_data = replace(data, blocks=(*data.blocks, block))
        self.chart.show(self.chart_data, self.core.clock.now())
        self.chart.start_move(u.visit_id, berth.id, berth.start_m, block.start, block.end)

    def on_berth_chart_move_requested(self, msg: BerthChart.MoveRequested) -> None:
        g, block = msg.ghost, msg.block
        kwargs = {"visit_id": g.visit_id, "berth_id": g.berth_id, "quay_from_m": g.quay_from_m,
                  "etb": g.start}
        if not block.open_end:
            kwargs["etd"] = g.end
        try:
            self.core.run(self.user, assign, **kwargs)
        except Refused as exc:
            self.notify(refusal_text(exc), title=_("Move refused"), severity="error",
                        timeout=10)
            return
        self.notify(_("{key} moved").format(key=block.key), title=_("Berth plan"))
        self.chart.ghost = None
        self.action_reload()


class BerthPlanScreen(Screen):
    """Standalone screen wrapper (the console mounts :class:`BerthPlanView` in its mode)."""

    def __init__(self, core: Core, user: str) -> None:
        super().__init__()
        self.core, self.user = core, user

    def compose(self) -> ComposeResult:
        yield BerthPlanView(self.core, self.user)
        yield Footer()
