"""Holds and permissions typed by hand: length, shape and check digit named; a revoked line
release ends the rights to collect it gave; a release's reason is kept in its event."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from portops.model import CollectRight, Event, Flag, Role
from portops.ops import Refused
from portops.ops.flags import apply_hold, grant_permission, release_hold, revoke_permission
from portops.ops.releases import line_release
from tests.conftest import as_role
from tests.gate_world import DISPATCHER, build


@pytest.fixture
def world(core, engine, small_terminal):
    return build(core, engine, small_terminal)


def test_a_wrong_check_digit_is_named_not_called_absent(core, world):
    box = world["boxes"][0]
    wrong = box[:-1] + str((int(box[-1]) + 1) % 10)
    with pytest.raises(Refused) as exc:
        core.run(DISPATCHER, apply_hold, code="XRAY", reason="scan", container=wrong)
    assert exc.value.rules == ["container.number"]
    assert f"expected {box[-1]}" in exc.value.unmet[0].message


def test_typed_reference_and_reason_have_a_length_and_a_shape(core, world):
    box = world["boxes"][0]
    with pytest.raises(Refused) as exc:
        core.run(DISPATCHER, grant_permission, code="CUSTOMS_IMPORT", reference="9" * 36,
                 reason="a\nb", container=box)
    assert exc.value.rules == ["flag.reference.shape", "flag.reason.shape"]
    assert "36 characters long; at most 35" in exc.value.unmet[0].message
    with pytest.raises(Refused) as exc:
        core.run(DISPATCHER, apply_hold, code="XRAY", reason="x" * 257, reference="R\t1",
                 container=box)
    assert exc.value.rules == ["flag.reason.shape", "flag.reference.shape"]
    hid = core.run(DISPATCHER, apply_hold, code="XRAY", reason="scan", container=box)
    with pytest.raises(Refused) as exc:
        core.run(DISPATCHER, release_hold, flag_id=hid, reference="SURVEY#12")
    assert exc.value.rules == ["flag.reference.shape"]
    assert "'#'" in exc.value.unmet[0].message


def test_each_type_is_cleared_only_by_its_roles(core, world):
    box = world["boxes"][0]
    hid = core.run(DISPATCHER, apply_hold, code="XRAY", reason="scan", container=box)
    with pytest.raises(Refused) as exc:
        core.run(as_role(Role.TALLY_CLERK), release_hold, flag_id=hid, reference="S-1")
    assert exc.value.rules == ["hold.xray.role"]
    core.run(as_role(Role.YARD_PLANNER), release_hold, flag_id=hid, reference="S-1",
             reason="scanned clean")


def test_release_reason_is_kept_in_its_event(core, engine, world):
    hid = core.run(as_role(Role.TALLY_CLERK), apply_hold, code="DAMAGE", reason="dent",
                   container=world["boxes"][0])
    core.run(as_role(Role.TALLY_CLERK), release_hold, flag_id=hid, reference="SV-2",
             reason="repaired")
    with Session(engine) as s:
        ev = s.exec(select(Event).where(Event.operation == "hold.release")).one()
        assert ev.data["reason"] == "repaired"
        assert s.get(Flag, hid).clear_reference == "SV-2"


def test_revoking_a_line_release_ends_its_rights_to_collect(core, engine, world):
    box = world["boxes"][0]
    core.run(DISPATCHER, line_release, line="COSU", to_party="FWD1", reference="DO-1",
             container=box)
    with Session(engine) as s:
        fid = s.exec(select(Flag.id).where(Flag.type_code == "LINE_RELEASE")).one()
    core.run(DISPATCHER, revoke_permission, flag_id=fid, reason="freight unpaid",
             reference="NOTICE-4")
    with Session(engine) as s:
        assert s.exec(select(CollectRight.state)).one() == "withdrawn"
        flag = s.get(Flag, fid)
        assert flag.state == "revoked" and flag.clear_reference == "NOTICE-4"
