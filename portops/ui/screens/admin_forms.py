"""A form that runs one operation and stays open until it is done (parties, users, the
port-entry clearance).

Enter moves to the next field, and on the last one sends the operation; a refusal is shown in
the form itself, every rule with its id, sentence and remedy, with what was typed still there
to correct. Esc closes it without a change. One field a line (compact inputs, no blank lines
between them: ``op-form-*`` in portops.tcss) and hints of a line or two, so a form of six
fields with their hints fits an 80x24 terminal without scrolling.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from portops.i18n import LIST_SEPARATOR, _
from portops.ui.errors import rules_text
from portops.ui.screens.base import Working
from portops.ui.widgets.fields import FieldInput, focus_next_field


@dataclass(frozen=True)
class FormField:
    name: str
    label: str  # already translated
    value: str = ""
    password: bool = False
    max_length: int = 0
    hint: str = ""  # a line under the field: what may be typed (already translated)


#: The label column of a dense form: never narrower (the fields line up across forms), and
#: no wider than leaves the input room at 80 columns.
LABEL_CELLS = (22, 38)


def label_width(labels: list[str]) -> int:
    """The label column for ``labels``: the longest whole (a label cut to "slot (YYYY-MM-DD"
    lost what to type), within :data:`LABEL_CELLS`."""
    low, high = LABEL_CELLS
    return max(low, min(high, max((cell_len(label) + 1 for label in labels), default=0)))


class Invalid(ValueError):
    """What ``build`` raises for a field typed wrong: ``field`` gets the cursor."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class OperationForm(Working, ModalScreen[Any]):
    """Typed fields, then ``op(**build(values))`` as the signed-in user; dismisses with its
    result. ``build`` turns the typed text into the operation's arguments or raises
    :class:`Invalid`; ``note``, a line after the fields."""

    #: The fields' ids are this and the field's name (``#f-name``).
    ID_PREFIX = "f-"
    #: The form's CSS classes.
    FORM_CLASSES = "form op-form"
    #: A refusal is also the app's notification (besides the form's own line).
    NOTIFY_REFUSAL = False

    BINDINGS = [Binding("enter", "next_field", show=False, priority=True),
                Binding("tab", "move(1)", show=False, priority=True),
                Binding("shift+tab", "move(-1)", show=False, priority=True),
                Binding("escape", "cancel", "cancel")]

    def __init__(self, title: str, fields: list[FormField], op: Any,
                 build: Callable[[dict[str, str]], dict[str, Any]], note: str = "") -> None:
        super().__init__()
        self.title_text, self.fields, self.op, self.build = title, fields, op, build
        self.note = note
        self.sending = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes=self.FORM_CLASSES):
            yield Static(self.title_text, classes="form-title")
            width = label_width([f.label for f in self.fields])
            for f in self.fields:
                with Horizontal(classes="op-form-row"):
                    yield Label(f.label, classes="op-form-label").set_styles(f"width: {width};")
                    yield FieldInput(f.value, id=f"{self.ID_PREFIX}{f.name}",
                                     password=f.password, max_length=f.max_length,
                                     compact=True)
                if f.hint:
                    yield Static(f.hint, classes="op-form-hint")
            if self.note:
                yield Static(self.note, classes="op-form-hint")
            yield Static(_("Enter: next field, and on the last one save · Esc: cancel"),
                         classes="op-form-hint op-form-keys")
            yield Static("", id="form-error", classes="form-error")

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    @property
    def inputs(self) -> list[Input]:
        return [self.query_one(f"#{self.ID_PREFIX}{f.name}", Input) for f in self.fields]

    def values(self) -> dict[str, str]:
        return {f.name: i.value for f, i in zip(self.fields, self.inputs, strict=True)}

    def action_next_field(self) -> None:
        # On the last field the Enter goes on to the field itself, behind the characters
        # typed before it (a priority binding runs as the key arrives, before the field has
        # taken those characters): its Submitted message then sends the form, whole.
        if not focus_next_field(self, self.inputs):
            raise SkipAction()

    def action_move(self, step: int) -> None:
        """Tab and Shift+Tab move the cursor as they arrive, like Enter (the keys typed behind
        them land in the field they were typed for)."""
        fields = self.inputs
        at = fields.index(self.focused) if self.focused in fields else 0
        self.set_focus(fields[(at + step) % len(fields)])

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def show_error(self, text: str, field: str | None = None) -> None:
        self.query_one("#form-error", Static).update(text)
        if field is not None:
            self.set_focus(self.query_one(f"#{self.ID_PREFIX}{field}", Input))

    def submit(self) -> None:
        if self.sending:
            return
        try:
            kwargs = self.build(self.values())
        except Invalid as exc:
            self.show_error(str(exc), exc.field)
            return
        self.sending = True
        self.show_error(_("saving…"))
        app = self.app

        def job() -> None:
            from portops.ops import Refused

            try:
                result = app.core.run(app.user.name, self.op, **kwargs)
            except Refused as exc:
                app.call_from_thread(self._refused, exc)
                return
            except Exception as exc:  # noqa: BLE001 - the console's one error policy
                app.call_from_thread(self._failed, exc)
                return
            app.call_from_thread(app.poll_now)
            app.call_from_thread(self.dismiss, result if result is not None else True)

        self.run_worker(job, thread=True, exit_on_error=False, group="perform",
                        name=self.op.name)

    def _refused(self, exc: Exception) -> None:
        # Shown in the form, where the fields to correct are (a notification would lie over
        # the form's last lines at 80x24 and say the same).
        self.sending = False
        self.show_error(rules_text(exc.unmet))
        if self.NOTIFY_REFUSAL:
            self.app.report_error(exc)

    def _failed(self, exc: Exception) -> None:
        self.sending = False
        self.show_error("")
        self.app.report_error(exc)


def pick(typed: str, choices: dict[str, str], field: str, what: str) -> str:
    """The value whose English or translated word (or a unique beginning of one) was typed;
    ``choices`` maps value -> English word."""
    t = typed.strip().lower().replace("-", " ").replace("_", " ")
    words = {}
    for value, word in choices.items():
        for w in {value.replace("_", " "), word, _(word)}:
            words[w.lower()] = value
    if t in words:
        return words[t]
    starts = {v for w, v in words.items() if t and w.startswith(t)}
    if len(starts) == 1:
        return starts.pop()
    raise Invalid(field, _("{what}: type one of: {choices}").format(
        what=what, choices=_(LIST_SEPARATOR).join(_(w) for w in choices.values())))
