"""The berth chart: time across, quay metres down, each visit a block coloured by its phase.

The widget draws a :class:`~portops.queries.berths.Chart` (plain data) and never touches the
database. Moving a visit is a *ghost*: arrows shift it along the quay and in time while the
pure berth rules (:mod:`portops.planning.berths`) say at once whether it would fit; Enter asks
the screen to perform the move (:class:`BerthChart.MoveRequested`), which the operation may
still refuse.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from portops.i18n import DAY_MONTH, WEEKDAY_DAY_MONTH, _, stamp
from portops.planning.berths import BerthSpec, Conflict, Placement, conflicts
from portops.queries.berths import Block, Chart

#: Block colours by visit phase (background), readable with black or white text.
PHASE_COLOURS = {
    "planned": "#3b6ea5", "arrived": "#2a9d8f", "berthed": "#2e8b57", "working": "#c9891b",
    "completed": "#8e5ea2", "departed": "#5c5c5c", "closed": "#444444",
}
GUTTER = 10
HEADER = 2
FOOTER = 2
BG = Style(bgcolor="#1b1b1b", color="#9a9a9a")
GHOST_OK = Style(bgcolor="#1f6f3f", color="white", bold=True)
GHOST_BAD = Style(bgcolor="#a32020", color="white", bold=True)
NOW = Style(bgcolor="#1b1b1b", color="#e05050")


@dataclass(frozen=True)
class Ghost:
    """Where the visit being moved would go."""

    visit_id: int
    berth_id: int
    quay_from_m: float
    start: datetime
    end: datetime


def ghost_conflicts(chart: Chart, ghost: Ghost, *, ukc_m: float) -> list[Conflict]:
    """The berth rules for the ghost against what the chart shows."""
    block = chart.block(ghost.visit_id)
    berth = next((b for b in chart.berths if b.id == ghost.berth_id), None)
    p = Placement(ghost.visit_id, block.key, block.loa_m, block.draft_m, ghost.berth_id,
                  ghost.quay_from_m, ghost.start, ghost.end)
    others = [Placement(b.visit_id, b.key, b.loa_m, b.draft_m, None, b.quay_from_m, b.start,
                        b.end) for b in chart.blocks if b.phase not in ("departed", "closed")]
    spec = BerthSpec(berth.id, berth.name, berth.start_m, berth.end_m, berth.depth_m) \
        if berth else None
    return conflicts(p, spec, others, clearance_m=chart.clearance_m, ukc_m=ukc_m,
                     tz=chart.timezone)


class BerthChart(Widget, can_focus=True):
    """A day to a week of the quay. Select with the arrows, ``m`` to move, Enter to commit."""

    DEFAULT_CSS = """
    BerthChart { height: 1fr; min-height: 8; }
    BerthChart:focus { border: none; }
    """
    #: Navigation only; the commands (move, zoom, scroll) are declared by the berth screen.
    BINDINGS = [
        Binding("left", "left", "earlier", show=False, id="berths.left"),
        Binding("right", "right", "later", show=False, id="berths.right"),
        Binding("up", "up", "up the quay", show=False, id="berths.up"),
        Binding("down", "down", "down the quay", show=False, id="berths.down"),
        Binding("b", "next_berth", "next berth", show=False, id="berths.next_berth"),
        Binding("enter", "commit", "commit", show=False, id="berths.commit"),
        Binding("escape", "cancel", "cancel", show=False, id="berths.cancel"),
    ]

    hours: reactive[int] = reactive(168)
    start: reactive[datetime | None] = reactive(None)
    selected: reactive[int | None] = reactive(None)
    ghost: reactive[Ghost | None] = reactive(None)

    class Selected(Message):
        def __init__(self, visit_id: int | None) -> None:
            super().__init__()
            self.visit_id = visit_id

    class WindowChanged(Message):
        def __init__(self, start: datetime, hours: int) -> None:
            super().__init__()
            self.start, self.hours = start, hours

    class MoveRequested(Message):
        """Enter on a ghost: put the visit there (berth, quay position and times)."""

        def __init__(self, ghost: Ghost, block: Block) -> None:
            super().__init__()
            self.ghost, self.block = ghost, block

    def __init__(self, *, ukc_m: float = 0.5, **kw) -> None:
        super().__init__(**kw)
        self.chart: Chart | None = None
        self.ukc_m = ukc_m
        self.now: datetime | None = None
        self._lines: list[Strip] = []

    # -- data --------------------------------------------------------------------------
    def show(self, chart: Chart, now: datetime) -> None:
        """Draw ``chart`` (keeping the selection when the visit is still there)."""
        self.chart, self.now = chart, now
        if self.start is None:
            self.set_reactive(BerthChart.start, chart.start)
        if self.selected is None or chart.block(self.selected) is None:
            # set quietly: one drawing below, not one from the watcher as well
            self.set_reactive(BerthChart.selected,
                              chart.blocks[0].visit_id if chart.blocks else None)
            self.post_message(self.Selected(self.selected))
        self._redraw()

    def start_move(self, visit_id: int, berth_id: int, quay_from_m: float, start: datetime,
                   end: datetime) -> None:
        """Begin moving (or first placing) a visit from the given position."""
        self.selected = visit_id
        self.ghost = Ghost(visit_id, berth_id, quay_from_m, start, end)

    @property
    def ghost_problems(self) -> list[Conflict]:
        if self.ghost is None or self.chart is None or self.chart.block(
                self.ghost.visit_id) is None:
            return []
        return ghost_conflicts(self.chart, self.ghost, ukc_m=self.ukc_m)

    def watch_selected(self) -> None:
        self.post_message(self.Selected(self.selected))
        self._redraw()

    def watch_ghost(self) -> None:
        self._redraw()

    def on_resize(self) -> None:
        self._redraw()

    # -- actions -----------------------------------------------------------------------
    def _order(self, by_quay: bool) -> list[Block]:
        blocks = list(self.chart.blocks) if self.chart else []
        return sorted(blocks, key=(lambda b: (b.quay_from_m, b.start)) if by_quay
                      else (lambda b: (b.start, b.quay_from_m)))

    def _step_selection(self, delta: int, by_quay: bool) -> None:
        order = self._order(by_quay)
        if not order:
            return
        ids = [b.visit_id for b in order]
        i = ids.index(self.selected) if self.selected in ids else -delta
        self.selected = ids[max(0, min(len(ids) - 1, i + delta))]

    def _nudge(self, metres: float = 0, hours: float = 0) -> None:
        g = self.ghost
        self.ghost = replace(g, quay_from_m=max(0.0, g.quay_from_m + metres),
                             start=g.start + timedelta(hours=hours),
                             end=g.end + timedelta(hours=hours))

    def action_left(self) -> None:
        if self.ghost:
            self._nudge(hours=-1)
        else:
            self._step_selection(-1, by_quay=False)

    def action_right(self) -> None:
        if self.ghost:
            self._nudge(hours=1)
        else:
            self._step_selection(1, by_quay=False)

    def action_up(self) -> None:
        if self.ghost:
            self._nudge(metres=-10)
        else:
            self._step_selection(-1, by_quay=True)

    def action_down(self) -> None:
        if self.ghost:
            self._nudge(metres=10)
        else:
            self._step_selection(1, by_quay=True)

    def action_move(self) -> None:
        """Lift the selected visit as a ghost."""
        block = self.chart.block(self.selected) if self.chart and self.selected else None
        if block is None or self.ghost is not None:
            return
        berth = next((b for b in self.chart.berths if b.name == block.berth), None)
        if berth is None:
            return
        self.ghost = Ghost(block.visit_id, berth.id, block.quay_from_m, block.start, block.end)

    def action_next_berth(self) -> None:
        if not self.ghost or not self.chart or not self.chart.berths:
            return
        ids = [b.id for b in self.chart.berths]
        i = (ids.index(self.ghost.berth_id) + 1) % len(ids) if self.ghost.berth_id in ids else 0
        b = self.chart.berths[i]
        self.ghost = replace(self.ghost, berth_id=b.id, quay_from_m=b.start_m)

    def action_commit(self) -> None:
        if self.ghost and self.chart and self.chart.block(self.ghost.visit_id):
            self.post_message(self.MoveRequested(self.ghost, self.chart.block(
                self.ghost.visit_id)))

    def action_cancel(self) -> None:
        self.ghost = None

    def action_zoom(self, hours: int) -> None:
        self.hours = hours
        self.post_message(self.WindowChanged(self.start or self.now, hours))

    def action_scroll(self, direction: int) -> None:
        if self.start is None:
            return
        self.start = self.start + timedelta(hours=direction * self.hours / 2)
        self.post_message(self.WindowChanged(self.start, self.hours))

    # -- drawing -----------------------------------------------------------------------
    def _redraw(self) -> None:
        if self.chart is None or self.size.width == 0:
            self._lines = []
        else:
            self._lines = draw(self.chart, self.start or self.chart.start, self.hours,
                               self.size.width, self.size.height, selected=self.selected,
                               ghost=self.ghost, problems=self.ghost_problems, now=self.now)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        if y < len(self._lines):
            return self._lines[y]
        return Strip.blank(self.size.width, BG)


# -- the drawing itself, a function of the data and the size --------------------------------
Cell = tuple[str, Style]


def _put(row: list[Cell], col: int, text: str, style: Style, limit: int) -> None:
    """Write ``text`` from ``col`` up to (not including) ``limit``, double-width aware."""
    for ch in text:
        w = cell_len(ch)
        if col + w > limit:
            break
        row[col] = (ch, style)
        if w == 2:
            row[col + 1] = ("", style)
        col += w


def _strip(row: list[Cell], width: int) -> Strip:
    """Cells to a strip, one segment per run of the same style (compared by identity)."""
    segs: list[Segment] = []
    run: list[str] = []
    current: Style | None = None
    for ch, style in row:
        if style is not current:
            if run:
                segs.append(Segment("".join(run), current))
            run, current = [ch], style
        else:
            run.append(ch)
    if run:
        segs.append(Segment("".join(run), current))
    return Strip(segs, width)


def draw(chart: Chart, start: datetime, hours: int, width: int, height: int, *,
         selected: int | None = None, ghost: Ghost | None = None,
         problems: list[Conflict] = (), now: datetime | None = None) -> list[Strip]:
    zone = ZoneInfo(chart.timezone)
    cols = max(1, width - GUTTER)
    rows = max(1, height - HEADER - FOOTER)
    span = timedelta(hours=hours).total_seconds()
    per_col = span / cols
    q0, q1 = chart.quay_start_m, chart.quay_end_m
    per_row = max(1e-9, (q1 - q0) / rows)
    blank = (" ", BG)
    grid = [[blank] * width for _ in range(height)]

    def col_of(t: datetime) -> float:
        return GUTTER + (t - start).total_seconds() / per_col

    def row_of(m: float) -> float:
        return HEADER + (m - q0) / per_row

    # time axis: a date label at each local midnight, hour ticks in between, as dense as fits
    per_hour = cols / hours
    step = next((h for h in (1, 2, 3, 6, 12) if h * per_hour >= 3), 0)
    day_fmt = (_(WEEKDAY_DAY_MONTH) if 24 * per_hour >= 11 else
               _(DAY_MONTH) if 24 * per_hour >= 7 else "%d")
    local0 = start.astimezone(zone).replace(minute=0, second=0, microsecond=0)
    t = local0
    while t < start + timedelta(hours=hours):
        c = int(col_of(t))
        if GUTTER <= c < width and t >= start:
            if t.hour == 0 or t == local0:
                _put(grid[0], c, t.strftime(day_fmt), Style(color="white", bold=True,
                                                           bgcolor="#1b1b1b"), width)
            if step and t.hour % step == 0:
                _put(grid[1], c, f"{t.hour:02d}", BG, width)
        t += timedelta(hours=1)
    _put(grid[0], 0, _("quay m"), BG, GUTTER)
    # quay axis: berth names where a berth starts, metre marks on the others
    for r in range(rows):
        y = HEADER + r
        m0 = q0 + r * per_row
        berth = next((b for b in chart.berths if m0 <= b.start_m < m0 + per_row), None)
        label = f"{berth.name:<5}{berth.start_m:>4.0f}" if berth else f"{'':5}{m0:>4.0f}"
        _put(grid[y], 0, label[:GUTTER - 1] + "│", Style(color="#c0c0c0", bgcolor="#1b1b1b",
                                                          bold=berth is not None), GUTTER)
    # the present moment
    if now is not None:
        c = int(col_of(now))
        if GUTTER <= c < width:
            for y in range(HEADER, HEADER + rows):
                grid[y][c] = ("┊", NOW)

    #: Each painted block's cells and labels; labels are written once every block is filled,
    #: each ending a cell before the next block on its line, so labels of visits close in
    #: time or quay no longer ran into each other ("MACMA CGM…", "34366m berthed").
    painted: list[tuple[int, int, int, int, Style, list[str], bool]] = []

    def paint(q_from: float, q_to: float, t0: datetime, t1: datetime, style: Style,
              labels: list[str], frame: bool = False) -> None:
        r0 = max(HEADER, math.floor(row_of(q_from)))
        r1 = min(HEADER + rows, max(r0 + 1, math.ceil(row_of(q_to))))
        c0 = max(GUTTER, math.floor(col_of(t0)))
        c1 = min(width, max(c0 + 1, math.ceil(col_of(t1))))
        if c0 >= width or c1 <= GUTTER or r0 >= HEADER + rows:
            return
        fill = [(" ", style)] * (c1 - c0)
        for y in range(r0, r1):
            grid[y][c0:c1] = fill
            if frame:  # the selected block: a bright edge down both sides
                grid[y][c0] = ("▌", style)
                grid[y][c1 - 1] = ("▐", style)
        painted.append((r0, r1, c0, c1, style, labels, frame))

    def write_labels() -> None:
        for n, (r0, r1, c0, c1, style, labels, frame) in enumerate(painted):
            inset = 1 if frame else 0
            for i, text in enumerate(labels):
                y = r0 + i
                if y >= r1:
                    break
                # painted later and on this line: this block shows only up to it
                limit = min([c1 - inset, *(o[2] - 1 for m, o in enumerate(painted)
                                           if m > n and o[0] <= y < o[1] and c0 < o[2] < c1)])
                covered = any(m > n and o[0] <= y < o[1] and o[2] <= c0 < o[3]
                              for m, o in enumerate(painted))
                if not covered and limit - (c0 + inset) >= 2:  # 1 cell says nothing
                    _put(grid[y], c0 + inset, text, style, limit)

    for b in chart.blocks:
        colour = PHASE_COLOURS.get(b.phase, "#3b6ea5")
        style = Style(bgcolor=colour, color="white")
        if b.problems:
            style = Style(bgcolor=colour, color="#ffd0d0", bold=True, underline=True)
        chosen = b.visit_id == selected
        if chosen:
            style = style + Style(color="#ffe14d", bold=True)
        mark = ("▶" if chosen else "") + ("!" if b.problems else "")
        paint(b.quay_from_m, b.quay_to_m, b.start, b.end, style,
              [f"{mark}{b.key}", b.vessel, f"{b.loa_m:g}m {_(b.phase)}"], frame=chosen)
    if ghost is not None:
        block = chart.block(ghost.visit_id)
        loa = block.loa_m if block else 0
        paint(ghost.quay_from_m, ghost.quay_from_m + loa, ghost.start, ghost.end,
              GHOST_BAD if problems else GHOST_OK, [f"→{block.key if block else ''}"])
    write_labels()
    # footer: the selection or the ghost's verdict, then the legend
    info = height - FOOTER
    if ghost is not None:
        text = ("✗ " + "; ".join(p.unmet.localized(_)[0] for p in problems)) if problems else \
            _("✓ fits — Enter to move, Esc to cancel")
        _put(grid[info], 0, text, Style(color="#ff8080" if problems else "#80e080",
                                        bgcolor="#1b1b1b", bold=True), width)
    elif selected is not None and chart.block(selected):
        b = chart.block(selected)
        until = _("until it departs") if b.open_end else \
            stamp(b.end.astimezone(zone), _)
        text = (f"{b.key} {b.vessel} · {b.berth} {b.quay_from_m:g}–{b.quay_to_m:g} m · "
                f"{stamp(b.start.astimezone(zone), _)}–{until} · {_(b.phase)}")
        if b.problems:
            text += " · ! " + ", ".join(b.problems)
        _put(grid[info], 0, text, Style(color="white", bgcolor="#1b1b1b"), width)
    col = 0
    for phase, colour in PHASE_COLOURS.items():
        if phase == "closed":
            continue
        label = f" {_(phase)} "
        _put(grid[height - 1], col, label, Style(bgcolor=colour, color="white"), width)
        col += cell_len(label) + 1
    return [_strip(r, width) for r in grid]
