"""The API in real server processes on 127.0.0.1: mounted under ``/api/`` in ``portops serve``
beside the console's page, and one rate per token for all the processes that serve it (a
token's bucket is a row in the database, :mod:`portops.web.rate`), so a client cannot multiply
its rate by spreading its requests over ``--workers`` processes or over ``serve`` and ``api``.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import pytest

from portops.ops.tokens import issue_token
from tests import customer_world
from tests.server_process import free_port, listening

pytestmark = pytest.mark.slow


@contextmanager
def _running(db: str, *args: str) -> Iterator[int]:
    """``portops ARGS --port P`` on a free port, until the block ends: the port."""
    port = free_port()
    env = {**os.environ, "PORTOPS_DB": db}
    for name in ("PORTOPS_USER", "PORTOPS_PASSWORD", "PORTOPS_TOKEN"):
        env.pop(name, None)
    with listening([sys.executable, "-m", "portops", *args, "--port", str(port)], port,
                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True):
        yield port


def _get(port: int, path: str, token: str | None = None) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        conn.request("GET", path, headers=headers)
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


@pytest.fixture
def haul1(core, engine, small_terminal) -> str:
    """HAUL1's account's API token in the customers' world."""
    customer_world.build(core, engine, small_terminal)
    return core.run("haul1", issue_token, user="haul1", note="processes test")


@pytest.mark.sqlite_only
def test_portops_serve_answers_the_api_under_api_beside_the_console(db_url, haul1):
    with _running(db_url, "serve", "--api-rate", "1000", "--api-burst", "1000") as port:
        status, headers, page = _get(port, "/")
        assert status == 200 and b"<html" in page.lower()  # the console's page still loads
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        status, headers, body = _get(port, "/api/hauliers", haul1)
        assert status == 200, body
        assert "HAUL2" in {h["code"] for h in json.loads(body)}  # whom HAUL1 may hand on to
        assert headers["Cache-Control"] == "no-store"
        status, _h, body = _get(port, "/api/boxes")  # the same token rule as portops api
        assert status == 401 and json.loads(body)["refused"][0]["rule"] == "api.token"
        status, _h, body = _get(port, "/api/nothing", haul1)
        assert status == 404 and json.loads(body)["refused"][0]["rule"] == "api.path"
        status, _h, body = _get(port, "/api/openapi.json")
        assert status == 200 and "/api/appointments" in json.loads(body)["paths"]


def test_a_token_has_one_rate_over_all_server_processes(db_url, haul1):
    """Two ``portops api`` processes and a ``portops serve`` on one database: a burst of 4
    is 4 requests in all, wherever they go (per process it was 4 each: 12)."""
    limits = ("--rate", "0.05", "--burst", "4")  # refills one in 20 s: none during the test
    with ExitStack() as stack:
        ports = [stack.enter_context(_running(db_url, "api", *limits)) for _ in range(2)]
        if db_url.startswith("/") or db_url.startswith("sqlite"):
            ports.append(stack.enter_context(_running(
                db_url, "serve", "--api-rate", "0.05", "--api-burst", "4")))
        answers = [_get(ports[i % len(ports)], "/api/hauliers", haul1) for i in range(12)]
    statuses = [a[0] for a in answers]
    assert statuses[:4] == [200] * 4 and set(statuses[4:]) == {429}, statuses
    refused = json.loads(answers[4][2])["refused"][0]
    assert refused["rule"] == "api.rate"
    assert int(answers[4][1]["Retry-After"]) >= 1
