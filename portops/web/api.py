"""The machine interface (issue 18): HTTP with JSON for a haulier's or a port community
system's own software, on aiohttp (it comes with textual-serve, the web extra).

Every call is a customer query or operation (:data:`portops.web.api_spec.ROUTES`) made as the
account the ``Authorization: Bearer`` token was issued to; the core scopes it to the
account's party, judges it by the clerk's own rules and writes the event, whose ``via`` says
it came through the API (with the caller's address and the token's first characters). The
server adds only what a network needs: the token, a bounded body (64 KiB), a token bucket per
token shared by every server process (:mod:`portops.web.rate`), and refusals as JSON with the
rule ids and sentences a clerk sees::

    {"refused": [{"rule": "permission.customs_import", "message": "...", "remedy": "..."}]}

The database is worked in a thread pool: the operations block, the event loop must not.
"""

from __future__ import annotations

import asyncio
import functools
import gettext
import json
import logging
import math
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from portops.clock import Clock, SystemClock
from portops.i18n import DOMAIN, LOCALE_DIR, N_, normalize
from portops.ops.core import Refused, Unmet
from portops.web.api_spec import MAX_BODY, ROUTES, BadInput, Route, openapi, plain, read_args

#: Refusals that say the caller may not (403, first); a ``*.not_found`` rule is 404 (another
#: party's box is refused as if it did not exist); ``db.busy`` 503; any other rule 409.
FORBIDDEN = {"role.not_permitted", "customer.no_party", "customer.user.not_admin", "token.other"}


@dataclass(frozen=True)
class Limits:
    """What one token may send: ``rate`` requests a second with bursts of ``burst``, over
    all the server processes together (:mod:`portops.web.rate`)."""

    rate: float = 20.0
    burst: float = 40.0
    max_body: int = MAX_BODY


class Answer(Exception):
    """A request refused: its status and every unmet rule (answered by :func:`_json_errors`,
    in the language the client asks for)."""

    def __init__(self, status: int, *unmet: Unmet, headers: dict[str, str] | None = None):
        super().__init__(status)
        self.status, self.unmet, self.headers = status, unmet, headers


@functools.cache
def _catalog(code: str) -> Callable[[str], str]:
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[code], fallback=True).gettext


def translator(accept_language: str) -> Callable[[str], str] | None:
    """The gettext of the first shipped language ``Accept-Language`` names (None: English);
    the rule ids stay as they are, as everywhere."""
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip()
        try:
            code = normalize(tag) if tag and tag != "*" else ""
        except ValueError:
            continue
        if code:
            return None if code == "en" else _catalog(code)
    return None


def _answer(request: web.Request, refusal: Answer) -> web.Response:
    translate = translator(request.headers.get("Accept-Language", ""))
    items = []
    for u in refusal.unmet:
        message, remedy = (u.message, u.remedy) if translate is None else u.localized(translate)
        items.append({"rule": u.rule, "message": message, "remedy": remedy})
    return web.json_response({"refused": items}, status=refusal.status,
                             headers=refusal.headers)


def status_of(unmet: tuple[Unmet, ...]) -> int:
    rules = {u.rule for u in unmet}
    if rules & FORBIDDEN:
        return 403
    if any(r.endswith("not_found") for r in rules):
        return 404
    if "db.busy" in rules:
        return 503
    return 409


def _too_big(limit: int) -> Unmet:
    return Unmet.of("api.body.size", N_("the request body is over {limit} bytes"),
                    N_("send a smaller request"), limit=limit)


def _no_token() -> Unmet:
    return Unmet.of("api.token", N_("no valid API token was given (unknown, revoked, or its "
                                    "account disabled)"),
                    N_("send the header Authorization: Bearer TOKEN (portops token issue)"))


