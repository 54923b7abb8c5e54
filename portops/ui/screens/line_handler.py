"""The line handler's console: the next mooring job, large, and a tick in two keys.

Made for 80×24 on a rugged handheld or a quayside screen: the next step they can do now
(vessel, berth, quay metres, bollards when the pilot has confirmed them), the jobs after it,
and Enter then ``y`` to tick it (times are recorded as now). Esc or ``n`` backs out.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.text import Text
from sqlmodel import select
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from portops.db import read_session
from portops.model import ChecklistStep, User
from portops.ops import Core, Refused
from portops.ops.berthplan import terminal_settings
from portops.ops.checklists import tick
from portops.queries.checklists import Job, jobs
from portops.ui.screens.berths import refusal_text
from portops.ui.text import _


def _role(session, user: str) -> str:
    row = session.exec(select(User).where(User.name == user)).first()
    return str(row.role) if row else ""


def _bollards(session, visit_id: int) -> str:
    for r in session.exec(select(ChecklistStep).where(ChecklistStep.visit_id == visit_id)):
        if r.values.get("bollard_fore") or r.values.get("bollard_aft"):
            return f"{r.values.get('bollard_fore', '?')}–{r.values.get('bollard_aft', '?')}"
    return ""


class LineHandlerView(Vertical):
    DEFAULT_CSS = """
    LineHandlerView { height: 1fr; padding: 0 1; }
    LineHandlerView #lh-job { height: auto; border: heavy $accent; padding: 0 1; }
    LineHandlerView #lh-confirm { height: auto; color: $warning; text-style: bold; }
    LineHandlerView #lh-next { height: 1fr; }
    """
    BINDINGS = [
        Binding("enter", "ask", _("Tick"), id="lines.tick", priority=True),
        Binding("y", "confirm", _("Yes"), show=False, id="lines.yes"),
        Binding("n,escape", "back", _("No"), show=False, id="lines.no"),
        Binding("r", "reload", _("Refresh"), id="lines.reload"),
    ]
    can_focus = True

    def __init__(self, core: Core, user: str, lang: str = "en", **kw) -> None:
        super().__init__(**kw)
        self.core, self.user, self.lang = core, user, lang
        self.jobs: list[Job] = []
        self.asking = False

    def compose(self) -> ComposeResult:
        yield Static("", id="lh-job")
        yield Static("", id="lh-confirm")
        yield Static("", id="lh-next")

    def on_mount(self) -> None:
        self.action_reload()
        self.focus()

    def action_reload(self) -> None:
        with read_session(self.core.engine) as s:
            tz = ZoneInfo(terminal_settings(s).timezone)
            self.jobs = jobs(s, _role(s, self.user))
            bollards = _bollards(s, self.jobs[0].visit_id) if self.jobs else ""
        job = self.query_one("#lh-job", Static)
        if not self.jobs:
            job.update(Text(_("No mooring job for you right now."), "bold"))
            self.query_one("#lh-next", Static).update("")
            return
        j = self.jobs[0]
        t = Text()
        t.append(_("NEXT JOB") + "\n", "bold")
        t.append(f"{j.step.label(self.lang)}\n", "bold reverse")
        t.append(f"{j.vessel}  {j.visit_key}\n", "bold")
        where = f"{_('berth')} {j.berth or '—'}"
        if j.quay_from_m is not None:
            where += f"  {j.quay_from_m:g}–{j.quay_from_m + j.loa_m:g} m"
        if bollards:
            where += f"  {_('bollards')} {bollards}"
        t.append(where + "\n")
        if j.when:
            t.append(f"{_('planned')} {j.when.astimezone(tz):%d %b %H:%M}\n")
        t.append(_("Enter, then y: done"), "dim")
        job.update(t)
        rest = Text()
        for k in self.jobs[1:6]:
            rest.append(f"{_('then')}: {k.step.label(self.lang)} · {k.visit_key} · "
                        f"{k.berth or '—'}\n", "dim")
        self.query_one("#lh-next", Static).update(rest)
        self._prompt("")

    def _prompt(self, text: str) -> None:
        self.query_one("#lh-confirm", Static).update(text)

    def action_ask(self) -> None:
        if not self.jobs:
            return
        j = self.jobs[0]
        self.asking = True
        self._prompt(_("{step} on {visit}? y = yes, n = no").format(
            step=j.step.label(self.lang), visit=j.visit_key))

    def action_back(self) -> None:
        self.asking = False
        self._prompt("")

    def action_confirm(self) -> None:
        if not self.asking or not self.jobs:
            return
        self.asking = False
        j = self.jobs[0]
        try:
            self.core.run(self.user, tick, visit_id=j.visit_id, checklist=j.checklist,
                          step=j.step.id)
        except Refused as exc:
            self.notify(refusal_text(exc), title=_("Step refused"), severity="error",
                        timeout=10)
        else:
            self.notify(_("{step} done").format(step=j.step.label(self.lang)),
                        title=j.visit_key)
        self.action_reload()


class LineHandlerScreen(Screen):
    def __init__(self, core: Core, user: str, lang: str = "en") -> None:
        super().__init__()
        self.core, self.user, self.lang = core, user, lang

    def compose(self) -> ComposeResult:
        yield LineHandlerView(self.core, self.user, self.lang)
        yield Footer()
