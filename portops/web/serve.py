"""``portops serve``: the console in a browser through textual-serve.

textual-serve runs the console command once per browser session and relays its screen over a
websocket, so the browser gets exactly the console a terminal gets — including the sign-in:
the served command is plain ``portops`` (open the console), never with ``--user``, and the
server drops ``PORTOPS_USER``/``PORTOPS_PASSWORD``/``PORTOPS_TOKEN`` from the environment its
sessions inherit. The database is handed down in ``PORTOPS_DB`` rather than on the command
line, so a password in a PostgreSQL URL does not show in the process list.

What textual-serve leaves open, :class:`PortopsServer` closes (issue 16):

* any web page in a browser on the machine could open ``ws://127.0.0.1:8000/ws`` and drive a
  console (and guess passwords there): a websocket is accepted only with an ``Origin`` that is
  the public URL's (or, serving on loopback, ``http://127.0.0.1|localhost|[::1]:PORT``);
* each websocket starts a console process (~79 MB): at most ``max_consoles`` at once, more are
  refused, and the page says so;
* every answer carries a Content-Security-Policy (scripts only from here, no framing),
  ``X-Frame-Options: DENY``, ``nosniff`` and ``no-referrer``; ``/static/`` lists no directory;
* each session gets the browser's address in ``PORTOPS_WEB_CLIENT``: the sign-in's back-off
  counts failures by it, and every event records it (``via``).

It binds to 127.0.0.1 unless told otherwise: textual-serve has no TLS; put it behind an
authenticating reverse proxy to reach it from elsewhere (README).
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import os
import re
import shlex
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

#: Taken out of the environment the browser sessions inherit: they must sign in themselves.
NOT_INHERITED = ("PORTOPS_USER", "PORTOPS_PASSWORD", "PORTOPS_ADMIN_PASSWORD",
                 "PORTOPS_NEW_PASSWORD", "PORTOPS_TOKEN", "PORTOPS_WEB_CLIENT")

#: Consoles served at once when ``--max-consoles`` is not given.
DEFAULT_MAX_CONSOLES = 8

FULL_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>portops: all consoles in use</title></head>
<body style="font-family: monospace; background: #0c181f; color: #eee; padding: 2em">
<h1>All {n} consoles are in use</h1>
<p>This portops server runs at most {n} consoles at once, and all are open. Try again when
someone has signed out, or ask the administrator to raise <code>--max-consoles</code>.</p>
<p>所有 {n} 个控制台都在使用中。请在有人退出后重试，或请管理员调高 --max-consoles。</p>
</body></html>
"""


def console_command() -> str:
    """The shell command textual-serve starts for each browser session."""
    return f"{shlex.quote(sys.executable)} -m portops"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def prepare_environment(db_url: str) -> None:
    """Set up what every browser session inherits (this process's environment)."""
    os.environ["PORTOPS_DB"] = db_url
    for name in NOT_INHERITED:
        os.environ.pop(name, None)


def _origin(url: str) -> str:
    """``scheme://host[:port]`` as browsers send it in ``Origin`` ("" for no URL)."""
    parts = urlsplit(url.strip())
    default = {"http": 80, "https": 443}.get(parts.scheme)
    try:
        given = parts.port
    except ValueError:
        return ""
    port = f":{given}" if given and given != default else ""
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{host.lower()}{port}"


def allowed_origins(public_url: str, host: str, port: int) -> frozenset[str]:
    """The ``Origin`` a browser sends for the page this server serves: the public URL's, and
    when listening on loopback, this port on each name of loopback."""
    out = {_origin(public_url)}
    if is_loopback(host) or is_loopback(urlsplit(public_url).hostname or ""):
        out |= {_origin(f"http://{name}:{port}") for name in ("127.0.0.1", "localhost", "[::1]")}
    return frozenset(out)


def _inline_script_hashes(template: Path) -> list[str]:
    """CSP hashes of the page's inline scripts and its one inline handler (``refresh()``)."""
    text = template.read_text(encoding="utf-8")
    scripts = re.findall(r"<script>(.*?)</script>", text, flags=re.S)
    handlers = re.findall(r'on[A-Za-z]+="([^"]*)"', text)
    return list(dict.fromkeys(  # each once (the page has two refresh() buttons)
        f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
        for s in [*scripts, *handlers]))


def content_security_policy(public_url: str, template: Path) -> str:
    ws = _origin(public_url).replace("https://", "wss://").replace("http://", "ws://")
    scripts = " ".join(["'self'", "'unsafe-hashes'", *_inline_script_hashes(template)])
    return "; ".join([
        "default-src 'self'", f"script-src {scripts}",
        # xterm.js sets styles inline; the page asks Google for its font
        "style-src 'self' 'unsafe-inline' https://fonts.googleapis.com",
        "font-src 'self' https://fonts.gstatic.com", "img-src 'self' data:",
        f"connect-src 'self' {ws}", "frame-ancestors 'none'", "base-uri 'none'",
        "form-action 'none'", "object-src 'none'"])


