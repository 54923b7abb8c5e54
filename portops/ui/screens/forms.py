"""Small typed modal forms the schedule uses: the visit's times, and a berth to assign.

A form checks what was typed (a clear line under the field; nothing is sent until it reads)
and dismisses with plain values; the screen that opened it runs the operation.
"""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from portops.clock import TYPED_FORMS, SystemClock, TimeTextError, local, parse_typed
from portops.i18n import _
from portops.queries.schedule import BerthRow, VisitRow
from portops.ui.widgets.fields import FieldInput

FORMAT = "%Y-%m-%d %H:%M"


def parse_local(text: str, tz: str, now: datetime | None = None) -> datetime | None:
    """A typed time in the terminal's zone as aware UTC (empty: None), by the one reader.

    ``14:30``, ``07 14:30`` and ``2026-12-07 14:30`` are read relative to ``now`` (the
    app's clock; the wall clock if not given); bad text raises
    :class:`~portops.clock.TimeTextError` (a ``ValueError``) whose ``message`` says what to type.
    """
    if not text.strip():
        return None
    return parse_typed(text, tz, now if now is not None else SystemClock().now())


def time_error(field: str, exc: ValueError) -> str:
    """The one sentence a form shows under a time it could not read."""
    if isinstance(exc, TimeTextError):
        return f"{field}: " + exc.message.text(_)
    return _("{field}: not a time; type {forms}").format(field=field, forms=TYPED_FORMS)


class TimesForm(ModalScreen[dict | None]):
    BINDINGS = [("escape", "cancel", "cancel")]
    FIELDS = ("eta", "etb", "etd")

    def __init__(self, row: VisitRow, tz: str, now: datetime | None = None) -> None:
        super().__init__()
        self.row, self.tz, self.now = row, tz, now

    def compose(self) -> ComposeResult:
        with Vertical(classes="form"):
            yield Static(_("{vessel} — times ({tz} time: {forms})").format(
                vessel=self.row.vessel, tz=self.tz, forms=TYPED_FORMS), classes="form-title")
            for name in self.FIELDS:
                value = local(getattr(self.row, name), self.tz)
                yield Label(name.upper())
                yield FieldInput(value.strftime(FORMAT) if value else "", id=name)
            yield Static(id="form-error", classes="form-error")
            with Horizontal(classes="form-buttons"):
                yield Button(_("Save"), id="save", variant="primary")
                yield Button(_("Cancel"), id="cancel")

    def on_input_submitted(self) -> None:
        self._save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self._save()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _save(self) -> None:
        changed: dict[str, datetime] = {}
        for name in self.FIELDS:
            text = self.query_one(f"#{name}", Input).value
            try:
                value = parse_local(text, self.tz, self.now)
            except ValueError as exc:
                self.query_one("#form-error", Static).update(time_error(name.upper(), exc))
                self.query_one(f"#{name}", Input).focus()
                return
            if value is not None and value != getattr(self.row, name):
                changed[name] = value
        self.dismiss(changed or None)


class BerthForm(ModalScreen[int | None]):
    BINDINGS = [("escape", "cancel", "cancel")]

    def __init__(self, row: VisitRow, berths: list[BerthRow]) -> None:
        super().__init__()
        self.row, self.berths = row, berths

    def compose(self) -> ComposeResult:
        with Vertical(classes="form"):
            yield Static(_("{vessel} (LOA {loa:g} m, draft {draft:g} m) — choose a berth").format(
                vessel=self.row.vessel, loa=self.row.loa_m, draft=self.row.draft_m),
                classes="form-title")
            yield OptionList(*(Option(_("{name}: {length:g} m long, {depth:g} m deep").format(
                name=b.name, length=b.length_m, depth=b.depth_m), id=str(b.id))
                for b in self.berths), id="berths")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
