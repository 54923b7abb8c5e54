"""Who runs portops, as the operating system tells it: the OS account, the host and the face
(``cli``, ``console``, ``web``), and for a remote console the client's address. Every event
keeps it as ``via`` (issue 16): a portops account says who signed in, ``via`` where from.
It also names the source the sign-in back-off counts failures by."""

from __future__ import annotations

import getpass
import os
import socket

#: Set by ``portops serve`` for each browser session: the browser's address.
WEB_CLIENT = "PORTOPS_WEB_CLIENT"

#: How this process is used (``cli``, ``console``); set by the command line. None (a test, a
#: library caller): events get no ``via``.
FACE: str | None = None


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        return str(os.getuid()) if hasattr(os, "getuid") else "?"


def client_address() -> str:
    """The remote end of this session: a browser (``portops serve``) or an SSH client."""
    web = os.environ.get(WEB_CLIENT)
    if web:
        return web
    ssh = os.environ.get("SSH_CLIENT") or os.environ.get("SSH_CONNECTION") or ""
    return ssh.split()[0] if ssh.split() else ""


def via(face: str) -> dict[str, str]:
    """What an event records about where it came from."""
    out = {"face": "web" if os.environ.get(WEB_CLIENT) else face, "os_user": os_user(),
           "host": socket.gethostname()}
    address = client_address()
    if address:
        out["from"] = address
    return out


def current_via() -> dict[str, str] | None:
    """``via`` for this process's events (None until the command line says its face)."""
    return via(FACE) if FACE else None


def source(face: str) -> str:
    """What the sign-in back-off counts failures by: the remote address when there is one
    (``web:ADDRESS``, ``ssh:ADDRESS``), else the OS account and host."""
    if os.environ.get(WEB_CLIENT):
        return f"web:{os.environ[WEB_CLIENT]}"
    address = client_address()
    if address:
        return f"ssh:{address}"
    return f"{face}:{os_user()}@{socket.gethostname()}"
