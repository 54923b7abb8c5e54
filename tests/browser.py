"""A headless Chromium driven over the DevTools protocol, for the browser test.

Playwright's browser download is impossible here, so this uses Debian's ``chromium`` and speaks
CDP over a websocket (aiohttp, which textual-serve already brings). The console is drawn by
xterm.js on a canvas, so there is no text in the DOM to read; instead the helper watches the
frames the page's websocket receives from textual-serve — the console's own screen output —
which is exactly what the browser renders.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1280,900", "--remote-debugging-port=0"]


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


async def _page_ws(port_file: Path, timeout: float) -> str:
    import aiohttp

    deadline = time.monotonic() + timeout
    while not port_file.exists() or not port_file.read_text().strip():
        if time.monotonic() > deadline:
            raise TimeoutError("chromium did not open its DevTools port")
        await asyncio.sleep(0.1)
    port = port_file.read_text().split()[0]
    async with aiohttp.ClientSession() as http:
        while True:
            async with http.get(f"http://127.0.0.1:{port}/json/list") as resp:
                pages = [t for t in await resp.json() if t.get("type") == "page"]
            if pages:
                return pages[0]["webSocketDebuggerUrl"]
            if time.monotonic() > deadline:
                raise TimeoutError("chromium opened no page")
            await asyncio.sleep(0.1)


async def _watch(url: str, port_file: Path, want: re.Pattern[str], timeout: float) -> str:
    import aiohttp

    ws_url = await _page_ws(port_file, timeout)
    seen: list[str] = []
    async with aiohttp.ClientSession() as http, http.ws_connect(ws_url, max_msg_size=0) as ws:
        ids = iter(range(1, 1_000_000))
        for method, params in [("Network.enable", {}), ("Page.enable", {}),
                               ("Page.navigate", {"url": url})]:
            await ws.send_json({"id": next(ids), "method": method, "params": params})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                msg = await ws.receive(timeout=max(0.1, deadline - time.monotonic()))
            except TimeoutError:
                break
            if msg.type != aiohttp.WSMsgType.TEXT:
                break
            event = json.loads(msg.data)
            if event.get("method") != "Network.webSocketFrameReceived":
                continue
            frame = event["params"]["response"]
            data = frame["payloadData"]
            if frame.get("opcode") == 2:
                data = base64.b64decode(data).decode("utf-8", "replace")
            seen.append(data)
            screen = _plain("".join(seen))
            if want.search(screen):
                return screen
    return _plain("".join(seen))


_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-Za-z]")


def _plain(output: str) -> str:
    """The text of terminal output with the escape sequences taken out."""
    return _ANSI.sub(" ", output)


def screen_text(url: str, want: str, *, timeout: float = 60) -> str:
    """Load ``url`` in headless Chromium; the console's screen text once ``want`` (a regex)
    shows in it, or everything seen by ``timeout``."""
    exe = chromium()
    assert exe, "no chromium"
    # Chromium's helper processes may still write to the profile for a moment after the
    # browser is killed: kill its whole process group, and never fail on the clean-up.
    with tempfile.TemporaryDirectory(prefix="portops-chromium-",
                                     ignore_cleanup_errors=True) as profile:
        proc = subprocess.Popen([exe, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        try:
            return asyncio.run(_watch(url, Path(profile) / "DevToolsActivePort",
                                      re.compile(want), timeout))
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
