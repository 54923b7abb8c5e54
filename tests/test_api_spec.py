"""The API's reading of a request into an operation's arguments (any JSON a client sends:
the arguments, or every problem as a rule, never another error) and ``portops api``'s
command line (the OpenAPI file it writes, bad options in one line)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from portops.cli import main
from portops.web.api_spec import ROUTES, BadInput, read_args

NOW = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)
_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
                     | st.text(max_size=30),
                     lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)
_FIELDS = sorted({"container", "slot_start", "plate", "driver_name", "driver_id", "ref",
                  "reason", "to_party", "reference", "name", "password", "days", "token_id",
                  "live_only", "note", "number", "full_name", "party_admin"})


@settings(max_examples=300, deadline=None)
@given(route=st.sampled_from(ROUTES),
       body=st.dictionaries(st.sampled_from(_FIELDS) | st.text(max_size=6), _JSON, max_size=6))
def test_any_json_is_read_into_arguments_or_refused_by_rule(route, body):
    try:
        args = read_args(route, body, lambda: "Asia/Shanghai", NOW)
    except BadInput as bad:
        assert bad.unmet and all(u.rule.startswith("api.field.") for u in bad.unmet)
        return
    assert set(args) <= set(body)  # nothing invented; a time read is aware UTC
    for value in args.values():
        if isinstance(value, datetime):
            assert value.tzinfo is not None


def test_a_time_without_offset_is_the_terminals_and_one_with_it_its_own():
    (route,) = [r for r in ROUTES if r.name == "customer.change"]
    read = read_args(route, {"ref": "TA1", "slot_start": "2026-11-28 14:00"},
                     lambda: "Asia/Shanghai", NOW)
    assert read["slot_start"] == datetime(2026, 11, 28, 6, 0, tzinfo=UTC)
    read = read_args(route, {"ref": "TA1", "slot_start": "2026-11-28T14:00:00+09:00"},
                     lambda: "Asia/Shanghai", NOW)
    assert read["slot_start"] == datetime(2026, 11, 28, 5, 0, tzinfo=UTC)


def test_portops_api_writes_the_openapi_document_and_refuses_bad_options(tmp_path, capsys):
    out = tmp_path / "openapi.json"
    assert main(["api", "--openapi", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["openapi"] == "3.1.0" and "/api/appointments" in doc["paths"]
    capsys.readouterr()
    assert main(["api", "--openapi", str(tmp_path / "no" / "such" / "dir.json")]) == 2
    assert "--openapi" in capsys.readouterr().err
    for bad in (["--workers", "0"], ["--rate", "-1"], ["--port", "70000"]):
        try:
            code = main(["api", *bad])
        except SystemExit as exc:
            code = exc.code
        assert code == 2, bad
        err = capsys.readouterr().err
        assert "Traceback" not in err and err.strip().count("\n") <= 2, err


def test_the_openapi_document_is_valid_openapi_3_1():
    from openapi_spec_validator import validate

    from portops.web.api_spec import openapi

    validate(openapi())  # raises on a document OpenAPI 3.1 does not allow


def test_every_customer_query_and_operation_is_served():
    """A new customer query or ``customer.*`` operation is served, or this fails (the route
    table is one line each)."""
    from portops.ops import OPERATIONS
    from portops.queries.customer import CUSTOMER_QUERIES

    served = {r.name for r in ROUTES}
    assert set(CUSTOMER_QUERIES) <= served
    assert {n for n in OPERATIONS if n.startswith("customer.")} <= served
