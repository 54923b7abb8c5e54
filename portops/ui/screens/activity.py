"""The activity log (F11): the newest events, growing live as anyone works."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from portops.clock import local
from portops.i18n import N_, _
from portops.queries.events import EventRow, events_since, high_water
from portops.ui.areas import ROLE_TITLES
from portops.ui.commands import Command
from portops.ui.live import Changes
from portops.ui.screens.base import AreaScreen
from portops.ui.widgets.table import Cell, Column, KeyedTable

SHOWN = 500  # the newest events kept on screen
#: Whole at 80 columns (issue 14: the table scrolled sideways there): 68 cells of text, 10 of
#: padding, 2 of scroll bar. A long operation or subject is cut with "…" and shown whole
#: under the table for the selected event; room to spare on a wide screen goes to them.
COLUMNS = (Column("id", N_("No."), 7, grow=False), Column("at", N_("When"), 11, grow=False),
           Column("user", N_("Who"), 12), Column("operation", N_("What"), 20),
           Column("subject", N_("About"), 18))
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


def _about(e: EventRow) -> str:
    """The reference first ("CMDU-FAL3-083 (visit)"): where the column cuts, it cuts the kind."""
    kind = subject_kind(e.subject_kind)
    return f"{e.subject_ref} ({kind})" if e.subject_ref and kind else e.subject_ref or kind


class ActivityScreen(AreaScreen):
    TITLE = N_("Activity")
    HELP = N_("Every operation recorded in this terminal's audit log, newest first, as it "
              "happens in any console. The lines under the table show the selected event "
              "whole: date, user and role, operation, subject and what was recorded.")
    COMMANDS_DECLARED: ClassVar[tuple[Command, ...]] = (NEWEST, OLDEST)
    DEFAULT_CSS = """
    #events { height: 1fr; }
    #event-detail { height: 2; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self) -> None:
        super().__init__()
        #: The events shown, by row key (the line under the table shows the selected whole).
        self.events: dict[str, EventRow] = {}
        #: Each operation's action as a refusal names it ("add a user"), by operation name.
        self.actions: dict[str, str] = {}

    def compose_body(self) -> ComposeResult:
        yield KeyedTable(id="events")
        yield Static(id="event-detail")

    def on_mount(self) -> None:
        table = self.query_one("#events", KeyedTable)
        table.set_columns(COLUMNS, _)
        table.sort_column, table.sort_reverse = "id", True

        def read(engine):
            mark = high_water(engine)
            events = events_since(engine, max(0, mark - SHOWN), limit=SHOWN)
            from portops.ops import load_all  # (every operation: the log names any of them)

            return mark, events, {name: op.action for name, op in load_all().items()}

        self.fetch(read, then=self._loaded)

    def _loaded(self, result: tuple[int, list[EventRow], dict[str, str]]) -> None:
        mark, events, self.actions = result
        self.mark_seen(mark)
        self._add(events)
        # open at the newest: the cursor had stayed on the first row added (the oldest read),
        # which the sort then carried down the table (event 1011 of 1475)
        self.action_newest()
        self._show_detail()  # (the cursor may have stayed on its row: no highlight message)

    def apply_changes(self, changes: Changes) -> None:
        self._add(changes.events)

    def _add(self, events) -> None:
        table = self.query_one("#events", KeyedTable)
        tz = self.app.terminal.timezone
        events = list(events)
        self.events.update((str(e.id), e) for e in events)
        table.sync((str(e.id), {
            "id": Cell(str(e.id), e.id), "at": Cell(f"{local(e.at, tz):%d %H:%M:%S}", e.at),
            "user": Cell(e.user), "operation": Cell(e.operation),
            "subject": Cell(_about(e))}, True)
            for e in events)

    @on(DataTable.RowHighlighted, "#events")
    def _show_detail(self) -> None:
        """The selected event whole: its date, role, operation, subject and data, which the
        columns cut at 80."""
        key = self.query_one("#events", KeyedTable).cursor_row_key()
        event = self.events.get(key) if key else None
        if event is None:
            self.query_one("#event-detail", Static).update("")
            return
        at = local(event.at, self.app.terminal.timezone)
        role = next((_(t) for r, t in ROLE_TITLES.items() if r.value == event.role), event.role)
        subject = f"{subject_kind(event.subject_kind)} {event.subject_ref}".strip()
        # first line: which event, when, who and about what, whole (the columns cut them);
        # second: what it did, in the clerk's words too, and what it recorded (cut at the end)
        detail = Text(f"{event.id} ", style="bold")
        detail.append(f"{at:%Y-%m-%d %H:%M:%S} · {event.user} ({role})")
        detail.append(f" · {subject}\n" if subject else "\n")
        detail.append(event.operation, style="bold")
        if event.operation in self.actions:
            detail.append(f" {_(self.actions[event.operation])}")
        data = ", ".join(f"{k}={v}" for k, v in event.data.items())
        detail.append(f": {data}" if data else "", style="dim")
        self.query_one("#event-detail", Static).update(detail)

    def action_newest(self) -> None:
        self.query_one("#events", KeyedTable).move_cursor(row=0, scroll=True)

    def action_oldest(self) -> None:
        table = self.query_one("#events", KeyedTable)
        table.move_cursor(row=max(0, table.row_count - 1), scroll=True)
