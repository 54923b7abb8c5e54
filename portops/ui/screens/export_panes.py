"""The export area's panes: what they share (:class:`_Pane`), the gate check and the
receiving plan; the loading pane is ``export_loading.py``.

Each pane reads through ``portops.queries.export`` in a worker and changes data only through
the export operations (``export.receive``, ``export.accept_late``, ``load.*``), run as the
signed-in user; a refusal becomes the app's notification listing every rule id, sentence and
remedy. The screen (``export.py``) owns the keys and sends them to the pane shown.
"""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Input, Static

from portops.clock import local
from portops.db import read_session
from portops.i18n import N_, _
from portops.ops.receiving import receive
from portops.queries import export as q
from portops.textcheck import max_len
from portops.ui.screens.base import Working
from portops.ui.widgets.fields import FieldInput
from portops.ui.widgets.table import Cell, Column, KeyedTable

TIME = "%m-%d %H:%M"


def _read(fn):
    """``fn(session, ...)`` as a worker job ``job(engine, ...)`` on its own read session."""
    def job(engine, *args):
        with read_session(engine) as s:
            return fn(s, *args)
    job.__name__ = fn.__name__
    return job


class _Pane(Working, Vertical):
    DEFAULT_CSS = """
    _Pane { height: 1fr; }
    _Pane .ex-form { height: 3; }
    _Pane .ex-form Input { width: 1fr; }
    _Pane .ex-head { height: auto; text-style: bold; }
    _Pane .ex-line { height: auto; }
    """

    def when(self, at: datetime | None) -> str:
        shown = local(at, self.app.terminal.timezone)
        return shown.strftime(TIME) if shown else "—"

    def value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value.strip()

    def clear(self, *names: str) -> None:
        for name in names:
            self.query_one(f"#{name}", Input).value = ""

    def reload(self) -> None:
        """Read the pane's data again (after a change anywhere)."""


class ReceivingPane(_Pane):
    """The gate clerk's check of an export box (验箱): look up, read, admit or turn away."""

    CHECK = ("rc-container", "rc-size", "rc-seal", "rc-vgm", "rc-damage")

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.appt: q.AppointmentRow | None = None

    def compose(self) -> ComposeResult:
        yield FieldInput(placeholder=_("appointment ref or truck plate, Enter"), id="rc-lookup",
                         max_length=max_len("lookup"))
        yield Static("", id="rc-appt", classes="ex-line")
        with Horizontal(classes="ex-form"):
            yield FieldInput(placeholder=_("container no."), id="rc-container", max_length=15)
            yield FieldInput(placeholder=_("size/type"), id="rc-size", max_length=4)
            yield FieldInput(placeholder=_("seal"), id="rc-seal", max_length=max_len("seal"))
            yield FieldInput(placeholder=_("VGM kg"), id="rc-vgm", max_length=6)
            yield FieldInput(placeholder=_("damage"), id="rc-damage",
                             max_length=max_len("damage"))
        yield Static("", id="rc-result", classes="ex-line")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "rc-lookup":
            self.fetch(_read(q.appointment), self.value("rc-lookup"), self.app.clock.now(),
                       then=self._show)
            return
        inputs = [self.query_one(f"#{n}", Input) for n in self.CHECK]
        i = inputs.index(event.input)
        if i + 1 < len(inputs):
            inputs[i + 1].focus()

    def _show(self, appt: q.AppointmentRow | None) -> None:
        self.appt = appt
        box = self.query_one("#rc-appt", Static)
        if appt is None:
            box.update(_("No receiving appointment for {lookup!r}.").format(
                lookup=self.value("rc-lookup")))
            return
        # Not the booked seal nor VGM: the clerk reads them on the box (shown, they are copied)
        box.update(_("{ref} ({state}) booking {booking} → {visit}: {box} {st}, {vgm}; truck "
                     "{plate} {haulier}, slot {slot}; window {window}, closes "
                     "{closes}").format(
            ref=appt.ref, state=_(appt.state), booking=appt.booking_ref, visit=appt.visit,
            box=appt.container, st=appt.size_type,
            vgm=_("VGM declared") if appt.vgm_kg else _("no VGM declared: type it"),
            plate=appt.plate, haulier=appt.haulier,
            slot=self.when(appt.slot_start), window=_(appt.window),
            closes=self.when(appt.closes)))
        self.query_one("#rc-container", Input).focus()

    def admit(self) -> None:
        lookup = self.value("rc-lookup")
        vgm = self.value("rc-vgm")
        result = self.query_one("#rc-result", Static)
        if not vgm.isdigit() and vgm:
            result.update(_("VGM: {text!r} is not a whole number of kilograms").format(text=vgm))
            self.query_one("#rc-vgm", Input).focus()
            return
        self.perform(receive, lookup=lookup, container=self.value("rc-container"),
                     size_type=self.value("rc-size"), seal=self.value("rc-seal"),
                     vgm_kg=int(vgm) if vgm else None, damage=self.value("rc-damage"),
                     then=self._admitted)

    def _admitted(self, out: dict) -> None:
        text = _("Admitted {box}: to yard slot {slot}, EIR {eir}").format(
            box=self.value("rc-container").upper(), slot=out["yard_slot"], eir=out["eir"])
        self.query_one("#rc-result", Static).update(text)
        self.notify(text, title=_("Admitted"))
        self._reset()

    def turn_away(self) -> None:
        self.query_one("#rc-result", Static).update(_("Truck turned away; the appointment "
                                                      "stays booked."))
        self._reset()

    def _reset(self) -> None:
        self.clear("rc-lookup", *self.CHECK)
        self.query_one("#rc-appt", Static).update("")
        self.appt = None
        self.query_one("#rc-lookup", Input).focus()


