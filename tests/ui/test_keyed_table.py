"""KeyedTable: a live change repaints its row only, and the row shows the new cells."""

from __future__ import annotations

import pytest
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.cache import LRUCache
from textual.widgets.data_table import DuplicateKey

from portops.ui.widgets.table import Cell, Column, KeyedTable
from tests.ui.conftest import wait_for

COLUMNS = (Column("name", "Name", 10), Column("phase", "Phase", 10))


class Counting(LRUCache):
    """The table's cell-render cache, noting which cells get rendered (written) again."""

    def __init__(self, old: LRUCache) -> None:
        super().__init__(old.maxsize)
        self.writes: list = []
        for key in list(old.keys()):
            super().set(key, old.get(key))

    def set(self, key, value) -> None:  # noqa: ANN001
        self.writes.append(key)
        super().set(key, value)

    __setitem__ = set


class TableApp(App):
    def compose(self) -> ComposeResult:
        yield KeyedTable(id="t")


def _cells(name: str, phase: str) -> dict[str, Cell]:
    return {"name": Cell(name), "phase": Cell(phase)}


async def _five_ships(app: App, pilot) -> KeyedTable:
    """The app's table with five planned ships, drawn."""
    table = app.query_one(KeyedTable)
    table.set_columns(COLUMNS, str)
    table.fill((str(n), _cells(f"ship {n}", "planned")) for n in range(5))
    await wait_for(pilot, lambda: "ship 4" in table.render_line(5).text)
    return table


async def test_an_upsert_repaints_the_changed_row_and_keeps_the_others_cached() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 10)) as pilot:
        table = await _five_ships(app, pilot)
        before = [table.render_line(y).text for y in range(1, 6)]  # renders are cached now
        table._cell_render_cache = cache = Counting(table._cell_render_cache)

        table.upsert("2", _cells("ship 2", "arrived"))

        after = [table.render_line(y).text for y in range(1, 6)]
        assert "arrived" in after[2] and "planned" not in after[2]
        assert after[:2] + after[3:] == before[:2] + before[3:]
        # only the changed row's cells were rendered again (update_cell would redo them all)
        assert {key[0].value for key in cache.writes} == {"2"}


#: Cells the fast path draws and cells it leaves to Rich (spans, tabs, breaks, justify).
SAMPLES = [Cell("ship 1"), Cell(""), Cell("x" * 30), Cell("bold", style="bold green"),
           Cell("中文船名很长很长很长", style="dim"), Cell("12-01 08:00*", None, "bold"),
           Cell("trailing    "), Cell("a\tb"), Cell("two\nlines"),
           Text("mixed", style="cyan").append(" part", style="bold"),
           Text("right", justify="right"), Text("cut" * 9, overflow="crop"), "plain str",
           Text("fold" * 9)]


async def test_the_fast_cell_render_draws_what_datatable_draws() -> None:
    """The hand-built segments equal ``DataTable._render_cell``'s, row by row, in every state
    (cursor, hover, focus) and at widths that crop (ellipsis, double-width characters)."""
    from textual.widgets import DataTable

    app = TableApp()
    async with app.run_test(size=(120, 30)) as pilot:
        table = app.query_one(KeyedTable)
        widths = (12, 9, 4, 3)
        table.set_columns([Column(f"c{w}", f"W{w}", w) for w in widths], str)
        for n, sample in enumerate(SAMPLES):
            table.add_row(*([sample] * len(widths)), key=str(n))
        await pilot.pause()
        for focused in (False, True):
            if focused:
                table.focus()
                await pilot.pause()
            table._pseudo_class_state = table.get_pseudo_class_state()
            for row in range(len(SAMPLES)):
                for col, width in enumerate(widths):
                    for cursor, hover in ((False, False), (True, False), (False, True)):
                        base = table._get_row_style(row, table.rich_style)
                        args = (row, col, base, width + 2, cursor, hover)
                        table._cell_render_cache.clear()
                        fast = table._render_cell(*args)
                        table._cell_render_cache.clear()
                        slow = DataTable._render_cell(table, *args)
                        assert _simple(fast) == _simple(slow), (SAMPLES[row], width, cursor)


def _simple(lines: list[list[Segment]]) -> list[list[tuple[str, Style | None]]]:
    return [[(s.text, s.style) for s in Segment.simplify(line) if s.text] for line in lines]


def test_the_fast_path_takes_plain_cells_and_leaves_the_rest() -> None:
    app = TableApp()
    table = KeyedTable()
    plain = [Cell("ship 1"), Cell("中文", style="bold"), Cell("")]
    rich = [Text("a").append("b", style="bold"), Cell("a\tb"), Text("r", justify="right")]
    with app._context():
        assert all(table._plain_cell(c, Style(), 10, False, False) for c in plain)
        assert not any(table._plain_cell(c, Style(), 10, False, False) for c in rich)


class FullTableApp(TableApp):
    CSS = "KeyedTable { height: 1fr; }"


async def test_a_new_height_keeps_the_rendered_cells_a_new_width_renders_them_again() -> None:
    """Every cell render is keyed on the table's update count: a new height (the filter line
    opening) must leave it, a new width must move it (the cells are laid out again)."""
    app = FullTableApp()
    async with app.run_test(size=(40, 10)) as pilot:
        table = await _five_ships(app, pilot)
        count = table._update_count

        await pilot.resize_terminal(40, 8)  # the filter line opens above the table
        await wait_for(pilot, lambda: table.size.height == 8, timeout=10)
        assert "ship 2" in table.render_line(3).text
        assert table._update_count == count

        await pilot.resize_terminal(30, 8)
        await wait_for(pilot, lambda: table.size.width == 30, timeout=10)
        assert "ship 2" in table.render_line(3).text
        assert table._update_count > count


class TwoTablesApp(App):
    CSS = "KeyedTable { height: 1fr; }"

    def compose(self) -> ComposeResult:
        yield KeyedTable(id="fast")
        yield KeyedTable(id="slow")


async def test_fill_holds_and_draws_what_add_row_gives() -> None:
    app = TwoTablesApp()
    async with app.run_test(size=(40, 20)) as pilot:
        fast, slow = app.query_one("#fast", KeyedTable), app.query_one("#slow", KeyedTable)
        rows = [(str(n), _cells(f"ship {n}", "planned" if n % 2 else "berthed"))
                for n in (4, 2, 9, 1)]
        for table in (fast, slow):
            table.set_columns(COLUMNS, str)
        fast.fill(rows)
        for key, cells in rows:
            slow.add_row(*(cells[c] for c in slow.columns), key=key)
        await wait_for(pilot, lambda: "ship 1" in fast.render_line(4).text
                       and "ship 1" in slow.render_line(4).text)
        assert fast.row_count == slow.row_count == 4
        assert [fast.get_row_at(i) for i in range(4)] == [slow.get_row_at(i) for i in range(4)]
        assert fast.cursor_row_key() == slow.cursor_row_key() == "4"
        assert fast.virtual_size == slow.virtual_size
        assert [fast.render_line(y).text for y in range(5)] == \
            [slow.render_line(y).text for y in range(5)]
        fast.sort_by("name")
        assert [fast.get_row_at(i)[0].plain for i in range(4)] == \
            ["ship 1", "ship 2", "ship 4", "ship 9"]
        with pytest.raises(DuplicateKey):
            fast.fill([rows[0], rows[0]])
