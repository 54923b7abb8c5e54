"""Several tabs of one headless Chromium, each typed into with keys, for the browser journey.

:mod:`tests.browser` only watches a page; a customer's part of a journey is typed. Each
:class:`Tab` is a page of the same browser over the DevTools protocol: ``type`` inserts text
as the keyboard does (xterm.js reads it from its input element), ``press`` sends a key
(Enter, Tab, F2...), and ``wait`` reads the console's own screen output from the frames the
page's websocket receives (xterm.js draws on a canvas: there is no text in the DOM), from a
mark on, so a step waits for what *it* caused.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import re
import signal
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp

from tests.browser import FLAGS, _plain, chromium

#: DevTools key events: key -> (code, windows key code, text).
KEYS = {"enter": ("Enter", 13, "\r"), "tab": ("Tab", 9, "\t"), "escape": ("Escape", 27, ""),
        "down": ("ArrowDown", 40, ""), "up": ("ArrowUp", 38, ""),
        **{f"f{n}": (f"F{n}", 111 + n, "") for n in range(1, 13)}}


class Tab:
    """One page: its DevTools socket, the frames its console sent, keys to type."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.frames: list[str] = []
        self._ids = iter(range(1, 1_000_000))
        self._pending: dict[int, asyncio.Future] = {}
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for msg in self.ws:
            if msg.type != aiohttp.WSMsgType.TEXT:
                break
            event = json.loads(msg.data)
            if "id" in event and event["id"] in self._pending:
                self._pending.pop(event["id"]).set_result(event)
            elif event.get("method") == "Network.webSocketFrameReceived":
                frame = event["params"]["response"]
                data = frame["payloadData"]
                if frame.get("opcode") == 2:
                    data = base64.b64decode(data).decode("utf-8", "replace")
                self.frames.append(data)

    async def call(self, method: str, **params) -> dict:
        n = next(self._ids)
        done = asyncio.get_running_loop().create_future()
        self._pending[n] = done
        await self.ws.send_json({"id": n, "method": method, "params": params})
        return await asyncio.wait_for(done, 30)

    def mark(self) -> int:
        return len(self.frames)

    def screen(self, since: int = 0) -> str:
        return _plain("".join(self.frames[since:]))

    async def wait(self, want: str, since: int = 0, timeout: float = 30) -> str:
        """The console's output from ``since`` once the regex ``want`` is in it."""
        pattern = re.compile(want)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.screen(since)
            if pattern.search(text):
                # the frame is drawn before the focus moves (a form focuses its first field
                # once mounted): keys sent at once would land on the screen behind it
                await asyncio.sleep(0.4)
                return text
            await asyncio.sleep(0.1)
        raise AssertionError(f"{want!r} not on the screen; it showed:\n{self.screen(since)[-3000:]}")

    async def focus(self) -> None:
        await self.call("Page.bringToFront")
        await self.call("Input.dispatchMouseEvent", type="mousePressed", x=400, y=300,
                        button="left", clickCount=1)
        await self.call("Input.dispatchMouseEvent", type="mouseReleased", x=400, y=300,
                        button="left", clickCount=1)

    async def type(self, text: str) -> None:
        for ch in text:  # one key at a time, as typed
            await self.call("Input.insertText", text=ch)

    async def press(self, *keys: str) -> None:
        for key in keys:
            code, vk, text = KEYS[key]
            down = {"type": "keyDown", "key": code, "code": code, "windowsVirtualKeyCode": vk}
            if text:
                down["text"] = text
            await self.call("Input.dispatchKeyEvent", **down)
            await self.call("Input.dispatchKeyEvent", type="keyUp", key=code, code=code,
                            windowsVirtualKeyCode=vk)


@contextlib.asynccontextmanager
async def browser() -> AsyncIterator:
    """A headless Chromium; yields ``open_tab(url) -> Tab``."""
    exe = chromium()
    assert exe, "no chromium"
    with tempfile.TemporaryDirectory(prefix="portops-chromium-",
                                     ignore_cleanup_errors=True) as profile:
        proc = subprocess.Popen([exe, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        tabs: list[Tab] = []
        try:
            port_file = Path(profile) / "DevToolsActivePort"
            deadline = time.monotonic() + 30
            while not port_file.exists() or not port_file.read_text().strip():
                assert time.monotonic() < deadline, "chromium did not open its DevTools port"
                await asyncio.sleep(0.1)
            port = port_file.read_text().split()[0]
            async with aiohttp.ClientSession() as http:
                async def open_tab(url: str) -> Tab:
                    async with http.put(f"http://127.0.0.1:{port}/json/new?about:blank") as r:
                        target = await r.json()
                    ws = await http.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0)
                    tab = Tab(ws)
                    tabs.append(tab)
                    await tab.call("Network.enable")
                    await tab.call("Page.enable")
                    await tab.call("Emulation.setFocusEmulationEnabled", enabled=True)
                    await tab.call("Page.navigate", url=url)
                    return tab

                yield open_tab
                for tab in tabs:
                    tab._reader.cancel()
                    await tab.ws.close()
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
