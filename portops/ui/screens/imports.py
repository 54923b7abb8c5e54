"""Import a file from the console (an updated vessel schedule, a layout...) and show the result.

Reading and validating runs in a worker with a progress bar; the operation runs as the
signed-in user; the importer's result (for a schedule: visits added, changed, unchanged) is
shown when it is done. Uses the ``portops import`` registry (``portops.formats.registry``).
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, ProgressBar, Static

from portops.i18n import _
from portops.ops import Refused
from portops.ui.errors import rules_text

#: Added/changed lines shown at most (the audit log and ``portops import -v`` have them all).
MAX_DETAILS = 200


def summary(results: list[Any]) -> str:
    """What the importers returned, in words: their summary, then what was added or changed."""
    lines: list[str] = []
    for result in results:
        if hasattr(result, "summary"):
            lines.append(result.summary(_))
            if hasattr(result, "details"):
                lines += [f"  {line}" for line in result.details(_)[:MAX_DETAILS]]
        else:
            lines.append(_("done") if result is None else str(result))
    return "\n".join(lines)


class ImportScreen(ModalScreen[None]):
    BINDINGS = [("escape", "dismiss", "close")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="form"):
            yield Static(_("Import a file (schedule, layout, message)"), classes="form-title")
            yield Label(_("Path of the file"))
            yield Input(id="path")
            yield ProgressBar(id="progress", total=3, show_eta=False)
            with VerticalScroll(id="import-scroll"):
                yield Static(id="import-result")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        path = event.value.strip()
        if path:
            self.query_one("#import-result", Static).update(_("Reading {path}…").format(path=path))
            self.run_worker(lambda: self._run(path), thread=True, exit_on_error=False,
                            group="import", exclusive=True, name="import")

    def _step(self, n: int, text: str) -> None:
        self.query_one("#progress", ProgressBar).update(progress=n)
        self.query_one("#import-result", Static).update(text)

    def _run(self, path: str) -> None:
        app = self.app
        try:
            from portops.formats import registry
        except ImportError:
            app.call_from_thread(self._step, 0, _("Importing is not available in this build."))
            return
        try:
            prepared = registry.prepare([path])
        except Exception as exc:  # SourceErrors: FILE:LINE lines, shown as they are
            app.call_from_thread(self._step, 0, str(exc))
            return
        app.call_from_thread(self._step, 1, _("Importing {path}…").format(path=path))
        try:
            results = registry.apply(app.core, app.user.name, prepared)
        except Refused as refusal:
            app.call_from_thread(self._step, 0, rules_text(refusal.unmet))
            raise
        app.call_from_thread(self._step, 3, summary(results))
        app.call_from_thread(app.poll_now)

    def on_worker_state_changed(self, event) -> None:
        from textual.worker import WorkerState

        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.app.report_error(event.worker.error)
            self._step(0, "")
