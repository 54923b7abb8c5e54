"""KeyedTable (Textual's DataTable with private members patched) against the stock DataTable
and textual-fastdatatable, on a schedule-sized table: does the maintained alternative make
the patches unnecessary?

    python -m venv /tmp/fdt && /tmp/fdt/bin/pip install textual-fastdatatable 'textual==8.2.*'
    PYTHONPATH=. /tmp/fdt/bin/python benchmarks/datatable.py [--rows 500] [--runs 7]

Headless (``App.run_test``) at 160x50, 13 one-line text columns of fixed width. Measured per
table, median of ``--runs``: *fill* = the rows handed to the table, *first paint* = fill plus
every visible line rendered (what a screen's first frame costs), *one change* = one row's
cells changed and every visible line rendered again (a live refresh). textual-fastdatatable
has no row keys: the change goes by row index, and rows are plain strings (no sort value).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from textual.app import App, ComposeResult
from textual.widgets import DataTable

from portops.ui.widgets.table import Cell, Column, KeyedTable

COLUMNS = 13
WIDTH = 11


def records(rows: int, tag: str = "") -> list[list[str]]:
    return [[f"r{r}c{c}{tag}"[:WIDTH - 2] for c in range(COLUMNS)] for r in range(rows)]


class Bench(App):
    def __init__(self, table) -> None:  # noqa: ANN001
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield self.table


def paint(table) -> None:  # noqa: ANN001
    for y in range(table.size.height):
        table.render_line(y)


async def one(kind: str, rows: int) -> tuple[float, float, float]:
    data = records(rows)
    if kind == "fastdatatable":
        from textual_fastdatatable import DataTable as Fast

        table = Fast(column_labels=[f"c{c}" for c in range(COLUMNS)],
                     column_widths=[WIDTH] * COLUMNS, cursor_type="row", zebra_stripes=True,
                     show_row_labels=False)
    elif kind == "keyed":
        table = KeyedTable()
    else:
        table = DataTable(cursor_type="row", zebra_stripes=True)
    app = Bench(table)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        start = time.perf_counter()
        if kind == "fastdatatable":
            from textual_fastdatatable import ArrowBackend

            table.backend = ArrowBackend.from_records(
                [[f"c{c}" for c in range(COLUMNS)], *data])
            table._reset_content_size() if hasattr(table, "_reset_content_size") else None
            table.refresh()
        elif kind == "keyed":
            table.set_columns([Column(f"c{c}", f"c{c}", WIDTH) for c in range(COLUMNS)], str)
            table.fill((str(r), {f"c{c}": Cell(v) for c, v in enumerate(row)})
                       for r, row in enumerate(data))
        else:
            for c in range(COLUMNS):
                table.add_column(f"c{c}", key=f"c{c}", width=WIDTH)
            for r, row in enumerate(data):
                table.add_row(*row, key=str(r))
        filled = time.perf_counter()
        await pilot.pause()
        paint(table)
        painted = time.perf_counter()
        await pilot.pause()
        paint(table)  # caches warm, as on screen
        change = records(4, "x")[3]
        start_change = time.perf_counter()
        if kind == "fastdatatable":
            for c, v in enumerate(change):
                table.update_cell(3, c, v)
        elif kind == "keyed":
            table.upsert("3", {f"c{c}": Cell(v) for c, v in enumerate(change)})
        else:
            for c, v in enumerate(change):
                table.update_cell("3", f"c{c}", v)
        paint(table)
        changed = time.perf_counter()
        assert change[0] in table.render_line(4).text, f"{kind}: the change is not drawn"
    ms = 1000
    return ((filled - start) * ms, (painted - start) * ms, (changed - start_change) * ms)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    kinds = ["datatable", "keyed"]
    try:
        import textual_fastdatatable  # noqa: F401

        kinds.append("fastdatatable")
    except ImportError:
        print("(textual-fastdatatable not installed: measuring the two others)")
    results: dict[str, list[tuple[float, float, float]]] = {k: [] for k in kinds}
    for _ in range(args.runs):  # alternating, so drift hits each alike
        for kind in kinds:
            results[kind].append(asyncio.run(one(kind, args.rows)))
    print(f"{args.rows} rows x {COLUMNS} columns, 160x50, median of {args.runs} (ms)")
    print(f"{'table':<15}{'fill':>9}{'first paint':>13}{'one change':>12}")
    for kind, runs in results.items():
        fill, first, change = (statistics.median(r[i] for r in runs) for i in range(3))
        print(f"{kind:<15}{fill:>9.1f}{first:>13.1f}{change:>12.1f}")


if __name__ == "__main__":
    main()
