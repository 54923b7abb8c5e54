"""``portops serve``: the console in headless Chromium through textual-serve, sign-in first.

Needs Debian's ``chromium`` (``.ci/run`` installs it); skipped, saying so, where it is missing.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from portops.cli import main
from tests.browser import chromium, screen_text
from tests.server_process import free_port, listening

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only,
              pytest.mark.skipif(chromium() is None, reason="no chromium: apt-get install "
                                 "chromium (.ci/run does)")]


@contextmanager
def _serving(args: list[str], port: int, env: dict[str, str]) -> Iterator[str]:
    with listening([sys.executable, *args], port, seconds=30, env=env,
                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True):
        yield f"http://127.0.0.1:{port}/"


def test_the_browser_gets_the_served_app_and_no_inherited_user(tmp_path, db_url):
    """The chain browser -> textual-serve -> app works, and sessions do not inherit a user."""
    app = tmp_path / "standin.py"
    app.write_text(textwrap.dedent("""
        import os
        from textual.app import App
        from textual.widgets import Label

        class StandIn(App):
            def compose(self):
                yield Label("stand-in user=" + repr(os.environ.get("PORTOPS_USER")))
                yield Label("db=" + os.environ["PORTOPS_DB"].rsplit("/", 1)[-1])

        StandIn().run()
    """))
    port = free_port()
    code = (f"from portops.web.serve import serve; serve({'sqlite:///' + db_url!r}, "
            f"port={port}, command={sys.executable + ' ' + str(app)!r})")
    env = dict(os.environ, PORTOPS_USER="admin", PORTOPS_PASSWORD="hunter2hunter2")
    with _serving(["-c", code], port, env) as url:
        screen = screen_text(url, r"db=portops\.db")
    assert "stand-in user=None" in screen
    assert "db=portops.db" in screen


def test_portops_serve_shows_the_sign_in_screen(db_url):
    if importlib.util.find_spec("portops.ui.app") is None:
        pytest.skip("the console app (portops.ui.app) is not on main yet")
    port = free_port()
    env = dict(os.environ, PORTOPS_USER="admin")
    with _serving(["-m", "portops", "--db", db_url, "serve", "--port", str(port)], port,
                  env) as url:
        screen = screen_text(url, r"(?i)sign.?in")
    assert "sign" in screen.lower() and "password" in screen.lower()


def test_serve_refuses_a_bad_port_in_one_line(db_url, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--db", db_url, "serve", "--port", "70000"])
    assert exc.value.code == 2
    assert "70000 is not a port number" in capsys.readouterr().err
