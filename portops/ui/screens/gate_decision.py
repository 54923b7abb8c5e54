"""The gate clerk's decision on a truck (F9): ``a`` admits, ``t`` stops it on the trouble
list, each from the keys or, by Ctrl, from a field after judging what is typed there; why
``a`` cannot admit, in the clerk's words; and what the screen says after. A mixin of
:class:`~portops.ui.screens.gate.GateScreen`, which holds the fields, the look-up and the
checks shown (``self.assessment``, ``self.export``).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Input, Static

from portops.i18n import _
from portops.ops.gate import admit, trouble
from portops.refs import shaped


class GateDecision:
    """Admit or stop the truck shown (the screen's state: ``assessment``, ``export``, the
    fields by ``value``)."""

    assessment: Any
    export: Any

    def _why_not_admit(self) -> str | None:
        """Why ``a`` cannot admit now, in the clerk's words (None: it can try)."""
        if self.export.appt is not None:
            if not self.export.ready:
                return _("read the box first: type its number, size/type, seal and VGM, Enter")
            if self.export.unmet:
                return _("cannot admit: {n} problem(s) in the check ({what}); t stops the "
                         "truck on the trouble list").format(
                    n=len(self.export.unmet), what=", ".join(self.export.failed_points()))
            return None
        a = self.assessment
        if a is None:
            return _("type the plate or appointment first, then Enter")
        if a.appointment is None:
            return _("cannot admit: no appointment for {what}; t sends the truck to the "
                     "trouble list").format(what=a.lookup)
        if not a.admissible:
            failed = [_(c.name) for c in a.checks if not c.ok]
            return _("cannot admit: {n} problem(s): {what}; mend the fields, or t sends the "
                     "truck to the trouble list").format(n=len(failed), what=", ".join(failed))
        return None

    def _args(self) -> dict:
        return {"lookup": self.value("lookup"), "plate": self.value("plate"),
                "haulier": self.value("haulier"), "driver_id": self.value("driver")}

    def _judge_first(self, then) -> bool:
        """From a field (ctrl+y, ctrl+t): judge what is typed there now, then ``then()``;
        False when the cursor is in no field and the shown judgment stands.

        A look-up typed without Enter is taken as Enter takes it (a plate read on the truck
        goes into the plate field). The fields have taken the keys typed before the Ctrl key
        first (their own queues, as for Enter)."""
        focused = self.focused
        if not isinstance(focused, Input):
            return False
        if focused in self.export.query(Input):
            self.export.judge_typed(then)
            return True
        if not self.value("lookup"):
            then()  # nothing typed: says what to type
            return True

        def judge() -> None:
            lookup = self.value("lookup").upper()
            plate = self.query_one("#plate", Input)
            if not shaped(lookup) and not plate.value.strip():
                plate.value = lookup
            self.look_up(then=then)

        focused.call_later(judge)
        return True

    def action_admit(self) -> None:
        if not self._judge_first(self._admit):
            self._admit()

    def _admit(self) -> None:
        why = self._why_not_admit()
        if why is not None:
            self.notify(why, severity="warning")
            return
        if self.export.appt is not None:
            self.export.admit(then=self.received)
            return
        self.perform(admit, then=self.admitted, **self._args())

    def received(self, result: dict) -> None:
        box = self.export.appt.container if self.export.appt else ""
        self.query_one("#gate-outcome", Static).update(Text(
            _("ADMITTED {box}: drive to {slot}; EIR {eir}, arrival reported").format(
                box=box, slot=result["yard_slot"], eir=result["eir"]), "bold reverse green"))
        self.export.stop()
        self.app.refresh_bindings()

    def admitted(self, result: dict) -> None:
        t = Text(_("ADMITTED {ref}: drive to {slot}").format(
            ref=result["ref"], slot=result["yard_slot"] or "—"), "bold reverse green")
        self.query_one("#gate-outcome", Static).update(t)
        self.assessment = None
        self.app.refresh_bindings()

    def action_trouble(self) -> None:
        if not self._judge_first(self._trouble):
            self._trouble()

    def _trouble(self) -> None:
        if self.export.appt is not None and not self.export.ready:
            self.notify(_("read the box first: type its number, size/type, seal and VGM, "
                          "Enter"), severity="warning")
            return
        if self.export.appt is None and self.assessment is None:
            self.notify(_("type the plate or appointment first, then Enter"),
                        severity="warning")
            return
        if self.export.appt is not None:  # an export box: stopped with the failed points
            read = self.export.read()
            if read is None:
                return
            appt = self.export.appt
            typed = self.value("lookup").upper()
            plate = appt.plate if typed == appt.ref else typed
            read.pop("lookup")
            self.perform(trouble, lookup=appt.ref, plate=plate, note="", box=read,
                         then=lambda _tv: self._export_stopped(appt.container, plate))
            return
        self.perform(trouble, then=self.troubled, note="", **self._args())

    def _export_stopped(self, box: str, plate: str) -> None:
        n = len(self.export.unmet or [])
        self.query_one("#gate-outcome", Static).update(Text(
            _("TROUBLE: truck {plate} with {box} on the trouble list ({n} reason(s)); the "
              "appointment stays booked").format(plate=plate, box=box, n=n), "bold reverse red"))
        self.export.stop()
        self.app.refresh_bindings()

    def troubled(self, truck_visit_id: int) -> None:
        n = len(self.assessment.unmet) if self.assessment else 0
        self.query_one("#gate-outcome", Static).update(Text(
            _("TROUBLE: truck {plate} on the trouble list ({n} reason(s))").format(
                plate=self.value("plate") or self.value("lookup"), n=n), "bold reverse red"))
        self.assessment = None
        self.app.refresh_bindings()
