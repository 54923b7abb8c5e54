"""The gate's lists: trucks in the terminal (hand-over, gate-out with EIR), the trouble list,
and the day's appointments (book, cancel, accept late, no-show)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import select
from textual.app import ComposeResult
from textual.markup import escape
from textual.widgets import DataTable, Static

from portops.damage import localize_damage
from portops.db import read_session
from portops.i18n import N_, _
from portops.model import Terminal
from portops.ops.appointments import accept_late, book, cancel, no_show
from portops.ops.gate import gate_out, hand_over, turn_away
from portops.ops.gate_checks import settings
from portops.ops.gate_return import out_empty, return_to_yard
from portops.ops.receiving import truck_out
from portops.queries.gate import (
    TruckRow,
    eir,
    eir_markdown,
    gate_queue,
    trouble_list,
)
from portops.queries.pickup_plan import PickupPlan, pickup_plan
from portops.ui.commands import Command
from portops.ui.printing import print_folders
from portops.ui.screens.base import AreaScreen
from portops.ui.screens.forms import parse_local, time_error
from portops.ui.screens.gate_forms import EirScreen, FieldError, FieldsForm

#: Appointment and truck states as shown (translated at display).
STATES = (N_("booked"), N_("admitted"), N_("loaded"), N_("completed"), N_("no_show"),
          N_("returned"), N_("refused"))

#: Where a box without a yard slot is, as the appointments list says it.
WHERE = {"advised": N_("not discharged"), "vessel": N_("not discharged"),
         "truck": N_("on the truck"), "gone": N_("gone out")}

BACK = Command("gate.back", "escape", N_("back"), N_("Back to the gate."), "back", N_("gate"))


class _ListScreen(AreaScreen):
    COLUMNS: tuple[str, ...] = ()

    def compose_body(self) -> ComposeResult:
        yield DataTable(id="rows", cursor_type="row")
        yield Static("", id="detail")

    def on_mount(self) -> None:
        table = self.query_one("#rows", DataTable)
        for c in self.COLUMNS:
            table.add_column(_(c), key=c)
        self.reload()
        table.focus()

    def reload(self) -> None:
        raise NotImplementedError

    def selected(self) -> str | None:
        table = self.query_one("#rows", DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def fill(self, rows: list[tuple[str, list[str]]]) -> None:
        """Show ``rows``; the cursor stays on the row it was on (a reload after an action
        must not move the clerk to another truck)."""
        table = self.query_one("#rows", DataTable)
        was = self.selected()
        table.clear()
        for key, cells in rows:
            table.add_row(*cells, key=key)
        if was is not None and any(key == was for key, _cells in rows):
            table.move_cursor(row=table.get_row_index(was))
        self.app.refresh_bindings()

    def apply_changes(self, changes) -> None:
        self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()

    def _now(self) -> datetime:
        return self.app.core.clock.now()


def _trucks(engine, now, which):
    with read_session(engine) as s:
        return which(s, now)


HAND_OVER = Command("gate.hand_over", "h", N_("hand over"),
                    N_("The box is on the truck at its yard slot (blockers moved as planned)."),
                    "hand_over", N_("gate"))
GATE_OUT = Command("gate.out", "o", N_("gate out"),
                   N_("Check the box number and seal, re-check holds, issue the EIR."),
                   "gate_out", N_("gate"))
RETURN = Command("gate.return_to_yard", "r", N_("back to yard"),
                 N_("The gate-out was refused: the box goes back to a yard slot, with the "
                    "reason."), "return_to_yard", N_("gate"))
OUT_EMPTY = Command("gate.out_empty", "e", N_("out empty"),
                    N_("Let the truck out without a box (its box stays in the yard)."),
                    "out_empty", N_("gate"))


def parse_slot(text: str) -> dict | None:
    """``A1 3 2 1`` (block, bay, row, tier) as keyword values; empty text: no slot named;
    None when it cannot be read."""
    parts = text.replace("-", " ").split()
    if not parts:
        return {}
    if len(parts) != 4 or not all(p.isdigit() for p in parts[1:]):
        return None
    return {"block": parts[0], "bay": int(parts[1]), "row": int(parts[2]),
            "tier": int(parts[3])}


class GateQueueScreen(_ListScreen):
    TITLE = N_("Trucks in the terminal")
    HELP = N_("Every truck inside the terminal with its turn time so far. h records that the "
              "box was put on the truck in the yard; o lets a loaded truck out: type the "
              "number and seal read on the box, and the EIR is issued. When the gate-out is "
              "refused, r takes the box back to the yard (its old slot, the planner's or one "
              "you name) with the reason, and e lets the truck out empty.")
    COMMANDS_DECLARED = (HAND_OVER, GATE_OUT, RETURN, OUT_EMPTY, BACK)
    COLUMNS = (N_("plate"), N_("appointment"), N_("container"), N_("yard slot"), N_("state"),
               N_("minutes"))

    def reload(self) -> None:
        self.fetch(_trucks, self._now(), gate_queue, then=self.show)

    def show(self, rows: list[TruckRow]) -> None:
        self.rows = {str(r.id): r for r in rows}
        self.fill([(str(r.id), [r.plate, r.ref, r.container, r.yard_slot, _(r.state),
                                str(r.minutes)]) for r in rows])

    def action_hand_over(self) -> None:
        key = self.selected()
        if key:
            self.perform(hand_over, truck_visit_id=int(key), then=lambda r: self.notify(
                _("{box} on the truck; {n} relocation(s)").format(box=r["container"],
                                                                 n=r["relocations"])))

    def action_gate_out(self) -> None:
        key = self.selected()
        if not key:
            return
        row = self.rows[key]
        # The damage already recorded on the box (tallied at discharge...) is on the form, so
        # the clerk confirms it and types only what is new; the EIR carries both.
        title = _("Gate out: truck {plate}").format(plate=row.plate)
        if row.damage:
            title += "\n" + _("Damage recorded on {box}: {damage}").format(
                box=row.container, damage=escape(localize_damage(row.damage, _)))
        damage = (_("more damage found (empty: none)") if row.damage
                  else _("damage found at the gate (empty: intact)"))
        form = FieldsForm(title,
                          [("container", _("container number on the box"), ""),
                           ("seal", _("seal(s) on the box"), ""),
                           ("damage", damage, "")],
                          required=("container",), op=gate_out,
                          build=lambda v: dict(v, truck_visit_id=int(key)),
                          rule_fields={"gate.out.container": "container",
                                       "gate.out.seal": "seal"})
        self.app.push_screen(form, lambda r: r and self.issued(r))

    def action_return_to_yard(self) -> None:
        key = self.selected()
        if not key:
            return
        row = self.rows[key]
        form = FieldsForm(_("Box {box} back to the yard from truck {plate}").format(
            box=row.container, plate=row.plate),
            [("reason", _("why the gate-out was refused"), ""),
             ("slot", _("yard slot: block bay row tier (empty: its old slot, else planned)"),
              "")], required=("reason",))
        self.app.push_screen(form, lambda v: v and self._return(int(key), v))

    def _return(self, truck_visit_id: int, values: dict) -> None:
        slot = parse_slot(values["slot"])
        if slot is None:
            self.notify(_("slot {text!r}: type block, bay, row and tier, e.g. A1 3 2 1").format(
                text=values["slot"]), severity="error")
            return
        self.perform(return_to_yard, truck_visit_id=truck_visit_id, reason=values["reason"],
                     then=lambda r: self.notify(_("{box} back in the yard at {slot}").format(
                         box=r["container"], slot=r["yard_slot"])), **slot)

    def action_out_empty(self) -> None:
        key = self.selected()
        if not key:
            return
        row = self.rows[key]
        if row.delivering and row.state == "admitted":  # an export box is down: no reason
            self.perform(truck_out, truck_visit_id=int(key),
                         then=lambda _r: self._left({"plate": row.plate}))
            return
        if row.state == "returned":
            self.perform(out_empty, truck_visit_id=int(key), then=self._left)
            return
        form = FieldsForm(_("Truck {plate} leaves without its box").format(plate=row.plate),
                          [("reason", _("reason"), "")], required=("reason",), op=out_empty,
                          build=lambda v: dict(v, truck_visit_id=int(key)))
        self.app.push_screen(form, lambda r: r and self._left(r))

    def _left(self, result: dict) -> None:
        self.notify(_("truck {plate} out empty").format(plate=result["plate"]))

    def issued(self, result: dict) -> None:
        self.fetch(_eir_text, result["eir_id"], then=lambda t: self.app.push_screen(
            EirScreen(result["eir"], t, print_folders(self.app.settings))))


def _eir_text(engine, eir_id: int) -> str:
    with read_session(engine) as s:
        name = (s.exec(select(Terminal)).first() or Terminal(code="", name="", locode="")).name
        return eir_markdown(eir(s, eir_id=eir_id), name, _)


TURN_AWAY = Command("gate.turn_away", "x", N_("turn away"),
                    N_("Send the stopped truck away, with the reason."), "turn_away", N_("gate"))
RETRY = Command("gate.retry", "enter", N_("check again"),
                N_("Take the stopped truck again at the in-gate (after its problem is cleared)."),
                "retry", N_("gate"))


class TroubleScreen(_ListScreen):
    TITLE = N_("Trouble list")
    HELP = N_("Trucks stopped at the in-gate, oldest first, with every reason. Enter takes the "
              "truck again at the in-gate once its problem is cleared; x turns it away.")
    COMMANDS_DECLARED = (RETRY, TURN_AWAY, BACK)
    COLUMNS = (N_("plate"), N_("appointment"), N_("container"), N_("minutes"), N_("reasons"))

    def reload(self) -> None:
        self.fetch(_trucks, self._now(), trouble_list, then=self.show)

    def show(self, rows: list[TruckRow]) -> None:
        self.rows = {str(r.id): r for r in rows}
        self.fill([(str(r.id), [r.plate, r.ref, r.container, str(r.minutes),
                                "; ".join(r.reasons + ([r.note] if r.note else []))])
                   for r in rows])
        if not rows:
            self.query_one("#detail", Static).update("")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_retry()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """Under the list, the highlighted truck's reasons in full, one a line: in the
        table's last column a reason is cut at 80 columns ("is not the nominated")."""
        row = getattr(self, "rows", {}).get(str(event.row_key.value)) if event.row_key else None
        text = "" if row is None else "\n".join(
            [f"{row.plate} {row.ref} {row.container}".strip()]
            + [f"• {r}" for r in row.reasons + ([row.note] if row.note else [])])
        self.query_one("#detail", Static).update(text)

    def action_retry(self) -> None:
        key = self.selected()
        if key:
            row = self.rows[key]
            self.app.pop_screen()
            self.app.screen.reopen(row.ref or row.plate)

    def action_turn_away(self) -> None:
        key = self.selected()
        if key:
            form = FieldsForm(_("Turn away truck {plate}").format(plate=self.rows[key].plate),
                              [("reason", _("reason"), "")], required=("reason",), op=turn_away,
                              build=lambda v: dict(v, truck_visit_id=int(key)))
            self.app.push_screen(form)