class Api:
    """The application's state: the database, the clock, the limits and the buckets."""

    def __init__(self, engine: Any, clock: Clock | None = None, limits: Limits | None = None,
                 threads: int = 8):
        self.engine = engine
        self.clock = clock or SystemClock()
        self.limits = limits or Limits()
        self.pool = ThreadPoolExecutor(threads, thread_name_prefix="portops-api")
        self._tz: tuple[float, str] | None = None

    async def _work(self, fn: Callable[[], Any]) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.pool, fn)

    def timezone(self) -> str:
        """The terminal's zone, for a time sent without its offset (read once a minute)."""
        if self._tz is None or time.monotonic() - self._tz[0] > 60:
            from portops.db import read_session
            from portops.ops.customer import customer_rules

            with read_session(self.engine) as s:
                self._tz = (time.monotonic(), customer_rules(s).timezone)
        return self._tz[1]

    def core(self, request: web.Request, token: str) -> Any:
        """A core whose events say they came through the API, from where, with which token
        (its first characters, as ``portops token list`` shows them)."""
        from portops.identity import via
        from portops.ops import Core

        core = Core(self.engine, self.clock)
        core.via = {**via("api"), "face": "api", "from": request.remote or "",
                    "token": token[:10]}
        return core

    async def caller(self, request: web.Request) -> tuple[str, str]:
        """``(account, token)`` of the request; else refused (401, 403, 429)."""
        from portops.queries.customer import who

        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or len(token) > 256:
            raise Answer(401, _no_token(), headers={"WWW-Authenticate": "Bearer"})
        user, wait = await self._work(lambda: self._owner_and_rate(token))
        if user is None:
            raise Answer(401, _no_token(), headers={"WWW-Authenticate": "Bearer"})
        if wait:
            seconds = max(1, math.ceil(wait))
            raise Answer(429, Unmet.of(
                "api.rate", N_("too many requests with this token: at most {rate:g} a second"),
                N_("try again in {seconds} s"), rate=self.limits.rate, seconds=seconds),
                headers={"Retry-After": str(seconds)})
        if await self._work(lambda: who(self.engine, user)) is None:
            raise Answer(403, Unmet.of(
                "customer.no_party", N_("{user} is not an account of a party"),
                N_("sign in with your company's account"), user=user))
        return user, token

    def _owner_and_rate(self, token: str) -> tuple[str | None, float]:
        """The token's account and, for a known token only (an unknown one writes nothing),
        the wait its shared bucket asks (0: go on)."""
        from portops.auth import token_hash
        from portops.queries.accounts import token_owner
        from portops.web.rate import take

        user = token_owner(self.engine, token)
        if user is None:
            return None, 0.0
        return user, take(self.engine, token_hash(token), self.limits.rate,
                          self.limits.burst, time.time())

    async def body(self, request: web.Request) -> dict[str, Any]:
        """The JSON object sent; else refused (413, 400)."""
        too_big = _too_big(self.limits.max_body)
        if (request.content_length or 0) > self.limits.max_body:
            raise Answer(413, too_big)
        raw = await request.content.read(self.limits.max_body + 1)
        if len(raw) > self.limits.max_body:
            raise Answer(413, too_big)
        if not raw.strip():
            return {}
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError) as exc:
            at = f"line {exc.lineno} column {exc.colno}" if hasattr(exc, "lineno") else "-"
            raise Answer(400, Unmet.of(
                "api.body.json", N_("the request body is not JSON ({at})"),
                N_("send one JSON object, as the API document says"), at=at)) from None
        if not isinstance(data, dict):
            raise Answer(400, Unmet.of(
                "api.body.object", N_("the request body is JSON but not an object"),
                N_("send one JSON object, as the API document says")))
        return data

    def handler(self, route: Route) -> Callable:
        async def handle(request: web.Request) -> web.StreamResponse:
            user, token = await self.caller(request)
            given: dict[str, Any] = dict(request.match_info)
            if route.kind == "query":
                given.update(request.query)
            else:
                body = await self.body(request)
                # a field the path names is not the body's to repeat (or contradict)
                given.update({k if k not in given else f"{k} (in the body)": v
                              for k, v in body.items()})
            now = self.clock.now()
            try:
                args = await self._work(lambda: read_args(route, given, self.timezone, now))
            except BadInput as bad:
                raise Answer(422, *bad.unmet) from None
            try:
                answer = await self._work(lambda: self._call(request, route, user, token, args))
            except Refused as refusal:
                raise Answer(status_of(refusal.unmet), *refusal.unmet) from None
            if route.name == "box" and answer is None:
                raise Answer(404, Unmet.of(
                    "customer.box.not_found", N_("{party} has no container {number} here"),
                    N_("check the number; you see the boxes you hold the right to collect"),
                    party=await self._work(lambda: self._code(user)),
                    number=str(args.get("number", "")).strip().upper()))
            return web.json_response(plain(answer if route.kind == "query" else
                                           {"result": answer}), status=route.status)
        return handle

    def _code(self, user: str) -> str:
        from portops.queries.customer import who

        me = who(self.engine, user)
        return me.code if me else ""

    def _call(self, request: web.Request, route: Route, user: str, token: str,
              args: dict[str, Any]) -> Any:
        if route.kind == "query":
            from portops.queries.customer import CUSTOMER_QUERIES

            if "now" in route.fixed:
                args["now"] = self.clock.now()
            return CUSTOMER_QUERIES[route.name](self.engine, user, **args)
        from portops.ops import OPERATIONS

        if "user" in route.fixed:
            args["user"] = user
        return self.core(request, token).run(user, OPERATIONS[route.name], **args)


