"""Small forms for the gate (typed fields, dismissed with plain values) and the EIR view."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Markdown, Static
from textual.worker import Worker, WorkerState

from portops.i18n import N_, _
from portops.ops.core import Operation, Refused
from portops.textcheck import FIELDS, max_len
from portops.ui.errors import rules_text
from portops.ui.printing import save_for_printing
from portops.ui.screens.admin_forms import label_width
from portops.ui.screens.base import Working
from portops.ui.widgets.fields import FieldInput


class FieldError(ValueError):
    """A value a form cannot pass on (a time that is no time): the field and what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class FieldsForm(Working, ModalScreen[Any]):
    """A title and labelled inputs; Enter in any field submits, Esc cancels. ``required``
    fields must not be empty: Enter with one empty says which and puts the cursor in the
    first, so what the clerk types next lands there (not in the field just filled).

    With ``op`` the form runs the operation itself (``build`` turns the values into its
    arguments, raising :class:`FieldError` for one it cannot read) and closes with its result
    only when it is done: a refusal is listed under the title with the values kept, the cursor
    in the first field a rule names (``rule_fields``: rule id, or a prefix ending in ``.`` or
    ``_``, -> field; else the field a part of the rule id names: ``appointment.plate.shape``
    -> ``plate``). A refused booking once closed the form and the clerk typed all six fields
    again.

    ``max_lengths`` caps what each field takes (``textcheck``'s lengths), as the operation
    would refuse more."""

    BINDINGS = [Binding("escape", "cancel", "cancel")]
    # The form's own keys where the area's keys stand: under an open form the list's keys
    # (n book, s no-show...) were shown, and their letters typed into the form.
    DEFAULT_CSS = """
    FieldsForm #form-keys { dock: bottom; height: 2; width: 100%; background: $panel; }
    """

    def __init__(self, title: str, fields: list[tuple[str, str, str]],
                 required: tuple[str, ...] = (), *, op: Operation | None = None,
                 build: Callable[[dict], dict] | None = None,
                 rule_fields: dict[str, str] | None = None,
                 max_lengths: dict[str, int] | None = None) -> None:
        super().__init__()
        self.title_text, self.fields, self.required = title, fields, required
        self.op, self.build, self.rule_fields = op, build, rule_fields or {}
        self.max_lengths = max_lengths or {}
        #: What to type, as an empty field's placeholder (field name -> text).
        self.hints: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        # A field a line, its label beside it (the console's dense form rows, portops.tcss
        # op-form-*): ten fields and a refusal fit 24 lines (a label above a framed field
        # each scrolled the booking's driver and plate out of sight). Scrolls only for a
        # refusal of many rules; the error goes under the title, seen whichever field has
        # the cursor.
        with VerticalScroll(classes="form op-form"):
            yield Static(self.title_text, classes="form-title")
            yield Static("", id="form-error", classes="form-error")
            width = label_width([label for _n, label, _v in self.fields])
            for name, label, value in self.fields:
                with Horizontal(classes="op-form-row"):
                    yield Label(label, classes="op-form-label").set_styles(f"width: {width};")
                    yield FieldInput(value, id=f"f-{name}", max_length=self._cap(name),
                                     placeholder=self.hints.get(name, ""), compact=True)
        yield Static(" " + "  ".join(f"{key} {_(what)}" for key, what in (
            ("Enter", N_("done")), ("Tab", N_("next field")), ("Esc", N_("cancel")))),
            id="form-keys")

    def _cap(self, name: str) -> int:
        if name in self.max_lengths:
            return self.max_lengths[name]
        return max_len(name) if name in FIELDS else 0

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    def values(self) -> dict[str, str]:
        return {n: self.query_one(f"#f-{n}", Input).value.strip() for n, _l, _v in self.fields}

    def _problem(self, text: str, field: str) -> None:
        """Say what is wrong under the title and put the cursor where it is to be mended;
        the form scrolls to show the message and, below it as far as they fit, the field."""
        error = self.query_one("#form-error", Static)
        error.update(text)
        where = self.query_one(f"#f-{field}", Input)
        where.focus(scroll_visible=False)
        scroller = self.query_one(VerticalScroll)

        def show() -> None:  # once the message has its height
            scroller.scroll_to_widget(error, animate=False)
            scroller.scroll_to_widget(where, animate=False)

        self.call_after_refresh(show)
        # and again once the scroll bar the message may bring has re-wrapped it
        self.set_timer(0.15, show)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        values = self.values()
        missing = [(n, label) for n, label, _v in self.fields
                   if n in self.required and not values[n]]
        if missing:
            self._problem(_("fill in: {fields}").format(
                fields=", ".join(label for _n, label in missing)), missing[0][0])
            return
        if self.op is None:
            self.dismiss(values)
            return
        try:
            kwargs = self.build(dict(values)) if self.build else values
        except FieldError as exc:
            self._problem(str(exc), exc.field)
            return
        self.query_one("#form-error", Static).update(_("working…"))
        self.perform(self.op, then=self.dismiss, **kwargs)

    def field_of(self, rule: str) -> str | None:
        """The field a refused rule is about."""
        for prefix, name in self.rule_fields.items():
            if rule == prefix or (prefix[-1] in "._" and rule.startswith(prefix)):
                return name
        names = [n for n, _l, _v in self.fields]
        for part in rule.split("."):
            for name in names:
                if part == name or name.startswith(part + "_"):
                    return name
        return None

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        error = event.worker.error
        if event.state == WorkerState.ERROR and isinstance(error, Refused):
            # listed on the form, where the clerk mends it (not also in a notification on top)
            event.prevent_default()
            named = [f for f in (self.field_of(u.rule) for u in error.unmet) if f]
            self._problem(rules_text(error.unmet), named[0] if named else self.fields[0][0])
            return
        if event.state == WorkerState.ERROR:
            self.query_one("#form-error", Static).update("")
        super().on_worker_state_changed(event)

    def action_cancel(self) -> None:
        self.dismiss(None)


class EirScreen(ModalScreen[None]):
    """The out-gate EIR as issued: readable here, ``p`` writes it as a Markdown file to print."""

    BINDINGS = [Binding("escape,enter", "close", _("close")),
                Binding("p", "print", _("print"))]

    def __init__(self, number: str, markdown: str, folders: list[Path]) -> None:
        super().__init__()
        self.number, self.markdown, self.folders = number, markdown, folders

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="form", id="eir"):
            yield Markdown(self.markdown, id="eir-text")
            yield Static(_("p = print (save as a file) · Enter = close"), classes="form-title")

    def action_print(self) -> None:
        # the first folder that takes it (portops.ui.printing): a missing ~/Documents is made
        path, why = save_for_printing(self.folders, f"{self.number}.md", self.markdown)
        if why is not None:
            self.notify(_("The EIR could not be saved for printing: {path} cannot be written "
                          "({why}).").format(path=path, why=why), severity="error")
            return
        self.notify(_("EIR saved for printing: {path}").format(path=path))

    def action_close(self) -> None:
        self.dismiss(None)
