"""The console's settings: one typed object, built by the CLI or a test and handed to the app.

Nothing here is read at import time. :meth:`Settings.from_env` reads ``PORTOPS_LANG``,
``PORTOPS_IDLE_MINUTES``, ``PORTOPS_POLL_SECONDS``, ``PORTOPS_IMPORT_DIR``,
``PORTOPS_PRINT_DIR`` and whether
``PORTOPS_WEB_CLIENT`` is set (a browser's session); command-line options (``--lang``, ``--idle-minutes``) win over them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Settings:
    #: Language of every text (``en`` or ``zh_CN``; ``zh``, ``zh-CN`` are accepted).
    language: str = "en"
    #: Sign the user out after this many minutes without a key press or click (0: never).
    idle_minutes: float = 30.0
    #: How often the console looks for changes committed elsewhere, seconds (on SQLite one
    #: ``PRAGMA data_version``, microseconds; elsewhere the event log's indexed max(id)).
    poll_seconds: float = 0.05
    #: Demo database: sign-in offers a "who are you" picker instead of a password.
    demo: bool = False
    #: Update the clock in the status line every second (tests turn it off).
    tick: bool = True
    #: Shown in a browser (``portops serve`` sets ``PORTOPS_WEB_CLIENT`` for each session):
    #: the import dialog then takes no typed path, which would tell a browser whether any
    #: path exists on the server, and lists the files of ``import_dir`` only.
    served: bool = False
    #: The folder the site puts files to import in, for the browser (``PORTOPS_IMPORT_DIR``
    #: in the environment of ``portops serve``); empty: no importing from a browser.
    import_dir: str = ""
    #: The folder a printed document (the EIR) is saved in (``PORTOPS_PRINT_DIR``); empty:
    #: the user's documents folder, else the current one (``portops.ui.printing``).
    print_dir: str = ""

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from the environment, then ``overrides`` whose value is not None."""
        s = cls()
        if "PORTOPS_WEB_CLIENT" in os.environ:
            s = replace(s, served=True)
        if folder := os.environ.get("PORTOPS_IMPORT_DIR"):
            s = replace(s, import_dir=folder)
        if folder := os.environ.get("PORTOPS_PRINT_DIR"):
            s = replace(s, print_dir=folder)
        if lang := os.environ.get("PORTOPS_LANG"):
            s = replace(s, language=lang)
        if idle := os.environ.get("PORTOPS_IDLE_MINUTES"):
            try:
                s = replace(s, idle_minutes=float(idle))
            except ValueError:
                raise ValueError(f"PORTOPS_IDLE_MINUTES: {idle!r} is not a number of minutes") \
                    from None
        if poll := os.environ.get("PORTOPS_POLL_SECONDS"):
            try:
                seconds = float(poll)
            except ValueError:
                seconds = -1.0
            if not 0 < seconds <= 60:
                raise ValueError(f"PORTOPS_POLL_SECONDS: {poll!r} is not a number of seconds "
                                 "between 0 and 60")
            s = replace(s, poll_seconds=seconds)
        return replace(s, **{k: v for k, v in overrides.items() if v is not None})
