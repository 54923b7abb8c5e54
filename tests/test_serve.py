"""``portops serve``: the console in headless Chromium through textual-serve, sign-in first.

Needs Debian's ``chromium`` (``.ci/run`` installs it); skipped, saying so, where it is missing.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from portops.cli import main
from tests.browser import chromium, screen_text

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only,
              pytest.mark.skipif(chromium() is None, reason="no chromium: apt-get install "
                                 "chromium (.ci/run does)")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _serving(args: list[str], port: int, env: dict[str, str]) -> Iterator[str]:
    proc = subprocess.Popen([sys.executable, *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, f"the server stopped: {proc.stdout.read()}"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start listening"
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


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
    port = _free_port()
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
    port = _free_port()
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
