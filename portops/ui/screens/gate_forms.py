"""Small forms for the gate (typed fields, dismissed with plain values) and the EIR view."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Markdown, Static

from portops.i18n import _
from portops.ui.widgets.fields import FieldInput


class FieldsForm(ModalScreen[dict | None]):
    """A title and labelled inputs; Enter in any field submits, Esc cancels. ``required``
    fields must not be empty: Enter with one empty says which and puts the cursor in the
    first, so what the clerk types next lands there (not in the field just filled)."""

    BINDINGS = [Binding("escape", "cancel", "cancel")]

    def __init__(self, title: str, fields: list[tuple[str, str, str]],
                 required: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.title_text, self.fields, self.required = title, fields, required

    def compose(self) -> ComposeResult:
        # Scrolls: six fields do not fit 24 lines, and the focused one is scrolled into view.
        # The error goes under the title, where it is seen whichever field has the cursor.
        with VerticalScroll(classes="form"):
            yield Static(self.title_text, classes="form-title")
            yield Static("", id="form-error", classes="form-error")
            for name, label, value in self.fields:
                yield Label(label)
                yield FieldInput(value, id=f"f-{name}")

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        values = {n: self.query_one(f"#f-{n}", Input).value.strip() for n, _l, _v in self.fields}
        missing = [(n, label) for n, label, _v in self.fields
                   if n in self.required and not values[n]]
        if missing:
            self.query_one("#form-error", Static).update(
                _("fill in: {fields}").format(fields=", ".join(label for _n, label in missing)))
            self.query_one(f"#f-{missing[0][0]}", Input).focus()
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)


class EirScreen(ModalScreen[None]):
    """The out-gate EIR as issued: readable here, ``p`` writes it as a Markdown file to print."""

    BINDINGS = [Binding("escape,enter", "close", _("close")),
                Binding("p", "print", _("print"))]

    def __init__(self, number: str, markdown: str, folder: Path) -> None:
        super().__init__()
        self.number, self.markdown, self.folder = number, markdown, folder

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="form", id="eir"):
            yield Markdown(self.markdown, id="eir-text")
            yield Static(_("p = print (save as a file) · Enter = close"), classes="form-title")

    def action_print(self) -> None:
        path = self.folder / f"{self.number}.md"
        try:
            path.write_text(self.markdown, encoding="utf-8")
        except OSError as exc:
            self.notify(_("cannot write {path}: {why}").format(path=path, why=exc.strerror),
                        severity="error")
            return
        self.notify(_("EIR saved for printing: {path}").format(path=path))

    def action_close(self) -> None:
        self.dismiss(None)
