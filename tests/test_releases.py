"""Releases and the right to collect: only the holder passes it on; every hand-over recorded."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from portops.model import CollectRight, Event, Flag, Party, RightHandover, Role
from portops.ops import Refused
from portops.ops.flags import apply_hold, release_hold
from portops.ops.releases import import_releases, line_release, pass_on, withdraw_line_release
from tests.conftest import as_role
from tests.gate_world import DISPATCHER, build, release


@pytest.fixture
def world(core, engine, small_terminal):
    return build(core, engine, small_terminal)


def _holder(engine, box_id_number: str) -> str:
    from portops.model import Container

    with Session(engine) as s:
        c = s.exec(select(Container).where(Container.number == box_id_number)).one()
        r = s.exec(select(CollectRight).where(CollectRight.container_id == c.id)).one()
        return s.get(Party, r.holder_party_id).code


def test_line_release_creates_a_right_held_by_one_named_party(core, engine, world):
    box = world["boxes"][0]
    core.run(DISPATCHER, line_release, line="COSU", to_party="FWD1", reference="DO-1",
             container=box)
    assert _holder(engine, box) == "FWD1"
    with Session(engine) as s:
        flag = s.exec(select(Flag).where(Flag.type_code == "LINE_RELEASE")).one()
        assert flag.reference == "DO-1" and flag.state == "granted"


def test_line_release_per_bl_covers_every_box_on_it(core, engine, world):
    ids = core.run(DISPATCHER, line_release, line="COSU", to_party="FWD1", reference="DO-BL",
                   bl_number="BL-1")
    assert len(ids) == 2


def test_line_release_refused_with_every_reason(core, world):
    with pytest.raises(Refused) as exc:
        core.run(as_role(Role.GATE_CLERK), line_release, line="FWD1", to_party="NOBODY",
                 reference=" ", container=world["boxes"][0])
    assert exc.value.rules == ["role.not_permitted", "release.line.unknown",
                               "release.party.unknown", "release.reference"]


def test_only_the_current_holder_passes_the_right_on(core, engine, world):
    box = world["boxes"][0]
    core.run(DISPATCHER, line_release, line="COSU", to_party="FWD1", reference="DO-1",
             container=box)
    with pytest.raises(Refused) as exc:  # HAUL2 does not hold it: cannot give it to itself
        core.run(DISPATCHER, pass_on, container=box, by_party="HAUL2", to_party="HAUL2")
    assert exc.value.rules == ["right.not_holder", "right.to_self"]
    core.run(DISPATCHER, pass_on, container=box, by_party="FWD1", to_party="HAUL1",
             reference="NOM-7")
    assert _holder(engine, box) == "HAUL1"
    with pytest.raises(Refused) as exc:  # FWD1 gave it away
        core.run(DISPATCHER, pass_on, container=box, by_party="FWD1", to_party="HAUL2")
    assert exc.value.rules == ["right.not_holder"]
    with Session(engine) as s:
        hand = s.exec(select(RightHandover)).one()
        assert hand.reference == "NOM-7" and hand.on_behalf and hand.by_user == "dispatcher"
        ev = s.exec(select(Event).where(Event.operation == "right.pass_on")).one()
        assert ev.data["from_party"] == "FWD1" and ev.data["to_party"] == "HAUL1"


def test_withdrawn_line_release_ends_the_right(core, engine, world):
    box = world["boxes"][0]
    release(core, box)
    with Session(engine) as s:
        fid = s.exec(select(Flag.id).where(Flag.type_code == "LINE_RELEASE")).one()
    assert core.run(DISPATCHER, withdraw_line_release, flag_id=fid, reason="freight unpaid") == 1
    with pytest.raises(Refused) as exc:
        core.run(DISPATCHER, pass_on, container=box, by_party="HAUL1", to_party="HAUL2")
    assert exc.value.rules == ["right.none"]


def test_release_feed_imports_customs_and_line_releases_in_one_operation(core, engine, world):
    b = world["boxes"]
    rows = [{"kind": "customs", "status": "released", "container": b[0], "reference": "E1"},
            {"kind": "customs", "status": "released", "bl": "BL-1", "reference": "E2"},
            {"kind": "line", "status": "released", "container": b[2], "reference": "DO9",
             "line": "COSU", "party": "FWD1"}]
    counts = core.run(DISPATCHER, import_releases, rows=rows, source="feed.csv").counts
    assert counts["customs_released"] == 2 and counts["line_released"] == 1
    assert core.run(DISPATCHER, import_releases, rows=rows[:1],
                    source="feed.csv").counts["unchanged"] == 1
    withdraw = [{"kind": "customs", "status": "withdrawn", "container": b[0], "reference": "E1"}]
    assert core.run(DISPATCHER, import_releases, rows=withdraw,
                    source="cusres").counts["customs_withdrawn"] == 1


def test_release_feed_reports_every_bad_row_and_writes_nothing(core, engine, world):
    rows = [{"kind": "customs", "status": "maybe", "container": "X", "where": "f.csv:2"},
            {"kind": "line", "status": "released", "where": "f.csv:3"}]
    with pytest.raises(Refused) as exc:
        core.run(DISPATCHER, import_releases, rows=rows, source="f.csv")
    assert exc.value.rules == ["release.import.row", "release.import.subject"]
    assert exc.value.unmet[0].where == "f.csv:2"


def test_terminal_holds_by_the_roles_allowed_with_reasons(core, world):
    box = world["boxes"][0]
    with pytest.raises(Refused) as exc:
        core.run(as_role(Role.GATE_CLERK), apply_hold, code="STORAGE", reason="", container=box)
    assert exc.value.rules == ["hold.storage.role", "hold.reason"]
    hid = core.run(as_role(Role.GATE_CLERK), apply_hold, code="DAMAGE", reason="hole in roof",
                   container=box)
    core.run(DISPATCHER, release_hold, flag_id=hid, reference="SURVEY-12")
