"""The tally clerk's screen: confirm each box off the vessel by keyboard.

Type the number as read, Tab to the seal, the damage codes (CEDEX, e.g. ``DT HO``) and a note,
Enter to confirm; a number not on the plan with a size/type typed is recorded as over-landed.
``ctrl+s`` records the typed number as short-landed, ``ctrl+e`` completes the discharge.
Refusals (not berthed, no port-entry formalities, a bad number) list every reason.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from portops.db import read_session
from portops.i18n import _
from portops.ops import Core
from portops.ops.tally import complete, confirm, short_land
from portops.queries.discharge import late_tally_reports, tally_report
from portops.queries.views import tally_queue, visit_key
from portops.ui.widgets.fields import FieldInput
from portops.ui.widgets.threaded import Threaded

FIELDS = ("number", "seal", "damage", "note", "size")


class TallyView(Threaded, Vertical):
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
            if report.completed_at:
                head += " · " + _("complete")
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

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        number = self.value("number")
        if not number:
            self.query_one("#tl-number", Input).focus()
            return
        size = self.value("size")

        def then(out) -> None:
            self.notify(_("{n} {status} → {slot}").format(n=number.upper(), status=_(
                out["status"]), slot=out["slot"]))
            self._clear()
            self.refresh_view()

        self.operate(confirm, then, visit_id=self.visit_id, number=number,
                     seal=self.value("seal"), damage=self.value("damage"),
                     damage_note=self.value("note"), over_landed=bool(size),
                     size_type=size or None)

    def action_short(self) -> None:
        number = self.value("number")

        def then(_out) -> None:
            self.notify(_("{n} recorded short-landed").format(n=number.upper()))
            self._clear()
            self.refresh_view()

        self.operate(short_land, then, visit_id=self.visit_id, number=number,
                     note=self.value("note"))

    def action_complete(self) -> None:
        def then(out) -> None:
            self.notify(_("Discharge complete; {n} short-landed").format(n=out["short_landed"]))
            self.refresh_view()

        self.operate(complete, then, visit_id=self.visit_id)


class TallyScreen(Screen):
    # On the screen, with priority: the keys must work while an Input has the focus.
    BINDINGS = [
        Binding("ctrl+s", "short", _("Short-landed"), id="tally.short", priority=True),
        Binding("ctrl+e", "complete", _("Complete discharge"), id="tally.complete",
                priority=True),
    ]

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
