"""What the machine interface offers, said once: each route is a customer query or a
customer operation, and its arguments, answers and OpenAPI document are read from the code.

No aiohttp here: the route table, the reading of a request's JSON into an operation's
arguments and the OpenAPI 3.1 document are plain Python, so ``portops api --openapi`` writes
the document without a server and a test compares the committed file with the code. A new
customer operation is served by adding one line to :data:`ROUTES`; its arguments come from
its signature and its summary from its docstring's first line.
"""

from __future__ import annotations

import dataclasses
import inspect
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from portops import __version__
from portops.clock import TimeTextError, as_utc, parse_typed
from portops.i18n import N_, Term
from portops.ops.core import Unmet

#: At most this many bytes of a request body are read (413 beyond).
MAX_BODY = 64 * 1024


@dataclass(frozen=True)
class Route:
    """One HTTP route: ``kind`` "query" (a ``CUSTOMER_QUERIES`` name) or "op" (an operation's
    name); ``fixed`` are arguments the server fills in (never the client): ``"user"`` the
    caller's account, ``"now"`` the server's clock."""

    method: str
    path: str
    kind: str
    name: str
    status: int = 200
    fixed: tuple[str, ...] = ()
    #: Whole-number arguments' bounds, ``(name, lowest, highest)``: what one call may ask
    #: the server to compute (a year of hourly slots is not a question a haulier asks).
    bounds: tuple[tuple[str, int, int], ...] = ()

    @property
    def path_params(self) -> list[str]:
        return [p.strip("{}") for p in self.path.split("/") if p.startswith("{")]


ROUTES: tuple[Route, ...] = (
    Route("GET", "/api/boxes", "query", "boxes"),
    Route("GET", "/api/boxes/{number}", "query", "box"),
    Route("GET", "/api/appointments", "query", "appointments"),
    Route("GET", "/api/eirs", "query", "eirs"),
    Route("GET", "/api/availability", "query", "availability", fixed=("now",),
          bounds=(("days", 1, 31),)),
    Route("GET", "/api/bookings", "query", "bookings"),
    Route("GET", "/api/calls", "query", "calls"),
    Route("GET", "/api/hauliers", "query", "hauliers"),
    Route("GET", "/api/receiving", "query", "receiving"),
    Route("GET", "/api/receivals", "query", "receivals"),
    Route("GET", "/api/arrivals", "query", "arrivals"),
    Route("GET", "/api/accounts", "query", "accounts"),
    Route("GET", "/api/nominations", "query", "nominations"),
    Route("GET", "/api/standing", "query", "standing", fixed=("now",)),
    Route("GET", "/api/delays", "query", "delays", fixed=("now",), bounds=(("days", 1, 366),)),
    Route("POST", "/api/appointments", "op", "customer.book", 201),
    Route("PATCH", "/api/appointments/{ref}", "op", "customer.change"),
    Route("POST", "/api/appointments/{ref}/cancel", "op", "customer.cancel"),
    Route("POST", "/api/deliveries", "op", "customer.export_book", 201),
    Route("POST", "/api/deliveries/{ref}/cancel", "op", "customer.export_cancel"),
    Route("POST", "/api/bookings/{booking_ref}/nominations", "op", "customer.nominate", 201),
    Route("POST", "/api/bookings/{booking_ref}/nominations/{haulier}/revoke", "op",
          "customer.revoke_nomination"),
    Route("POST", "/api/haulier/deliveries", "op", "customer.haulier_export_book", 201),
    Route("POST", "/api/haulier/deliveries/{ref}/cancel", "op",
          "customer.haulier_export_cancel"),
    Route("POST", "/api/boxes/{container}/pass-on", "op", "customer.pass_on"),
    Route("POST", "/api/boxes/{container}/release", "op", "customer.release"),
    Route("POST", "/api/users", "op", "customer.user_add", 201),
    Route("POST", "/api/users/{name}/disable", "op", "customer.user_disable"),
    Route("POST", "/api/users/{name}/password", "op", "customer.user_password"),
    Route("POST", "/api/tokens", "op", "token.issue", 201, fixed=("user",)),
    Route("POST", "/api/tokens/{token_id}/revoke", "op", "token.revoke"),
)


class BadInput(Exception):
    """A request the API cannot read into arguments: every problem, as unmet rules (422)."""

    def __init__(self, unmet: list[Unmet]):
        super().__init__("; ".join(str(u) for u in unmet))
        self.unmet = unmet


def target(route: Route) -> Callable:
    """The function a route calls: the query (undecorated: its signature after ``s, me``)
    or the operation's body (after ``tx``)."""
    if route.kind == "query":
        from portops.queries.customer import CUSTOMER_QUERIES

        return CUSTOMER_QUERIES[route.name].__wrapped__
    from portops.ops import OPERATIONS

    return OPERATIONS[route.name].body


