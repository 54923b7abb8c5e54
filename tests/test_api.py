"""The machine interface over real HTTP on 127.0.0.1: a haulier's and a consignee's software
do their part of the import journey through it, refused by the clerk's rules in JSON, scoped
to their party, within the body size and rate limits, with the token revocable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import Session, select

from portops.model import Event
from portops.ops.flags import grant_permission
from portops.ops.releases import line_release
from portops.ops.tokens import issue_token, revoke_token
from portops.queries.accounts import tokens
from portops.web.api import Limits, make_app
from tests import customer_world
from tests.api_server import Served
from tests.gate_world import DISPATCHER

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def world(core, engine, small_terminal):
    w = customer_world.build(core, engine, small_terminal)
    w["tokens"] = {name: core.run(name, issue_token, user=name, note="api test")
                   for name in ("haul1", "haul2", "fwd1", "cosu", "shp1", "shp2")}
    return w


@pytest.fixture
def api(engine, clock):
    served = Served(make_app(engine, clock, Limits(rate=1000, burst=1000), threads=2))
    yield served
    served.close()


def _rules(answer) -> list[str]:
    return [r["rule"] for r in answer["refused"]]


def test_a_haulier_books_refused_before_release_then_changes_cancels_and_sees_its_eirs(
        core, engine, world, api):
    haul1, fwd1 = world["tokens"]["haul1"], world["tokens"]["fwd1"]
    box = world["boxes"][3]
    core.run(DISPATCHER, line_release, line="COSU", to_party="FWD1", reference="DO-3",
             container=box)
    # the consignee's software hands the right on to the haulier
    status, _h, answer = api.call("POST", f"/api/boxes/{box}/pass-on", fwd1,
                                  {"to_party": "HAUL1", "reference": "ORDER-9"})
    assert status == 200, answer
    status, _h, seen = api.call("GET", f"/api/boxes/{box}", haul1)
    assert (status, seen["status"], seen["holder"]) == (200, "waiting", "HAUL1")
    # before customs release: the clerk's rule, sentence and remedy
    booking = {"container": box, "slot_start": "2026-11-28 14:00", "plate": "沪B54321",
               "driver_name": "Zhang San", "driver_id": "D-42"}
    status, _h, answer = api.call("POST", "/api/appointments", haul1, booking)
    assert status == 409 and _rules(answer) == ["permission.customs_import"]
    assert answer["refused"][0]["message"] and answer["refused"][0]["remedy"]
    english = answer["refused"][0]["message"]
    status, _h, answer = api.call("POST", "/api/appointments", haul1, booking,
                                  lang="zh-CN,zh;q=0.9,en;q=0.5")
    assert status == 409 and _rules(answer) == ["permission.customs_import"]  # ids as ever
    assert answer["refused"][0]["message"] != english and "海关" in json.dumps(
        answer, ensure_ascii=False)
    core.run(DISPATCHER, grant_permission, code="CUSTOMS_IMPORT", reference="C-3",
             container=box)
    status, _h, answer = api.call("POST", "/api/appointments", haul1, booking)
    assert status == 201, answer
    ref = answer["result"]["ref"]
    status, _h, appts = api.call("GET", "/api/appointments?live_only=true", haul1)
    (mine,) = [a for a in appts if a["ref"] == ref]
    # typed in the terminal's time (Shanghai), answered in UTC with its offset
    assert mine["slot_start"] == "2026-11-28T06:00:00+00:00"
    status, _h, _a = api.call("PATCH", f"/api/appointments/{ref}", haul1,
                              {"plate": "沪C11111", "slot_start": "2026-11-28T08:00:00Z"})
    assert status == 200, _a
    status, _h, appts = api.call("GET", "/api/appointments", haul1)
    (mine,) = [a for a in appts if a["ref"] == ref]
    assert (mine["plate"], mine["slot_start"]) == ("沪C11111", "2026-11-28T08:00:00+00:00")
    status, _h, answer = api.call("POST", f"/api/appointments/{ref}/cancel", haul1,
                                  {"reason": "truck broke down"})
    assert status == 200, answer
    status, headers, eirs = api.call("GET", "/api/eirs", haul1)
    assert [e["number"] for e in eirs] == ["EIR-0001"]
    assert headers["Cache-Control"] == "no-store" and "Server" not in headers
    with Session(engine) as s:
        events = s.exec(select(Event).where(Event.operation.in_(
            ["customer.book", "customer.change", "customer.cancel", "customer.pass_on"]))).all()
    assert sorted(e.operation for e in events) == [
        "customer.book", "customer.cancel", "customer.change", "customer.pass_on"]
    for e in events:  # every call an operation with its event, saying it came via the API
        assert e.data["via"]["face"] == "api" and e.data["via"]["from"] == "127.0.0.1"
        assert e.data["via"]["token"] in (haul1[:10], fwd1[:10])


def test_another_partys_box_is_not_found_and_nothing_leaks(world, api):
    haul2 = world["tokens"]["haul2"]
    box = world["boxes"][1]  # HAUL1 holds its right
    status, _h, answer = api.call("GET", f"/api/boxes/{box}", haul2)
    assert status == 404 and _rules(answer) == ["customer.box.not_found"]
    status, _h, answer = api.call("POST", "/api/appointments", haul2, {
        "container": box, "slot_start": "2026-11-28T06:00:00Z", "plate": "沪B54321",
        "driver_name": "Zhang San", "driver_id": "D-42"})
    assert status == 404 and _rules(answer) == ["customer.box.not_found"]
    status, _h, answer = api.call("PATCH", f"/api/appointments/{world['appt']}", haul2,
                                  {"plate": "沪C11111"})
    assert status == 404 and _rules(answer) == ["customer.appointment.not_found"]
    for path in ("/api/boxes", "/api/appointments", "/api/eirs"):
        status, _h, rows = api.call("GET", path, haul2)
        assert (status, rows) == (200, [])
    everything = json.dumps(api.call("GET", f"/api/boxes/{box}", haul2)[2])
    assert "HAUL1" not in everything and "A1" not in everything  # holder, yard: not said


def test_a_line_releases_and_a_staff_token_is_refused(core, world, api):
    box = world["boxes"][3]
    status, _h, answer = api.call("POST", f"/api/boxes/{box}/release", world["tokens"]["cosu"],
                                  {"to_party": "FWD1", "reference": "DO-33"})
    assert status == 200 and len(answer["result"]) == 1
    status, _h, answer = api.call("POST", "/api/appointments", world["tokens"]["cosu"],
                                  {"container": box, "slot_start": "14:00", "plate": "x",
                                   "driver_name": "x", "driver_id": "x"})
    assert status == 403 and _rules(answer)[0] == "role.not_permitted"  # every rule, as ever
    staff = core.run(DISPATCHER, issue_token, user=DISPATCHER)
    status, _h, answer = api.call("GET", "/api/boxes", staff)
    assert status == 403 and _rules(answer) == ["customer.no_party"]


def test_bad_json_unknown_fields_and_a_bad_time_each_get_one_clear_error(world, api):
    haul1 = world["tokens"]["haul1"]
    status, _h, answer = api.call("POST", "/api/appointments", haul1, raw=b'{"container": ')
    assert status == 400 and _rules(answer) == ["api.body.json"]
    assert "line 1 column" in answer["refused"][0]["message"]
    status, _h, answer = api.call("POST", "/api/appointments", haul1, raw=b"[1, 2]")
    assert status == 400 and _rules(answer) == ["api.body.object"]
    status, _h, answer = api.call("POST", "/api/appointments", haul1, {
        "container": world["boxes"][1], "slot_start": "tomorrow", "plate": 7,
        "driver_name": "Zhang San", "colour": "red"})
    assert status == 422
    assert _rules(answer) == ["api.field.unknown", "api.field.time", "api.field.type",
                              "api.field.missing"]
    assert answer["refused"][2]["message"] == "plate must be text, not 7"
    status, _h, answer = api.call("GET", "/api/availability?days=400", haul1)
    assert status == 422 and _rules(answer) == ["api.field.range"]
    status, _h, answer = api.call("GET", "/api/nothing", haul1)
    assert status == 404 and _rules(answer) == ["api.path"]


def test_an_oversized_body_is_refused_unread(world, api):
    body = json.dumps({"reason": "x" * 70_000}).encode()
    status, _h, answer = api.call("POST", f"/api/appointments/{world['appt']}/cancel",
                                  world["tokens"]["haul1"], raw=body)
    assert status == 413 and _rules(answer) == ["api.body.size"]


def test_a_token_past_its_rate_is_told_when_to_come_back(engine, clock, world):
    served = Served(make_app(engine, clock, Limits(rate=0.5, burst=3), threads=2))
    try:
        answers = [served.call("GET", "/api/hauliers", world["tokens"]["haul1"])
                   for _ in range(4)]
        assert [a[0] for a in answers] == [200, 200, 200, 429]
        assert answers[3][1]["Retry-After"] == "2"
        assert _rules(answers[3][2]) == ["api.rate"]
        # another token has its own bucket
        assert served.call("GET", "/api/hauliers", world["tokens"]["haul2"])[0] == 200
    finally:
        served.close()


def test_a_revoked_token_and_no_token_are_unauthorised(core, engine, world, api):
    haul1 = world["tokens"]["haul1"]
    assert api.call("GET", "/api/boxes", haul1)[0] == 200
    (row,) = [t for t in tokens(engine, "haul1") if haul1.startswith(t.shown)]
    core.run("haul1", revoke_token, token_id=row.id)
    status, headers, answer = api.call("GET", "/api/boxes", haul1)
    assert status == 401 and _rules(answer) == ["api.token"]
    assert headers["WWW-Authenticate"] == "Bearer"
    assert api.call("GET", "/api/boxes")[0] == 401
    # a customer's software issues itself a new token through the API
    status, _h, answer = api.call("POST", "/api/tokens", world["tokens"]["haul2"],
                                  {"note": "second system"})
    assert status == 201 and answer["result"].startswith("pot_")
    assert api.call("GET", "/api/boxes", answer["result"])[0] == 200


def test_the_openapi_document_is_served_and_the_committed_file_matches_the_code(api):
    from portops.cli.api_cmd import openapi_text

    status, _h, doc = api.call("GET", "/api/openapi.json")
    assert status == 200 and doc["openapi"].startswith("3.1")
    assert doc == json.loads(openapi_text())
    committed = (ROOT / "docs" / "openapi.json").read_text(encoding="utf-8")
    assert committed == openapi_text(), "run: portops api --openapi docs/openapi.json"
    book = doc["paths"]["/api/appointments"]["post"]
    assert book["summary"].startswith("Book a truck")
    assert book["requestBody"]["content"]["application/json"]["schema"]["required"] == [
        "container", "slot_start", "plate", "driver_name", "driver_id"]


def test_the_import_journey_through_the_api_ends_with_the_eir_seen(core, engine, clock, world,
                                                                   api):
    """The issue's 'done when' through the API: the consignee hands the right over, the
    haulier books naming plate and driver, the terminal's clerks gate the truck in and out
    at their console (operations), and the haulier's software sees the EIR; another
    haulier sees none of it."""
    from portops.ops.gate import admit, gate_out, hand_over
    from tests.gate_world import CLERK

    haul2, fwd1 = world["tokens"]["haul2"], world["tokens"]["fwd1"]
    box = world["boxes"][2]  # released by COSU to FWD1, customs cleared
    status, _h, _a = api.call("POST", f"/api/boxes/{box}/pass-on", fwd1, {"to_party": "HAUL2"})
    assert status == 200
    status, _h, answer = api.call("POST", "/api/appointments", haul2, {
        "container": box, "slot_start": "2026-11-27T14:00:00+08:00", "plate": "沪A 54321",
        "driver_name": "Li Si", "driver_id": "D-777"})
    assert status == 201, answer
    got = core.run(CLERK, admit, lookup="沪A54321", plate="沪A54321", haulier="HAUL2",
                   driver_id="D-777")
    clock.advance(minutes=20)
    core.run(DISPATCHER, hand_over, truck_visit_id=got["truck_visit_id"])
    clock.advance(minutes=10)
    core.run(CLERK, gate_out, truck_visit_id=got["truck_visit_id"], container=box,
             seal="SL0002")
    status, _h, eirs = api.call("GET", "/api/eirs", haul2)
    assert status == 200 and [(e["container"], e["plate"]) for e in eirs] == [
        (box, "沪A54321")]
    assert eirs[0]["issued_at"] == "2026-11-27T06:30:00+00:00"
    status, _h, seen = api.call("GET", f"/api/boxes/{box}", haul2)
    assert (seen["status"], seen["eir"]) == ("out", eirs[0]["number"])
    status, _h, other = api.call("GET", "/api/eirs", world["tokens"]["haul1"])
    assert eirs[0]["number"] not in [e["number"] for e in other]


def test_a_fault_of_the_servers_is_one_json_error_without_a_traceback(engine, clock, world,
                                                                       tmp_path):
    from portops.db import make_engine

    gone = make_engine(f"sqlite:///{tmp_path / 'no-such-database.db'}")  # no tables
    served = Served(make_app(gone, clock, threads=1))
    try:
        status, _h, answer = served.call("GET", "/api/boxes", world["tokens"]["haul1"])
        assert status == 500 and _rules(answer) == ["api.internal"]
        assert "Traceback" not in json.dumps(answer)
    finally:
        served.close()
        gone.dispose()


def test_a_shipper_sees_its_receiving_plan_and_deliveries_and_another_nothing(world, api):
    for path in ("/api/receiving", "/api/receivals", "/api/bookings"):
        status, _h, mine = api.call("GET", path, world["tokens"]["shp1"])
        assert status == 200 and mine, path
        status, _h, other = api.call("GET", path, world["tokens"]["shp2"])
        assert (status, other) == (200, []), path
    status, _h, answer = api.call("POST", "/api/deliveries/NO-SUCH/cancel",
                                  world["tokens"]["shp2"], {"reason": "x"})
    assert status == 404, answer
