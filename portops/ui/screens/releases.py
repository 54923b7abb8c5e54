"""Releases & holds (⇧F9): the boxes waiting for release, and a look-up by container number.

The list is every import box on board or in the yard whose delivery would be refused now,
with what it still lacks (customs release, line release, holds), judged by the same rules as
the booking (``portops.flags.blocking`` for ``deliver``). Type a container number and Enter,
or pick a row and Enter, to open the box (``releases_box.BoxScreen``): its holds and
permissions with who set them; there the clerk keys in a release or applies and releases a
hold, each by the role that owns its type.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable, Input, Static

from portops.i18n import N_, _
from portops.queries import releases as q
from portops.queries.events import high_water
from portops.ui.commands import Command
from portops.ui.live import Changes
from portops.ui.screens.base import AreaScreen
from portops.ui.screens.releases_box import BoxScreen, ChoiceForm, lacks_text
from portops.ui.widgets.fields import FieldInput
from portops.ui.widgets.table import Cell, Column, KeyedTable

LOOKUP = Command("releases.lookup", "slash", N_("look up"),
                 N_("Type a container number and press Enter to see its holds and releases."),
                 "lookup", N_("releases"), key_display="/", priority=True)
OPEN = Command("releases.open", "enter", N_("open box"),
               N_("Open the box under the cursor: its holds and permissions, and the keys to "
                  "change them."), "open", N_("releases"))
VISIT = Command("releases.visit", "v", N_("visit"),
                N_("Show the boxes of one visit only, or of every visit."), "visit",
                N_("releases"), field_key="ctrl+o")  # the look-up field takes 'v'
KEYS = Command("releases.keys", "escape", N_("keys"),
               N_("Leave the look-up field so that the letter keys give commands."), "keys",
               N_("releases"))

COLUMNS = (Column("number", N_("Container"), 11), Column("visit", N_("Visit"), 14),
           Column("at", N_("At"), 6), Column("lacks", N_("Still lacks"), 38))
AT = {"vessel": N_("board"), "yard": N_("yard")}


class ReleasesScreen(AreaScreen):
    TITLE = N_("Releases & holds")
    HELP = N_("Boxes waiting for release: every import box on board or in the yard that could "
              "not be booked for pickup now, with what it still lacks (the same rules the "
              "booking applies). Type a container number in the field and press Enter, or Esc "
              "then the arrow keys and Enter on a row, to open the box. There: c records the "
              "customs release, l the line release, h applies a hold, r releases or revokes "
              "the one under the cursor. Each type is set and cleared by the role that owns "
              "it; the others are shown read-only. / goes back to the look-up, v picks a "
              "visit.")
    COMMANDS_DECLARED = (LOOKUP, OPEN, VISIT, KEYS)
    DEFAULT_CSS = """
    #rel-lookup { height: 3; }
    #rel-head { height: 1; padding: 0 1; }
    #rel-message { height: auto; padding: 0 1; color: $error; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.visit_id: int | None = None
        self.visit_key = ""
        self._keys: dict[str, str] = {}

    def compose_body(self) -> ComposeResult:
        yield FieldInput(placeholder=_("container number, e.g. CSQU3054383"), id="rel-lookup")
        yield Static("", id="rel-message")
        yield Static("", id="rel-head")
        yield KeyedTable(id="rel-waiting")

    def on_mount(self) -> None:
        self.query_one("#rel-waiting", KeyedTable).set_columns(COLUMNS, _)
        self.query_one("#rel-lookup", Input).focus()
        self.reload()

    # -- the list -----------------------------------------------------------------------------
    def reload(self) -> None:
        def read(engine, visit_id):
            mark = high_water(engine)
            return mark, q.waiting(engine, visit_id)

        self.fetch(read, self.visit_id, then=self._show)

    def _show(self, result: tuple[int, list[q.WaitingBox]]) -> None:
        mark, boxes = result
        self.mark_seen(mark)
        table = self.query_one("#rel-waiting", KeyedTable)
        table.fill([(str(b.number), {
            "number": Cell(b.number), "visit": Cell(b.visit),
            "at": Cell(_(AT.get(b.location, b.location))),
            "lacks": Cell(lacks_text(b.lacks))}) for b in boxes])
        where = self.visit_key or _("every visit")
        self.query_one("#rel-head", Static).update(
            _("{count} boxes waiting for release · {where}").format(count=len(boxes),
                                                                    where=where))

    def apply_changes(self, changes: Changes) -> None:
        self.reload()

    # -- keys ----------------------------------------------------------------------------------
    def action_lookup(self) -> None:
        field = self.query_one("#rel-lookup", Input)
        field.value = ""
        self.set_focus(field)

    def action_keys(self) -> None:
        # at once (set_focus), so a letter typed right after Esc is a command, not text
        self.set_focus(self.query_one("#rel-waiting", KeyedTable))

    def action_open(self) -> None:
        table = self.query_one("#rel-waiting", KeyedTable)
        if table.row_count:
            key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
            self.open_box(key)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.open_box(event.row_key.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.open_box(event.value.strip())

    def open_box(self, number: str) -> None:
        message = self.query_one("#rel-message", Static)
        message.update("")

        def read(engine, number):
            try:
                return q.box(engine, number)
            except q.BadNumber as exc:
                return exc

        def shown(found) -> None:
            if isinstance(found, q.BadNumber):
                message.update(_(found.error.template).format(**found.error.params))
                self.query_one("#rel-lookup", Input).focus()
            elif found is None:
                message.update(_("container {container} is not at or expected at the terminal")
                               .format(container=number.upper()))
                self.query_one("#rel-lookup", Input).focus()
            else:  # back from the box, the field is ready for the next number
                self.query_one("#rel-lookup", Input).value = ""
                self.app.push_screen(BoxScreen(found))

        self.fetch(read, number, then=shown)

    def action_visit(self) -> None:
        def chosen(choices: list[q.VisitChoice]) -> None:
            self._keys = {str(v.id): v.key for v in choices}
            options = [("", _("every visit"), True)] + [
                (str(v.id), _("{key} ({phase}): {count} waiting").format(
                    key=v.key, phase=_(v.phase), count=v.waiting), True) for v in choices]
            self.app.push_screen(ChoiceForm(_("Show the boxes of"), options), self._set_visit)

        self.fetch(q.visits, then=chosen)

    def _set_visit(self, value: str | None) -> None:
        if value is None:
            return
        self.visit_id = int(value) if value else None
        self.visit_key = self._keys.get(value, "")
        self.reload()
