"""Every private member of a library that portops uses still exists and still means the same.

The console reaches into Textual's ``DataTable``, ``Input``, ``Footer``, ``App``/``Screen`` and
Rich's ``Text`` (the list, with the versions they were written against, is in
docs/architecture.md "Private internals"). A library
release may rename or repurpose any of them without notice; pyproject.toml pins the minor
series tested, and these tests say which private moved, by name, before a screen misdraws.
Each test checks the member exists with the shape portops relies on (signature, type) and,
where it can be seen cheaply, the behaviour (which cache key holds the row, which count the
app compares with the screen's).
"""

from __future__ import annotations

import inspect
from types import SimpleNamespace

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import BindingsMap
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input

from tests.ui.conftest import wait_for


def params(function) -> list[str]:  # noqa: ANN001
    return list(inspect.signature(function).parameters)


# -- DataTable (portops/ui/widgets/table.py) ---------------------------------------------------
DATATABLE_METHODS = {
    # overridden by KeyedTable, which calls the originals with these parameters
    "_on_resize": ["self", "_"],
    "_update_dimensions": ["self", "new_rows"],
    "_render_cell": ["self", "row_index", "column_index", "base_style", "width", "cursor",
                     "hover"],
    # called by KeyedTable
    "_get_row_renderables": ["self", "row_index"],
    "_get_styles_to_render_cell": [
        "self", "is_header_cell", "is_row_label_cell", "is_fixed_style_cell", "hover", "cursor",
        "show_cursor", "show_hover_cursor", "has_css_foreground_priority",
        "has_css_background_priority"],
    "_highlight_cursor": ["self"],
}
DATATABLE_ATTRIBUTES = (
    "_update_count", "_data", "_row_locations", "_column_locations", "_cell_render_cache",
    "_row_render_cache", "_row_renderable_cache", "_line_cache", "_row_label_column_width",
    "_total_row_height", "_show_hover_cursor", "_pseudo_class_state", "_new_rows",
    "_require_update_dimensions",
)


@pytest.mark.parametrize("name", sorted(DATATABLE_METHODS))
def test_datatable_private_methods_keep_their_signatures(name: str) -> None:
    assert hasattr(DataTable, name), f"DataTable.{name} is gone (KeyedTable uses it)"
    assert params(getattr(DataTable, name)) == DATATABLE_METHODS[name], (
        f"DataTable.{name} changed its parameters (KeyedTable overrides or calls it)")


class OneTable(App):
    def compose(self) -> ComposeResult:
        yield DataTable()


async def test_datatable_private_state_keeps_its_meaning() -> None:
    """The caches KeyedTable drops one row of are keyed as it expects: the cell and row
    caches by the row key first, the row-renderables cache by the row index second; and
    ``update_cell`` bumps ``_update_count`` (what KeyedTable avoids for one row's change)."""
    app = OneTable()
    async with app.run_test(size=(40, 8)) as pilot:
        table = app.query_one(DataTable)
        table.add_column("name", key="name", width=10)
        for n in range(3):
            table.add_row(f"ship {n}", key=str(n))
        await wait_for(pilot, lambda: "ship 2" in table.render_line(3).text)
        for name in DATATABLE_ATTRIBUTES:
            assert hasattr(table, name), f"DataTable instance has no {name} (KeyedTable uses it)"
        assert isinstance(table._update_count, int)
        assert table._row_locations.get(next(iter(table.rows))) == 0
        row_keys = set(table.rows)
        assert table._cell_render_cache.keys(), "no cell render cached after drawing"
        assert {k[0] for k in table._cell_render_cache.keys()} <= row_keys | {None}  # noqa: SIM118
        assert {k[0] for k in table._row_render_cache.keys()} <= row_keys | {None}  # noqa: SIM118
        assert {k[1] for k in table._row_renderable_cache.keys()} <= {-1, 0, 1, 2}  # noqa: SIM118
        cell_key = next(k for k in table._cell_render_cache.keys() if k[0] in row_keys)  # noqa: SIM118
        assert cell_key[6] == table._update_count and len(cell_key) == 8, (
            "DataTable's cell cache key changed shape (KeyedTable._render_cell builds it)")
        before = table._update_count
        table.update_cell("1", "name", "other")
        assert table._update_count == before + 1
        assert table._data[next(k for k in table.rows if k.value == "1")]