def summary(route: Route) -> str:
    return (target(route).__doc__ or route.name).strip().splitlines()[0]


def arguments(route: Route) -> list[tuple[str, Any, bool]]:
    """The client's arguments of ``route``: ``(name, type, required)``, in signature order."""
    fn = target(route)
    hints = typing.get_type_hints(fn)
    params = list(inspect.signature(fn).parameters.values())
    params = params[2:] if route.kind == "query" else params[1:]
    return [(p.name, hints.get(p.name, str), p.default is inspect.Parameter.empty)
            for p in params if p.name not in route.fixed]


def _optional(kind: Any) -> tuple[Any, bool]:
    args = typing.get_args(kind)
    if isinstance(kind, types.UnionType) or typing.get_origin(kind) is typing.Union:
        rest = [a for a in args if a is not type(None)]
        return rest[0], len(rest) < len(args)
    return kind, False


def _bad(rule: str, message: str, remedy: str, **params: Any) -> Unmet:
    return Unmet.of(rule, message, remedy, **params)


def _value(name: str, kind: Any, value: Any, tz: Callable[[], str], now: datetime) -> Any:
    kind, nullable = _optional(kind)
    if value is None and nullable:
        return None
    if kind is datetime:
        if isinstance(value, str):
            try:
                return parse_typed(value, tz(), now)
            except TimeTextError:
                pass
        raise BadInput([_bad("api.field.time", N_("{field}: {value!r} is not a time"),
                             N_("give ISO 8601 with its offset, e.g. "
                                "2026-11-27T14:00:00+08:00 (without one: the terminal's "
                                "time)"), field=name, value=value)])
    if kind is bool and isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"  # a query string's flag
    if kind is int and isinstance(value, str) and value.strip().isdigit() and \
            len(value.strip()) <= 18:
        return int(value)  # a path's or query string's number
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if not ok or (kind is int and not -2**63 <= value < 2**63):
        expect = {str: N_("text"), int: N_("a whole number"),
                  bool: N_("true or false")}.get(kind, N_("text"))
        raise BadInput([_bad("api.field.type", N_("{field} must be {kind}, not {value!r}"),
                             N_("send the field as the API document says"), field=name,
                             kind=Term(expect), value=value)])
    return value


def read_args(route: Route, given: dict[str, Any], tz: Callable[[], str],
              now: datetime) -> dict[str, Any]:
    """``given`` (the path's, query string's or body's values) as the route's arguments,
    every problem at once: a field not of this call, one missing, one of the wrong type."""
    args = arguments(route)
    names = {n for n, _k, _r in args}
    problems = [_bad("api.field.unknown", N_("{field!r} is not a field of {call}"),
                     N_("the fields are: {fields}"), field=k, call=route.name,
                     fields=", ".join(sorted(names)) or "-")
                for k in given if k not in names]
    out: dict[str, Any] = {}
    for name, kind, required in args:
        if name not in given:
            if required:
                problems.append(_bad("api.field.missing", N_("{field!r} is missing"),
                                     N_("send every field the API document marks required"),
                                     field=name))
            continue
        try:
            out[name] = _value(name, kind, given[name], tz, now)
        except BadInput as bad:
            problems += bad.unmet
            continue
        for field_, low, high in route.bounds:
            if field_ == name and out[name] is not None and not low <= out[name] <= high:
                problems.append(_bad("api.field.range",
                                     N_("{field} must be from {low} to {high}, not {value}"),
                                     N_("ask for less at a time"), field=name, low=low,
                                     high=high, value=out[name]))
    if problems:
        raise BadInput(problems)
    return out


def plain(value: Any) -> Any:
    """An answer as JSON: dataclasses as objects (with their properties), times as ISO 8601
    in UTC with its offset, a refusal's rule as ``{rule, message, remedy}``."""
    if isinstance(value, Unmet):
        return {"rule": value.rule, "message": value.message, "remedy": value.remedy}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        for name, attr in inspect.getmembers(type(value)):
            if isinstance(attr, property):
                out[name] = plain(getattr(value, name))
        return out
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


# -- the OpenAPI document ---------------------------------------------------------------------

_SCALARS = {str: {"type": "string"}, int: {"type": "integer"}, bool: {"type": "boolean"},
            float: {"type": "number"}, type(None): {"type": "null"},
            datetime: {"type": "string", "format": "date-time"}}
_ERROR = {"type": "object", "required": ["refused"], "properties": {"refused": {
    "type": "array", "items": {"$ref": "#/components/schemas/Unmet"}}}}


