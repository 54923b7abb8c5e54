"""The console application: thin on purpose.

It holds what every screen needs (engine, core, clock, settings, the signed-in user, the
terminal's time zone, the event-log mark) and does four things itself: sign-in and sign-out
(one console mode per permitted area), the one error policy, live refresh polling and idle
sign-out. Everything else lives in screens (``portops.ui.screens``).
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

from sqlalchemy.engine import Engine
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from portops.clock import Clock, SystemClock
from portops.i18n import LANGUAGES, _, language, set_language
from portops.ops import Core
from portops.queries.accounts import Account, TerminalInfo, terminal_info
from portops.queries.events import high_water
from portops.ui.areas import Area, areas_for
from portops.ui.commands import APP_COMMANDS
from portops.ui.errors import report
from portops.ui.live import Changes, Watcher
from portops.ui.messages import DataChanged
from portops.ui.screens.base import Working
from portops.ui.screens.signin import SignInScreen
from portops.ui.settings import Settings

#: Shown to a role with no area yet (its screens are still to come).
HOME = Area("home", "f12", "portops", frozenset(), "portops.ui.screens.home:HomeScreen")


class PortopsApp(Working, App):
    CSS_PATH = "portops.tcss"
    TITLE = "portops"
    MODES = {"signin": SignInScreen}
    DEFAULT_MODE = "signin"
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, engine: Engine, *, clock: Clock, settings: Settings,
                 terminal: TerminalInfo, mark: int, database_label: str) -> None:
        self.language = set_language(settings.language)
        super().__init__()
        self.engine = engine
        self.clock = clock
        self.settings = settings
        self.core = Core(engine, clock)
        self.terminal = terminal
        self.database_label = database_label
        #: The newest event id this console has seen (the live-refresh mark).
        self.high_water = mark
        self.user: Account | None = None
        self.areas: list[Area] = []
        self.last_activity = clock.now()
        self.watcher: Watcher | None = None
        self._install_bindings()

    # -- set-up --------------------------------------------------------------------------
    def on_mount(self) -> None:
        loop, context = asyncio.get_running_loop(), contextvars.copy_context()

        def deliver(changes: Changes) -> None:  # on the watcher's thread; never blocks it
            try:
                loop.call_soon_threadsafe(self._deliver, changes, context=context)
            except RuntimeError:  # the console has closed
                self.on_unmount()

        self.watcher = Watcher(self.engine, self.high_water, self.settings.poll_seconds,
                               deliver)
        self.watcher.start()
        self.set_interval(1.0, self.check_idle_sign_out)

    def on_unmount(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()

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
        for n in range(2, 13):
            if n != 10:
                keys[f"f{n}"] = [Binding(f"f{n}", f"app.area('f{n}')", show=False,
                                         priority=True, id=f"app.area.f{n}")]

    # -- sign-in, areas ------------------------------------------------------------------
    def sign_in_as(self, account: Account) -> None:
        """Open the areas ``account``'s role may use and go to the first."""
        self.user = account
        self.last_activity = self.clock.now()
        self.areas = areas_for(account.role) or [HOME]
        for area in self.areas:
            self.add_mode(area.id, area.make_screen)
        self.switch_mode(self.areas[0].id)
        self.poll_now()

    def action_sign_out(self, reason: str = "") -> None:
        if self.user is None:
            return
        self.user = None
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
            self.action_sign_out()
            self.sign_in_as(user)
        else:
            self.screen.reset()  # type: ignore[attr-defined]

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette: every area, every command of this screen, the console's own."""
        from portops.ui.screens.base import AreaScreen

        if self.user is not None:
            for area in self.areas:
                yield SystemCommand(f"{_('go to')}: {_(area.title)}", area.key.upper(),
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

    # -- errors ----------------------------------------------------------------------------
    def report_error(self, error: BaseException) -> None:
        """The one error policy: a refusal names every rule; anything else, its message."""
        r = report(error)
        self.log.error(repr(error))
        self.notify(r.message, title=r.title, severity=r.severity, timeout=15, markup=False)

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
    """Build the console on ``engine`` (the CLI and the tests both come through here)."""
    if database_label is None:
        url = engine.url
        database_label = (Path(url.database).name if url.get_backend_name() == "sqlite"
                          and url.database else url.render_as_string(hide_password=True))
    return PortopsApp(engine, clock=clock or SystemClock(), settings=settings or Settings(),
                      terminal=terminal_info(engine), mark=high_water(engine),
                      database_label=database_label)
