"""One visit, drilled down from the schedule: its particulars, its port-entry clearance and the
timeline of its events; ``p`` records the clearance (靠港手续) that discharge waits for."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from portops.clock import local
from portops.i18n import N_, _
from portops.ops import load_all
from portops.queries import schedule as q
from portops.queries.events import EventRow, events_about, high_water
from portops.queries.port_entry import PortEntry, port_entry
from portops.ui.commands import Command
from portops.ui.live import Changes
from portops.ui.operation_titles import operation_title
from portops.ui.phases import PHASE_TITLES
from portops.ui.screens.base import AreaScreen
from portops.ui.screens.port_entry import PORT_ENTRY, PortEntryForm

BACK = Command("visit.back", "escape", N_("back"), N_("Back to the schedule."), "back",
               N_("visit"))


class VisitScreen(AreaScreen):
    TITLE = N_("Vessel visit")
    HELP = N_("The visit's particulars, its port-entry clearance (p records it: reference, "
              "authority, time cleared) and every recorded event about it, oldest first: who "
              "did what and when (terminal local time). It updates as others work.")
    COMMANDS_DECLARED: ClassVar[tuple[Command, ...]] = (BACK, PORT_ENTRY)

    def __init__(self, visit_id: int, key: str) -> None:
        super().__init__()
        self.visit_id, self.key = visit_id, key

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="visit-body"):
            yield Static(id="particulars")
            yield Static(id="port-entry")
            yield Static(id="timeline")

    def on_mount(self) -> None:
        self.load()

    def load(self) -> None:
        visit_id = self.visit_id

        def read(engine):
            load_all()  # every operation registered: the timeline names them by their titles
            return high_water(engine), q.visit(engine, visit_id), events_about(
                engine, "visit", visit_id), port_entry(engine, visit_id)

        self.fetch(read, then=self._show, group="visit")

    def apply_changes(self, changes: Changes) -> None:
        if self.visit_id in changes.ids("visit") or changes.everything:
            self.load()

    def action_back(self) -> None:
        self.dismiss()

    def action_port_entry(self) -> None:
        self.app.push_screen(PortEntryForm(self.visit_id, self.key, self.app.terminal.timezone,
                                           self.app.clock.now()), self._recorded)

    def _recorded(self, flag_id: int | None) -> None:
        if flag_id is not None:
            self.notify(_("{visit}: port-entry clearance recorded").format(visit=self.key),
                        timeout=4)
            self.load()

    def _port_entry(self, entry: PortEntry | None) -> str:
        if entry is None:
            return _("Port entry (靠港手续): not recorded — discharge waits for it; p records it")
        return _("Port entry (靠港手续): {ref} · {authority} · cleared {when} · by {who}").format(
            ref=entry.reference, authority=entry.authority or "—",
            when=self._t(entry.cleared_at), who=entry.by)

    def _t(self, when) -> str:
        shown = local(when, self.app.terminal.timezone)
        return shown.strftime("%Y-%m-%d %H:%M") if shown else "—"

    def _show(self, result: tuple[int, q.VisitRow | None, list[EventRow], PortEntry | None]
              ) -> None:
        mark, row, events, entry = result
        self.mark_seen(mark)
        if row is None:
            self.query_one("#particulars", Static).update(
                _("Visit {key} no longer exists.").format(key=self.key))
            return
        grid = Table.grid(padding=(0, 2))
        for _c in range(4):
            grid.add_column()
        grid.add_row(_("Vessel"), f"{row.vessel} (IMO {row.imo})", _("Visit"), row.key)
        grid.add_row(_("Line"), row.line, _("Voyage"), row.voyage)
        grid.add_row(_("Phase"), _(PHASE_TITLES[row.phase]), _("Berth"), row.berth or "—")
        # in the console's language (预抵, 实抵...), as the schedule's columns
        grid.add_row(_("ETA"), self._t(row.eta), _("ATA"), self._t(row.ata))
        grid.add_row(_("ETB"), self._t(row.etb), _("ATB"), self._t(row.atb))
        grid.add_row(_("ETD"), self._t(row.etd), _("ATD"), self._t(row.atd))
        grid.add_row(_("LOA"), f"{row.loa_m:g} m", _("Draft"), f"{row.draft_m:g} m")
        grid.add_row(_("Moves"), f"{row.moves_done}/{row.moves_planned}", "", "")
        self.query_one("#particulars", Static).update(grid)
        self.query_one("#port-entry", Static).update(self._port_entry(entry))
        timeline = Table(title=_("Timeline"), expand=True, box=None, title_justify="left")
        timeline.add_column(_("When"), no_wrap=True)
        timeline.add_column(_("Who"), no_wrap=True)
        timeline.add_column(_("What"))
        for e in events:
            what = operation_title(e.operation) + (f" ({e.dcsa})" if e.dcsa else "")
            timeline.add_row(self._t(e.at), e.user, what)
        if not events:
            timeline.add_row("", "", _("nothing recorded yet"))
        self.query_one("#timeline", Static).update(timeline)