def _schema(kind: Any, components: dict[str, Any]) -> dict[str, Any]:
    kind, nullable = _optional(kind)
    if kind is Unmet:
        out: dict[str, Any] = {"$ref": "#/components/schemas/Unmet"}
    elif kind in _SCALARS:
        out = dict(_SCALARS[kind])
    elif typing.get_origin(kind) in (list, tuple):
        out = {"type": "array", "items": _schema(typing.get_args(kind)[0], components)}
    elif typing.get_origin(kind) is dict or kind is dict:
        out = {"type": "object"}
    elif dataclasses.is_dataclass(kind):
        _component(kind, components)
        out = {"$ref": f"#/components/schemas/{kind.__name__}"}
    else:
        out = {}
    if nullable:
        out = {"oneOf": [out, {"type": "null"}]}
    return out


def _bounded(schema: dict[str, Any], bounds: dict[str, int] | None) -> dict[str, Any]:
    if not bounds:
        return schema
    if "oneOf" in schema:
        return {"oneOf": [{**schema["oneOf"][0], **bounds}, *schema["oneOf"][1:]]}
    return {**schema, **bounds}


def _component(cls: type, components: dict[str, Any]) -> None:
    if cls.__name__ in components:
        return
    components[cls.__name__] = {}
    hints = typing.get_type_hints(cls)
    props = {f.name: _schema(hints[f.name], components) for f in dataclasses.fields(cls)}
    for name, attr in inspect.getmembers(cls):
        if isinstance(attr, property):
            props[name] = _schema(typing.get_type_hints(attr.fget).get("return", str), components)
    components[cls.__name__] = {"type": "object", "properties": props,
                                "required": sorted(props)}


def _errors(route: Route) -> dict[str, Any]:
    said = {"401": "no valid API token", "413": "the body is over the size limit",
            "422": "a field missing, unknown or of the wrong type",
            "429": "too many requests with this token (see Retry-After)",
            "404": "not the caller's (or no such thing): nothing is said of another's data",
            "403": "the caller's role may not do this"}
    if route.kind == "op":
        said["400"] = "the body is not a JSON object"
        said["409"] = "refused by the terminal's rules (the same rule ids and sentences " \
                      "the clerk sees)"
    return {code: {"description": text, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Refused"}}}} for code, text in said.items()}


def openapi() -> dict[str, Any]:
    """The OpenAPI 3.1 document of :data:`ROUTES`, generated from their code."""
    components: dict[str, Any] = {
        "Unmet": {"type": "object", "required": ["rule", "message", "remedy"], "properties": {
            "rule": {"type": "string"}, "message": {"type": "string"},
            "remedy": {"type": "string"}}},
        "Refused": _ERROR}
    paths: dict[str, Any] = {}
    for route in ROUTES:
        fn = target(route)
        hints = typing.get_type_hints(fn)
        args = arguments(route)
        in_path = set(route.path_params)
        op: dict[str, Any] = {"operationId": route.name.replace(".", "_"),
                              "summary": summary(route), "security": [{"token": []}],
                              "tags": ["operations" if route.kind == "op" else "queries"]}
        bounds = {n: {"minimum": lo, "maximum": hi} for n, lo, hi in route.bounds}
        params = [{"name": n, "in": "path" if n in in_path else "query",
                   "required": n in in_path or r,
                   "schema": _bounded(_schema(k, components), bounds.get(n))}
                  for n, k, r in args if n in in_path or route.kind == "query"]
        if params:
            op["parameters"] = params
        body = [(n, k, r) for n, k, r in args if n not in in_path and route.kind == "op"]
        if route.kind == "op":
            op["description"] = f"The operation {route.name}; it writes its event like any other."
            op["requestBody"] = {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "additionalProperties": False,
                "required": [n for n, _k, r in body if r],
                "properties": {n: _schema(k, components) for n, k, _r in body}}}}}
            answer: dict[str, Any] = {"type": "object", "properties": {
                "result": _schema(hints.get("return", type(None)), components)}}
        else:
            answer = _schema(hints.get("return", dict), components)
            if route.name == "box":
                answer = answer["oneOf"][0]
        op["responses"] = {str(route.status): {"description": "done", "content": {
            "application/json": {"schema": answer}}}, **_errors(route)}
        paths.setdefault(route.path, {})[route.method.lower()] = op
    paths["/api/openapi.json"] = {"get": {"operationId": "openapi", "summary": "This document",
                                          "security": [], "responses": {"200": {
                                              "description": "the OpenAPI document"}}}}
    return {"openapi": "3.1.0",
            "info": {"title": "portops appointment platform", "version": __version__,
                     "description": "The terminal's customers' queries and operations, "
                     "scoped to the party of the API token's account. Times are ISO 8601: "
                     "answered in UTC with their offset; a time sent without an offset is "
                     "read in the terminal's time zone."},
            "servers": [{"url": "/"}],
            "components": {"schemas": dict(sorted(components.items())),
                           "securitySchemes": {"token": {"type": "http", "scheme": "bearer",
                                                         "description": "portops token issue"}}},
            "paths": dict(sorted(paths.items()))}
