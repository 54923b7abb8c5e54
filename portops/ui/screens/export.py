"""The export area (F12): gate receiving (验箱), the receiving plan, and loading.

One screen with three tabs, opened on the tab of the signed-in person's work: the gate clerk
on receiving, the dispatcher on the receiving plan, the tally clerk and planner on loading.
The keys are the screen's (declared once, below); each works on the tab shown, and the footer
shows only the shown tab's keys. Keys that must work while typing are ``ctrl`` keys.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable, Input, TabbedContent, TabPane

from portops.i18n import N_, _
from portops.model import Role
from portops.ui.commands import Command
from portops.ui.live import Changes
from portops.ui.role_keys import not_permitted, say_whose
from portops.ui.screens.base import AreaScreen
from portops.ui.screens.export_departure import ask_and_write
from portops.ui.screens.export_forms import booking_form, cancel_form, receival_form
from portops.ui.screens.export_loading import LoadPane
from portops.ui.screens.export_panes import PlanPane, ReceivingPane

G = N_("export")
NEXT_TAB = Command("export.next_tab", "ctrl+t", N_("next tab"),
                   N_("Switch between gate receiving, the receiving plan and loading."),
                   "next_tab", G, priority=True)
ADMIT = Command("export.admit", "ctrl+y", N_("admit"),
                N_("Check the box as read and admit it: yard slot, EIR, arrival report."),
                "admit", G, priority=True)
TURN_AWAY = Command("export.turn_away", "ctrl+r", N_("turn away"),
                    N_("Send the truck away and clear the form; the appointment stays."),
                    "turn_away", G, priority=True)
LATE = Command("export.accept_late", "l", N_("accept late"),
               N_("Accept a box after its visit's receiving cut-off, with a written reason: "
                  "the booking and the box, and its truck when it has no appointment yet."),
               "accept_late", G)
MAKE_PLAN = Command("export.make_plan", "ctrl+g", N_("make load plan"),
                    N_("Plan every released box of the visit: slot, crane and sequence."),
                    "make_plan", G, priority=True)
ROLL = Command("export.roll", "ctrl+o", N_("roll"),
               N_("Roll a box to another visit, with the reason."), "roll", G, priority=True)
COMPLETE = Command("export.complete", "ctrl+e", N_("complete loading"),
                   N_("End loading: every planned box loaded or rolled."), "complete", G,
                   priority=True)
REPORT = Command("export.load_report", "ctrl+r", N_("load report"),
                 N_("Read the load tally report and issue it to the line (after ctrl+e)."),
                 "load_report", G, priority=True)
DEPARTURE = Command("export.departure_plan", "ctrl+w", N_("departure bay plan"),
                    N_("Write the departure bay plan of the visit (a BAPLIE of what is on "
                       "board) to a file for the line, e.g. after ctrl+r."), "departure_plan",
                    G, priority=True)
BOOK = Command("export.book", "b", N_("export booking"),
               N_("Key in a line's export booking for the visit highlighted: booking number, "
                  "shipper, port of discharge, size/type, boxes, reefer and DG data."),
               "book", G)
RECEIVAL = Command("export.receival", "n", N_("receiving appointment"),
                   N_("Book a receiving (delivery) appointment for one box on a booking: box, "
                      "slot in the receiving window, haulier, plate, driver, VGM, seal."),
                   "receival", G, field_key="ctrl+b")
CANCEL = Command("export.cancel_receival", "x", N_("cancel appointment"),
                 N_("Cancel a receiving appointment, with the reason; its slot is freed."),
                 "cancel_receival", G)
NEXT_VISIT = Command("export.next_visit", "ctrl+n", N_("next visit"),
                     N_("Go on to the next visit with export bookings."), "next_visit", G,
                     priority=True)

#: Which tab each command works on.
TAB_OF = {"admit": "gate", "turn_away": "gate", "accept_late": "plan", "book": "plan",
          "receival": ("plan", "gate"), "cancel_receival": "plan", "make_plan": "load",
          "roll": "load", "complete": "load", "load_report": "load", "next_visit": "load",
          "departure_plan": "load"}
#: The operation each command ends in: a role that may not run it has the key greyed, and the
#: key says so instead of opening a form the operation would refuse (issue 14: a tally clerk's
#: ^o opened the roll form, refused only once typed).
OPERATION_OF = {"admit": "export.receive", "accept_late": "export.accept_late_box",
                "book": "export.booking", "receival": "export.appointment",
                "cancel_receival": "export.cancel", "make_plan": "load.plan", "roll": "load.roll",
                "complete": "load.complete", "load_report": "load.report"}
#: The tab each role starts on.
FIRST_TAB = {Role.GATE_CLERK: "gate", Role.DISPATCHER: "plan"}
TABS = ("gate", "plan", "load")


class ExportScreen(AreaScreen):
    TITLE = N_("Export")
    HELP = N_("Receiving: type the appointment ref or the truck's plate and Enter; type what "
              "is read on the box (number, size/type, seal, VGM, damage); ctrl+y admits (every "
              "failed check is listed with its rule), ctrl+r turns the truck away. Plan: each "
              "visit's receiving window and cut-offs in local time, its arrival report below; "
              "b keys in a line's export booking for the visit highlighted, n books a receiving "
              "appointment for a box (ctrl+b on the gate tab), x cancels one; "
              "l accepts a late box with a reason. Loading: ctrl+g makes the load plan; type "
              "the number (Tab to seal and damage if there are any) and Enter to confirm a box "
              "loaded; after a refusal the number is selected, type the next over it. ctrl+o "
              "rolls a box, ctrl+e completes loading, ctrl+r shows the load report and issues "
              "it, ctrl+w writes the departure bay plan to a file, ctrl+n the next visit. "
              "ctrl+t switches tab.")
    COMMANDS_DECLARED = (NEXT_TAB, ADMIT, TURN_AWAY, LATE, BOOK, RECEIVAL, CANCEL, MAKE_PLAN,
                         ROLL, COMPLETE, REPORT, DEPARTURE, NEXT_VISIT)

    def compose_body(self) -> ComposeResult:
        # The first tab is given at compose: set later, the tabs' own mounting could undo it.
        with TabbedContent(id="ex-tabs", initial=self._first()):
            with TabPane(_("Receiving"), id="gate"):
                yield ReceivingPane()
            with TabPane(_("Receiving plan"), id="plan"):
                yield PlanPane()
            with TabPane(_("Loading"), id="load"):
                yield LoadPane()

    def on_mount(self) -> None:
        # Focus only inside the pane shown: focusing a widget in another pane makes the
        # tabs switch to it (a pane that focused itself on mount raced this choice).
        # (Not the receiving plan's table: a focus lands after the mount, and one landing after
        # a quick ctrl+t switched the tabs back; Tab takes the cursor to the table.)
        first = self.query_one("#ex-tabs", TabbedContent).get_pane(self._first()).query(Input)
        if first:
            first.first().focus()

    def _first(self) -> str:
        role = self.app.user.role if self.app.user else None
        return FIRST_TAB.get(role, "load")

    @property
    def tab(self) -> str:
        return self.query_one("#ex-tabs", TabbedContent).active

    def on_tabbed_content_tab_activated(self) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        wanted = TAB_OF.get(action)
        if wanted is None or not self.is_mounted:
            return True
        shown = self.tab in wanted if isinstance(wanted, tuple) else wanted == self.tab
        if shown and self._not_for_role(action) is not None:
            return None  # greyed: the key says whose step it is (why_greyed)
        return shown

    def _not_for_role(self, action: str):  # noqa: ANN202 - an Operation, or None
        """The operation behind ``action`` when the signed-in role may not run it."""
        return not_permitted(self.app, OPERATION_OF.get(action))

    def why_greyed(self, cmd: Command) -> None:
        """Whose step it is, as the operation's own refusal says it (the form stays shut)."""
        op = self._not_for_role(cmd.action)
        if op is None:
            super().why_greyed(cmd)
        else:
            say_whose(self.app, op)

    def action_next_tab(self) -> None:
        """The next tab, with the cursor in it: left in the pane just hidden, the focus went
        on to that pane's next field, which switched the tabs back (ctrl+t did nothing from
        the load tally's number, and the number took the plan's b)."""
        tabs = self.query_one("#ex-tabs", TabbedContent)
        tabs.active = TABS[(TABS.index(tabs.active) + 1) % len(TABS)]
        pane = tabs.get_pane(tabs.active)
        target = pane.query(Input) or pane.query(DataTable)
        self.set_focus(target.first() if target else None)

    def action_admit(self) -> None:
        self.query_one(ReceivingPane).admit()

    def action_turn_away(self) -> None:
        self.query_one(ReceivingPane).turn_away()

    def action_accept_late(self) -> None:
        self.query_one(PlanPane).accept_late()

    def action_book(self) -> None:
        visit, line = self.query_one(PlanPane).selected()

        def done(booking_id: int | None) -> None:
            if booking_id:
                self.notify(_("Export booking recorded"))
                self.query_one(PlanPane).reload()
                self.query_one(PlanPane).warn_if_closed(booking_id)
                self.query_one(LoadPane).reload()

        self.app.push_screen(booking_form(visit, line), done)

    def action_receival(self) -> None:
        def done(out: dict | None) -> None:
            if out:
                self.notify(_("Receiving appointment {ref} booked").format(ref=out["ref"]))
                self.query_one(PlanPane).reload()

        self.app.push_screen(receival_form(self.app.terminal.timezone, self.app.clock.now()),
                             done)

    def action_cancel_receival(self) -> None:
        def done(out: bool | None) -> None:
            if out:
                self.notify(_("Receiving appointment cancelled"))
                self.query_one(PlanPane).reload()

        self.app.push_screen(cancel_form(), done)

    def action_make_plan(self) -> None:
        self.query_one(LoadPane).make_plan()

    def action_roll(self) -> None:
        self.query_one(LoadPane).roll()

    def action_complete(self) -> None:
        self.query_one(LoadPane).complete()

    def action_load_report(self) -> None:
        self.query_one(LoadPane).report()

    def action_departure_plan(self) -> None:
        pane = self.query_one(LoadPane)
        if pane.visit_id is not None:
            ask_and_write(pane, pane.visit_id, pane.visits[pane.index][1])

    def action_next_visit(self) -> None:
        self.query_one(LoadPane).next_visit()

    def apply_changes(self, changes: Changes) -> None:
        self.query_one(PlanPane).reload()
        self.query_one(LoadPane).reload()
