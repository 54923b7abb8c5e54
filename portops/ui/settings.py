"""The console's settings: one typed object, built by the CLI or a test and handed to the app.

Nothing here is read at import time. :meth:`Settings.from_env` reads ``PORTOPS_LANG`` and
``PORTOPS_IDLE_MINUTES``; command-line options (``--lang``, ``--idle-minutes``) win over them.
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
    #: How often the console looks at the event log for changes made elsewhere, seconds
    #: (one indexed max(id); 0.1 s keeps another console's change under 200 ms away).
    poll_seconds: float = 0.1
    #: Demo database: sign-in offers a "who are you" picker instead of a password.
    demo: bool = False
    #: Update the clock in the status line every second (tests turn it off).
    tick: bool = True

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from the environment, then ``overrides`` whose value is not None."""
        s = cls()
        if lang := os.environ.get("PORTOPS_LANG"):
            s = replace(s, language=lang)
        if idle := os.environ.get("PORTOPS_IDLE_MINUTES"):
            try:
                s = replace(s, idle_minutes=float(idle))
            except ValueError:
                raise ValueError(f"PORTOPS_IDLE_MINUTES: {idle!r} is not a number of minutes") \
                    from None
        return replace(s, **{k: v for k, v in overrides.items() if v is not None})
