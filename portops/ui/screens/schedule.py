"""The vessel schedule (dispatcher): every visit, sortable and filterable, kept live by key.

Enter opens a visit (its particulars and timeline). Edits of times and berth call the berth
plan's operations; a command the rules would refuse for the selected visit is greyed in the
footer and the line under the table says which rules and what clears them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.events import Resize
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from portops.clock import local
from portops.i18n import N_, _
from portops.model import Phase
from portops.ops import Operation, Unmet
from portops.ops import visits as visit_ops
from portops.queries import schedule as q
from portops.queries.events import high_water
from portops.ui.commands import Command
from portops.ui.errors import rules_text
from portops.ui.live import Changes
from portops.ui.phases import PHASE_STYLES, PHASE_TITLES
from portops.ui.role_keys import not_permitted, say_whose
from portops.ui.screens import schedule_edits as edits
from portops.ui.screens.base import AreaScreen
from portops.ui.widgets.table import Cell, Column, KeyedTable, sort_key

G = N_("schedule")
OPEN = Command("schedule.open", "enter", N_("open"), N_("Open the visit: particulars and "
               "timeline of events."), "open", G)
FILTER = Command("schedule.filter", "slash", N_("filter"), N_("Show only visits whose vessel, "
                 "line, voyage, berth or phase contains the text typed."), "filter", G,
                 key_display="/")
SORT = Command("schedule.sort", "s", N_("sort"), N_("Sort by the next column (press again to "
               "go on; R reverses)."), "sort", G, field_key="ctrl+s")
REVERSE = Command("schedule.reverse", "r", N_("reverse"), N_("Reverse the sort order."),
                  "reverse", G, show=False, field_key="ctrl+r")
FINISHED = Command("schedule.finished", "f", N_("closed too"), N_("Show or hide closed and "
                   "cancelled visits."), "toggle_finished", G, show=False,
                   field_key="ctrl+f")
TIMES = Command("schedule.edit_times", "t", N_("edit times"), N_("Change the visit's ETA, "
                "ETB and ETD (terminal local time)."), "edit_times", G,
                field_key="ctrl+t")
BERTH = Command("schedule.assign_berth", "b", N_("berth"), N_("Assign or move the visit to a "
                "berth."), "assign_berth", G, field_key="ctrl+b")
ARRIVE = Command("schedule.arrive", "a", N_("arrived"), N_("Record that the vessel has arrived "
                 "(actual time of arrival: now)."), "arrive", G,
                 field_key="ctrl+y")
PORT_ENTRY = Command("schedule.port_entry", "p", N_("port entry"), N_("Record the selected "
                     "visit's port-entry clearance (靠港手续): reference, authority, time "
                     "cleared. Discharge and loading wait for it."), "port_entry", G, show=False,
                     field_key="ctrl+g")
IMPORT = Command("schedule.import", "i", N_("import"), N_("Import a file (schedule, layout, "
                 "bay plan, discharge or load list, manifest, releases; a bay plan for the "
                 "selected visit) and show what changed."), "import_file", G, show=False,
                 field_key="ctrl+o")

NARROW = (Column("vessel", N_("Vessel"), 16), Column("line", N_("Line"), 4),
          Column("etb", N_("ETB"), 9), Column("etd", N_("ETD"), 9), Column("berth", N_("Berth"), 5),
          Column("phase", N_("Phase"), 9), Column("moves", N_("Moves"), 9))
WIDE = (Column("key", N_("Visit"), 12), Column("vessel", N_("Vessel"), 20),
        Column("line", N_("Line"), 5), Column("voyage", N_("Voyage"), 11),
        Column("eta", N_("ETA"), 11), Column("etb", N_("ETB"), 11), Column("etd", N_("ETD"), 11),
        Column("ata", N_("ATA"), 11), Column("atb", N_("ATB"), 11), Column("atd", N_("ATD"), 11),
        Column("berth", N_("Berth"), 5), Column("phase", N_("Phase"), 9),
        Column("moves", N_("Moves"), 11))
SORTABLE = ("etb", "vessel", "line", "berth", "phase", "etd")
WIDE_FROM = 130
#: How long a departed visit stays on the schedule (the "closed too" toggle shows them all).
DEPARTED_SHOWN = timedelta(hours=24)
#: The rule that refuses a step to the role (its other rules do not matter to that clerk).
ROLE_RULE = "role.not_permitted"
CHECK_AFTER = 0.15  # seconds the cursor rests on a row before its commands are judged
#: Operations that change many visits at once (the schedule reloads after them).
RELOAD_AFTER = ("schedule.import", "layout.import")  # columns of terminal from which the wide table is shown


def _first_reason(unmet: list[Unmet]) -> list[Unmet]:
    """A step the role may never take is said in that one rule: the visit's own rules beside
    it ran past the lines under the table (a tally clerk's F2: the third key's reason cut)."""
    return [u for u in unmet if u.rule == ROLE_RULE] or unmet


class ScheduleScreen(AreaScreen):
    TITLE = N_("Vessel schedule")
    HELP = N_("Every vessel visit, by estimated time of berthing. Times are the terminal's "
              "local time; an actual time, once known, is shown beside the estimate. Moves "
              "are done/planned. Greyed keys are not allowed for the selected visit right now: "
              "the line under the table says why. In the filter the letters are typed: "
              "there the Ctrl keys the footer shows work instead (^S sort, ^T times, ^B "
              "berth, ^Y arrived).")
    AUTO_FOCUS = "#visits"
    COMMANDS_DECLARED: ClassVar[tuple[Command, ...]] = (
        OPEN, FILTER, SORT, REVERSE, FINISHED, TIMES, BERTH, ARRIVE, PORT_ENTRY, IMPORT)

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[int, q.VisitRow] = {}
        self.include_finished = False
        self.wide: bool | None = None
        self.blocked: dict[str, list[Unmet]] = {}
        self.loaded = False
        self._check_timer: Timer | None = None

    def compose_body(self) -> ComposeResult:
        yield Input(placeholder=_("filter: vessel, line, voyage, berth, phase"), id="filter",
                    classes="hidden")
        yield KeyedTable(id="visits")
        yield Static(id="why", classes="why")

    @property
    def table(self) -> KeyedTable:
        return self.query_one("#visits", KeyedTable)

    def on_mount(self) -> None:
        self.table.matches = self._matches
        self._layout(self.app.size.width)
        self.table.sort_column = "etb"
        self.load()

    # -- data ------------------------------------------------------------------------------
    def load(self) -> None:
        """Read the schedule (mark first, so that no change slips between mark and rows)."""
        include = self.include_finished
        since = self.app.clock.now() - DEPARTED_SHOWN

        def read(engine):
            return high_water(engine), q.visits(engine, include_finished=include,
                                                departed_since=since)

        self.fetch(read, then=self._loaded, group="schedule")

    def _loaded(self, result: tuple[int, list[q.VisitRow]]) -> None:
        mark, rows = result
        self.mark_seen(mark)
        self.rows = {r.id: r for r in rows}
        # already in display order: no row lookups, no sort (500 visits at start, issue 3)
        self.table.fill((str(r.id), cells) for r, cells in self._ordered(rows))
        self.loaded = True
        self._cursor_moved()

    def _ordered(self, rows: list[q.VisitRow]) -> list[tuple[q.VisitRow, dict[str, Cell]]]:
        """The rows shown with their cells, in the table's order (as ``resort`` sorts)."""
        shown = [(r, self._cells(r)) for r in rows if self._matches(r)]
        column = self.table.sort_column
        if column is None or column not in self.table.columns:
            return shown
        return sorted(shown, key=lambda pair: sort_key(pair[1][column]),
                      reverse=self.table.sort_reverse)

    def apply_changes(self, changes: Changes) -> None:
        if changes.bulk("visit") or changes.ran(*RELOAD_AFTER):
            self.load()
            return
        ids = changes.ids("visit")
        if ids:
            self.fetch(q.visits, ids=sorted(ids), then=lambda rows: self._changed(ids, rows),
                       group="schedule-rows", exclusive=False)

    def _changed(self, ids: set[int], rows: list[q.VisitRow]) -> None:
        found = {r.id: r for r in rows}
        for visit_id in ids - found.keys():
            self.rows.pop(visit_id, None)
            self.table.remove(str(visit_id))
        self.rows.update(found)
        self._sync(found.values())
        selected = self.selected()
        if selected is None or selected.id in ids:
            self._cursor_moved()

    def _sync(self, rows) -> None:
        self.table.sync((str(r.id), self._cells(r), self._matches(r)) for r in rows)

    # -- presentation ------------------------------------------------------------------------
    def _layout(self, width: int) -> None:
        wide = width >= WIDE_FROM
        if wide == self.wide:
            return
        self.wide = wide
        self.table.set_columns(WIDE if wide else NARROW, _)
        if self.rows:
            self._sync(self.rows.values())
            self.table.resort()

    def on_resize(self, event: Resize) -> None:
        self._layout(event.size.width)

    def _time(self, when: datetime | None) -> Cell:
        shown = local(when, self.app.terminal.timezone)
        if shown is None:
            return Cell("", None)
        return Cell(shown.strftime("%m-%d %H:%M" if self.wide else "%d %H:%M"), when)

    def _cells(self, r: q.VisitRow) -> dict[str, Cell]:
        phase_style = PHASE_STYLES.get(r.phase, "")
        cells = {
            "key": Cell(r.key), "vessel": Cell(r.vessel), "line": Cell(r.line),
            "voyage": Cell(r.voyage), "eta": self._time(r.eta), "etb": self._time(r.etb),
            "etd": self._time(r.etd), "ata": self._time(r.ata), "atb": self._time(r.atb),
            "atd": self._time(r.atd), "berth": Cell(r.berth),
            "phase": Cell(_(PHASE_TITLES[r.phase]), list(Phase).index(r.phase), phase_style),
            "moves": Cell(f"{r.moves_done}/{r.moves_planned}", r.moves_planned - r.moves_done),
        }
        if not self.wide:  # no room for actual times: show the actual once it is known
            for est, act in (("etb", r.atb), ("etd", r.atd)):
                if act is not None:
                    t = self._time(act)
                    cells[est] = Cell(str(t) + "*", act, "bold")
        return {c: cells[c] for c in self.table.columns}

    def _matches(self, r: q.VisitRow) -> bool:
        text = self.query_one("#filter", Input).value.strip().lower()
        if not text:
            return True
        hay = " ".join([r.key, r.vessel, r.line, r.voyage, r.berth, r.phase.value,
                        _(PHASE_TITLES[r.phase])]).lower()
        return all(word in hay for word in text.split())

    # -- selection and "why not" ---------------------------------------------------------------
    def selected(self) -> q.VisitRow | None:
        key = self.table.cursor_row_key()
        return self.rows.get(int(key)) if key is not None else None

    @on(DataTable.RowHighlighted, "#visits")
    def _highlighted(self) -> None:
        """Judge the new row once the cursor rests (not for every row scrolled past)."""
        if self._check_timer is not None:
            self._check_timer.stop()
        self._check_timer = self.set_timer(CHECK_AFTER, self._cursor_moved)

    def _row_commands(self) -> list[tuple[Command, Operation | None, dict]]:
        row = self.selected()
        if row is None:
            return []
        return [(ARRIVE, visit_ops.arrive, {"visit_id": row.id}),
                (TIMES, edits.set_times_op(), {"visit_id": row.id, "etd": row.etd}),
                (BERTH, edits.assign_op(), {"visit_id": row.id,
                                            "berth_id": row.berth_id or -1})]

    def _cursor_moved(self) -> None:
        """Ask the core, for the selected visit, which row commands it would refuse now."""
        self.blocked = {}
        commands = self._row_commands()
        for cmd, op, kwargs in commands:
            if op is None:
                self.blocked[cmd.id] = [Unmet("console.unavailable", _("not available yet"),
                                              _("arrives with the berth plan"))]
            elif cmd is not BERTH:  # a berth is chosen in the form; checked there
                self.why_not(op, then=lambda unmet, c=cmd: self._judged(c, unmet), **kwargs)
        self._show_why()

    def _judged(self, cmd: Command, unmet: list[Unmet]) -> None:
        if unmet:
            self.blocked[cmd.id] = unmet
        else:
            self.blocked.pop(cmd.id, None)
        self._show_why()

    def _show_why(self) -> None:
        lines = [f"{_(cmd.title)}: {rules_text(_first_reason(self.blocked[cmd.id]))}"
                 for cmd in (ARRIVE, TIMES, BERTH) if cmd.id in self.blocked]
        self.query_one("#why", Static).update("\n".join(lines))
        self.refresh_bindings()  # the footer redraws only keys whose greyed state changed

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == FILTER.action:  # in the filter '/' is typed: not offered there
            box = self.query("#filter")
            return not (box and box.first().has_focus)
        for cmd in (ARRIVE, TIMES, BERTH):
            if action == cmd.action:
                if self.selected() is None:
                    return None
                return None if cmd.id in self.blocked else True
        return True

    def why_greyed(self, cmd: Command) -> None:
        """The reasons the line under the table gives, as the refusal they would be."""
        unmet = self.blocked.get(cmd.id)
        if not unmet:
            super().why_greyed(cmd)
            return
        from portops.ops import Refused

        op = next((op for c, op, _kw in self._row_commands() if c is cmd and op), None)
        self.app.report_error(Refused(op.name if op else cmd.id, unmet))

    # -- actions -------------------------------------------------------------------------------
    def action_open(self) -> None:
        from portops.ui.screens.visit import VisitScreen

        row = self.selected()
        if row is not None:
            self.app.push_screen(VisitScreen(row.id, row.key))

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.remove_class("hidden")
        box.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._sync(self.rows.values())
        self._cursor_moved()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        box = self.query_one("#filter", Input)
        if not box.value:
            box.add_class("hidden")
        self.table.focus()

    def key_escape(self) -> None:
        box = self.query_one("#filter", Input)
        if box.has_focus or box.value:
            box.value = ""
            box.add_class("hidden")
            self.table.focus()

    def action_sort(self) -> None:
        current = self.table.sort_column
        nxt = SORTABLE[(SORTABLE.index(current) + 1) % len(SORTABLE)] if current in SORTABLE \
            else SORTABLE[0]
        self.table.sort_by(nxt, reverse=False)
        self.notify(_("Sorted by {column}").format(column=_(self._title(nxt))), timeout=2)

    def action_reverse(self) -> None:
        if self.table.sort_column:
            self.table.sort_by(self.table.sort_column, reverse=not self.table.sort_reverse)

    @on(DataTable.RowSelected, "#visits")
    def _row_selected(self) -> None:
        self.action_open()

    @on(DataTable.HeaderSelected, "#visits")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        self.table.sort_by(event.column_key.value)

    @staticmethod
    def _title(column: str) -> str:
        return next(c.title for c in WIDE if c.key == column)

    def action_toggle_finished(self) -> None:
        self.include_finished = not self.include_finished
        self.load()

    def action_arrive(self) -> None:
        row = self.selected()
        if row is not None:
            self.perform(visit_ops.arrive, visit_id=row.id, then=lambda _r: self.notify(
                _("{vessel}: arrival recorded").format(vessel=row.vessel), timeout=4))

    def action_port_entry(self) -> None:
        from portops.ops.port_entry import record
        from portops.ui.screens.port_entry import PortEntryForm

        row = self.selected()
        if row is None:
            return
        if (op := not_permitted(self.app, record)) is not None:
            say_whose(self.app, op)  # not a form the operation refuses once typed
            return

        def done(flag_id: int | None) -> None:
            if flag_id is not None:
                self.notify(_("{vessel}: port-entry clearance recorded").format(
                    vessel=row.vessel), timeout=4)

        self.app.push_screen(PortEntryForm(row.id, row.key, self.app.terminal.timezone,
                                           self.app.clock.now()), done)

    def action_edit_times(self) -> None:
        from portops.ui.screens.forms import TimesForm

        row, op = self.selected(), edits.set_times_op()
        if row is None or op is None:
            return

        def done(times: dict | None) -> None:
            if times:
                self.perform(op, visit_id=row.id, **times, then=lambda _r: self.notify(
                    _("{vessel}: times changed").format(vessel=row.vessel), timeout=4))

        self.app.push_screen(TimesForm(row, self.app.terminal.timezone, self.app.clock.now()),
                             done)

    def action_assign_berth(self) -> None:
        from portops.ui.screens.forms import BerthForm

        row, op = self.selected(), edits.assign_op()
        if row is None or op is None:
            return

        def chosen(berth_id: int | None) -> None:
            if berth_id is not None:
                self.perform(op, visit_id=row.id, berth_id=berth_id, then=lambda _r: self.notify(
                    _("{vessel}: berth assigned").format(vessel=row.vessel), timeout=4))

        self.fetch(q.berths, then=lambda berths: self.app.push_screen(
            BerthForm(row, berths), chosen))

    def action_import_file(self) -> None:
        from portops.ui.screens.imports import ImportScreen

        row = self.selected()  # a bay plan, list or manifest is for this visit
        self.app.push_screen(ImportScreen(visit_key=row.key if row else None))