#: Whole at 80 columns (issue 14: the visit was cut to "ZIMU-ZM…" and the DG cut-off off the
#: screen): the whole visit, times as day and hour like the schedule's, the vessel's name gives
#: way (and takes the room on a wide screen).
PLAN_COLUMNS = (Column("visit", N_("Visit"), 15, grow=False), Column("vessel", N_("Vessel"), 8),
                Column("etb", N_("ETB"), 8, grow=False), Column("opens", N_("Opens"), 8, grow=False),
                Column("cargo", N_("Cut-off"), 8, grow=False),
                Column("reefer", N_("Reefer"), 8, grow=False), Column("dg", N_("DG"), 8, grow=False))
#: A plan's times in their 8 cells (the month is in the arrival report's lines below).
DAY_TIME = "%d %H:%M"


class PlanPane(_Pane):
    """The dispatcher's receiving plan: each visit's window, and its arrival report."""

    def compose(self) -> ComposeResult:
        yield KeyedTable(id="pl-table")
        with VerticalScroll():
            yield Static("", id="pl-arrival", classes="ex-line")

    lines: dict[str, str] = {}

    def selected(self) -> tuple[str, str]:
        """The visit highlighted and its line (empty when none is)."""
        key = self.query_one(KeyedTable).cursor_row_key() or ""
        return key, self.lines.get(key, "")

    def on_mount(self) -> None:
        self.query_one(KeyedTable).set_columns(PLAN_COLUMNS, _)
        self.reload()

    def reload(self) -> None:
        self.fetch(_read(q.receiving_plan), then=self._rows, group="plan")

    def _rows(self, rows: list[q.WindowRow]) -> None:
        self.lines = {r.visit: r.line for r in rows}
        table = self.query_one(KeyedTable)
        tz = self.app.terminal.timezone

        def at(when: datetime | None) -> Cell:
            shown = local(when, tz)
            return Cell(shown.strftime(DAY_TIME) if shown else "—", when)

        table.sync((r.visit, {
            "visit": Cell(r.visit), "vessel": Cell(r.vessel), "etb": at(r.etb),
            "opens": at(r.opens), "cargo": at(r.cargo_cutoff), "reefer": at(r.reefer_cutoff),
            "dg": at(r.dg_cutoff)}, True) for r in rows)
        self._arrival()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._arrival()

    def _arrival(self) -> None:
        key = self.query_one(KeyedTable).cursor_row_key()
        if key:
            self.fetch(_arrival_report, key, then=self._show_arrival, group="arrival")

    def _show_arrival(self, result: tuple[str, list[q.ArrivalRow], tuple]) -> None:
        key, rows, (booked, appts) = result
        lines = [_("Bookings {visit}: {n} (b books one, n an appointment)").format(
            visit=key, n=len(booked))]
        lines += [_("  {ref} {line} {pod} {st} ×{quantity}: {booked} booked in, {received} "
                    "inside").format(ref=b.ref, line=b.line, pod=b.pod, st=b.size_type,
                                     quantity=b.quantity, booked=b.booked,
                                     received=b.received) for b in booked]
        if appts:
            lines.append(_("Receiving appointments (x cancels):"))
            lines += [f"  {self.when(a.slot_start)} {a.ref} {a.container} {a.booking_ref} "
                      f"{a.plate}" for a in appts]
        lines.append(_("Arrival report {visit}: {n} box(es) inside").format(visit=key,
                                                                           n=len(rows)))
        lines += [f"  {r.container} {r.size_type} {r.booking_ref} {r.pod} "
                  f"{r.vgm_kg or '—'} kg {r.eir} {self.when(r.reported_at)}" for r in rows]
        self.query_one("#pl-arrival", Static).update("\n".join(lines))

    def accept_late(self) -> None:
        """The late box form (``export_late``): a box past the cut-off, with or without an
        appointment, accepted with a reason."""
        from portops.ui.screens.export_late import late_form

        def done(out: dict | None) -> None:
            if out:
                self.notify(_("Late box accepted: {ref}").format(ref=out["ref"]))
                self.reload()

        self.app.push_screen(late_form(), done)

    def warn_if_closed(self, booking_id: int) -> None:
        """Say so when a booking was just made on a visit whose receiving has closed: its
        boxes come in only as late boxes (l), not on appointments (a notice, not a refusal)."""
        self.fetch(_closed_for, booking_id, self.app.clock.now(), then=self._say_closed,
                   group="closed")

    def _say_closed(self, found: tuple[str, datetime] | None) -> None:
        if found:
            visit, closes = found
            self.notify(_("Receiving for {visit} closed at {closes}: its boxes can come in "
                          "only as late boxes, accepted with a reason (l)").format(
                visit=visit, closes=self.when(closes)), severity="warning", timeout=12)


