"""The tally clerk's screen: confirm each box off the vessel by keyboard.

Type the number as read, Tab to the seal, the damage codes (CEDEX, e.g. ``DT HO``) and a note,
Enter (in any field) to confirm; a number not on the plan with a size/type typed is recorded as
over-landed. ``ctrl+s`` records the typed number as short-landed, ``ctrl+e`` completes the
discharge, ``ctrl+r`` shows the tally report (理货报告) and issues it. Refusals (not berthed, no
port-entry formalities, a bad number) list every reason, and the cursor goes back to the
number with its text selected, so the next number typed replaces it.

The keys are :class:`~portops.ui.commands.Command` s declared here and listed by the F8 area
(``cargo.TallyAreaScreen``): binding, footer, palette and F1 help from one declaration.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from portops.db import read_session
from portops.i18n import N_, _
from portops.ops import Core
from portops.ops.tally import complete, confirm, report_sent, short_land
from portops.queries.discharge import late_tally_reports, render_tally_report, tally_report
from portops.queries.views import tally_queue, visit_key
from portops.ui.commands import Command
from portops.ui.screens.base import Working
from portops.ui.screens.confirm import ConfirmDialog
from portops.ui.widgets.fields import FieldInput

FIELDS = ("number", "seal", "damage", "note", "size")
#: How many untallied boxes ctrl+e's question names (the rest as "…").
SHOWN = 6

G = N_("tally")
# Priority: they must work while the cursor is in a field (as it always is here).
SHORT = Command("tally.short", "ctrl+s", N_("short-landed"),
                N_("Record the box typed in the number field as short-landed (not found on "
                   "board); asks first."), "short", G, priority=True)
COMPLETE = Command("tally.complete", "ctrl+e", N_("complete discharge"),
                   N_("Declare the discharge complete: every box not tallied is short-landed "
                      "(asks first, naming them)."),
                   "complete", G, priority=True)
REPORT = Command("tally.report", "ctrl+r", N_("tally report"),
                 N_("Read the tally report (理货报告) and issue it to the line."), "report", G,
                 priority=True)
TALLY_COMMANDS = (SHORT, COMPLETE, REPORT)


class TallyView(Working, Vertical):
    DEFAULT_CSS = """
    TallyView { height: 1fr; }
    TallyView #tl-head { height: auto; text-style: bold; }
    TallyView #tl-late { height: auto; color: $error; }
    TallyView #tl-form { height: 3; }
    TallyView #tl-form Input { width: 1fr; }
    TallyView #tl-form #tl-number { width: 2fr; }
    """
    def __init__(self, core: Core, user: str, visit_id: int, **kw) -> None:
        super().__init__(**kw)
        self.core, self.user, self.visit_id = core, user, visit_id

    def compose(self) -> ComposeResult:
        yield Static("", id="tl-head")
        yield Static("", id="tl-late")
        with Horizontal(id="tl-form"):
            yield FieldInput(placeholder=_("container no."), id="tl-number")
            yield FieldInput(placeholder=_("seal"), id="tl-seal")
            yield FieldInput(placeholder=_("damage DT HO"), id="tl-damage")
            yield FieldInput(placeholder=_("note"), id="tl-note")
            yield FieldInput(placeholder=_("size (over)"), id="tl-size")
        with VerticalScroll(id="tl-scroll"):
            yield Static("", id="tl-queue")

    def on_mount(self) -> None:
        self.refresh_view()
        self.query_one("#tl-number", Input).focus()

    def value(self, name: str) -> str:
        return self.query_one(f"#tl-{name}", Input).value.strip()

    def refresh_view(self) -> None:
        self.in_thread(self._load, self._show)

    def _load(self):
        with read_session(self.core.engine) as s:
            return (visit_key(s, self.visit_id), tally_report(s, self.visit_id),
                    tally_queue(s, self.visit_id, limit=40),
                    late_tally_reports(s, self.core.clock.now()))

    def _show(self, data) -> None:
        key, report, queue, late = data
        head = f"{_('Tally')} {key}"
        if report is None:
            head += " · " + _("no discharge plan")
        else:
            head += " · " + _("{todo} to go, {done} discharged, {short} short, {over} over, "
                              "{dmg} damaged").format(
                todo=len(report.of("planned")), done=len(report.of("discharged")),
                short=len(report.of("short")), over=len(report.of("over")),
                dmg=len(report.damaged))
            if report.reported_at:
                head += " · " + _("complete, report issued")
            elif report.completed_at:
                head += " · " + _("complete; ctrl+r issues the tally report")
        self.query_one("#tl-head", Static).update(head)
        self.query_one("#tl-late", Static).update("\n".join(
            "⚠ " + _("tally report for {key} overdue by {h} h").format(
                key=x.visit_key, h=int(x.overdue_by.total_seconds() // 3600)) for x in late))
        lines = [_("Next off the vessel (crane, seq, bay slot → yard slot):")]
        lines += [f"  QC{q.crane} {q.seq:>4}  {q.number}  {q.size_type}  {q.vessel_slot} → "
                  f"{q.yard_slot or '—'}" for q in queue]
        self.query_one("#tl-queue", Static).update("\n".join(lines))

    def _clear(self) -> None:
        for name in FIELDS:
            self.query_one(f"#tl-{name}", Input).value = ""
        self.query_one("#tl-number", Input).focus()

    def _retype(self, _refusal=None) -> None:
        """After a refusal: the cursor back in the number field, its text selected, so the
        next number typed replaces it (and never lands in the seal or a note)."""
        number = self.query_one("#tl-number", Input)
        number.focus()
        number.select_all()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        number = self.value("number")
        if not number:
            self.query_one("#tl-number", Input).focus()
            return
        size = self.value("size")

        def then(out) -> None:
            self.notify(_("{n} {status} → {slot}").format(n=number.upper(), status=_(
                out["status"]), slot=out["slot"]) + ("" if "planned" not in out else "\n" + _(
                    "not {planned} as planned: the lowest free tier of that stack").format(
                    planned=out["planned"])))
            self._clear()
            self.refresh_view()

        self.perform(confirm, then=then, refused=self._retype, visit_id=self.visit_id, number=number,
                     seal=self.value("seal"), damage=self.value("damage"),
                     damage_note=self.value("note"), over_landed=bool(size),
                     size_type=size or None)

    def action_short(self) -> None:
        # ctrl+s is a priority key: it arrives before the number typed just ahead of it has
        # reached the field (a scanner, a fast typist). Read the field after those keys.
        self.query_one("#tl-number", Input).call_later(self._short)

    def _short(self) -> None:
        number = self.value("number")
        if not number:
            self.notify(_("Type the number of the box not found on board, then ctrl+s."),
                        severity="warning")
            self._retype()
            return

        def then(_out) -> None:
            self.notify(_("{n} recorded short-landed").format(n=number.upper()))
            self._clear()
            self.refresh_view()

        def answered(yes: bool | None) -> None:
            if not yes:
                self._retype()
                return
            self.perform(short_land, then=then, refused=self._retype, visit_id=self.visit_id,
                         number=number, note=self.value("note"))

        self.app.push_screen(ConfirmDialog(
            _("Record {n} as short-landed?").format(n=number.upper()),
            _("Not found on board: it cannot be tallied afterwards.")), answered)

    def action_complete(self) -> None:
        """Ask first, naming the boxes not tallied that completion declares short-landed."""
        self.in_thread(self._untallied, self._ask_complete, group="complete")

    def _untallied(self) -> list[str] | None:
        with read_session(self.core.engine) as s:
            report = tally_report(s, self.visit_id)
            return None if report is None else [ln.number for ln in report.of("planned")]

    def _ask_complete(self, left: list[str] | None) -> None:
        def then(out) -> None:
            self.notify(_("Discharge complete; {n} short-landed").format(n=out["short_landed"]))
            self.refresh_view()

        def answered(yes: bool | None) -> None:
            if yes:
                self.perform(complete, then=then, visit_id=self.visit_id)
            self._retype()

        if not left:  # nothing would be declared short (or no plan: the refusal says so)
            self.perform(complete, then=then, visit_id=self.visit_id)
            return
        shown = ", ".join(left[:SHOWN]) + (" …" if len(left) > SHOWN else "")
        self.app.push_screen(ConfirmDialog(
            _("Complete discharge? {n} box(es) not tallied").format(n=len(left)),
            _("They will be declared short-landed and cannot be tallied afterwards: "
              "{boxes}").format(boxes=shown)), answered)

    def action_report(self) -> None:
        """Show the tally report as it will go out; Enter in the form issues it."""
        self.in_thread(self._report_text, self._show_report, group="report")

    def _report_text(self) -> tuple[str, str] | None:
        from sqlmodel import select

        from portops.model import Terminal

        with read_session(self.core.engine) as s:
            report = tally_report(s, self.visit_id)
            terminal = s.exec(select(Terminal)).first()
            if report is None:
                return None
            return report.visit_key, render_tally_report(
                report, terminal.timezone if terminal else "UTC", _)

    def _show_report(self, found: tuple[str, str] | None) -> None:
        from portops.ui.screens.reports import IssueReportForm

        if found is None:
            self.notify(_("No discharge plan: there is no tally report yet."),
                        severity="warning")
            return
        key, text = found

        def issue(reference: str | None) -> None:
            if reference is None:
                self._retype()
                return

            def then(_out) -> None:
                self.notify(_("Tally report of {visit} issued").format(visit=key))
                self.refresh_view()

            self.perform(report_sent, then=then, visit_id=self.visit_id, reference=reference)
            self._retype()

        self.app.push_screen(IssueReportForm(_("Tally report (理货报告) {visit}").format(
            visit=key), text), issue)


class TallyScreen(Screen):
    """The tally view on a screen of its own, with the same keys (tests, a second console)."""

    BINDINGS = [c.binding() for c in TALLY_COMMANDS]

    def __init__(self, core: Core, user: str, visit_id: int) -> None:
        super().__init__()
        self.core, self.user, self.visit_id = core, user, visit_id

    def compose(self) -> ComposeResult:
        yield TallyView(self.core, self.user, self.visit_id)
        yield Footer()

    def action_short(self) -> None:
        self.query_one(TallyView).action_short()

    def action_complete(self) -> None:
        self.query_one(TallyView).action_complete()

    def action_report(self) -> None:
        self.query_one(TallyView).action_report()
