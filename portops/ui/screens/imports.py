"""Import a file from the console: everything ``portops import`` reads, and what it did.

The same registry as the CLI (``portops.formats.registry``): the file is read and validated
first (``prepare``: every problem is listed as ``FILE:LINE: ...`` and nothing is written),
then its operation runs as the signed-in user (``apply``: a refusal lists every rule and
writes nothing), and the importer's result is shown (a schedule: visits added, changed,
unchanged; a bay plan: boxes to discharge and remaining on board).

A bay plan (BAPLIE), discharge or load list (COPRAR) or manifest (CSV) is for one visit. The
form's visit field is filled from where it was opened (the visit under the schedule's cursor,
the visit shown in the vessel area), like ``portops import --visit KEY``; cleared, the visit
is found from the message's voyage and vessel. Files of other kinds ignore it. A message whose
vessel or voyage differs from the visit's is refused, naming what differs; Enter again on the
same file and visit imports it onto that visit all the same (``--force``). Once a file is
imported, Enter again on the same file and visit closes the form: it never imports the same
file twice by a second keystroke, and Enter while an import is running does nothing.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from portops.i18n import _
from portops.ops import Refused
from portops.ui.errors import rules_text
from portops.ui.widgets.fields import FieldInput

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


def takes_visit(item) -> bool:
    """Whether a prepared file's operation is for one visit (it takes ``visit_key``)."""
    return "visit_key" in inspect.signature(item.step.op.body).parameters


def for_visit(prepared: list, visit_key: str, force: bool = False) -> list:
    """Give ``visit_key`` to every file whose operation takes one (``--visit KEY``), and
    ``force`` to those that can be told to take a message whose vessel or voyage differs."""
    if visit_key:
        for item in prepared:
            if takes_visit(item):
                item.kwargs["visit_key"] = visit_key
                if "force" in inspect.signature(item.step.op.body).parameters:
                    item.kwargs["force"] = force
    return prepared


def import_files(folder: str) -> list[str]:
    """Names of the regular files directly in ``folder`` (none if it is unset or unreadable),
    links leading out of it left out."""
    if not folder:
        return []
    root = Path(folder).expanduser()
    try:
        real = root.resolve()
        return sorted(p.name for p in root.iterdir()
                      if p.is_file() and p.resolve().parent == real)
    except OSError:
        return []


def tolerated(prepared: list) -> list[str]:
    """What a message import let pass (a box skipped or flagged, a warning), one line each."""
    return [f"  {item.path}: {p.localized(_)} [{getattr(p, 'kind', '')}]"
            for item in prepared
            for p in getattr(item, "problems", ())]


def heading() -> str:
    """The dialog's heading: every kind the registry takes, asked of the registry (a list
    written here named six kinds while it took parties, inventory, export bookings, EDIFACT
    reports... and would fall behind each new importer)."""
    from portops.formats.registry import importers

    return _("Import a file, one of: {kinds}").format(
        kinds=", ".join(sorted(i.name for i in importers())))


