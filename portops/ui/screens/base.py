"""What every area screen shares: declared commands, the frame, workers, live catch-up, help.

Subclass :class:`AreaScreen`, set ``TITLE``/``HELP`` (English, marked ``N_``), list your
``COMMANDS_DECLARED`` and write ``compose_body``. Read data with :meth:`fetch` (a thread
worker; the result comes back to your callback on the UI thread), change it with
:meth:`perform` (runs the operation as the signed-in user), ask "why not?" with
:meth:`why_not`. Override :meth:`apply_changes` to refresh the rows a change touched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from portops.i18n import N_, _
from portops.ui.commands import Command, bind_commands, footer_bindings
from portops.ui.errors import show_error
from portops.ui.key_pages import KeyPages, more_command
from portops.ui.live import Changes, changes_since
from portops.ui.messages import DataChanged
from portops.ui.widgets.frame import AreaBar, KeysFooter, StatusLine
from portops.ui.widgets.table import Cell, Column, KeyedTable

if TYPE_CHECKING:
    from portops.ops import Core, Operation, Unmet
    from portops.ui.app import PortopsApp


class Working:
    """Thread workers for screens and widgets, with the app's one error policy.

    Every database call runs here, never on the UI thread; errors are reported by the app
    (``PortopsApp.report_error``), never raised into the event loop. The only worker mixin:
    the cargo views (bay plan, tally, yard) use it too, so a refusal reads the same anywhere.
    """

    app: PortopsApp

    def fetch(self, fn: Callable[..., Any], *args: Any, then: Callable[[Any], None] | None = None,
              group: str | None = None, exclusive: bool = True, **kwargs: Any) -> Worker:
        """Run ``fn(engine, *args, **kwargs)`` in a thread; hand the result to ``then``.

        Workers are exclusive per ``group``, which defaults to the query's name: a newer
        read of the same query replaces a stale one, but a refresh never cancels a different
        read still waiting to start (the gate-out EIR was lost that way once).
        """
        app = self.app
        name = getattr(fn, "__name__", "fetch")
        return self.in_thread(lambda: fn(app.engine, *args, **kwargs),  # waits for the db
                              then, group=group or f"fetch-{name}", exclusive=exclusive,
                              name=name)

    def in_thread(self, job: Callable[[], Any], then: Callable[[Any], None] | None = None, *,
                  group: str = "load", exclusive: bool = True, name: str = "") -> Worker:
        """Run ``job()`` in a thread; hand its result to ``then`` on the UI thread."""
        app = self.app

        def run() -> Any:
            result = job()
            if then is not None:
                app.call_from_thread(then, result)
            return result

        return self.run_worker(run, thread=True, exit_on_error=False, group=group,
                               exclusive=exclusive, name=name or group)

    def perform(self, op: Operation, *, then: Callable[[Any], None] | None = None,
                refused: Callable[[Any], None] | None = None, **kwargs: Any) -> Worker:
        """Run operation ``op`` as the signed-in user; a refusal becomes the app's one
        notification (every rule, ``report_error``), after ``refused(refusal)`` if given (e.g.
        to put the cursor back where the clerk retypes)."""
        app = self.app
        core, user = self.acting()
        poll_now = getattr(app, "poll_now", None)

        def job() -> Any:
            try:
                result = core.run(user, op, **kwargs)
            except Exception as exc:
                from portops.ops import Refused  # loaded by now (the sign-in form is not)

                if refused is not None and isinstance(exc, Refused):
                    app.call_from_thread(refused, exc)
                raise
            if poll_now is not None:
                app.call_from_thread(poll_now)
            if then is not None:
                app.call_from_thread(then, result)
            return result

        return self.run_worker(job, thread=True, exit_on_error=False, group="perform",
                               exclusive=False, name=op.name)

    def why_not(self, op: Operation, *, then: Callable[[list[Unmet]], None],
                **kwargs: Any) -> Worker:
        """Ask the core which rules would refuse ``op`` now (changes nothing)."""
        app = self.app

        def job() -> list[Unmet]:
            unmet = app.core.check(app.user.name, op, **kwargs)
            app.call_from_thread(then, unmet)
            return unmet

        return self.run_worker(job, thread=True, exit_on_error=False, group=f"check-{op.name}",
                               exclusive=True, name=f"check {op.name}")

    def acting(self) -> tuple[Core, str]:
        """The core and user ``perform`` runs as: the console's signed-in user, or those a
        view was built with (the cargo views carry their own, to be shown outside the
        console's frame)."""
        core, user = getattr(self, "core", None), getattr(self, "user", None)
        if core is not None and isinstance(user, str):
            return core, user
        return self.app.core, self.app.user.name

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            show_error(self.app, event.worker.error)


class AreaScreen(KeyPages, Working, Screen):
    """A screen inside an area: area bar on top, body, status line, footer with its keys."""

    #: Title (English, ``N_``); the area bar shows the area's title, this names drill-downs.
    TITLE: ClassVar[str] = N_("portops")
    #: What this screen is for and how to use it, shown by F1 (English, ``N_``).
    HELP: ClassVar[str] = ""
    #: The screen's commands; they become its bindings, footer, palette entries and help.
    COMMANDS_DECLARED: ClassVar[tuple[Command, ...]] = ()

    def __init__(self) -> None:
        super().__init__()
        more = more_command(self.COMMANDS_DECLARED)
        if more is not None:  # the footer's page key (ui/key_pages), in F1 and the palette
            self.COMMANDS_DECLARED = (*self.COMMANDS_DECLARED, more)
        bind_commands(self, self.COMMANDS_DECLARED)
        #: The event-log mark this screen's data reflects.
        self.seen = 0

    @property
    def keys_now(self) -> dict:
        """The keys that work now, as the footer shows them: a command's field key (e.g.
        Ctrl+N for ``v``) only while a text field has the focus and takes its character."""
        return footer_bindings(super().active_bindings)

    @property
    def active_bindings(self):  # noqa: ANN201 - Textual's ActiveBinding map
        """:attr:`keys_now` less those on the footer's other pages (``KeyPages``)."""
        return self.page_of(self.keys_now)

    def compose(self) -> ComposeResult:
        yield AreaBar()
        yield from self.compose_body()
        # One bottom bar of two lines: two widgets docked to the same edge would overlap, and
        # the body would run one line under the status line (its last line never seen).
        with Vertical(id="bottom-bar"):
            yield StatusLine()
            yield KeysFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    # -- live refresh --------------------------------------------------------------------
    def mark_seen(self, mark: int) -> None:
        """Record that the data on screen reflects the event log up to ``mark``."""
        self.seen = max(self.seen, mark)

    def on_data_changed(self, message: DataChanged) -> None:
        changes = message.changes
        # events committed late (see portops.ui.live) arrive with a mark that did not move
        if changes.upto > self.seen or changes.events:
            self.seen = max(self.seen, changes.upto)
            self.apply_changes(changes)

    def on_screen_resume(self) -> None:
        self.app.refresh_bindings()
        if self.seen and self.app.high_water > self.seen:
            self.fetch(changes_since, self.seen, self.app.high_water, then=self._catch_up,
                       group="catch-up")

    def _catch_up(self, changes: Changes) -> None:
        self.on_data_changed(DataChanged(changes))

    def apply_changes(self, changes: Changes) -> None:
        """Refresh what ``changes`` touched (override; by key, not by reloading everything)."""

    # -- greyed keys ----------------------------------------------------------------------
    def on_key(self, event: events.Key) -> None:
        """A greyed key says why instead of doing nothing (issue 14: pressed again and again,
        or a form opened for a step the line under the table already refused). Keys reach the
        screen only when the focused widget did not take them."""
        for cmd in self.COMMANDS_DECLARED:
            if event.key in (cmd.key, cmd.field_key) and "." not in cmd.action:
                name, _paren, _args = cmd.action.partition("(")
                if self.check_action(name, ()) is None:
                    event.stop()
                    event.prevent_default()
                    self.why_greyed(cmd)
                    return

    def why_greyed(self, cmd: Command) -> None:
        """Say why ``cmd`` cannot be used now (override with the core's reasons)."""
        self.notify(_("{command}: not possible here now").format(command=_(cmd.title)),
                    severity="warning", timeout=4)

    # -- help --------------------------------------------------------------------------
    def help_text(self) -> str:
        return _(self.HELP) if self.HELP else ""


def _marked(engine: Any, load: Callable[[Any], list[Any]]) -> tuple[int, list[Any]]:
    """The event-log mark, then ``load(engine)``'s rows (read after it: nothing is missed)."""
    from portops.queries.events import high_water

    mark = high_water(engine)
    return mark, load(engine)


class KeyedListScreen(AreaScreen):
    """A list of records by key in one table, with a line under it (the parties, the users):
    read in a worker, refilled when a change touches ``WATCHED``, the cursor kept on the same
    key across a refill, and the highlighted record at hand for the screen's commands.

    Set ``TABLE_ID``, ``COLUMNS``, ``KEY``, ``WATCHED`` and ``NONE_HIGHLIGHTED``; write
    ``load``, ``cells`` and ``note``."""

    #: The table's id; the line under it is ``TABLE_ID-note``.
    TABLE_ID: ClassVar[str] = "list"
    COLUMNS: ClassVar[tuple[Column, ...]] = ()
    #: The record's field that is its key (the table's row key).
    KEY: ClassVar[str] = ""
    #: The subject kind whose events reload the list.
    WATCHED: ClassVar[str] = ""
    #: Said when a command needs a highlighted record and there is none (English, ``N_``).
    NONE_HIGHLIGHTED: ClassVar[str] = N_("Nothing highlighted")

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, Any] = {}

    @staticmethod
    def load(engine: Any) -> list[Any]:
        """The records, in the order shown (runs in a worker thread)."""
        raise NotImplementedError

    def key_of(self, row: Any) -> str:
        return getattr(row, self.KEY)

    def cells(self, row: Any) -> dict[str, Cell]:
        raise NotImplementedError

    def note(self, rows: list[Any]) -> str:
        """The line under the table."""
        return ""

    def compose_body(self) -> ComposeResult:
        yield KeyedTable(id=self.TABLE_ID)
        yield Static("", id=f"{self.TABLE_ID}-note")

    def on_mount(self) -> None:
        self.query_one(f"#{self.TABLE_ID}", KeyedTable).set_columns(self.COLUMNS, _)
        self.reload()

    def reload(self) -> None:
        self.fetch(_marked, self.load, then=self._loaded)

    def _loaded(self, result: tuple[int, list[Any]]) -> None:
        mark, rows = result
        self.mark_seen(mark)
        table = self.query_one(f"#{self.TABLE_ID}", KeyedTable)
        current = table.cursor_row_key()
        self.rows = {self.key_of(r): r for r in rows}
        table.fill((self.key_of(r), self.cells(r)) for r in rows)
        if current and table.has_row(current):
            table.move_cursor(row=table.get_row_index(current))
        self.query_one(f"#{self.TABLE_ID}-note", Static).update(self.note(rows))

    def apply_changes(self, changes: Changes) -> None:
        if changes.touches(self.WATCHED):
            self.reload()

    def highlighted(self) -> Any | None:
        """The highlighted record; None, having said so, when there is none."""
        key = self.query_one(f"#{self.TABLE_ID}", KeyedTable).cursor_row_key()
        row = self.rows.get(key) if key else None
        if row is None:
            self.notify(_(self.NONE_HIGHLIGHTED), severity="warning")
        return row

    def saved(self, done: str) -> Callable[[Any], None]:
        """After a form's operation: say ``done`` and reload (nothing if it was cancelled)."""
        def after(result: Any) -> None:
            if result is not None:
                self.notify(done)
                self.reload()
        return after
