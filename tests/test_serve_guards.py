"""``portops serve`` against a browser on the same machine (issue 16), with real HTTP and
websocket requests on 127.0.0.1: a page from elsewhere cannot open a console (``Origin``),
consoles are capped (the page says so), every answer carries CSP and frame headers, and
``/static/`` lists no directory. The served command is a stand-in that only waits (the
sign-in itself is tests/test_serve.py's, in Chromium)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.server_process import free_port, listening

pytest.importorskip("textual_serve")
aiohttp = pytest.importorskip("aiohttp")

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]


@contextmanager
def _server(tmp_path, max_consoles: int = 2) -> Iterator[int]:
    """``serve`` with a stand-in console that shows its PORTOPS_WEB_CLIENT."""
    standin = tmp_path / "standin.py"
    standin.write_text("import os\nfrom textual.app import App\nfrom textual.widgets import Label\n"
                       "class StandIn(App):\n    def compose(self):\n"
                       "        yield Label('client=' + os.environ.get('PORTOPS_WEB_CLIENT', '-'))\n"
                       "StandIn().run()\n")
    port = free_port()
    code = (f"from portops.web.serve import serve; serve('sqlite:///x.db', port={port}, "
            f"command={sys.executable + ' ' + str(standin)!r}, max_consoles={max_consoles})")
    with listening([sys.executable, "-c", code], port, seconds=30, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, cwd=tmp_path, env=dict(os.environ)):
        yield port


async def _ws_status(http, port: int, origin: str | None) -> int:
    headers = {"Origin": origin} if origin else {}
    try:
        async with http.ws_connect(f"http://127.0.0.1:{port}/ws", headers=headers):
            return 101
    except aiohttp.WSServerHandshakeError as exc:
        return exc.status


async def _screen(ws, want: str) -> str:
    """What the session drew, until ``want`` shows (textual-serve relays the app's output)."""
    seen = ""
    deadline = time.monotonic() + 30
    while want not in seen:
        assert time.monotonic() < deadline, f"the console never showed {want!r}: {seen[-300:]}"
        msg = await ws.receive(timeout=30)
        if msg.type == aiohttp.WSMsgType.TEXT:
            seen += msg.data
        elif msg.type == aiohttp.WSMsgType.BINARY:
            seen += msg.data.decode("utf-8", "replace")
        else:
            break
    return seen


def test_a_page_from_another_origin_cannot_open_a_console(tmp_path):
    async def probe(port):
        async with aiohttp.ClientSession() as http:
            return {origin: await _ws_status(http, port, origin) for origin in (
                "http://evil.example", None, "null", f"http://127.0.0.1:{port + 1}",
                f"http://127.0.0.1:{port}", f"http://localhost:{port}")}

    with _server(tmp_path) as port:
        got = asyncio.run(probe(port))
    assert got == {"http://evil.example": 403, None: 403, "null": 403,
                   f"http://127.0.0.1:{port + 1}": 403,
                   f"http://127.0.0.1:{port}": 101, f"http://localhost:{port}": 101}


def test_consoles_are_capped_and_the_page_says_so(tmp_path):
    async def probe(port):
        origin = {"Origin": f"http://127.0.0.1:{port}"}
        async with aiohttp.ClientSession() as http:
            first = await http.ws_connect(f"http://127.0.0.1:{port}/ws", headers=origin)
            second = await http.ws_connect(f"http://127.0.0.1:{port}/ws", headers=origin)
            said = await _screen(first, "client=")
            third = await _ws_status(http, port, origin["Origin"])
            async with http.get(f"http://127.0.0.1:{port}/") as page:
                full = (page.status, await page.text())
            await first.close()
            await asyncio.sleep(1)
            async with http.get(f"http://127.0.0.1:{port}/") as page:
                again = page.status
            await second.close()
            return said, third, full, again

    with _server(tmp_path, max_consoles=2) as port:
        said, third, full, again = asyncio.run(probe(port))
    assert third == 503
    assert full[0] == 503 and "All 2 consoles are in use" in full[1]
    assert again == 200  # one signed out: room again
    assert "client=127.0.0.1" in said  # the session knows the browser's address


def test_every_answer_forbids_framing_and_static_lists_nothing(tmp_path):
    async def probe(port):
        async with aiohttp.ClientSession() as http:
            out = {}
            for path in ("/", "/static/", "/static/js/", "/static/js/textual.js", "/nope"):
                async with http.get(f"http://127.0.0.1:{port}{path}") as r:
                    out[path] = (r.status, dict(r.headers), await r.read())
            return out

    with _server(tmp_path) as port:
        got = asyncio.run(probe(port))
    for path, (_status, headers, _body) in got.items():
        csp = headers.get("Content-Security-Policy", "")
        assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp, path
        assert headers.get("X-Frame-Options") == "DENY", path
        assert headers.get("X-Content-Type-Options") == "nosniff", path
    assert got["/"][0] == 200 and "script-src 'self'" in got["/"][1]["Content-Security-Policy"]
    assert got["/static/js/textual.js"][0] == 200
    assert got["/static/"][0] in (403, 404) and b"Index of" not in got["/static/"][2]
    assert got["/static/js/"][0] in (403, 404) and b"textual.js" not in got["/static/js/"][2]


def test_serve_refuses_a_bad_console_count_in_one_line(db_file, capsys):
    from portops.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["--db", str(db_file), "serve", "--max-consoles", "0"])
    assert exc.value.code == 2
    assert "0 consoles: give 1 to 1000" in capsys.readouterr().err
