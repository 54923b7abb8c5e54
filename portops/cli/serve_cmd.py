"""``portops serve``: the console in a browser (textual-serve), on 127.0.0.1 by default."""

from __future__ import annotations

import argparse
import os
import sys

from portops.cli.common import CLIError, engine_for
from portops.i18n import N_, _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help=N_("serve the console in a web browser (sign-in applies; "
                       "127.0.0.1 unless --host)"))
    p.add_argument("--host", default="127.0.0.1",
                   help=N_("address to listen on (default 127.0.0.1: this machine only; put a "
                   "reverse proxy with authentication and TLS in front to reach it from "
                   "elsewhere)"))
    p.add_argument("--port", type=_port, default=8000, help=N_("port (default 8000)"))
    p.add_argument("--public-url", default=None,
                   help=N_("the address browsers use when behind a reverse proxy, e.g. "
                   "https://tos.example.org/console"))
    p.add_argument("--max-consoles", type=_count, default=None, metavar="N",
                   help=N_("consoles served at once; each is a process of ~80 MB (default "
                   "$PORTOPS_MAX_CONSOLES or 8); more browsers are refused with a page that "
                   "says so"))
    add_limits(p, "--api-")
    p.set_defaults(handler=run)


def add_limits(p: argparse.ArgumentParser, prefix: str = "--") -> None:
    """The API's rate per token (``portops api``'s ``--rate``, ``portops serve``'s
    ``--api-rate``): shared by every server process (a row per token in the database)."""
    p.add_argument(f"{prefix}rate", type=_positive, default=20.0, metavar="N",
                   help=N_("API requests a second per token, on average, over all server "
                   "processes (default 20)"))
    p.add_argument(f"{prefix}burst", type=_positive, default=40.0, metavar="N",
                   help=N_("API requests per token at once before the rate applies (default 40)"))


def _positive(value: str) -> float:
    try:
        n = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{value!r} is not a number").format(
            value=value)) from None
    if not 0 < n <= 1e6:
        raise argparse.ArgumentTypeError(_("{value}: give a number above 0, at most 1000000")
                                         .format(value=value))
    return n


def _count(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{value!r} is not a number of consoles").format(
            value=value)) from None
    if not 1 <= n <= 1000:
        raise argparse.ArgumentTypeError(_("{n} consoles: give 1 to 1000").format(n=n))
    return n


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{value!r} is not a port number").format(
            value=value)) from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(_("{port} is not a port number (1-65535)").format(
            port=port))
    return port


def run(args: argparse.Namespace) -> int:
    from portops.web.api import Limits
    from portops.web.serve import DEFAULT_MAX_CONSOLES, is_loopback, serve

    consoles = args.max_consoles
    if consoles is None:
        given = os.environ.get("PORTOPS_MAX_CONSOLES", "")
        try:
            consoles = _count(given) if given else DEFAULT_MAX_CONSOLES
        except argparse.ArgumentTypeError as exc:
            raise CLIError(f"$PORTOPS_MAX_CONSOLES: {exc}", 2) from None

    engine = engine_for(args)  # refuses a missing or outdated database now, not per session
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    if not is_loopback(args.host):
        print(_("portops serve: listening on {host}, reachable from other machines without "
                "TLS; put an authenticating reverse proxy in front (see README)").format(
                    host=args.host), file=sys.stderr)
    public = args.public_url or f"http://{args.host}:{args.port}"
    print(_("serving the portops console on {url}, at most {n} at once, and the API under "
            "{api} (Ctrl+C stops)").format(url=public, n=consoles,
                                          api=f"{public.rstrip('/')}/api/"), flush=True)
    try:
        serve(url, args.host, args.port, args.public_url, max_consoles=consoles,
              limits=Limits(rate=args.api_rate, burst=args.api_burst))
    except OSError as exc:
        raise CLIError(_("cannot listen on {address}: {reason}").format(
            address=f"{args.host}:{args.port}", reason=exc.strerror)) from None
    return 0
