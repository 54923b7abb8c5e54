"""A bay drawn as rows × tiers, three characters a slot, coloured by what the box is or what
happens to it. Used by the vessel bay view and the yard bay view.

Vessel: ``D1`` to discharge by crane 1, ``✓`` discharged, ``S`` short-landed, ``R`` remains
on board; two letters (``DR``) are the fore and aft 20' boxes of one 40' slot. Yard: ``I`` import, ``E`` export, ``T`` tranship, ``M`` empty/storage, ``p`` a slot
planned for a box still on the vessel. Third character: ``r`` reefer, ``!`` dangerous goods,
``H`` a hold, ``x`` damage, ``f``/``a`` the fore or aft 20' half of a 40' bay.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from portops.i18n import _
from portops.queries.views import Cell, Grid

STYLES = {
    "discharge": "black on yellow", "discharged": "black on green", "short": "white on red",
    "over": "white on magenta", "rob": "white on blue",
    "import": "black on green", "export": "white on blue", "tranship": "black on cyan",
    "storage": "black on bright_black", "empty": "black on bright_black",
    "planned": "yellow on grey15",
}
LETTER = {"discharge": "D", "discharged": "✓", "short": "S", "over": "O", "rob": "R",
          "import": "I", "export": "E", "tranship": "T", "storage": "M", "empty": "M",
          "planned": "p"}
LEGEND_VESSEL = ("discharge", "discharged", "short", "rob")
LEGEND_YARD = ("import", "export", "tranship", "empty", "planned")


def cell_text(cells: list[Cell]) -> tuple[str, str]:
    """Three characters and a style for the boxes in one slot (two 20' halves share one)."""
    if len(cells) > 1:  # fore and aft 20' boxes in a 40' bay view: both letters, fore first
        cells = sorted(cells, key=lambda c: c.half)[::-1]
        letters = "".join(LETTER.get(c.state, "?") for c in cells[:2])
        state = "discharge" if any(c.state == "discharge" for c in cells) else cells[0].state
        return f"{letters} ", STYLES.get(state, "")
    c = cells[0]
    second = str(c.crane) if c.crane and c.state == "discharge" else " "
    mark = ("H" if c.held else "x" if c.damaged else "!" if c.dangerous else
            "r" if c.reefer else c.half or " ")
    return f"{LETTER.get(c.state, '?')}{second[-1]}{mark}", STYLES.get(c.state, "")


#: The box a "find" landed on: the cursor, until the next move.
MARKED = "bold black on bright_white"


def render_grid(grid: Grid, *, vessel: bool, mark: str | None = None) -> Text:
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
        out.append(f" {_(state)}  ")
    out.append("\n" + _("r reefer  ! dangerous goods  H hold  x damaged") + "\n", style="dim")
    return out


class SlotGrid(Static):
    """Shows a :class:`~portops.queries.views.Grid`."""

    DEFAULT_CSS = "SlotGrid { height: auto; padding: 0 1; }"

    def __init__(self, *, vessel: bool, **kw) -> None:
        super().__init__("", **kw)
        self.vessel = vessel
        self.grid: Grid | None = None
        self.mark: str | None = None

    def show(self, grid: Grid, mark: str | None = None) -> None:
        """Draw ``grid``; the box numbered ``mark`` (a find) is drawn as the cursor."""
        self.grid, self.mark = grid, mark
        self.update(render_grid(grid, vessel=self.vessel, mark=mark))
