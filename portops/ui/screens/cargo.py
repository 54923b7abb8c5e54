"""The discharge areas of the console: vessel (F6), yard (F7) and tally (F8).

Each wraps its view (``discharge.BayPlanView``, ``yard.YardView``, ``tally.TallyView``) in
the console frame. The vessel and tally areas work on one visit at a time: the one alongside,
or the next with boxes to discharge; ``v`` goes on to the next such visit.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from portops.i18n import N_, _
from portops.queries.views import cargo_visits
from portops.ui.commands import Command
from portops.ui.live import Changes
from portops.ui.screens.base import AreaScreen
from portops.ui.screens.discharge import BayPlanView
from portops.ui.screens.tally import TALLY_COMMANDS, TallyView
from portops.ui.screens.yard import YardView

NEXT_VISIT = Command("cargo.next_visit", "v", N_("next visit"),
                     N_("Go on to the next visit with boxes to discharge."), "next_visit",
                     N_("discharge"), field_key="ctrl+n")  # F8: the cursor is in a field
IMPORT = Command("cargo.import", "i", N_("import"),
                 N_("Import a bay plan (BAPLIE), discharge or load list (COPRAR) or manifest "
                    "for the visit shown, or any other file portops imports."), "import_file",
                 N_("vessel"))


def _visits(engine, loading: bool = False) -> list[tuple[int, str]]:
    from portops.db import read_session

    with read_session(engine) as s:
        return cargo_visits(s, loading)


class _VisitArea(AreaScreen):
    COMMANDS_DECLARED = (NEXT_VISIT,)
    #: Also the visits that only load (a load plan, nothing to discharge).
    LOADING = False

    def __init__(self) -> None:
        super().__init__()
        self.visits: list[tuple[int, str]] = []
        self.index = 0

    def compose_body(self) -> ComposeResult:
        yield Vertical(Static(_("Loading…"), id="cargo-empty"), id="cargo-body")

    def on_mount(self) -> None:
        # What the area first shows is read after this instant: it reflects the event log at
        # least up to the console's mark. Without a mark the area could not catch up with a
        # change made while a dialog covered it (a bay plan imported from F6's own `i`).
        self.mark_seen(self.app.high_water)
        self.fetch(_visits, self.LOADING, then=self._got)

    def _got(self, visits: list[tuple[int, str]]) -> None:
        shown = self.visits[self.index][0] if self.visits else None
        ids = [v for v, _key in visits]
        self.visits = visits
        if shown in ids:  # the same visit: keep its view (and what the clerk is typing)
            self.index = ids.index(shown)
            view = self.query(self.VIEW)
            if view:
                view.first().refresh_view()
                return
        self.index = min(self.index, max(0, len(visits) - 1))
        self._show()

    def _show(self) -> None:
        body = self.query_one("#cargo-body")
        body.remove_children()
        if not self.visits:
            body.mount(Static(_("No visit has boxes to discharge; import a bay plan first.")))
            return
        body.mount(self.make_view(self.visits[self.index][0]))

    def action_next_visit(self) -> None:
        if self.visits:
            self.index = (self.index + 1) % len(self.visits)
            self._show()

    def apply_changes(self, changes: Changes) -> None:
        # The visits worked on change too: a bay plan imported, a discharge plan made.
        if (changes.everything or changes.bulk("container") or changes.ids("visit")
                or changes.ids("container")):
            self.fetch(_visits, self.LOADING, then=self._got)

    def view(self):
        """The visit's view, or None (with a word to the user) when no visit has boxes."""
        views = self.query(self.VIEW)
        if not views:
            self.notify(_("No visit has boxes to discharge; import a bay plan first."),
                        severity="warning")
            return None
        return views.first()

    def make_view(self, visit_id: int):  # pragma: no cover - overridden
        raise NotImplementedError


class VesselScreen(_VisitArea):
    TITLE = N_("Vessel")
    HELP = N_("One vessel bay at a time as rows × tiers, each box coloured by what happens to "
              "it here: D to discharge (with its crane), ✓ discharged, S short-landed, R "
              "remains on board, L to load (with its crane), ▲ loaded. The arrow keys select a "
              "box; the line above the bay names it, its crane and its place in the crane's "
              "sequence. p makes the discharge plan (crane split and sequence), y the yard "
              "plan; [ and ] page through the bays; v goes to the next visit; i imports a bay "
              "plan, list or manifest for it (a first bay plan: from the schedule, F2, i on "
              "the visit's row).")
    VIEW = BayPlanView
    LOADING = True
    COMMANDS_DECLARED = (NEXT_VISIT, IMPORT)

    def make_view(self, visit_id: int):
        return BayPlanView(self.app.core, self.app.user.name, visit_id)

    def action_import_file(self) -> None:
        from portops.ui.screens.imports import ImportScreen

        key = self.visits[self.index][1] if self.visits else None
        self.app.push_screen(ImportScreen(visit_key=key))


class TallyAreaScreen(_VisitArea):
    TITLE = N_("Tally")
    HELP = N_("Confirm each box off the vessel: type the number as read (Tab to seal, damage "
              "codes DT dent, HO hole, ... and a note if there are any), Enter. A number not "
              "on the plan with a size/type typed is over-landed. After a refusal the number "
              "is selected: type the next one over it. Ctrl+S records the typed box "
              "short-landed, Ctrl+E completes the discharge, Ctrl+R shows the tally report "
              "(理货报告) and issues it (Enter in its form). A tally report not out within 6 "
              "hours of completion is shown in red.")
    VIEW = TallyView
    COMMANDS_DECLARED = (NEXT_VISIT, *TALLY_COMMANDS)

    def make_view(self, visit_id: int):
        return TallyView(self.app.core, self.app.user.name, visit_id)

    def action_short(self) -> None:
        if view := self.view():
            view.action_short()

    def action_complete(self) -> None:
        if view := self.view():
            view.action_complete()

    def action_report(self) -> None:
        if view := self.view():
            view.action_report()


class YardAreaScreen(AreaScreen):
    TITLE = N_("Yard")
    HELP = N_("A block as stack heights per bay and row; Enter opens a bay as rows × tiers, "
              "coloured by category, holds marked H, planned slots p. [ and ] change block, "
              "←/→ bay, f finds a container and jumps to it.")

    def compose_body(self) -> ComposeResult:
        yield YardView(self.app.core)

    def apply_changes(self, changes: Changes) -> None:
        self.query_one(YardView).refresh_view()
