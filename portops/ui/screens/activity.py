"""The activity log (F11): the newest events, growing live as anyone works."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult

from portops.clock import local
from portops.i18n import N_, _
from portops.queries.events import EventRow, events_since, high_water
from portops.ui.commands import Command
from portops.ui.live import Changes
from portops.ui.screens.base import AreaScreen
from portops.ui.widgets.table import Cell, Column, KeyedTable

SHOWN = 500  # the newest events kept on screen
COLUMNS = (Column("id", N_("No."), 7), Column("at", N_("When"), 16),
           Column("user", N_("Who"), 14), Column("operation", N_("What"), 24),
           Column("subject", N_("About"), 20))
# Priority: the table's own Home and End scroll sideways (nothing to see in a row table)
NEWEST = Command("activity.newest", "home", N_("newest"), N_("Jump to the newest event."),
                 "newest", N_("activity"), priority=True, key_display="Home")
OLDEST = Command("activity.oldest", "end", N_("oldest"),
                 N_("Jump to the oldest event shown."), "oldest", N_("activity"),
                 priority=True, key_display="End")


#: What an event can be about, as the log names it (``Tx.about``), in words to translate.
SUBJECTS = {"visit": N_("visit"), "container": N_("container"), "truck": N_("truck"),
            "user": N_("user"), "booking": N_("booking"), "appointment": N_("appointment"),
            "appointments": N_("appointments"), "terminal": N_("terminal"), "flag": N_("flag"),
            "work_plan": N_("work plan"), "receival": N_("receival"), "party": N_("party"),
            "inventory": N_("inventory"), "feed": N_("feed"), "checklists": N_("checklists"),
            "bl": N_("B/L")}


def subject_kind(kind: str) -> str:
    return _(SUBJECTS[kind]) if kind in SUBJECTS else kind


class ActivityScreen(AreaScreen):
    TITLE = N_("Activity")
    HELP = N_("Every operation recorded in this terminal's audit log, newest first, as it "
              "happens in any console.")
    COMMANDS_DECLARED: ClassVar[tuple[Command, ...]] = (NEWEST, OLDEST)

    def compose_body(self) -> ComposeResult:
        yield KeyedTable(id="events")

    def on_mount(self) -> None:
        table = self.query_one("#events", KeyedTable)
        table.set_columns(COLUMNS, _)
        table.sort_column, table.sort_reverse = "id", True

        def read(engine):
            mark = high_water(engine)
            return mark, events_since(engine, max(0, mark - SHOWN), limit=SHOWN)

        self.fetch(read, then=self._loaded)

    def _loaded(self, result: tuple[int, list[EventRow]]) -> None:
        mark, events = result
        self.mark_seen(mark)
        self._add(events)
        # open at the newest: the cursor had stayed on the first row added (the oldest read),
        # which the sort then carried down the table (event 1011 of 1475)
        self.action_newest()

    def apply_changes(self, changes: Changes) -> None:
        self._add(changes.events)

    def _add(self, events) -> None:
        table = self.query_one("#events", KeyedTable)
        tz = self.app.terminal.timezone
        table.sync((str(e.id), {
            "id": Cell(str(e.id), e.id), "at": Cell(f"{local(e.at, tz):%m-%d %H:%M:%S}", e.at),
            "user": Cell(e.user), "operation": Cell(e.operation),
            "subject": Cell(f"{subject_kind(e.subject_kind)} {e.subject_ref}".strip())}, True)
            for e in events)

    def action_newest(self) -> None:
        self.query_one("#events", KeyedTable).move_cursor(row=0, scroll=True)

    def action_oldest(self) -> None:
        table = self.query_one("#events", KeyedTable)
        table.move_cursor(row=max(0, table.row_count - 1), scroll=True)