def _closed_for(engine, booking_id: int, now: datetime) -> tuple[str, datetime] | None:
    """The booking's visit and its cut-off, when its receiving window has closed by ``now``."""
    from portops.model import ExportBooking, VesselVisit
    from portops.ops.receiving import visit_window

    with read_session(engine) as s:
        b = s.get(ExportBooking, booking_id)
        visit = s.get(VesselVisit, b.visit_id) if b is not None else None
        w = visit_window(s, visit) if visit is not None else None
        if b is None or visit is None or w is None:
            return None
        reefer, dg = b.reefer_temp_c is not None, bool(b.imdg_class)
        if w.state_at(now, reefer=reefer, dangerous=dg) != "closed":
            return None
        return visit.key, w.closes_for(reefer=reefer, dangerous=dg)


def _arrival_report(engine, visit_key: str) -> tuple[str, list[q.ArrivalRow], tuple]:
    """The visit's arrival report, and its bookings and receiving appointments."""
    from sqlmodel import select

    from portops.model import VesselVisit

    with read_session(engine) as s:
        visit_id = s.exec(select(VesselVisit.id).where(VesselVisit.key == visit_key)).first()
        if not visit_id:
            return visit_key, [], ([], [])
        return visit_key, q.arrival_report(s, visit_id), q.bookings(s, visit_id)