def make_server(command: str, host: str, port: int, public_url: str | None,
                max_consoles: int, api: Any = None) -> Any:
    """A :class:`PortopsServer` (textual-serve imported only here: ``portops[web]``);
    ``api``, the API's application made ``mounted`` (:func:`portops.web.api.make_app`), is
    served under ``/api/`` in the same process, with its own tokens, limits and JSON answers.
    """
    from aiohttp import web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server, to_int

    class PortopsServer(Server):
        """textual-serve's server with origins checked, consoles capped and headers set."""

        def __init__(self) -> None:
            super().__init__(command, host=host, port=port, title="portops",
                             public_url=public_url)
            self.max_consoles = max_consoles
            self.consoles = 0
            self.origins = allowed_origins(self.public_url, host, port)
            self.csp = content_security_policy(self.public_url,
                                               self.templates_path / "app_index.html")

        async def _make_app(self) -> web.Application:
            import aiohttp_jinja2
            import jinja2

            app = web.Application(middlewares=[self._headers])
            aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
            app.add_routes([
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, show_index=False, name="static"),
            ])
            if api is not None:
                from portops.web.api import PREFIX

                app.add_subapp(PREFIX, api)
            app.on_startup.append(self.on_startup)
            app.on_shutdown.append(self.on_shutdown)
            return app

        @web.middleware
        async def _headers(self, request: web.Request, handler: Any) -> web.StreamResponse:
            try:
                response = await handler(request)
            except web.HTTPException as exc:
                self._secure(exc)
                raise
            if not response.prepared:  # a websocket's headers went with its handshake
                self._secure(response)
            return response

        def _secure(self, response: web.StreamResponse) -> None:
            response.headers["Content-Security-Policy"] = self.csp
            response.headers["X-Frame-Options"] = "DENY"
            response.headers["X-Content-Type-Options"] = "nosniff"
            response.headers["Referrer-Policy"] = "no-referrer"

        def _full(self) -> web.Response:
            return web.Response(status=503, text=FULL_PAGE.format(n=self.max_consoles),
                                content_type="text/html", headers={"Retry-After": "60"})

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            if self.consoles >= self.max_consoles:
                return self._full()
            return await super().handle_index(request)

        async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
            origin = request.headers.get("Origin", "")
            if not origin or _origin(origin) not in self.origins:  # a browser always sends it
                return web.Response(status=403, text="portops serve: a console opens only "
                                    "from this server's own page (Origin refused)\n")
            if self.consoles >= self.max_consoles:
                return self._full()
            self.consoles += 1
            try:
                return await self._console(request)
            finally:
                self.consoles -= 1

        async def _console(self, request: web.Request) -> web.WebSocketResponse:
            """textual-serve's websocket handler, with the browser's address handed to the
            session (the same command otherwise)."""
            websocket = web.WebSocketResponse(heartbeat=15)
            width = to_int(request.query.get("width", "80"), 80)
            height = to_int(request.query.get("height", "24"), 24)
            client = shlex.quote(_client(request))
            service = None
            try:
                await websocket.prepare(request)
                service = AppService(f"PORTOPS_WEB_CLIENT={client} {self.command}",
                                     write_bytes=websocket.send_bytes,
                                     write_str=websocket.send_str, close=websocket.close,
                                     download_manager=self.download_manager, debug=self.debug)
                await service.start(width, height)
                await self._process_messages(websocket, service)
            except Exception:  # noqa: BLE001 - a dropped browser ends its session, not the server
                pass
            finally:
                if service is not None:
                    await service.stop()
            return websocket

    return PortopsServer()


def _client(request: Any) -> str:
    """The browser's address; behind a reverse proxy on this machine, the one it forwards."""
    remote = request.remote or "?"
    forwarded = request.headers.get("X-Forwarded-For", "")
    if forwarded and is_loopback(remote):
        return forwarded.split(",")[-1].strip()[:64] or remote
    return remote


def serve(db_url: str, host: str = "127.0.0.1", port: int = 8000,
          public_url: str | None = None, command: str | None = None,
          max_consoles: int = DEFAULT_MAX_CONSOLES, limits: Any = None) -> None:
    """Serve the console (or ``command``) and, under ``/api/``, the customers' API (with
    ``limits``, :class:`portops.web.api.Limits`) until interrupted."""
    try:
        import textual_serve.server  # noqa: F401
    except ImportError:
        from portops.cli.common import CLIError

        raise CLIError("portops serve needs textual-serve: pip install 'portops[web]'") from None
    from portops.db import make_engine
    from portops.web.api import make_app

    prepare_environment(db_url)
    api = make_app(make_engine(db_url), limits=limits, mounted=True)
    make_server(command or console_command(), host, port, public_url, max_consoles,
                api).serve()
