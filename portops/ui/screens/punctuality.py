"""No-shows & delays (⇧F8, dispatcher and gate clerk): the terminal's two sides of keeping
appointments, in the console (issue 18; before, ``portops appointments no-shows|delays`` only).

Above, each haulier's standing over the terminal's window: appointments due, no-shows, late
cancels, the rate and the consequence in force (fewer peak-hour appointments over the limit),
the highest rate first, as the hauliers see their own on their Record page. Below, the trucks the
terminal kept waiting past their slot in the last week (the terminal's delay). ``s`` runs the
sweep (``portops.ops.no_show.sweep``: one operation per appointment it marks, each refused or
recorded on its own), so a clerk need not wait for cron to see the day's no-shows.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.widgets import Static

from portops.clock import show
from portops.i18n import N_, _
from portops.ui.commands import Command
from portops.ui.screens.base import AreaScreen
from portops.ui.widgets.table import Cell, Column, KeyedTable

#: The delays listed: trucks admitted in the last so many days.
DELAY_DAYS = 7

STANDING_COLUMNS = (Column("party", N_("Haulier"), 8), Column("due", N_("Due"), 5, grow=False),
                    Column("no_shows", N_("No-shows"), 8, grow=False),
                    Column("late", N_("Late cancels"), 12, grow=False),
                    Column("rate", N_("Rate"), 5, grow=False),
                    Column("consequence", N_("Consequence"), 22))
DELAY_COLUMNS = (Column("ref", N_("Ref"), 11), Column("haulier", N_("Haulier"), 8),
                 Column("plate", N_("Plate"), 10), Column("slot", N_("Slot"), 11),
                 Column("arrived", N_("Came"), 6, grow=False),
                 Column("admitted", N_("In"), 6, grow=False),
                 Column("minutes", N_("Waited"), 7, grow=False))

SWEEP = Command("punctuality.sweep", "s", N_("sweep"),
                N_("Mark the no-shows and late cancels due now (what the sweep run from cron "
                   "does): one operation each, in the audit log."), "sweep", N_("no-shows"))


def _read(engine: Any, now: Any) -> tuple[int, list[Any], list[Any], str]:
    from portops.db import read_session
    from portops.ops.gate_checks import settings
    from portops.queries.delays import standings, terminal_delays
    from portops.queries.events import high_water

    mark = high_water(engine)
    with read_session(engine) as s:
        tz = settings(s).timezone
    return (mark, standings(engine, now),
            terminal_delays(engine, now - timedelta(days=DELAY_DAYS), now), tz)


def consequence(st: Any) -> Cell:
    """What the haulier's standing costs it now, in a few words."""
    r = st.rules
    if not r.rate_pct or not r.peak_hours:
        return Cell(_("no limit set"), style="dim")
    if st.penalised:
        return Cell(_("at most {cap} a day in peak hours").format(cap=r.peak_cap),
                    style="bold red")
    return Cell(_("within {limit}%").format(limit=r.rate_pct))


def _rule(standings: list[Any]) -> str:
    """The terminal's rule over the list, in one line."""
    if not standings:
        return _("No haulier registered.")
    r = standings[0].rules
    if not r.rate_pct or not r.peak_hours:
        return _("Last {days} days, no limit on no-shows set: {n} haulier(s)").format(
            days=r.window_days, n=len(standings))
    return _("Last {days} days, limit {limit}%, peak hours {peak}: {n} haulier(s)").format(
        days=r.window_days, limit=r.rate_pct, peak=", ".join(r.peak_hours), n=len(standings))


class PunctualityScreen(AreaScreen):
    TITLE = N_("No-shows & delays")
    HELP = N_("Above, each haulier's no-shows and late cancels over the terminal's window, "
              "its rate and what it costs it (over the limit: fewer appointments in the peak "
              "hours), the highest rate first. Below, the trucks the terminal kept waiting past "
              "their slot in the last 7 days, though they came in time: the terminal's delay. "
              "s marks the no-shows and late cancels due now, as the sweep run every slot "
              "does; each is an operation in the audit log.")
    COMMANDS_DECLARED: ClassVar[tuple[Command, ...]] = (SWEEP,)
    DEFAULT_CSS = """
    PunctualityScreen #standings { height: 1fr; }
    PunctualityScreen #delays { height: 1fr; }
    """

    def compose_body(self) -> ComposeResult:
        yield Static("", id="rule")
        yield KeyedTable(id="standings")
        yield Static("", id="delays-title")
        yield KeyedTable(id="delays")

    def on_mount(self) -> None:
        self.query_one("#standings", KeyedTable).set_columns(STANDING_COLUMNS, _)
        self.query_one("#delays", KeyedTable).set_columns(DELAY_COLUMNS, _)
        self.reload()

    def reload(self) -> None:
        self.fetch(_read, self.app.clock.now(), then=self._loaded)

    def apply_changes(self, changes: Any) -> None:
        self.reload()

    def _loaded(self, result: tuple[int, list[Any], list[Any], str]) -> None:
        mark, standings, delays, tz = result
        self.mark_seen(mark)
        self.query_one("#rule", Static).update(_rule(standings))
        self.query_one("#standings", KeyedTable).fill((st.party, {
            "party": Cell(st.party), "due": Cell(str(st.due), st.due),
            "no_shows": Cell(str(st.no_shows), st.no_shows),
            "late": Cell(str(st.late_cancels), st.late_cancels),
            "rate": Cell(f"{st.rate_pct:.0f}%", st.rate_pct),
            "consequence": consequence(st)}) for st in standings)
        self.query_one("#delays-title", Static).update(
            _("Trucks kept waiting past their slot, last {days} days: {n}").format(
                days=DELAY_DAYS, n=len(delays)))
        self.query_one("#delays", KeyedTable).fill((d.ref, {
            "ref": Cell(d.ref), "haulier": Cell(d.haulier), "plate": Cell(d.plate),
            "slot": Cell(show(d.slot_start, tz, "%d %H:%M"), d.slot_start),
            "arrived": Cell(show(d.arrived_at, tz, "%H:%M")),
            "admitted": Cell(show(d.admitted_at, tz, "%H:%M")),
            "minutes": Cell(_("{n} min").format(n=d.minutes), d.minutes)}) for d in delays)

    def action_sweep(self) -> None:
        from portops.ops.no_show import sweep

        core, user = self.acting()
        self.in_thread(lambda: sweep(core, user), then=self._swept, group="sweep")

    def _swept(self, done: Any) -> None:
        self.notify(_("{no_shows} no-show(s), {late} late cancel(s), {closed} closed, "
                      "{skipped} done meanwhile by another").format(
            no_shows=len(done.no_shows), late=len(done.late_cancels), closed=len(done.closed),
            skipped=len(done.skipped)))
        self.reload()
