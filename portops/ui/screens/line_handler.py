"""The line handler's console (their only area): the next mooring job and a tick in two keys.

Made for 80×24 on a rugged handheld or a quayside screen: the next step they can do now
(vessel, berth, quay metres, bollards once the pilot has confirmed them), the jobs after it,
and Enter then ``y`` to tick it (times are recorded as now). ``n`` or Esc backs out.
"""

from __future__ import annotations

from typing import ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from sqlmodel import select
from textual.app import ComposeResult
from textual.widgets import Static

from portops.db import read_session
from portops.i18n import N_, _, stamp
from portops.model import ChecklistStep
from portops.ops.berthplan import terminal_settings
from portops.ops.checklists import tick
from portops.queries.checklists import Job, jobs
from portops.queries.events import high_water
from portops.ui.commands import Command
from portops.ui.live import Changes
from portops.ui.screens.base import AreaScreen
from portops.ui.screens.checklists import done_notice, text_lang

G = N_("mooring")
DONE = Command("mooring.tick", "enter", N_("done"), N_("Tick the job at the top as done "
               "(then y to confirm)."), "ask", G, priority=True)
YES = Command("mooring.yes", "y", N_("yes"), N_("Confirm the tick."), "confirm", G, show=False)
NO = Command("mooring.no", "n", N_("no"), N_("Do not tick."), "back", G, show=False)
REFRESH = Command("mooring.refresh", "r", N_("refresh"), N_("Look for new jobs now."), "reload",
                  G)


def _read(engine, role: str):
    mark = high_water(engine)
    with read_session(engine) as s:
        tz = terminal_settings(s).timezone
        found = jobs(s, role)
        bollards = ""
        if found:
            for r in s.exec(select(ChecklistStep).where(
                    ChecklistStep.visit_id == found[0].visit_id)):
                if r.values.get("bollard_fore") or r.values.get("bollard_aft"):
                    bollards = (f"{r.values.get('bollard_fore', '?')}–"
                                f"{r.values.get('bollard_aft', '?')}")
    return mark, tz, found, bollards


class MooringScreen(AreaScreen):
    TITLE = N_("Mooring jobs")
    HELP = N_("Your next mooring job at the top: which vessel, which berth, where along the "
              "quay. Press Enter, then y, when it is done; the time is recorded as now. The "
              "jobs after it are listed below.")
    COMMANDS_DECLARED: ClassVar[tuple[Command, ...]] = (DONE, YES, NO, REFRESH)
    DEFAULT_CSS = """
    MooringScreen #lh-job { height: auto; border: heavy $accent; padding: 0 1; margin: 0 1; }
    MooringScreen #lh-confirm { height: auto; color: $warning; text-style: bold; padding: 0 1; }
    MooringScreen #lh-next { height: 1fr; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.jobs: list[Job] = []
        self.asking = False
        self.loaded = False

    def compose_body(self) -> ComposeResult:
        yield Static("", id="lh-job")
        yield Static("", id="lh-confirm")
        yield Static("", id="lh-next")

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        self.fetch(_read, str(self.app.user.role), then=self._loaded, group="mooring")

    def apply_changes(self, changes: Changes) -> None:
        if changes.everything or changes.bulk("visit") or changes.ids("visit"):
            self.action_reload()

    def _loaded(self, result) -> None:
        mark, tz, self.jobs, bollards = result
        self.mark_seen(mark)
        self.loaded = True
        lang = text_lang()
        job = self.query_one("#lh-job", Static)
        self.asking = False
        self.query_one("#lh-confirm", Static).update("")
        if not self.jobs:
            job.update(Text(_("No mooring job for you right now."), "bold"))
            self.query_one("#lh-next", Static).update("")
            return
        j = self.jobs[0]
        t = Text()
        t.append(_("NEXT JOB") + "\n", "bold")
        t.append(f"{j.step.label(lang)}\n", "bold reverse")
        t.append(f"{j.vessel}  {j.visit_key}\n", "bold")
        where = f"{_('berth')} {j.berth or '—'}"
        if j.quay_from_m is not None:
            where += f"  {j.quay_from_m:g}–{j.quay_from_m + j.loa_m:g} m"
        if bollards:
            where += f"  {_('bollards')} {bollards}"
        t.append(where + "\n")
        if j.when:
            t.append(f"{_('planned')} {stamp(j.when.astimezone(ZoneInfo(tz)), _)}\n")
        t.append(_("Enter, then y: done"), "dim")
        job.update(t)
        rest = Text()
        for k in self.jobs[1:6]:
            rest.append(f"{_('then')}: {k.step.label(lang)} · {k.visit_key} · "
                        f"{k.berth or '—'}\n", "dim")
        self.query_one("#lh-next", Static).update(rest)

    def action_ask(self) -> None:
        if not self.jobs:
            return
        j = self.jobs[0]
        self.asking = True
        self.query_one("#lh-confirm", Static).update(
            _("{step} on {visit}? y = yes, n = no").format(step=j.step.label(text_lang()),
                                                          visit=j.visit_key))

    def action_back(self) -> None:
        self.asking = False
        self.query_one("#lh-confirm", Static).update("")

    def action_confirm(self) -> None:
        if not self.asking or not self.jobs:
            return
        self.asking = False
        j = self.jobs[0]

        def done(_result) -> None:
            self.notify(done_notice(j.step, text_lang()), title=j.visit_key)
            self.action_reload()

        self.perform(tick, then=done, visit_id=j.visit_id, checklist=j.checklist,
                     step=j.step.id)
