"""A new site's database, made the way a new site makes it, and the console on it.

``portops init``, then ``portops import`` of the demo layout and schedule YAML only (not the
demo: no boxes, parties, releases or holds prepared), then one user per role added with
``portops user add`` — all through the command line, in this process. Everything after that
happens at the console, by keyboard. The database is made once per session and copied for
each journey (a journey changes it).

Time: the schedule file moves its days so that its "today" becomes today (``rebase_day``), and
the checks on mooring times compare with now; so the import and the console must share one
fixed clock. The command line reads ``portops.clock.SystemClock`` when it runs, and while the
site is made that clock reads :data:`START`; the console gets a :class:`FixedClock` at the
same instant, which a journey moves on as its day goes by.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from portops.cli.common import ask_password
from portops.clock import FixedClock, SystemClock
from portops.db import make_engine
from portops.ui import Settings, make_app

#: 06:30 on the schedule's "today" at the terminal (Asia/Shanghai, +08:00), 30 minutes before
#: HLCU-FE2-055 is due to berth at B1 (the file's 2026-11-26 07:00 moved one day on).
START = datetime(2026, 11, 26, 22, 30, tzinfo=UTC)

DEMO = Path(__file__).resolve().parents[2] / "schedules" / "demo"

#: Who works the terminal: user name -> (role, password). The admin is made by init.
ADMIN = ("boss", "adminpw1234")
USERS = {
    "dispatcher": ("dispatcher", "pw-dispatcher-123"),
    "line-handler": ("line_handler", "pw-line-handler-123"),
    "yard-planner": ("yard_planner", "pw-yard-planner-123"),
    "tally-clerk": ("tally_clerk", "pw-tally-clerk-123"),
    "gate-clerk": ("gate_clerk", "pw-gate-clerk-123"),
}

#: Sizes every journey is walked at: the smallest terminal the console must fit, and a wide one.
SIZES = {"80x24": (80, 24), "wide": (132, 40)}
LANGUAGES = ("en", "zh_CN")


def _cli(*argv: str) -> None:
    from portops.cli import main

    code = main(list(argv))
    assert code == 0, f"portops {' '.join(argv)} exited {code}"


@pytest.fixture(scope="session")
def new_site(tmp_path_factory) -> Path:
    """The database file of a site just set up from the command line (copy it before use)."""
    path = tmp_path_factory.mktemp("site") / "site.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(SystemClock, "now", lambda self: START)
        for var in ("PORTOPS_DB", "PORTOPS_USER", "PORTOPS_TOKEN", "PORTOPS_PASSWORD"):
            mp.delenv(var, raising=False)
        mp.setenv("PORTOPS_ADMIN_PASSWORD", ADMIN[1])
        _cli("--db", str(path), "init", "--admin", ADMIN[0])
        # the admin acts with their password (PORTOPS_PASSWORD); a new user's password comes
        # in PORTOPS_NEW_PASSWORD (or, before the CLI asked who acts, in PORTOPS_PASSWORD)
        new_password = ask_password.__defaults__[0]
        if new_password != "PORTOPS_PASSWORD":
            mp.setenv("PORTOPS_PASSWORD", ADMIN[1])
        _cli("--db", str(path), "--user", ADMIN[0], "import", str(DEMO / "layout.yaml"),
             str(DEMO / "schedule.yaml"))
        for name, (role, password) in USERS.items():
            mp.setenv(new_password, password)
            _cli("--db", str(path), "--user", ADMIN[0], "user", "add", name, "--role", role)
    return path


#: The (size, language) pairs every journey is walked in: each size and each language at least
#: once, 80x24 with the double-width Chinese texts (the tightest fit). PORTOPS_JOURNEYS=all
#: walks every pair (twice the time: the whole folder is kept near three minutes).
CASES = [(size, lang) for size in SIZES for lang in LANGUAGES] \
    if os.environ.get("PORTOPS_JOURNEYS") == "all" else [("80x24", "zh_CN"), ("wide", "en")]


@pytest.fixture(params=CASES, ids=[f"{s}-{lang}" for s, lang in CASES])
def case(request) -> tuple[tuple[int, int], str]:
    size, lang = request.param
    yield SIZES[size], lang
    from portops import i18n

    i18n.set_language("en")  # the console set the process's language


@pytest.fixture
def size(case) -> tuple[int, int]:
    return case[0]


@pytest.fixture
def language(case) -> str:
    return case[1]


@pytest.fixture
def site(new_site, tmp_path):
    """This journey's copy of the new site: ``(engine, clock)``."""
    path = tmp_path / "site.db"
    shutil.copyfile(new_site, path)
    engine = make_engine(path)
    yield engine, FixedClock(START)
    engine.dispose()


@pytest.fixture
def console(site, language):
    """``console()``: the console on this journey's site, in its language, at its clock."""
    engine, clock = site

    def build():
        return make_app(engine, clock=clock,
                        settings=Settings(language=language, tick=False, poll_seconds=0.1,
                                          idle_minutes=0))
    return build
