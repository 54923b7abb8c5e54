"""``portops serve``: the console in a browser through textual-serve.

textual-serve runs the console command once per browser session and relays its screen over a
websocket, so the browser gets exactly the console a terminal gets — including the sign-in:
the served command is plain ``portops`` (open the console), never with ``--user``, and the
server drops ``PORTOPS_USER``/``PORTOPS_PASSWORD`` from the environment its sessions inherit.
The database is handed down in ``PORTOPS_DB`` rather than on the command line, so a password
in a PostgreSQL URL does not show in the process list.

It binds to 127.0.0.1 unless told otherwise: textual-serve has no TLS and no rate limiting of
its own; put it behind an authenticating reverse proxy to reach it from elsewhere (README).
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import sys

#: Taken out of the environment the browser sessions inherit: they must sign in themselves.
NOT_INHERITED = ("PORTOPS_USER", "PORTOPS_PASSWORD", "PORTOPS_ADMIN_PASSWORD")


def console_command() -> str:
    """The shell command textual-serve starts for each browser session."""
    return f"{shlex.quote(sys.executable)} -m portops"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def prepare_environment(db_url: str) -> None:
    """Set up what every browser session inherits (this process's environment)."""
    os.environ["PORTOPS_DB"] = db_url
    for name in NOT_INHERITED:
        os.environ.pop(name, None)


def serve(db_url: str, host: str = "127.0.0.1", port: int = 8000,
          public_url: str | None = None, command: str | None = None) -> None:
    """Serve the console (or ``command``) until interrupted."""
    try:
        from textual_serve.server import Server
    except ImportError:
        from portops.cli.common import CLIError

        raise CLIError("portops serve needs textual-serve: pip install 'portops[web]'") from None
    prepare_environment(db_url)
    server = Server(command or console_command(), host=host, port=port, title="portops",
                    public_url=public_url)
    server.serve()
