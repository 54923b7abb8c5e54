"""KeyedTable: a live change repaints its row only, and the row shows the new cells."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.cache import LRUCache

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


async def test_an_upsert_repaints_the_changed_row_and_keeps_the_others_cached() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.query_one(KeyedTable)
        table.set_columns(COLUMNS, str)
        table.fill((str(n), _cells(f"ship {n}", "planned")) for n in range(5))
        await wait_for(pilot, lambda: "ship 4" in table.render_line(5).text)
        before = [table.render_line(y).text for y in range(1, 6)]  # renders are cached now
        table._cell_render_cache = cache = Counting(table._cell_render_cache)

        table.upsert("2", _cells("ship 2", "arrived"))

        after = [table.render_line(y).text for y in range(1, 6)]
        assert "arrived" in after[2] and "planned" not in after[2]
        assert after[:2] + after[3:] == before[:2] + before[3:]
        # only the changed row's cells were rendered again (update_cell would redo them all)
        assert {key[0].value for key in cache.writes} == {"2"}
