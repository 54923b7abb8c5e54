"""The API served for a test on 127.0.0.1 (a real socket, in a thread of its own), and a
plain HTTP client: the tests speak HTTP as a haulier's software would."""

from __future__ import annotations

import asyncio
import http.client
import json
import threading
from typing import Any

from aiohttp import web


class Served:
    """``make_app``'s application listening on 127.0.0.1 on a free port until ``close``."""

    def __init__(self, app: web.Application):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.runner = web.AppRunner(app, access_log=None)
        self._wait(self.runner.setup())
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        self._wait(site.start())
        self.port = self.runner.addresses[0][1]

    def _wait(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(30)

    def close(self) -> None:
        self._wait(self.runner.cleanup())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()

    def call(self, method: str, path: str, token: str | None = None, body: Any = None, *,
             raw: bytes | None = None, lang: str = "") -> tuple[int, dict[str, str], Any]:
        """``(status, headers, JSON answer)`` of one request."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if lang:
            headers["Accept-Language"] = lang
        data = raw if raw is not None else None if body is None else json.dumps(body).encode()
        try:
            conn.request(method, path, body=data, headers=headers)
            resp = conn.getresponse()
            text = resp.read()
            return resp.status, dict(resp.getheaders()), json.loads(text) if text else None
        finally:
            conn.close()
