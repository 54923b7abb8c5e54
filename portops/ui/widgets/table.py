"""A DataTable kept in step by key: upsert and remove rows, filter and sort without reloading.

Screens give each row a stable key (a primary key) and the cells as :class:`Cell` values,
which carry a sort value beside the text shown (so "27 08:00" sorts as the time it is).
A live change updates only the rows whose keys changed (:meth:`KeyedTable.upsert`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist


class Cell(Text):
    """Text for a table cell, with the value it sorts by (never parsed as markup)."""

    def __init__(self, text: str, sort: Any = None, style: str = "") -> None:
        super().__init__(text, style=style, no_wrap=True, overflow="ellipsis")
        self.sort_value = text if sort is None else sort


def sort_key(cell: Cell) -> tuple[bool, Any]:
    """Empty values last, whatever the direction of the rest."""
    value = cell.sort_value if isinstance(cell, Cell) else str(cell)
    return (value is None or value == "", value if value not in (None, "") else 0)


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # English, marked with N_; translated when the table is built
    width: int | None = None


class KeyedTable(DataTable):
    """Rows by key; ``matches`` decides which rows are shown; one sort column at a time."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.sort_column: str | None = None
        self.sort_reverse = False
        self.matches: Callable[[Any], bool] = lambda _row: True

    def set_columns(self, columns: Sequence[Column], translate: Callable[[str], str]) -> None:
        self.clear(columns=True)
        for c in columns:
            self.add_column(translate(c.title), key=c.key, width=c.width)

    def has_row(self, key: str) -> bool:
        try:
            self.get_row_index(key)
        except RowDoesNotExist:
            return False
        return True

    def upsert(self, key: str, cells: dict[str, Cell], shown: bool = True) -> bool:
        """Add or update one row (or remove it when not ``shown``); True if anything moved."""
        if not shown:
            return self.remove(key)
        if self.has_row(key):
            for column, cell in cells.items():
                self.update_cell(key, column, cell)
            return False
        self.add_row(*(cells[c] for c in self.columns), key=key)
        return True

    def remove(self, key: str) -> bool:
        if self.has_row(key):
            self.remove_row(key)
            return True
        return False

    def sync(self, rows: Iterable[tuple[str, dict[str, Cell], bool]]) -> None:
        """Upsert many rows, then sort once if any row came or went."""
        moved = False
        for key, cells, shown in rows:
            moved |= self.upsert(key, cells, shown)
        if moved:
            self.resort()

    def _update_dimensions(self, new_rows: Iterable[Any]) -> None:
        """Skip measuring every new cell when no column sizes itself to its content.

        ``DataTable`` measures each cell of each new row to widen auto-width columns; when
        every column has a fixed width and rows one line (how screens declare them) that is
        6,500 wasted measurements for a 500-visit schedule, a fifth of the console's start.
        """
        if (any(c.auto_width for c in self.columns.values())
                or any(self.rows[k].auto_height or self.rows[k].label is not None
                       for k in new_rows if k in self.rows)):
            super()._update_dimensions(new_rows)
            return
        header = self.header_height if self.show_header else 0
        width = sum(c.get_render_width(self) for c in self.columns.values())
        self.virtual_size = Size(width + self._row_label_column_width,
                                 self._total_row_height + header)

    def fill(self, rows: Iterable[tuple[str, dict[str, Cell]]]) -> None:
        """Replace every row by ``rows``, given in the display order (no lookups, no sort)."""
        self.clear()
        for key, cells in rows:
            self.add_row(*(cells[c] for c in self.columns), key=key)

    def sort_by(self, column: str, reverse: bool | None = None) -> None:
        if reverse is None:
            reverse = (not self.sort_reverse) if column == self.sort_column else False
        self.sort_column, self.sort_reverse = column, reverse
        self.resort()

    def resort(self) -> None:
        if self.sort_column and self.row_count:
            current = self.cursor_row_key()
            self.sort(self.sort_column, key=sort_key, reverse=self.sort_reverse)
            if current is not None and self.has_row(current):
                self.move_cursor(row=self.get_row_index(current))

    def cursor_row_key(self) -> str | None:
        if not self.row_count:
            return None
        try:
            return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except Exception:  # noqa: BLE001 - cursor outside the rows
            return None
