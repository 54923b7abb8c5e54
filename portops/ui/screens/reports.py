"""Read a tally report before it goes out, and issue it: the discharge tally report (理货报告,
F8) and the load tally report (F12, loading).

The form shows the report as the line's agent will read it (scroll with the arrow keys or
PageUp/PageDown) and asks for an optional reference (where it went: an e-mail, a message
number). Enter issues it (the caller runs the operation that records it), Esc closes without
issuing. The report itself is read by the caller, in a worker, through ``portops.queries``.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from portops.i18n import N_, _
from portops.ui.widgets.fields import FieldInput

#: Longest reference an issue records (the operations refuse longer ones).
REFERENCE_MAX = 64


class IssueReportForm(ModalScreen[str | None]):
    """The report's text, a reference field; Enter issues (dismisses with the reference)."""

    DEFAULT_CSS = """
    IssueReportForm .form { width: 78; max-width: 100%; }
    IssueReportForm #rp-scroll { height: auto; max-height: 14; border: solid $panel; }
    IssueReportForm #rp-hint { color: $text-muted; height: auto; }
    """
    BINDINGS = [
        Binding("escape", "cancel", N_("cancel"), id="report.cancel"),
        Binding("pageup", "scroll(-1)", show=False),
        Binding("pagedown", "scroll(1)", show=False),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text, self.text = title, text

    def compose(self) -> ComposeResult:
        with Vertical(classes="form"):
            yield Label(self.title_text, classes="form-title")
            with VerticalScroll(id="rp-scroll"):
                yield Static(self.text, id="rp-text", markup=False)
            yield FieldInput(placeholder=_("reference (optional): where it went"),
                             id="rp-reference", max_length=REFERENCE_MAX)
            yield Static(_("Enter issues the report · PageUp/PageDown scroll · Esc closes "
                           "without issuing"), id="rp-hint")

    def on_mount(self) -> None:
        self.query_one("#rp-reference", Input).focus()

    def action_scroll(self, pages: int) -> None:
        scroll = self.query_one("#rp-scroll", VerticalScroll)
        scroll.scroll_relative(y=pages * max(1, scroll.size.height - 1), animate=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