async def _spec(request: web.Request) -> web.Response:
    return web.json_response(request.app[SPEC])


@web.middleware
async def _json_errors(request: web.Request, handler: Callable) -> web.StreamResponse:
    """Every answer is JSON: a path or method the API has not, a body past the limit."""
    try:
        return await handler(request)
    except Answer as refusal:
        return _answer(request, refusal)
    except web.HTTPNotFound:
        return _answer(request, Answer(404, Unmet.of(
            "api.path", N_("the API has no {path}"), N_("see /api/openapi.json"),
            path=request.path)))
    except web.HTTPMethodNotAllowed as exc:
        return _answer(request, Answer(405, Unmet.of(
            "api.method", N_("{path} does not take {method}"), N_("use {allowed}"),
            path=request.path, method=request.method,
            allowed=", ".join(sorted(exc.allowed_methods)))))
    except web.HTTPRequestEntityTooLarge:
        return _answer(request, Answer(413, _too_big(request.app[API].limits.max_body)))
    except web.HTTPException:
        raise
    except Exception:  # a fault of the server's (the database gone): logged, said in JSON
        logging.getLogger("portops.api").exception("%s %s", request.method, request.path)
        return _answer(request, Answer(500, Unmet.of(
            "api.internal", N_("the server failed on this request"),
            N_("see whether it was done before trying again; if it keeps failing, tell the "
               "terminal (its log has the cause)"))))


API = web.AppKey("api", Api)
SPEC = web.AppKey("openapi", dict)


#: Where the API's paths begin (``/api/...``), whether served alone or mounted.
PREFIX = "/api"


def make_app(engine: Any, clock: Clock | None = None, limits: Limits | None = None,
             threads: int = 8, mounted: bool = False) -> web.Application:
    """The API's application. ``mounted``: its routes drop the ``/api`` prefix, for
    ``parent.add_subapp(PREFIX, app)`` (``portops serve``), so the paths are the same."""
    api = Api(engine, clock, limits, threads)
    app = web.Application(middlewares=[_json_errors], client_max_size=api.limits.max_body)
    app[API] = api
    app[SPEC] = openapi()

    def path(full: str) -> str:
        return full.removeprefix(PREFIX) if mounted else full

    for route in ROUTES:
        app.router.add_route(route.method, path(route.path), api.handler(route))
    app.router.add_get(path("/api/openapi.json"), _spec)

    async def _headers(_request: web.Request, response: web.StreamResponse) -> None:
        # a party's data is not for a shared cache; the server's version is nobody's business
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers.pop("Server", None)

    app.on_response_prepare.append(_headers)

    async def _close(_app: web.Application) -> None:
        api.pool.shutdown(wait=False, cancel_futures=True)

    app.on_cleanup.append(_close)
    return app
