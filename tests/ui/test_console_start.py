"""Starting the console loads only what the schedule needs (issue 3: start under 1.5 s).

A fresh process opens the console on the CLI's parser and database check (``make_app``;
``test_console_open.py`` checks what ``make_console`` loads before the form), signs a dispatcher in and waits until the schedule shows its rows and
every worker has finished; then it lists the modules it imported. Planners, file formats,
EDIFACT and the other areas' operations must not be among them: each is imported when its
area (or an import, an export) is first used.
"""

from __future__ import annotations

import subprocess
import sys

from portops.model import Role
from tests.conftest import as_role

START = """
import asyncio, sys
from portops.cli import build_parser
from portops.cli.common import engine_for
from portops.queries.accounts import account
from portops.ui import Settings, make_app

async def main(db, user):
    engine = engine_for(build_parser().parse_args(["--db", db]))
    app = make_app(engine, settings=Settings(tick=False))
    async with app.run_test(size=(160, 50)) as pilot:
        app.sign_in_as(account(engine, user))
        loop = asyncio.get_running_loop()
        end = loop.time() + 60
        while not (getattr(app.screen, "loaded", False) and app.screen.table.row_count
                   and not any(w.is_running for w in app.workers)):
            assert loop.time() < end, "the schedule did not load"
            await pilot.pause(0.02)
    engine.dispose()

asyncio.run(main(sys.argv[1], sys.argv[2]))
print("\\n".join(sorted(sys.modules)))
"""

#: Never needed to show the schedule: (prefix, except these modules).
NOT_AT_START = [
    ("portops.formats", ()),
    ("portops.planning.", ("portops.planning.berths",)),  # berths: the schedule's edit rules
    ("portops.ops.", ("portops.ops.core", "portops.ops.ending", "portops.ops.visits",
                      "portops.ops.berthplan")),
    ("portops.queries.", ("portops.queries.accounts", "portops.queries.events",
                          "portops.queries.schedule")),
    ("portops.ui.screens.", ("portops.ui.screens.base", "portops.ui.screens.signin",
                             "portops.ui.screens.schedule",
                             "portops.ui.screens.schedule_edits")),
    ("pydifact", ()), ("stdnum", ()), ("yaml", ()), ("alembic", ()), ("portops.codes", ()),
]


def test_console_start_imports_only_the_schedule(db_url, small_terminal) -> None:
    db = db_url.removeprefix("sqlite:///")
    out = subprocess.run([sys.executable, "-c", START, db, as_role(Role.DISPATCHER)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    loaded = set(out.stdout.split())
    assert "portops.ui.screens.schedule" in loaded  # it did start
    extra = sorted(m for m in loaded for prefix, allowed in NOT_AT_START
                   if m.startswith(prefix) and m not in allowed)
    assert extra == [], f"starting the console imported {extra}"
