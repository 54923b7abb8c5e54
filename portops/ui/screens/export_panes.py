"""The three panes of the export area: the gate check, the receiving plan, and loading.

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
from portops.formats.checklists import ValueDef
from portops.i18n import N_, _
from portops.ops.loading import complete, confirm, make_plan, report_sent, roll
from portops.ops.receiving import accept_late, receive
from portops.queries import export as q
from portops.textcheck import max_len
from portops.ui.screens.base import Working
from portops.ui.screens.checklists import ValuesForm
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


PLAN_COLUMNS = (Column("visit", N_("Visit"), 8), Column("vessel", N_("Vessel"), 12),
                Column("etb", N_("ETB"), 11), Column("opens", N_("Opens"), 11),
                Column("cargo", N_("Cargo cut-off"), 11), Column("reefer", N_("Reefer"), 11),
                Column("dg", N_("DG"), 11))


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
        table.sync((r.visit, {
            "visit": Cell(r.visit), "vessel": Cell(r.vessel),
            "etb": Cell(self.when(r.etb), r.etb), "opens": Cell(self.when(r.opens), r.opens),
            "cargo": Cell(self.when(r.cargo_cutoff), r.cargo_cutoff),
            "reefer": Cell(self.when(r.reefer_cutoff), r.reefer_cutoff),
            "dg": Cell(self.when(r.dg_cutoff), r.dg_cutoff)}, True) for r in rows)
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
        def done(values: dict[str, str] | None) -> None:
            if values:
                self.perform(accept_late, ref=values["ref"], reason=values["reason"],
                             then=lambda _r: self.notify(_("Late box accepted: {ref}").format(
                                 ref=values["ref"].upper())))

        self.app.push_screen(ValuesForm(_("Accept a late box"), [
            ValueDef("ref", "text", label={"en": _("appointment ref or plate")}),
            ValueDef("reason", "text", label={"en": _("reason (required)")})]), done)


def _arrival_report(engine, visit_key: str) -> tuple[str, list[q.ArrivalRow], tuple]:
    """The visit's arrival report, and its bookings and receiving appointments."""
    from sqlmodel import select

    from portops.model import VesselVisit

    with read_session(engine) as s:
        visit_id = s.exec(select(VesselVisit.id).where(VesselVisit.key == visit_key)).first()
        if not visit_id:
            return visit_key, [], ([], [])
        return visit_key, q.arrival_report(s, visit_id), q.bookings(s, visit_id)


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
                                    show, tz)
    return visit_id, key, text
