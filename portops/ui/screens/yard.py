"""The yard view: a block as stack heights per bay and row, then one bay as rows × tiers,
coloured by category, holds marked; ``f`` finds a container, jumps to its bay and marks it
(the cursor on its cell and its details below, until the next move).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from portops.db import read_session
from portops.i18n import N_, _
from portops.ops import Core
from portops.queries.views import (
    BlockSummary,
    Found,
    find_container,
    yard_bay,
    yard_block,
    yard_blocks,
)
from portops.ui.commands import Command, bind_commands
from portops.ui.screens.base import Working
from portops.ui.widgets.fields import FieldInput
from portops.ui.widgets.slot_grid import SlotGrid


def block_map(b: BlockSummary, heights: dict[tuple[int, int], int], bay: int) -> Text:
    """Stack heights, one digit a stack, rows down and bays across; the chosen bay marked."""
    out = Text()
    out.append(f"{_('block')} {b.name} · {_(b.purpose)} · {b.boxes} {_('boxes')} "
               f"({b.fill:.0%}) · {b.planned} {_('planned')}\n", style="bold")
    out.append(" " * 4)
    for x in range(1, b.bays + 1):
        out.append(f"{x % 10}", style="reverse bold" if x == bay else "dim")
    out.append("\n")
    for row in range(1, b.rows + 1):
        out.append(f"{row:02d}  ", style="bold")
        for x in range(1, b.bays + 1):
            h = heights.get((x, row), 0)
            style = "reverse" if x == bay else ("green" if h < b.tiers else "red")
            out.append(str(h) if h else "·", style=style)
        out.append("\n")
    out.append(_("digits: stack height; ←/→ bay, Enter bay view, [/] block, f find") + "\n",
               style="dim")
    return out


G = N_("yard")
#: The yard's keys (Commands, so they are translated when shown and bound the one way).
YARD_COMMANDS = (
    Command("yard.previous_block", "left_square_bracket", N_("Previous block"),
            N_("Show the previous yard block."), "block(-1)", G, key_display="["),
    Command("yard.next_block", "right_square_bracket", N_("Next block"),
            N_("Show the next yard block."), "block(1)", G, key_display="]"),
    Command("yard.bay_left", "left", N_("Bay −"), N_("The bay to the left."), "bay(-1)", G,
            show=False),
    Command("yard.bay_right", "right", N_("Bay +"), N_("The bay to the right."), "bay(1)", G,
            show=False),
    Command("yard.open_bay", "enter", N_("Bay view"), N_("Open the bay as rows × tiers."),
            "open_bay", G),
    Command("yard.close_bay", "escape", N_("Block view"),
            N_("Back from the bay (or the find field) to the block."), "close_bay", G),
    Command("yard.find", "f", N_("Find container"),
            N_("Type a container number: the view jumps to its slot and marks it."), "find", G),
)


class YardView(Working, Vertical):
    DEFAULT_CSS = """
    YardView { height: 1fr; }
    YardView #yd-find { display: none; }
    YardView.-finding #yd-find { display: block; }
    """
    def __init__(self, core: Core, **kw) -> None:
        super().__init__(**kw)
        bind_commands(self, YARD_COMMANDS)
        self.core = core
        self.blocks: list[BlockSummary] = []
        self.index, self.bay, self.in_bay = 0, 1, False
        self.found: Found | None = None  # the box a find marked, until the next move

    def compose(self) -> ComposeResult:
        # only a container number's characters: [ and ] still change block while typing
        yield FieldInput(placeholder=_("container number, Enter to find"), id="yd-find",
                         restrict=r"[A-Za-z0-9]*")
        with VerticalScroll(id="yd-scroll"):
            yield Static("", id="yd-block")
            yield SlotGrid(vessel=False, id="yd-bay")
            yield Static("", id="yd-detail")

    def on_mount(self) -> None:
        self.refresh_view()
        self.query_one("#yd-scroll").focus()

    def refresh_view(self) -> None:
        index, bay, in_bay = self.index, self.bay, self.in_bay
        self.in_thread(lambda: self._load(index, bay, in_bay), self._show)

    def _load(self, index: int, bay: int, in_bay: bool):
        with read_session(self.core.engine) as s:
            blocks = yard_blocks(s)
            if not blocks:
                return blocks, bay, None, None
            b = blocks[min(index, len(blocks) - 1)]
            bay = max(1, min(b.bays, bay))
            return (blocks, bay, block_map(b, yard_block(s, b.id), bay),
                    yard_bay(s, b.id, bay) if in_bay else None)

    def _show(self, data) -> None:
        self.blocks, self.bay, block_text, grid = data
        if not self.blocks:
            self.query_one("#yd-block", Static).update(_("No yard blocks."))
            return
        self.query_one("#yd-block", Static).update(block_text)
        bay_view = self.query_one("#yd-bay", SlotGrid)
        bay_view.display = grid is not None
        if grid is not None:
            bay_view.show(grid, self.found.number if self.found else None)
        detail = self.query_one("#yd-detail", Static)
        detail.display = self.found is not None and grid is not None
        detail.update(found_text(self.found) if detail.display else "")

    def _moved(self) -> None:
        """Any move ends the mark a find left."""
        self.found = None

    def action_block(self, step: int) -> None:
        self._moved()
        if self.blocks:
            self.index = (self.index + step) % len(self.blocks)
            self.refresh_view()

    def action_bay(self, step: int) -> None:
        self._moved()
        self.bay += step
        self.refresh_view()

    def action_open_bay(self) -> None:
        self.in_bay = True
        self.refresh_view()

    def action_close_bay(self) -> None:
        if self.has_class("-finding"):
            self.remove_class("-finding")
        else:
            self._moved()
            self.in_bay = False
        self.refresh_view()
        self.query_one("#yd-scroll").focus()

    def action_find(self) -> None:
        self.add_class("-finding")
        self.query_one("#yd-find", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        typed = event.value

        def find():
            with read_session(self.core.engine) as s:
                return find_container(s, typed)

        self.in_thread(find, lambda found: self._jump(found, typed), group="find")

    def _jump(self, found, typed: str) -> None:
        if found is None:
            self.notify(_("{n} is not in the yard and has no planned slot").format(
                n=typed.strip().upper()), severity="warning")
            return
        self.index = next((i for i, b in enumerate(self.blocks) if b.id == found.block_id), 0)
        self.bay, self.in_bay, self.found = found.bay, True, found
        self.remove_class("-finding")
        self.query_one("#yd-find", Input).value = ""
        self.refresh_view()
        self.query_one("#yd-scroll").focus()
        where = f"{found.block}-{found.bay:02d}-{found.row}-{found.tier}"
        self.notify((_("{n} planned for {where}") if found.planned else _("{n} at {where}"))
                    .format(n=found.number, where=where))


def found_text(f: Found) -> Text:
    """The marked box's details under the bay: what it is, where, why there, what stops it."""
    out = Text()
    where = f"{f.block}-{f.bay:02d}-{f.row}-{f.tier}"
    out.append(f"[{f.number}] ", style="bold")
    out.append(f"{f.size_type} {_(f.category)} {_('full') if f.full else _('empty')}")
    if f.weight_kg:
        out.append(f" · {f.weight_kg:,} kg")
    if f.bl_number:
        out.append(f" · B/L {f.bl_number}")
    if f.consignee:
        out.append(f" · {f.consignee}")
    if f.visit:
        out.append(" · " + _("from {visit}").format(visit=f.visit))
    out.append("\n" + (_("planned for {where}") if f.planned else _("at {where}")).format(
        where=where) + "\n")
    if f.why:
        out.append(_("why this slot: {why}").format(why=f.why) + "\n", style="dim")
    if f.blocks:
        out.append(_("stops delivery: {what}").format(
            what="; ".join(u.localized(_)[0] for u in f.blocks)) + "\n", style="red")
    else:
        out.append(_("free to deliver") + "\n", style="green")
    return out


class YardScreen(Screen):
    def __init__(self, core: Core) -> None:
        super().__init__()
        self.core = core

    def compose(self) -> ComposeResult:
        yield YardView(self.core)
        yield Footer()
