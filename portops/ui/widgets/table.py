"""A DataTable kept in step by key: upsert and remove rows, filter and sort without reloading.

Screens give each row a stable key (a primary key) and the cells as :class:`Cell` values,
which carry a sort value beside the text shown (so "27 08:00" sorts as the time it is).
A live change updates only the rows whose keys changed (:meth:`KeyedTable.upsert`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.events import Resize
from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, DuplicateKey, Row, RowDoesNotExist, RowKey


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
    #: Takes a share of room to spare on a wide screen (a number or time column need not).
    grow: bool = True


class KeyedTable(DataTable):
    """Rows by key; ``matches`` decides which rows are shown; one sort column at a time."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.sort_column: str | None = None
        self.sort_reverse = False
        self.matches: Callable[[Any], bool] = lambda _row: True
        self._rendered_width = -1
        #: The widths the screen declared, the least each column gets (``_fit_columns``).
        self._declared: dict[str, int] = {}
        #: The columns that keep their declared width however wide the table is.
        self._fixed: set[str] = set()

    def _on_resize(self, event: Resize) -> None:
        """Keep the rendered cells when only the height changed (the filter line opening,
        the reasons under the table growing): ``DataTable`` bumps the update count that
        every cell render is keyed on at any resize, so each redrew all visible cells. Cells
        have fixed widths; a new width still renders them again (``DataTable._on_resize``
        runs after this and bumps the count, which this undoes only for a new height)."""
        if event.size.width == self._rendered_width:
            self._update_count -= 1
        else:
            self._fit_columns(event.size.width)
        self._rendered_width = event.size.width

    def set_columns(self, columns: Sequence[Column], translate: Callable[[str], str]) -> None:
        self.clear(columns=True)
        self._declared = {c.key: c.width for c in columns if c.width is not None}
        self._fixed = {c.key for c in columns if not c.grow}
        for c in columns:
            self.add_column(translate(c.title), key=c.key, width=c.width)
        if self.size.width:
            self._fit_columns(self.size.width)

    def _fit_columns(self, width: int) -> None:
        """Give the columns the room there is (issue 14: "Ber…", "Ga…" at 120 columns with
        empty space beside them). Each declared width is the least a column gets, as at 80
        columns; room to spare goes first to titles cut short, then to every column that
        grows (``Column.grow``) in proportion to its width. No cell is measured (a fill
        stays one pass)."""
        declared = self._declared
        columns = [c for c in self.columns.values() if c.key.value in declared]
        if not columns or len(columns) != len(self.columns):
            return
        pad = 2 * self.cell_padding
        spare = width - 2 - sum(declared[c.key.value] + pad for c in columns)  # (scrollbar)
        widths = {c.key.value: declared[c.key.value] for c in columns}
        if spare > 0:
            for c in columns:  # a cut title first
                need = min(spare, max(0, cell_len(c.label.plain) - widths[c.key.value]))
                widths[c.key.value] += need
                spare -= need
            growing = {k: w for k, w in widths.items() if k not in self._fixed}
            total = sum(growing.values())
            for k, w in growing.items():
                widths[k] += spare * w // total
        if all(c.width == widths[c.key.value] for c in columns):
            return
        for c in columns:
            c.width = c.content_width = widths[c.key.value]
        self._clear_caches()
        self._update_count += 1
        self._require_update_dimensions = True
        self.refresh()

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
            self._replace_cells(key, cells)
            return False
        self.add_row(*(cells[c] for c in self.columns), key=key)
        return True

    def _replace_cells(self, key: str, cells: dict[str, Cell]) -> None:
        """Change one row's cells and repaint that row only (issue 7).

        ``DataTable.update_cell`` bumps the table-wide update count that every render cache
        is keyed on, so one live change re-rendered every visible cell (50 rows of 13 cells,
        most of a refresh's time). Here only the changed row's cached renders are dropped.
        """
        row_key = RowKey(key)
        data = self._data[row_key]
        changed = False
        for column, cell in cells.items():
            column_key = ColumnKey(column)
            old = data.get(column_key)
            if not (isinstance(old, Text) and old.plain == cell.plain and old.spans == cell.spans
                    and old.style == cell.style):
                data[column_key] = cell
                changed = True
            elif isinstance(old, Cell) and old.sort_value != cell.sort_value:
                data[column_key] = cell  # same text, another value to sort by
        if not changed:
            return
        row_index = self._row_locations.get(row_key)
        for cache, position, wanted in ((self._cell_render_cache, 0, row_key),
                                        (self._row_render_cache, 0, row_key),
                                        (self._row_renderable_cache, 1, row_index)):
            for stale in [k for k in cache.keys() if k[position] == wanted]:  # noqa: SIM118
                cache.discard(stale)
        self._line_cache.clear()  # lines are rebuilt from the other rows' cached renders
        if row_index is not None:
            self.refresh_row(row_index)

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

    def _render_cell(self, row_index: int, column_index: int, base_style: Style, width: int,
                     cursor: bool = False, hover: bool = False) -> list[list[Segment]]:
        """A one-line cell of plain styled text as its few segments, without Rich's renderer.

        ``DataTable`` renders every cell through ``Console.render_lines`` (padding, wrapping,
        cropping: about half a millisecond each); a schedule's first paint is ~650 cells,
        several times over as focus and cursor settle (issue 3: start under 1.5 s). A
        :class:`Text` without spans, tabs or line breaks on a one-line row gives the same
        segments built directly (``tests/ui/test_keyed_table.py`` compares the two); anything
        else, the header and labels go the usual way.
        """
        if row_index < 0 or column_index < 0 or self.fixed_rows or self.fixed_columns:
            return super()._render_cell(row_index, column_index, base_style, width, cursor,
                                        hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        cache_key = (row_key, column_key, base_style, cursor, hover, self._show_hover_cursor,
                     self._update_count, self._pseudo_class_state)
        cache = self._cell_render_cache
        if cache_key in cache:
            return cache[cache_key]
        cells = self._get_row_renderables(row_index)[1]
        cell = cells[column_index] if column_index < len(cells) else None
        row = self.rows.get(row_key) if row_key is not None else None
        lines = None
        if row is not None and row.height == 1 and isinstance(cell, Text):
            lines = self._plain_cell(cell, base_style + Style.from_meta(
                {"row": row_index, "column": column_index}), width, cursor, hover)
        if lines is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor,
                                        hover)
        cache[cache_key] = lines
        return lines

    def _plain_cell(self, cell: Text, base_style: Style, width: int, cursor: bool,
                    hover: bool) -> list[list[Segment]] | None:
        """``Styled(Padding(cell, (0, pad)), pre, post)`` rendered by hand, or None when the
        cell needs Rich (spans, tabs, breaks, justification, no room)."""
        pad = self.cell_padding
        inner = width - 2 * pad
        plain = cell.plain
        if (cell._spans or inner < 1 or cell.justify not in (None, "default")
                or cell.no_wrap is False or "\n" in plain or "\t" in plain
                or cell.end not in ("", "\n")):
            return None
        overflow = cell.overflow or "fold"
        if overflow != "ignore" and cell_len(plain) > inner:
            plain = (set_cell_size(plain, inner - 1) + "…" if overflow == "ellipsis"
                     else set_cell_size(plain, inner))
        component, post = self._get_styles_to_render_cell(
            False, False, False, hover, cursor, self.show_cursor, self._show_hover_cursor,
            self.cursor_foreground_priority == "css", self.cursor_background_priority == "css")
        pre = base_style + component

        def styled(style: Style | None) -> Style | None:  # Segment.apply_style(pre, post)
            if pre:
                style = pre + style
            if post:
                style = style + post if style else post
            return style

        console = self.app.console
        blank = styled(console.get_style("none"))
        text_style = styled(console.get_style(cell.style) if cell.style else None)
        line = [Segment(" " * pad, blank)] if pad else []
        if plain:
            line.append(Segment(plain, text_style))
        fill = inner - cell_len(plain)
        if fill > 0:
            line.append(Segment(" " * fill, blank))
        if pad:
            line.append(Segment(" " * pad, blank))
        return [line]

    def fill(self, rows: Iterable[tuple[str, dict[str, Cell]]]) -> None:
        """Replace every row by ``rows``, given in the display order (no lookups, no sort).

        What ``add_row`` does for each row, done once for all of them: ``add_row`` orders the
        columns twice, re-validates the cursor and bumps the update count per row (500 rows
        at a schedule's start, issue 3). ``tests/ui/test_keyed_table.py`` checks that the
        table holds and draws the same as after ``add_row``.
        """
        self.clear()
        columns = [c.key for c in self.ordered_columns]
        locations, data, meta, new = self._row_locations, self._data, self.rows, self._new_rows
        for index, (key, cells) in enumerate(rows):
            row_key = RowKey(key)
            if row_key in locations:
                raise DuplicateKey(f"The row key {row_key!r} already exists.")
            locations[row_key] = index
            data[row_key] = {c: cells[c.value] for c in columns}
            meta[row_key] = Row(row_key, 1)
            new.add(row_key)
        if not meta:
            return
        self._require_update_dimensions = True
        self.cursor_coordinate = self.cursor_coordinate
        if self.columns and self.show_cursor and self.cursor_type != "none":
            self._highlight_cursor()  # a row to highlight now (add_row: at the first row)
        self._update_count += 1
        self.check_idle()

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
