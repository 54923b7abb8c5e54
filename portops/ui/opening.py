"""Opening the console's database while the sign-in form shows (issue 3: start under 1.5 s).

The CLI's console (``make_console``) draws the sign-in form having imported only Textual. A
thread then opens and checks the database (:class:`Opened`) and :func:`prepare` imports,
configures and compiles what signing in and the first screen need; :func:`warm_styles` (on
the UI thread) parses the CSS of the widgets every area shows. A clerk who presses Enter
before all this is done waits for the same work, done then.
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

from portops.model import MODULES as MODEL_MODULES
from portops.queries.accounts import TerminalInfo
from portops.ui.areas import AREAS

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from textual.css.stylesheet import Stylesheet

#: What the sign-in form shows until the database has been opened.
NO_TERMINAL = TerminalInfo("", "", "UTC")
#: Imported while the clerk types (after the database opened), in this order: what signing
#: in needs, the first area's screen (most roles start on the schedule), then every table
#: (the first "why not" check loads them all).
PRELOAD = ("portops.auth", "portops.model.users", "portops.ops.core",
           AREAS[0].screen.partition(":")[0], "portops.ops.berthplan",
           *(f"portops.model.{module}" for module in MODEL_MODULES))


@dataclass(frozen=True)
class Opened:
    """The database a console works on, and what it read from it before the first screen."""

    engine: Engine
    terminal: TerminalInfo
    mark: int
    database_label: str

    @classmethod
    def read(cls, engine: Engine, database_label: str | None = None) -> Opened:
        from portops.queries.accounts import terminal_info
        from portops.queries.events import high_water

        if database_label is None:
            url = engine.url
            database_label = (Path(url.database).name if url.get_backend_name() == "sqlite"
                              and url.database else url.render_as_string(hide_password=True))
        return cls(engine, terminal_info(engine), high_water(engine), database_label)


def prepare(engine: Engine, running: Callable[[], bool]) -> bool:
    """Import :data:`PRELOAD`, set up the ORM and compile the sign-in look-up (in the opening
    thread); False if the console closed meanwhile."""
    for module in PRELOAD:
        if not running():
            return False
        importlib.import_module(module)
    from sqlalchemy.orm import configure_mappers

    from portops.queries.accounts import account

    configure_mappers()  # the ORM's first query would set up every mapper
    account(engine, "")  # compiles the sign-in's look-up once (nobody is named "")
    return True


def freeze() -> None:
    """Keep the garbage collector from walking what the console loaded at start again.

    It lives as long as the console; a full collection over it took ~80 ms right before the
    schedule's first frame. Frozen, collections walk only what came after. Not collected
    first (that is the same walk): the little garbage importing left stays, frozen with it.
    """
    gc.freeze()


def warm_styles(sheet: Stylesheet) -> None:
    """Parse the default CSS of the widgets every area shows (the footer, the tables) once,
    while the clerk types: each new widget type after sign-in made Textual re-parse every
    stylesheet source. Only the classes' own sources are added; nothing is styled otherwise."""
    from textual.containers import HorizontalGroup
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    from portops.ui.widgets.frame import KeysFooter
    from portops.ui.widgets.table import KeyedTable

    for cls in (Footer, KeysFooter, FooterKey, HorizontalGroup, KeyedTable):
        for where, css, tie_breaker, scope in cls._get_default_css(
                SimpleNamespace(_node_bases=cls._css_bases(cls))):
            sheet.add_source(css, read_from=where, is_default_css=True,
                             tie_breaker=tie_breaker, scope=scope)
    sheet.parse()