NEW = Command("gate.book", "n", N_("book"), N_("Book an appointment for a box (for its holder)."),
              "book", N_("gate"))
NO_SHOW = Command("gate.no_show", "s", N_("no-show"),
                  N_("Record that the truck did not come in its window."), "no_show", N_("gate"))
LATE = Command("gate.late", "l", N_("late ok"),
               N_("Record a late arrival and let the truck through the window check."),
               "late", N_("gate"))
CANCEL = Command("gate.cancel", "c", N_("cancel"),
                 N_("Cancel the appointment (terminal close, with a reason)."), "cancel",
                 N_("gate"))
ARRIVED = Command("gate.arrived", "w", N_("truck here"),
                  N_("Record that the truck for the highlighted appointment has arrived at the "
                     "gate and waits: its wait until admitted, if it came in time, is the "
                     "terminal's delay."), "arrived", N_("gate"))


#: Which field of the booking form a refused rule is about (the others by their own names).
BOOKING_FIELDS = {"container.": "container", "appointment.box_booked": "container",
                  "appointment.not_discharged": "slot", "appointment.not_in_yard": "container",
                  "appointment.slot_": "slot", "appointment.no_right": "haulier",
                  "appointment.haulier_not_holder": "haulier", "appointment.not_holder": "haulier",
                  "appointment.driver": "driver_name", "permission.": "container",
                  "hold.": "container"}


