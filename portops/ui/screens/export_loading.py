"""The export area's loading pane (F12's third): the tally clerk's and planner's load plan by
crane and sequence, each box confirmed as it goes on board, rolls, completion and the load
tally report. Reads through ``portops.queries.export``, changes through the ``load.*``
operations, like the other export panes (``export_panes.py``).
"""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Static

from portops.clock import local
from portops.db import read_session
from portops.formats.checklists import ValueDef
from portops.i18n import N_, _
from portops.ops.loading import complete, confirm, make_plan, report_sent, roll
from portops.queries import export as q
from portops.textcheck import max_len
from portops.ui.screens.checklists import ValuesForm
from portops.ui.screens.export_panes import _Pane, _read
from portops.ui.widgets.fields import FieldInput

#: A load item's state as the plan shows it ("loaded" alone reads "on a truck" in Chinese).
LOAD_STATE = {"planned": N_("to load"), "loaded": N_("loaded on board"), "rolled": N_("rolled")}


class LoadPane(_Pane):
    """The tally clerk's and planner's loading: the plan by crane and sequence, confirm each."""

    FORM = ("ld-number", "ld-seal", "ld-damage")

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.visits: list[tuple[int, str]] = []
        self.index = 0

    def compose(self) -> ComposeResult:
        yield Static(_("Loading…"), id="ld-head", classes="ex-head")
        with Horizontal(classes="ex-form"):
            yield FieldInput(placeholder=_("container no."), id="ld-number", max_length=15)
            yield FieldInput(placeholder=_("seal"), id="ld-seal", max_length=max_len("seal"))
            yield FieldInput(placeholder=_("damage"), id="ld-damage",
                             max_length=max_len("damage"))
        with VerticalScroll():
            yield Static("", id="ld-plan", classes="ex-line")

    def on_mount(self) -> None:
        self.reload()

    @property
    def visit_id(self) -> int | None:
        return self.visits[self.index][0] if self.visits else None

    def reload(self) -> None:
        self.fetch(_read(q.export_visits), then=self._visits, group="load-visits")

    def _visits(self, visits: list[tuple[int, str]]) -> None:
        self.visits = visits
        self.index = min(self.index, max(0, len(visits) - 1))
        if self.visit_id is None:
            self.query_one("#ld-head", Static).update(_("No visit has export bookings."))
            return
        self.fetch(_read(q.load_plan), self.visit_id, then=self._plan, group="load-plan")

    def _plan(self, result: tuple[list[q.LoadRow], list[tuple[str, str]]]) -> None:
        rows, waiting = result
        count = {s: sum(1 for r in rows if r.state == s) for s in ("planned", "loaded", "rolled")}
        self.query_one("#ld-head", Static).update(
            _("Load {visit}: {planned} to load, {loaded} loaded, {rolled} rolled, {waiting} "
              "not plannable").format(visit=self.visits[self.index][1], waiting=len(waiting),
                                      **count))
        lines = [_("Crane, seq, box, slot on board ← yard slot:")] if rows else \
            [_("No load plan yet (ctrl+g makes it).")]
        lines += [f"  QC{r.crane} {r.seq:>3} {r.number} {r.size_type} {r.slot} ← "
                  f"{r.yard_slot or '—'}  {_(LOAD_STATE.get(r.state, r.state))}" for r in rows]
        if waiting:
            lines.append(_("Not plannable:"))
            lines += [f"  {n}: {why}" for n, why in waiting]
        self.query_one("#ld-plan", Static).update("\n".join(lines))

    def next_visit(self) -> None:
        if self.visits:
            self.index = (self.index + 1) % len(self.visits)
            self._visits(self.visits)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in any field confirms the box, as in the discharge tally (F8): the seal and
        damage are typed only when there is something to record."""
        event.stop()
        if not self.value("ld-number") or self.visit_id is None:
            self._retype()
            return
        number = self.value("ld-number").upper()
        self.perform(confirm, visit_id=self.visit_id, number=number,
                     seal=self.value("ld-seal"), damage=self.value("ld-damage"),
                     then=lambda out: self._loaded(number, out))

    def _retype(self) -> None:
        """The cursor back in the number field with its text selected: the next number typed
        replaces it (after a refusal it went on into the seal field)."""
        number = self.query_one("#ld-number", Input)
        number.focus()
        number.select_all()

    def on_worker_state_changed(self, event) -> None:
        # Textual runs Working's handler too (each class's in the MRO): it reports the refusal.
        from textual.worker import WorkerState

        if event.state == WorkerState.ERROR and event.worker.name == confirm.name:
            self._retype()

    def _loaded(self, number: str, out: dict) -> None:
        bay, row, tier = out["slot"]
        self.notify(_("{box} loaded at {slot}").format(box=number,
                                                       slot=f"{bay:03d}{row:02d}{tier:02d}"))
        self.clear(*self.FORM)
        self.query_one("#ld-number", Input).focus()
        self.reload()

    def make_plan(self) -> None:
        if self.visit_id is not None:
            self.perform(make_plan, visit_id=self.visit_id, then=lambda out: (self.notify(
                _("Load plan made: {n} box(es)").format(n=out["planned"])), self.reload()))

    def complete(self) -> None:
        if self.visit_id is not None:
            self.perform(complete, visit_id=self.visit_id, then=lambda out: self.notify(_(
                "Loading complete: {loaded} loaded, {rolled} rolled; ctrl+r issues the load "
                "report").format(**out)))

    def report(self) -> None:
        """Show the load tally report as it will go out; Enter in the form issues it."""
        if self.visit_id is not None:
            self.fetch(_load_report_text, self.visit_id, then=self._show_report,
                       group="load-report")

    def _show_report(self, found: tuple[int, str, str]) -> None:
        from portops.ui.screens.reports import IssueReportForm

        visit_id, key, text = found

        def issue(reference: str | None) -> None:
            self._retype()
            if reference is not None:
                self.perform(report_sent, visit_id=visit_id, reference=reference,
                             then=lambda _out: self.notify(
                                 _("Load report of {visit} issued").format(visit=key)))

        self.app.push_screen(IssueReportForm(_("Load tally report {visit}").format(visit=key),
                                             text), issue)

    def roll(self) -> None:
        visit_id = self.visit_id
        if visit_id is None:
            return

        def done(values: dict[str, str] | None) -> None:
            if values:
                self.perform(roll, visit_id=visit_id, number=values["number"],
                             to_visit=values["to_visit"].strip().upper(),
                             reason=values["reason"], then=lambda _r: (self.notify(
                                 _("{box} rolled to {visit}").format(
                                     box=values["number"].upper(), visit=values["to_visit"])),
                                 self.reload()))

        self.app.push_screen(ValuesForm(_("Roll a box to another visit"), [
            ValueDef("number", "text", label={"en": _("container no.")}),
            ValueDef("to_visit", "text", label={"en": _("to visit")}),
            ValueDef("reason", "text", label={"en": _("reason (required)")})]), done)


def _load_report_text(engine, visit_id: int) -> tuple[int, str, str]:
    """The visit's load tally report, as text, in the terminal's time zone."""
    from sqlmodel import select

    from portops.model import Terminal, VesselVisit

    with read_session(engine) as s:
        key = s.get(VesselVisit, visit_id).key
        terminal = s.exec(select(Terminal)).first()
        tz = terminal.timezone if terminal else "UTC"

        def show(when: datetime | None) -> str:
            return local(when, tz).strftime("%Y-%m-%d %H:%M") if when else ""

        text = q.render_load_report(key, q.load_report(s, visit_id), q.rolled(s, visit_id),
                                    show, tz, _)
    return visit_id, key, text
