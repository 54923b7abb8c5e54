"""The Textual console. The only package (with ``portops.web``) that imports Textual.

``make_app(engine, clock=..., settings=...)`` builds it for the command line and the tests;
``docs/ui.md`` explains how to add an area (a mode on a function key), a screen or a command.
This ``__init__`` imports nothing itself, so that walking the package (the import-hygiene
test does) does not load Textual; ``from portops.ui import make_app`` still works.
"""

from typing import Any

__all__ = ["PortopsApp", "Settings", "make_app", "make_console"]


def __getattr__(name: str) -> Any:
    if name in {"PortopsApp", "make_app", "make_console"}:
        from portops.ui import app

        return getattr(app, name)
    if name == "Settings":
        from portops.ui.settings import Settings

        return Settings
    raise AttributeError(name)