def _plan(engine, now: datetime) -> PickupPlan:
    """Today's (terminal-local) appointments."""
    with read_session(engine) as s:
        day = now.astimezone(ZoneInfo(settings(s).timezone)).date()
        return pickup_plan(s, day, housekeeping_moves=0)


class AppointmentsScreen(_ListScreen):
    TITLE = N_("Appointments")
    HELP = N_("Today's appointments by slot. n books one for the holder of the right to "
              "collect (recorded as booked by the terminal on its behalf); s records a no-show, "
              "l accepts a late truck, c cancels; w records that its truck has arrived and "
              "waits (the terminal's delay is counted from then).")
    COMMANDS_DECLARED = (NEW, NO_SHOW, LATE, CANCEL, ARRIVED, BACK)
    COLUMNS = (N_("slot"), N_("appointment"), N_("container"), N_("haulier"), N_("plate"),
               N_("yard slot"), N_("state"))

    tz = "UTC"

    def reload(self) -> None:
        self.fetch(_plan, self._now(), then=self.show)

    def _tz(self) -> str:
        return self.tz

    def show(self, plan: PickupPlan) -> None:
        self.tz = plan.timezone
        self.fill([(r.ref, [f"{s.start:%H:%M}", r.ref, r.container, r.haulier, r.plate,
                            r.yard_slot or _(WHERE.get(r.where, "—")), _(r.state)])
                   for s in plan.slots for r in s.rows])

    def action_book(self) -> None:
        now = self._now().astimezone(ZoneInfo(self._tz()))
        form = FieldsForm(_("Book an appointment (times in {tz})").format(tz=self._tz()), [
            ("container", _("container"), ""),
            ("slot", _("slot (YYYY-MM-DD HH:MM)"), f"{now:%Y-%m-%d %H}:00"),
            ("haulier", _("haulier (holds the right to collect)"), ""),
            ("plate", _("truck plate"), ""), ("driver_name", _("driver's name"), ""),
            ("driver_id", _("driver's licence or ID number"), "")],
            required=("container", "slot", "haulier"), op=book, build=self._booking,
            rule_fields=BOOKING_FIELDS)
        self.app.push_screen(form, self._booked)

    def _booking(self, v: dict) -> dict:
        """The form's values as ``appointment.book`` takes them (the slot typed locally)."""
        try:
            v["slot_start"] = parse_local(v.pop("slot"), self._tz(), self.app.clock.now())
        except ValueError as exc:
            raise FieldError("slot", time_error(_("slot"), exc)) from None
        return v

    def _booked(self, result: dict | None) -> None:
        if result:
            self.notify(_("booked {ref}").format(ref=result["ref"]))
            self.reload()

    def action_no_show(self) -> None:
        ref = self.selected()
        if ref:
            self.perform(no_show, ref=ref, then=lambda _r: self.reload())

    def action_arrived(self) -> None:
        from portops.ops.gate_arrival import arrive

        ref = self.selected()
        if ref:
            self.perform(arrive, lookup=ref, then=lambda _r: (
                self.notify(_("{ref}: arrival recorded").format(ref=ref)), self.reload()))

    def action_late(self) -> None:
        ref = self.selected()
        if ref:
            form = FieldsForm(_("Late truck for {ref}").format(ref=ref),
                              [("reason", _("reason"), "")], required=("reason",),
                              op=accept_late, build=lambda v: dict(v, ref=ref))
            self.app.push_screen(form, lambda _r: self.reload())

    def action_cancel(self) -> None:
        ref = self.selected()
        if ref:
            form = FieldsForm(_("Cancel {ref}").format(ref=ref), [("reason", _("reason"), "")],
                              required=("reason",), op=cancel, build=lambda v: dict(v, ref=ref))
            self.app.push_screen(form, lambda _r: self.reload())
