"""The console draws its sign-in form before the database layer loads, and opens the database
while the clerk types (issue 3: start under 1.5 s).

* A fresh ``portops`` process (the CLI's ``make_console``) has not imported SQLAlchemy,
  SQLModel, pydantic or the tables when the form's first frame is drawn (the moment the
  database starts to open); once prepared, the garbage collector is on again and what was
  loaded is frozen.
* Enter pressed before the database is open waits for it, then signs in.
* A database that cannot be used closes the console with the CLI's one-line error.
"""

from __future__ import annotations

import subprocess
import sys
import threading

from portops.cli.common import CLIError
from portops.model import Role
from portops.ui import Settings, make_console
from portops.ui.opening import Opened
from tests.conftest import as_role
from tests.ui.conftest import PASSWORD, wait_for

FORM_FIRST = """
import asyncio, gc, sys
from portops.cli import build_parser
from portops.cli.common import engine_for
from portops.ui import Settings, make_console

async def main(db):
    gc.disable()  # as the CLI does until the console has prepared its first screen
    args = build_parser().parse_args(["--db", db])
    app = make_console(lambda: engine_for(args), settings=Settings(tick=False))
    opening, seen = app._opening, {}

    def snapshot():  # the form's first frame is drawn: what is loaded now?
        seen["modules"] = sorted(sys.modules)
        seen["form"] = bool(app.screen.query("#password"))
        opening()

    app._opening = snapshot
    async with app.run_test(size=(80, 24)) as pilot:
        loop = asyncio.get_running_loop()
        end = loop.time() + 60
        while not gc.isenabled():
            assert loop.time() < end, "the console did not finish preparing"
            await pilot.pause(0.02)
        assert app._opened is not None and gc.get_freeze_count() > 0
    print(seen["form"])
    print("\\n".join(seen["modules"]))

asyncio.run(main(sys.argv[1]))
"""

#: Not loaded before the sign-in form is drawn (prefix match).
NOT_BEFORE_FORM = ("sqlalchemy", "sqlmodel", "pydantic", "alembic", "portops.db",
                   "portops.ops.", "portops.model.users", "portops.model.vessels",
                   "portops.queries.events", "portops.schema", "portops.ui.screens.schedule")


def test_the_form_is_drawn_before_the_database_layer_loads(db_url, small_terminal) -> None:
    db = db_url.removeprefix("sqlite:///")
    out = subprocess.run([sys.executable, "-c", FORM_FIRST, db], capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    form, *loaded = out.stdout.split()
    assert form == "True"  # the form was there when the database started to open
    assert "textual.app" in loaded
    early = sorted(m for m in loaded if m.startswith(NOT_BEFORE_FORM))
    assert early == [], f"loaded before the sign-in form: {early}"


async def test_enter_before_the_database_is_open_waits_then_signs_in(
        bare_console, engine, small_terminal) -> None:
    bare_console()  # gives every role's user PASSWORD
    gate = threading.Event()

    def slow_open() -> Opened:
        gate.wait(60)
        return Opened.read(engine)

    app = make_console(lambda: engine, settings=Settings(tick=False, poll_seconds=0.1))
    app._open = slow_open
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.screen.query("#name"), what="sign-in form")
        await pilot.click("#name")
        await pilot.press(*as_role(Role.DISPATCHER), "enter", *PASSWORD, "enter")
        await wait_for(pilot, lambda: "Checking" in str(
            app.screen.query_one("#signin-message").render()), what="checking")
        assert app.user is None and app.terminal.name == ""
        gate.set()  # the database opens now
        await wait_for(pilot, lambda: app.user is not None, what="signed in")
        await wait_for(pilot, lambda: getattr(app.screen, "loaded", False), what="schedule")
        assert app.screen.table.row_count > 0
        assert app.terminal.name  # the small terminal's name, read when it opened


async def test_a_database_that_cannot_be_used_closes_the_console_with_its_error() -> None:
    def fail():
        raise CLIError("database /nowhere.db does not exist; run: portops init --db /x")

    app = make_console(fail, settings=Settings(tick=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: not app.is_running or app.open_error is not None)
    assert isinstance(app.open_error, CLIError)
    assert app.return_code == 1


def test_a_missing_database_file_is_refused_before_the_console_starts(tmp_path, capsys) -> None:
    from portops.cli import main

    missing = tmp_path / "none.db"
    assert main(["--db", str(missing)]) == 1
    err = capsys.readouterr().err
    assert err.strip() == (f"portops: database {missing} does not exist; "
                           f"run: portops init --db {missing}")
    assert not missing.exists()