# -- Rich Text (KeyedTable._plain_cell) ----------------------------------------------------------
def test_text_spans_is_the_list_of_spans() -> None:
    assert Text("plain")._spans == []
    styled = Text.from_markup("[b]bold[/b] plain")
    assert styled._spans and styled._spans == styled.spans


# -- bindings per instance (ui/commands.bind_commands, ui/app._install_bindings) --------------
def test_each_node_has_its_own_bindings_map() -> None:
    one, two = Input(), Input()
    assert isinstance(one._bindings, BindingsMap)
    assert isinstance(one._bindings.key_to_bindings, dict)
    assert one._bindings is not two._bindings, (
        "nodes share a BindingsMap: bind_commands would bind every screen's keys on all")
    one._bindings.key_to_bindings.setdefault("f99", [])
    assert "f99" not in two._bindings.key_to_bindings


def test_input_bindings_map_holds_its_editing_keys() -> None:
    """FieldInput runs Input's own bindings itself (``BindingsMap(Input.BINDINGS)``)."""
    keys = BindingsMap(Input.BINDINGS).key_to_bindings
    for key in ("backspace", "left", "right", "home", "end", "ctrl+u"):
        assert key in keys, f"Input no longer binds {key}"
    assert params(Input._on_key) == ["self", "event"]
    assert params(Input._restart_blink) == ["self"]


# -- style counts (ui/app._styled_now) -----------------------------------------------------------
def test_css_update_count_is_what_the_app_compares_a_screen_with() -> None:
    assert Screen()._css_update_count == -1, "a new screen no longer starts unstyled"
    source = inspect.getsource(App)
    assert "screen._css_update_count != self._css_update_count" in source, (
        "App no longer restyles a screen by comparing _css_update_count")
    assert "self._css_update_count: int = 0" in inspect.getsource(App.__init__)


# -- default CSS (ui/opening.warm_styles) --------------------------------------------------------
def test_default_css_is_read_from_the_node_bases() -> None:
    bases = Footer._css_bases(Footer)
    assert Footer in bases
    sources = Footer._get_default_css(SimpleNamespace(_node_bases=bases))
    assert sources and all(len(s) == 4 for s in sources)
    assert any("Footer" in str(where) and css.strip() for where, css, _tie, _scope in sources)


# -- the footer (ui/widgets/frame.KeysFooter, ui/opening) --------------------------------------
def test_footer_module_and_its_key_widget() -> None:
    from textual.widgets import _footer

    assert _footer.Footer is Footer
    assert issubclass(_footer.FooterKey, _footer.Widget)
    assert "FooterKey(" in inspect.getsource(Footer.compose)
    assert "_bindings_ready" in Footer._reactives, "Footer._bindings_ready is not reactive"


# -- textual-serve (portops/web/serve.py PortopsServer) ----------------------------------------
def test_textual_serve_builds_its_app_in_make_app_and_relays_in_process_messages() -> None:
    """PortopsServer overrides ``Server._make_app`` (its routes, headers, the API under
    ``/api/``) and calls ``Server._process_messages`` (the websocket relay)."""
    server = pytest.importorskip("textual_serve.server")
    assert inspect.iscoroutinefunction(server.Server._make_app)
    assert params(server.Server._make_app) == ["self"]
    assert "web.Application(" in inspect.getsource(server.Server._make_app)
    assert "self._make_app()" in inspect.getsource(server.Server.serve), (
        "textual-serve's serve() no longer builds its app with _make_app")
    assert params(server.Server._process_messages) == ["self", "websocket", "app_service"]
