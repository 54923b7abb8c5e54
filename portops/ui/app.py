"""The console application: thin on purpose.

It holds what every screen needs (engine, core, clock, settings, the signed-in user, the
terminal's time zone, the event-log mark) and does four things itself: sign-in and sign-out
(one console mode per permitted area), the one error policy, live refresh polling and idle
sign-out. Everything else lives in screens (``portops.ui.screens``).

Start-up (issue 3): ``make_console`` (the CLI) draws the sign-in form first and opens the
database in a thread while the clerk types (``portops.ui.opening``): SQLAlchemy, the model and
the first area's screen are imported then, not before the form
(``tests/ui/test_console_open.py``). ``make_app`` (tests, the demo) opens it before the app
starts.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import gc
import threading
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from portops.clock import Clock, SystemClock
from portops.i18n import LANGUAGES, _, language, set_language
from portops.queries.accounts import Account
from portops.ui.areas import Area, areas_for
from portops.ui.commands import APP_COMMANDS
from portops.ui.errors import show_error
from portops.ui.live import Changes, Watcher
from portops.ui.messages import DataChanged
from portops.ui.opening import NO_TERMINAL, Opened, freeze, prepare, warm_styles
from portops.ui.screens.base import Working
from portops.ui.screens.signin import SignInScreen
from portops.ui.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from portops.ops import Core

#: Shown to a role with no area yet (its screens are still to come).
HOME = Area("home", "f12", "portops", frozenset(), "portops.ui.screens.home:HomeScreen")

class PortopsApp(Working, App):
    CSS_PATH = "portops.tcss"
    TITLE = "portops"
    MODES = {"signin": SignInScreen}
    DEFAULT_MODE = "signin"
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, opened: Opened | Callable[[], Opened], *, clock: Clock,
                 settings: Settings) -> None:
        self.language = set_language(settings.language)
        super().__init__()
        self.clock = clock
        self.settings = settings
        self._opened: Opened | None = None
        self._db_ready = threading.Event()
        #: Why the database could not be opened (the CLI prints it after the console closed).
        self.open_error: BaseException | None = None
        self._open: Callable[[], Opened] | None = None
        self._core: Core | None = None
        self.terminal = NO_TERMINAL
        self.database_label = ""
        #: The newest event id this console has seen (the live-refresh mark).
        self.high_water = 0
        self.user: Account | None = None
        self.areas: list[Area] = []
        #: What each user chose on a screen, kept on this console across sign-outs (the
        #: dispatcher and the line handler take turns at one console during a berthing).
        self.remembered: dict[tuple[str, str], object] = {}
        self.last_activity = clock.now()
        self.watcher: Watcher | None = None
        if isinstance(opened, Opened):
            self._use(opened)
        else:
            self._open = opened
        self._install_bindings()

    # -- the database ----------------------------------------------------------------------
    @property
    def engine(self) -> Engine:
        """The database (in a worker, waits until it has been opened)."""
        return self._wait().engine

    @property
    def core(self) -> Core:
        if self._core is None:
            from portops.ops import Core

            self._core = Core(self.engine, self.clock)
        return self._core

    def _wait(self) -> Opened:
        if self._opened is None:
            self._db_ready.wait()
        if self._opened is None:
            raise self.open_error or RuntimeError("the database was not opened")
        return self._opened

    def _use(self, opened: Opened) -> None:
        """Take the opened database (on the UI thread): its terminal, mark, live watcher."""
        self.terminal = opened.terminal
        self.database_label = opened.database_label
        self.high_water = max(self.high_water, opened.mark)
        self._opened = opened
        self._db_ready.set()
        if self.is_running:
            self._watch()
            if isinstance(self.screen, SignInScreen):
                self.screen.show_terminal()

    def _opening(self) -> None:
        """Open the database and prepare the first screen (a thread, while the form shows)."""
        try:
            opened = self._open()
        except BaseException as exc:  # noqa: BLE001 - shown by the CLI once the console closed
            gc.enable()
            self.open_error = exc
            self._db_ready.set()
            self._from_thread(self.exit, return_code=1)
            return
        self._from_thread(self._use, opened)
        try:
            if prepare(opened.engine, lambda: self.is_running):
                self._from_thread(self._warm_styles)
                freeze()
        except Exception:  # noqa: BLE001 - only ahead of time: the first real use reports it
            pass
        finally:
            gc.enable()  # the CLI turned it off until the form was drawn and this was loaded

    def _from_thread(self, callback: Callable[..., object], *args: object, **kwargs) -> None:
        with contextlib.suppress(RuntimeError):  # the console closed meanwhile
            self.call_from_thread(callback, *args, **kwargs)

    # -- set-up --------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.set_interval(1.0, self.check_idle_sign_out)
        if self._opened is not None:
            self._watch()
        elif self._open is not None:
            # after the form is drawn: its first frame does not wait for the database layer
            self.call_after_refresh(threading.Thread(target=self._opening, daemon=True,
                                                     name="portops-open").start)

    def _watch(self) -> None:
        if self.watcher is not None or self._opened is None:
            return
        loop, context = asyncio.get_running_loop(), contextvars.copy_context()

        def deliver(changes: Changes) -> None:  # on the watcher's thread; never blocks it
            try:
                loop.call_soon_threadsafe(self._deliver, changes, context=context)
            except RuntimeError:  # the console has closed
                self.on_unmount()

        self.watcher = Watcher(self.engine, self.high_water, self.settings.poll_seconds,
                               deliver)
        self.watcher.start()

    def on_unmount(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
        # Workers still waiting for a database that is not open yet (Ctrl+Q while the demo
        # is built) give up, or the console's exit would wait for them for ever.
        self._db_ready.set()

    def _install_bindings(self) -> None:
        """App keys from the declared commands, plus one function key per area."""
        keys = self._bindings.key_to_bindings
        for cmd in APP_COMMANDS:
            keys[cmd.key] = [cmd.binding()]
        # Tab moves between fields as a priority key: handled when it arrives, so the keys
        # after it in the same burst (a scanner, a paste, fast typing over ssh) go to the next
        # field; as an ordinary key it reached the screen only after they were all queued on
        # the field it left.
        keys["tab"] = [Binding("tab", "app.focus_next", show=False, priority=True)]
        keys["shift+tab"] = [Binding("shift+tab", "app.focus_previous", show=False,
                                     priority=True)]
        for n in range(2, 25):  # f13..f24: Shift+F1..F12
            if n != 10:
                keys[f"f{n}"] = [Binding(f"f{n}", f"app.area('f{n}')", show=False,
                                         priority=True, id=f"app.area.f{n}")]
            if n > 12:  # Textual 8 reads a terminal's Shift+F9 (ESC [20;2~) as shift+f9
                shifted = f"shift+f{n - 12}"
                keys[shifted] = [Binding(shifted, f"app.area('f{n}')", show=False,
                                         priority=True, id=f"app.area.{shifted}")]

    # -- sign-in, areas ------------------------------------------------------------------
    def sign_in_as(self, account: Account, area_id: str | None = None) -> None:
        """Open the areas ``account``'s role may use and go to the first (or ``area_id``)."""
        self.user = account
        self.last_activity = self.clock.now()
        self.areas = areas_for(account.role) or [HOME]
        for area in self.areas:
            self.add_mode(area.id, lambda a=area: self._styled_now(a.make_screen()))
        ids = [a.id for a in self.areas]
        self.switch_mode(area_id if area_id in ids else ids[0])
        self.poll_now()

    def _styled_now(self, screen: Screen) -> Screen:
        """Mark a new area screen as styled by the current stylesheet (it is, when mounted).

        Textual re-parses every stylesheet source and restyles every node when it shows a
        screen whose CSS count lags the app's, which a new screen's always does: a tenth of
        a second at sign-in for nothing (issue 3). A theme change still restyles it.
        """
        screen._css_update_count = self._css_update_count
        return screen

    def _warm_styles(self) -> None:
        if self.user is None:  # (once signed in, the first screen has done it)
            warm_styles(self.stylesheet)

    def action_sign_out(self, reason: str = "") -> None:
        if self.user is None:
            return
        self.user = None
        # the next person does not read the last one's notifications (issue 14)
        self.clear_notifications()
        if reason:
            self.notify(reason, title=_("Signed out"), timeout=30, markup=False)
        self.switch_mode("signin")
        for area in self.areas:
            self.remove_mode(area.id)
        self.areas = []
        self.screen.reset()  # type: ignore[attr-defined]

    def action_area(self, key: str) -> None:
        for area in self.areas:
            if area.key == key:
                self.switch_mode(area.id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "area":
            return any(a.key == parameters[0] for a in self.areas)
        if action in {"sign_out", "help", "command_palette"}:
            return self.user is not None
        return True

    def action_help(self) -> None:
        from portops.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_next_language(self) -> None:
        """Switch language; open screens are rebuilt in it (the user stays signed in)."""
        codes = list(LANGUAGES)
        self.switch_language(codes[(codes.index(language()) + 1) % len(codes)])

    def switch_language(self, code: str) -> None:
        self.language = set_language(code)
        self._install_bindings()
        user = self.user
        if user is not None:
            # rebuilt in the new language, in the area the user was working in: the first
            # area took the next key (a tester's 'a' marked a visit arrived on F2)
            area_id = self.current_mode
            self.action_sign_out()
            self.sign_in_as(user, area_id)
        else:
            self.screen.reset()  # type: ignore[attr-defined]

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette: every area, every command of this screen, the console's own."""
        from portops.ui.screens.base import AreaScreen

        if self.user is not None:
            for area in self.areas:
                yield SystemCommand(f"{_('go to')}: {area.label}", area.key_label,
                                    lambda a=area: self.switch_mode(a.id))
            if isinstance(screen, AreaScreen):
                for cmd in screen.COMMANDS_DECLARED:
                    if screen.check_action(cmd.action, ()) is not False:
                        yield SystemCommand(cmd.palette_title, _(cmd.help),
                                            lambda c=cmd: screen.run_action(c.action))
        for cmd in APP_COMMANDS:
            if cmd.action != "app.command_palette" and self.check_action(
                    cmd.action.removeprefix("app."), ()):
                yield SystemCommand(cmd.palette_title, _(cmd.help),
                                    lambda c=cmd: self.run_action(c.action))

    # -- notifications -----------------------------------------------------------------------
    def on_notify(self) -> None:
        """A notification (on the UI thread; ``notify`` posts it from any thread) shows away
        from the field in use (``portops.ui.toasts``)."""
        self._place_toasts()

    def _place_toasts(self) -> None:
        from portops.ui.toasts import place_toasts

        with contextlib.suppress(Exception):  # no screen yet
            place_toasts(self.screen)

    def on_descendant_focus(self) -> None:
        if self._notifications:
            self._place_toasts()

    # -- errors ----------------------------------------------------------------------------
    def report_error(self, error: BaseException) -> None:
        """The one error policy: a refusal names every rule; anything else, its message."""
        show_error(self, error)

    # -- live refresh ------------------------------------------------------------------------
    def poll_now(self) -> None:
        """Look for changes now, not at the next tick (after this console's own operation)."""
        if self.watcher is not None:
            self.watcher.poke()

    def _deliver(self, changes: Changes) -> None:
        self.high_water = max(self.high_water, changes.upto)
        if self.user is not None:
            self.screen.post_message(DataChanged(changes))

    # -- idle sign-out -----------------------------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown) and not event.is_forwarded:
            self.last_activity = self.clock.now()
        await super().on_event(event)

    def check_idle_sign_out(self) -> None:
        minutes = self.settings.idle_minutes
        if self.user is None or minutes <= 0:
            return
        if self.clock.now() - self.last_activity >= timedelta(minutes=minutes):
            self.action_sign_out(_("Signed out after {minutes:g} minutes without use.")
                                 .format(minutes=minutes))


def make_app(engine: Engine, *, clock: Clock | None = None, settings: Settings | None = None,
             database_label: str | None = None) -> PortopsApp:
    """Build the console on ``engine``, opened now (the tests and the demo come through here)."""
    return PortopsApp(Opened.read(engine, database_label), clock=clock or SystemClock(),
                      settings=settings or Settings())


def make_console(open_engine: Callable[[], Engine], *, clock: Clock | None = None,
                 settings: Settings | None = None,
                 database_label: str | None = None) -> PortopsApp:
    """Build the console for the CLI: the sign-in form is drawn first and ``open_engine``
    (which checks the schema and raises the CLI's errors; for ``portops demo`` builds the
    demo terminal) runs in a thread meanwhile. If it fails the console closes and
    ``app.open_error`` says why."""
    return PortopsApp(lambda: Opened.read(open_engine(), database_label),
                      clock=clock or SystemClock(), settings=settings or Settings())
