"""``portops api``: the machine interface (HTTP with JSON) for the terminal's customers'
own software, on 127.0.0.1 by default; ``--openapi FILE`` writes its OpenAPI document.

Several server processes (``--workers``) share the port (SO_REUSEPORT): the operations are
worked in threads, but a Python process computes on one core at a time.
"""

from __future__ import annotations

import argparse
import json
import sys

from portops.cli.common import CLIError, engine_for
from portops.cli.serve_cmd import _port, add_limits
from portops.i18n import N_, _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("api", help=N_("serve the customers' API (HTTP with JSON; tokens from "
                       "portops token issue; 127.0.0.1 unless --host)"))
    p.add_argument("--host", default="127.0.0.1",
                   help=N_("address to listen on (default 127.0.0.1; put a reverse proxy with "
                   "TLS in front to reach it from elsewhere)"))
    p.add_argument("--port", type=_port, default=8001, help=N_("port (default 8001)"))
    add_limits(p)
    p.add_argument("--workers", type=_workers, default=1, metavar="N",
                   help=N_("server processes sharing the port (default 1)"))
    p.add_argument("--openapi", metavar="FILE", default=None,
                   help=N_("write the OpenAPI document to FILE ('-': print it) and stop"))
    p.set_defaults(handler=run)


def _workers(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{value!r} is not a number of processes").format(
            value=value)) from None
    if not 1 <= n <= 64:
        raise argparse.ArgumentTypeError(_("{n} processes: give 1 to 64").format(n=n))
    return n


def openapi_text() -> str:
    """The document as ``docs/openapi.json`` holds it."""
    from portops.web.api_spec import openapi

    return json.dumps(openapi(), indent=1, ensure_ascii=False) + "\n"


def run(args: argparse.Namespace) -> int:
    if args.openapi:
        text = openapi_text()
        if args.openapi == "-":
            sys.stdout.write(text)
            return 0
        try:
            with open(args.openapi, "w", encoding="utf-8") as f:
                f.write(text)
        except OSError as exc:
            raise CLIError(f"--openapi {args.openapi}: {exc.strerror}", 2) from None
        print(_("wrote the OpenAPI document to {path}").format(path=args.openapi))
        return 0
    engine = engine_for(args)  # a missing or outdated database is refused now
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    print(_("serving the portops API on {url} ({n} process(es); document: "
            "/api/openapi.json; Ctrl+C stops)").format(
                url=f"http://{args.host}:{args.port}/api", n=args.workers), flush=True)
    if args.workers == 1:
        _serve(url, args.host, args.port, args.rate, args.burst, False)
        return 0
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_serve, args=(url, args.host, args.port, args.rate,
                                              args.burst, True), daemon=True)
             for _ in range(args.workers)]
    for p in procs:
        p.start()
    try:
        for p in procs:
            p.join()
    except KeyboardInterrupt:
        for p in procs:
            p.terminate()
    return 0


def _serve(url: str, host: str, port: int, rate: float, burst: float, shared: bool) -> None:
    from aiohttp import web

    from portops import identity
    from portops.db import make_engine
    from portops.web.api import Limits, make_app

    identity.FACE = "api"
    app = make_app(make_engine(url), limits=Limits(rate=rate, burst=burst))
    try:
        web.run_app(app, host=host, port=port, reuse_port=shared or None, print=None,
                    access_log=None)
    except OSError as exc:
        raise CLIError(_("cannot listen on {address}: {reason}").format(
            address=f"{host}:{port}", reason=exc.strerror)) from None
