"""The dispatcher's berth plan (F3): the berth chart, the visits still to place, moves.

Arrows pick a visit; ``m`` lifts it as a ghost that the arrows shift along the quay (10 m) and
in time (1 h), ``b`` takes it to the next berth; the line under the chart says at once whether
it fits and, if not, which rule stands in the way. Enter performs ``berthplan.assign``; a
refusal (another console was quicker, a role that may not) comes back as a notification.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from portops.db import read_session
from portops.i18n import N_, _
from portops.ops.berthplan import assign, terminal_settings
from portops.queries.berths import Block, Chart, berth_chart
from portops.queries.events import high_water
from portops.ui.commands import Command
from portops.ui.errors import rules_text
from portops.ui.live import Changes
from portops.ui.screens.base import AreaScreen
from portops.ui.widgets.berth_chart import BerthChart


def refusal_text(exc) -> str:
    """A refusal as notification text (the console's error policy formats it the same way)."""
    return rules_text(exc.unmet)


G = N_("berths")
MOVE = Command("berths.move", "m", N_("move"), N_("Lift the selected visit: arrows move it "
               "along the quay and in time, b to the next berth, Enter puts it there, Esc "
               "cancels. The line below says at once whether it fits."), "move", G)
ASSIGN = Command("berths.assign", "a", N_("assign"), N_("Place the next visit that has no "
                 "berth yet, starting at the first berth and its ETA."), "assign_next", G)
DAY = Command("berths.day", "d", N_("day"), N_("Show one day."), "zoom(24)", G)
WEEK = Command("berths.week", "w", N_("week"), N_("Show a week."), "zoom(168)", G)
EARLIER = Command("berths.earlier", "left_square_bracket", N_("earlier"),
                  N_("Scroll back half a window."), "scroll(-1)", G, key_display="[")
LATER = Command("berths.later", "right_square_bracket", N_("later"),
                N_("Scroll forward half a window."), "scroll(1)", G, key_display="]")


class BerthsScreen(AreaScreen):
    TITLE = N_("Berth plan")
    HELP = N_("Time runs across, the quay down: each visit is a block as long as the vessel "
              "and as wide as its stay, coloured by its phase; ! marks a block that overlaps "
              "another or does not fit its berth. Arrows select a visit. Moving checks the "
              "clearance between vessels, the berth's length and its depth less the "
              "under-keel clearance before you commit.")
    AUTO_FOCUS = "#berth-chart"
    COMMANDS_DECLARED: ClassVar[tuple[Command, ...]] = (MOVE, ASSIGN, DAY, WEEK, EARLIER,
                                                        LATER)
    DEFAULT_CSS = """
    BerthsScreen #berth-body { height: 1fr; }
    BerthsScreen #unplaced { width: 26; display: none; border-left: solid $panel; }
    BerthsScreen #berth-body.-side #unplaced { display: block; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.data: Chart | None = None
        self.loaded = False

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="berth-body"):
            yield BerthChart(id="berth-chart")
            yield OptionList(id="unplaced")

    @property
    def chart(self) -> BerthChart:
        return self.query_one(BerthChart)

    def on_mount(self) -> None:
        now = self.app.core.clock.now()
        self.chart.start = (now - timedelta(hours=6)).replace(minute=0, second=0,
                                                               microsecond=0)
        self.chart.hours = 168 if self.app.size.width >= 120 else 72  # a week where it fits
        self.load()

    # -- data --------------------------------------------------------------------------
    def load(self) -> None:
        start, hours = self.chart.start, self.chart.hours
        now = self.app.core.clock.now()

        def read(engine):
            mark = high_water(engine)
            with read_session(engine) as s:
                return mark, terminal_settings(s).ukc_m, berth_chart(
                    s, start, start + timedelta(hours=hours), now)

        self.fetch(read, then=self._loaded, group="berths")

    def _loaded(self, result: tuple[int, float, Chart]) -> None:
        mark, ukc, data = result
        self.mark_seen(mark)
        self.data = data
        self.chart.ukc_m = ukc
        pending = self.chart.ghost
        self.chart.show(self._with_pending(data, pending), self.app.core.clock.now())
        options = self.query_one("#unplaced", OptionList)
        options.clear_options()
        options.add_options([Option(f"{u.key} {u.loa_m:g}m", id=str(u.visit_id))
                             for u in data.unplaced])
        self.query_one("#berth-body").set_class(
            bool(data.unplaced) and self.app.size.width >= 120, "-side")
        self.loaded = True

    def _with_pending(self, data: Chart, ghost) -> Chart:
        """Keep an unplaced visit being placed on the chart so its ghost can be drawn."""
        if ghost is None or data.block(ghost.visit_id) is not None:
            return data
        u = next((u for u in data.unplaced if u.visit_id == ghost.visit_id), None)
        if u is None:
            return data
        block = Block(u.visit_id, u.key, u.vessel, "", u.loa_m, u.draft_m, None,
                      ghost.quay_from_m, ghost.quay_from_m + u.loa_m, ghost.start, ghost.end,
                      False, u.phase)
        return replace(data, blocks=(*data.blocks, block))

    def apply_changes(self, changes: Changes) -> None:
        if changes.everything or changes.bulk("visit") or changes.ids("visit"):
            self.load()

    def on_berth_chart_window_changed(self, _msg: BerthChart.WindowChanged) -> None:
        self.load()

    # -- actions -----------------------------------------------------------------------
    def action_move(self) -> None:
        self.chart.action_move()

    def action_zoom(self, hours: int) -> None:
        self.chart.action_zoom(hours)

    def action_scroll(self, direction: int) -> None:
        self.chart.action_scroll(direction)

    def action_assign_next(self) -> None:
        """Place the first visit without a berth: a ghost at the first berth, from its ETA."""
        data = self.data
        if not data or not data.unplaced or not data.berths:
            self.notify(_("Every visit in view has a berth."))
            return
        u = data.unplaced[0]
        start: datetime = u.eta or self.chart.start
        berth = data.berths[0]
        end = start + timedelta(hours=24)
        ghost_chart = self._with_pending(data, _Pending(u.visit_id, berth.start_m, start, end))
        self.chart.show(ghost_chart, self.app.core.clock.now())
        self.chart.start_move(u.visit_id, berth.id, berth.start_m, start, end)

    def on_berth_chart_move_requested(self, msg: BerthChart.MoveRequested) -> None:
        g, block = msg.ghost, msg.block
        kwargs = {"visit_id": g.visit_id, "berth_id": g.berth_id, "quay_from_m": g.quay_from_m,
                  "etb": g.start}
        if not block.open_end:
            kwargs["etd"] = g.end

        def done(_result) -> None:
            self.notify(_("{key} moved").format(key=block.key), title=_("Berth plan"))
            self.chart.ghost = None
            self.load()

        self.perform(assign, then=done, **kwargs)


class _Pending:
    """Where a visit being placed starts out (enough for :meth:`_with_pending`)."""

    def __init__(self, visit_id: int, quay_from_m: float, start: datetime, end: datetime):
        self.visit_id, self.quay_from_m, self.start, self.end = visit_id, quay_from_m, start, end
