"""A bay drawn as rows × tiers, three characters a slot, coloured by what the box is or what
happens to it. Used by the vessel bay view and the yard bay view.

Vessel: ``D1`` to discharge by crane 1, ``✓`` discharged, ``S`` short-landed, ``R`` remains
on board, ``L2`` to load by crane 2, ``▲`` loaded; two letters (``DR``) are the fore and aft 20' boxes of one 40' slot. Yard: ``I`` import, ``E`` export, ``T`` tranship, ``M`` empty/storage, ``p`` a slot
planned for a box still on the vessel. Third character: ``r`` reefer, ``!`` dangerous goods,
``H`` a hold, ``x`` damage, ``f``/``a`` the fore or aft 20' half of a 40' bay.

A grid made ``selectable`` takes the focus: the arrow keys move a cursor from box to box and
each move posts :class:`SlotGrid.Selected` with the boxes under it (the view shows their crane
and sequence).
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static

from portops.i18n import N_, NC_, _, pgettext
from portops.queries.views import Cell, Grid

STYLES = {
    "discharge": "black on yellow", "discharged": "black on green", "short": "white on red",
    "over": "white on magenta", "rob": "white on blue",
    "import": "black on green", "export": "white on blue", "tranship": "black on cyan",
    "storage": "black on bright_black", "empty": "black on bright_black",
    "planned": "yellow on grey15",
    "load": "black on bright_cyan", "loaded": "white on dark_cyan",
}
LETTER = {"discharge": "D", "discharged": "✓", "short": "S", "over": "O", "rob": "R",
          "import": "I", "export": "E", "tranship": "T", "storage": "M", "empty": "M",
          "planned": "p", "load": "L", "loaded": "▲"}
LEGEND_VESSEL = ("discharge", "discharged", "short", "rob", "load", "loaded")
#: What the letters stand for in the legend (English, translated where shown).
#: Every vessel state is marked (the legend read "S short R rob" in Chinese): short words,
#: for the English legend fits one line at 80 columns.
LEGEND_TEXT = {"discharge": N_("discharge"), "discharged": N_("discharged"),
               "short": N_("short"), "rob": N_("rob"),
               "load": N_("to load"), "loaded": N_("loaded on board")}
LEGEND_YARD = ("import", "export", "tranship", "empty", "planned")
#: The yard legend's words: "import" there is an import box (进口), not the console's import
#: of a file (导入), hence a context of their own.
LEGEND_YARD_TEXT = {"import": NC_("yard legend", "import"),
                    "export": NC_("yard legend", "export"),
                    "tranship": NC_("yard legend", "tranship"),
                    "empty": NC_("yard legend", "empty"),
                    "planned": NC_("yard legend", "planned")}


def cell_text(cells: list[Cell]) -> tuple[str, str]:
    """Three characters and a style for the boxes in one slot (two 20' halves share one)."""
    if len(cells) > 1:  # fore and aft 20' boxes in a 40' bay view: both letters, fore first
        cells = sorted(cells, key=lambda c: c.half)[::-1]
        letters = "".join(LETTER.get(c.state, "?") for c in cells[:2])
        pending = [c.state for c in cells if c.state in ("discharge", "load")]
        state = pending[0] if pending else cells[0].state
        return f"{letters} ", STYLES.get(state, "")
    c = cells[0]
    second = str(c.crane) if c.crane and c.state in ("discharge", "load") else " "
    mark = ("H" if c.held else "x" if c.damaged else "!" if c.dangerous else
            "r" if c.reefer else c.half or " ")
    return f"{LETTER.get(c.state, '?')}{second[-1]}{mark}", STYLES.get(c.state, "")


#: The box a "find" landed on: the cursor, until the next move.
MARKED = "bold black on bright_white"


def render_grid(grid: Grid, *, vessel: bool, mark: str | None = None,
                selected: tuple[int, int] | None = None) -> Text:
    out = Text()
    out.append(f"{grid.title}\n", style="bold")
    if not grid.rows:
        out.append(_("nothing here") + "\n", style="dim")
        return out
    out.append("    ")
    for r in grid.rows:
        out.append(f"{r:02d} ", style="bold")
    out.append("\n")
    for t in grid.tiers:
        out.append(f"{t:02d}  ", style="bold")
        for r in grid.rows:
            cells = grid.cells.get((r, t))
            if cells:
                text, style = cell_text(cells)
                if mark and any(c.number == mark for c in cells):
                    text, style = f"[{text[0]}]", MARKED
                elif (r, t) == selected:
                    style = f"{style} reverse bold"
                out.append(text, style=style)
            else:
                out.append(" · ", style="dim")
        out.append("\n")
        if vessel and t >= 70 and not any(x >= 70 for x in grid.tiers
                                          if x < t) and any(x < 70 for x in grid.tiers):
            out.append("    " + "═" * (3 * len(grid.rows)) + "  " + _("hatch cover") + "\n",
                       style="dim")
    legend = LEGEND_VESSEL if vessel else LEGEND_YARD
    for state in legend:
        out.append(f" {LETTER[state]} ", style=STYLES[state])
        word = (_(LEGEND_TEXT[state]) if vessel
                else pgettext("yard legend", LEGEND_YARD_TEXT[state]))
        out.append(f" {word}  ")
    out.append("\n" + _("r reefer  ! dangerous goods  H hold  x damaged") + "\n", style="dim")
    return out


class SlotGrid(Static):
    """Shows a :class:`~portops.queries.views.Grid`."""

    DEFAULT_CSS = "SlotGrid { height: auto; padding: 0 1; }"
    BINDINGS = [Binding("left", "move(-1, 0)", show=False), Binding("right", "move(1, 0)", show=False),
                Binding("up", "move(0, -1)", show=False), Binding("down", "move(0, 1)", show=False)]

    class Selected(Message):
        """The cursor is on ``cells`` (empty: no box there)."""

        def __init__(self, cells: list[Cell]) -> None:
            super().__init__()
            self.cells = cells

    def __init__(self, *, vessel: bool, selectable: bool = False, **kw) -> None:
        super().__init__("", **kw)
        self.vessel = vessel
        self.can_focus = selectable
        self.grid: Grid | None = None
        self.mark: str | None = None
        #: (row, tier) under the cursor of a selectable grid.
        self.selected: tuple[int, int] | None = None

    def show(self, grid: Grid, mark: str | None = None) -> None:
        """Draw ``grid``; the box numbered ``mark`` (a find) is drawn as the cursor."""
        self.grid, self.mark = grid, mark
        if self.can_focus and (self.selected not in grid.cells):
            self.selected = self._first(grid)
        self._draw()

    def _draw(self) -> None:
        grid = self.grid
        self.update(render_grid(grid, vessel=self.vessel, mark=self.mark,
                                selected=self.selected if self.can_focus else None))
        if self.can_focus and grid is not None:
            self.post_message(self.Selected(grid.cells.get(self.selected, [])))

    @staticmethod
    def _first(grid: Grid) -> tuple[int, int] | None:
        """The top box of the leftmost stack."""
        for r in grid.rows:
            for t in grid.tiers:
                if (r, t) in grid.cells:
                    return (r, t)
        return None

    def action_move(self, dx: int, dy: int) -> None:
        """To the next box left/right (same tier, else the nearest) or up/down the stack."""
        grid = self.grid
        if grid is None or not grid.cells or self.selected is None:
            return
        r, t = self.selected
        ri, ti = grid.rows.index(r), grid.tiers.index(t)
        if dx:
            for i in range(ri + dx, len(grid.rows) if dx > 0 else -1, dx):
                stack = [x for x in grid.tiers if (grid.rows[i], x) in grid.cells]
                if stack:
                    tier = min(stack, key=lambda x: abs(grid.tiers.index(x) - ti))
                    self.selected = (grid.rows[i], tier)
                    break
        else:
            for j in range(ti + dy, len(grid.tiers) if dy > 0 else -1, dy):
                if (r, grid.tiers[j]) in grid.cells:
                    self.selected = (r, grid.tiers[j])
                    break
        self._draw()