class ImportScreen(ModalScreen[None]):
    BINDINGS = [("escape", "dismiss", "close")]

    def __init__(self, visit_key: str | None = None) -> None:
        super().__init__()
        self.visit_key = visit_key or ""
        #: (path, visit) refused only because the message's vessel or voyage differs: the
        #: same Enter again imports it onto that visit all the same.
        self.mismatch: tuple[str, str] | None = None
        #: (path, visit) imported: the same Enter again closes the form.
        self.done: tuple[str, str] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="form"):
            yield Static(heading(), classes="form-title")
            if self.app.settings.served:  # a browser: the site's import folder, nothing else
                yield Label(_("File in the import folder"))
                yield OptionList(*[Option(name, id=name) for name in self.files], id="files")
                if not self.files:
                    yield Static(self._no_files(), classes="form-error")
            else:
                yield Label(_("Path of the file"))
                yield FieldInput(id="path")
            yield Label(_("Visit, for a bay plan, list or manifest (blank: from the file)"))
            yield FieldInput(self.visit_key, id="visit", max_length=32)
            yield ProgressBar(id="progress", total=3, show_eta=False)
            with VerticalScroll(id="import-scroll"):
                yield Static(id="import-result")

    @property
    def files(self) -> list[str]:
        """The files a browser may import: those directly in the site's import folder."""
        return import_files(self.app.settings.import_dir)

    def _no_files(self) -> str:
        if not self.app.settings.import_dir:
            return _("No import folder is set for the browser: the administrator sets "
                     "PORTOPS_IMPORT_DIR for portops serve.")
        return _("The import folder has no files.")

    def on_mount(self) -> None:
        self.query_one("#files" if self.app.settings.served else "#path").focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._start(str(Path(self.app.settings.import_dir) / event.option.id))

    def _importing(self) -> bool:
        return any(w.group == "import" and not w.is_finished for w in self.workers)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.app.settings.served:  # Enter in the visit field: the highlighted file
            files = self.query_one("#files", OptionList)
            if files.highlighted is not None:
                name = files.get_option_at_index(files.highlighted).id
                self._start(str(Path(self.app.settings.import_dir) / name))
            return
        self._start(self.query_one("#path", Input).value.strip())

    def _start(self, path: str) -> None:
        visit = self.query_one("#visit", Input).value.strip().upper()
        if self._importing():  # a second Enter while it reads or writes: one import at a time
            return
        if path and self.done == (str(Path(path).expanduser()), visit):
            self.dismiss()
            return
        if not path:
            self._step(0, _("Type the path of the file to import."))
            self.query_one("#path", Input).focus()
            return
        path = str(Path(path).expanduser())
        force, self.mismatch, self.done = self.mismatch == (path, visit), None, None
        self.query_one("#import-result", Static).update(_("Reading {path}…").format(path=path))
        self.run_worker(lambda: self._run(path, visit, force), thread=True,
                        exit_on_error=False, group="import", exclusive=True, name="import")

    def _step(self, n: int, text: str) -> None:
        self.query_one("#progress", ProgressBar).update(progress=n)
        self.query_one("#import-result", Static).update(text)

    def _run(self, path: str, visit: str, force: bool = False) -> None:
        app = self.app
        try:
            from portops.formats import registry
        except ImportError:
            app.call_from_thread(self._step, 0, _("Importing is not available in this build."))
            return
        try:
            prepared = for_visit(registry.prepare([path]), visit, force)
        except Exception as exc:  # SourceErrors: FILE:LINE lines, in the console's language
            localized = getattr(exc, "localized", None)
            app.call_from_thread(self._step, 0, localized(_) if localized else str(exc))
            return
        for_one = [p for p in prepared if takes_visit(p)]
        what = _(", ").join(_(p.importer.summary) for p in prepared)
        app.call_from_thread(self._step, 1, (_("Importing {what} for {visit}…").format(
            what=what, visit=visit) if visit and for_one else _("Importing {what}…").format(
            what=what)))
        try:
            results = registry.apply(app.core, app.user.name, prepared)
        except Refused as refusal:
            app.call_from_thread(self._refused, refusal, bool(for_one), (path, visit))
            raise
        app.call_from_thread(self._imported, (path, visit),
                             "\n".join([summary(results), *tolerated(prepared)]))
        app.call_from_thread(app.poll_now)

    def _imported(self, asked: tuple[str, str], text: str) -> None:
        self.done = asked
        self._step(3, text + "\n" + _("Enter closes; to import another file, type its path."))

    def _refused(self, refusal: Refused, for_one: bool, asked: tuple[str, str]) -> None:
        text = rules_text(refusal.unmet)
        if {u.rule for u in refusal.unmet} == {"edi.visit.mismatch"}:
            self.mismatch = asked
            text += "\n" + _("Enter again imports it onto {visit} all the same; or change the "
                             "visit.").format(visit=asked[1])
        self._step(0, text)
        # The visit is the one thing here a clerk can change and try again.
        if for_one and any(u.rule.startswith("edi.visit") for u in refusal.unmet):
            visit = self.query_one("#visit", Input)
            visit.focus()
            visit.select_all()

    def on_worker_state_changed(self, event) -> None:
        from textual.worker import WorkerState

        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.app.report_error(event.worker.error)
            if not isinstance(event.worker.error, Refused):
                self._step(0, "")
