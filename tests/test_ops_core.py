"""The operations core: roles, every unmet rule, atomic change + event, check without change."""

from __future__ import annotations

import pytest
from sqlmodel import Session, func, select

from portops.model import Event, Flag, Phase, Role, VesselVisit
from portops.ops import Refused
from portops.ops.flags import apply_hold, grant_permission, release_hold
from portops.ops.visits import arrive, berth, cancel, depart
from tests.conftest import as_role


def _count_events(engine) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(Event)).one()


def test_operation_changes_data_and_appends_one_event(core, engine, small_terminal):
    before = _count_events(engine)
    core.run(as_role(Role.DISPATCHER), arrive, visit_id=small_terminal["visit"])
    with Session(engine) as s:
        visit = s.get(VesselVisit, small_terminal["visit"])
        assert visit.phase == Phase.ARRIVED
        assert visit.ata == core.clock.now()
        ev = s.exec(select(Event).order_by(Event.id.desc())).first()
    assert _count_events(engine) == before + 1
    assert (ev.operation, ev.user, ev.role) == ("visit.arrive", "dispatcher", "dispatcher")
    assert ev.subject_ref == "TST-001" and ev.data["phase_to"] == "arrived"


def test_refusal_lists_every_unmet_rule_and_changes_nothing(core, engine, small_terminal):
    before = _count_events(engine)
    with pytest.raises(Refused) as exc:
        # wrong role AND wrong phase AND no reason: all three must be reported
        core.run(as_role(Role.GATE_CLERK), cancel, visit_id=small_terminal["visit"], reason="")
    assert exc.value.rules == ["role.not_permitted", "visit.cancel.reason"]
    core.run(as_role(Role.DISPATCHER), arrive, visit_id=small_terminal["visit"])
    with pytest.raises(Refused) as exc:
        core.run(as_role(Role.GATE_CLERK), cancel, visit_id=small_terminal["visit"], reason="")
    assert exc.value.rules == ["role.not_permitted", "visit.phase.arrived_to_cancelled",
                               "visit.cancel.reason"]
    assert all(u.message and u.remedy for u in exc.value.unmet)
    with Session(engine) as s:
        assert s.get(VesselVisit, small_terminal["visit"]).phase == Phase.ARRIVED
    assert _count_events(engine) == before + 1


def test_check_answers_why_not_without_changing_anything(core, engine, small_terminal):
    before = _count_events(engine)
    unmet = core.check(as_role(Role.DISPATCHER), berth, visit_id=small_terminal["visit"])
    assert [u.rule for u in unmet] == ["visit.phase.planned_to_berthed"]
    assert core.check(as_role(Role.DISPATCHER), arrive, visit_id=small_terminal["visit"]) == []
    with Session(engine) as s:
        assert s.get(VesselVisit, small_terminal["visit"]).phase == Phase.PLANNED
    assert _count_events(engine) == before


def test_unknown_and_disabled_users_are_refused(core, small_terminal):
    from portops.ops.users import disable_user

    with pytest.raises(Refused) as exc:
        core.run("nobody", arrive, visit_id=small_terminal["visit"])
    assert exc.value.rules == ["user.unknown"]
    core.run("system", disable_user, name="dispatcher")
    with pytest.raises(Refused) as exc:
        core.run("dispatcher", arrive, visit_id=small_terminal["visit"])
    assert exc.value.rules == ["user.disabled"]


def test_a_console_that_knew_its_caller_sees_a_disable_or_role_change_made_elsewhere(
        core, engine, clock, small_terminal):
    """A console reads its caller once; each event re-checks it in the same transaction, so a
    change made at another console is neither missed nor written under the old role."""
    from sqlalchemy import text

    from portops.ops import Core
    from portops.ops.users import disable_user

    visit = small_terminal["visit"]
    console = Core(engine, clock)
    console.run("dispatcher", arrive, visit_id=visit)  # reads and keeps its caller
    before = _count_events(engine)
    # made a gate clerk elsewhere: the dispatcher's change is not written, and is refused
    with Session(engine) as s, s.begin():
        s.execute(text("UPDATE user_account SET role = 'gate_clerk' WHERE name = 'dispatcher'"))
    with pytest.raises(Refused) as exc:
        console.run("dispatcher", berth, visit_id=visit)
    assert exc.value.rules == ["role.not_permitted"]
    with Session(engine) as s:
        assert s.get(VesselVisit, visit).phase == Phase.ARRIVED
    assert _count_events(engine) == before
    # a dispatcher again: the refusal judged with the old role is tried again with the new
    with Session(engine) as s, s.begin():
        s.execute(text("UPDATE user_account SET role = 'dispatcher' WHERE name = 'dispatcher'"))
    console.run("dispatcher", berth, visit_id=visit)
    with Session(engine) as s:
        ev = s.exec(select(Event).order_by(Event.id.desc())).first()
    assert (ev.operation, ev.user, ev.role) == ("visit.berth", "dispatcher", "dispatcher")
    # disabled elsewhere: refused as disabled, even where a rule would refuse it too
    core.run("system", disable_user, name="dispatcher")
    with pytest.raises(Refused) as exc:
        console.run("dispatcher", cancel, visit_id=visit, reason="")
    assert exc.value.rules == ["user.disabled"]
    with pytest.raises(Refused) as exc:
        console.run("dispatcher", depart, visit_id=visit)
    assert exc.value.rules == ["user.disabled"]
    with Session(engine) as s:
        assert s.get(VesselVisit, visit).phase == Phase.BERTHED
    assert _count_events(engine) == before + 2  # the berth and the disable


def test_missing_visit_is_a_refusal_not_a_crash(core):
    with pytest.raises(Refused) as exc:
        core.run(as_role(Role.DISPATCHER), arrive, visit_id=999)
    assert exc.value.rules == ["visit.not_found"]


def test_full_lifecycle_and_illegal_jumps(core, small_terminal):
    d, v = as_role(Role.DISPATCHER), small_terminal["visit"]
    with pytest.raises(Refused):
        core.run(d, depart, visit_id=v)
    core.run(d, arrive, visit_id=v)
    core.run(d, berth, visit_id=v)
    core.run(as_role(Role.LINE_HANDLER), depart, visit_id=v)
    with pytest.raises(Refused) as exc:
        core.run(d, cancel, visit_id=v, reason="too late")
    assert exc.value.rules == ["visit.phase.departed_to_cancelled"]


def test_permissions_and_holds(core, engine, small_terminal):
    d = as_role(Role.DISPATCHER)
    with pytest.raises(Refused) as exc:
        core.run(as_role(Role.GATE_CLERK), grant_permission, code="PORT_ENTRY", reference="",
                 visit_id=small_terminal["visit"])
    assert exc.value.rules == ["permission.port_entry.role", "permission.reference"]
    fid = core.run(d, grant_permission, code="PORT_ENTRY", reference="MSA-2026-1",
                   visit_id=small_terminal["visit"])
    with pytest.raises(Refused) as exc:
        core.run(d, grant_permission, code="PORT_ENTRY", reference="MSA-2026-2",
                 visit_id=small_terminal["visit"])
    assert exc.value.rules == ["permission.already_granted"]
    hid = core.run(d, apply_hold, code="XRAY", reason="random scan", bl_number="BL1")
    core.run(d, release_hold, flag_id=hid, reference="SCAN-77")
    with Session(engine) as s:
        assert s.get(Flag, fid).state == "granted"
        assert s.get(Flag, hid).cleared_by == "dispatcher"


def test_a_refusal_keeps_its_templates_so_a_console_can_translate_it():
    from portops.ops.core import Unmet

    u = Unmet.of("slot.full", "slot {slot} is full ({n} of {n})", "choose another slot",
                 slot="08:00", n=3)
    assert u.message == "slot 08:00 is full (3 of 3)"
    catalog = {"slot {slot} is full ({n} of {n})": "时段 {slot} 已满（{n}/{n}）",
               "choose another slot": "请选择其他时段"}
    assert u.localized(lambda s: catalog.get(s, s)) == ("时段 08:00 已满（3/3）", "请选择其他时段")
    assert Unmet.from_dict(u.as_dict()).localized(lambda s: catalog.get(s, s))[0] \
        == "时段 08:00 已满（3/3）"
    plain = Unmet("x.y", "already final", "nothing to do")
    assert plain.localized(str.upper) == ("ALREADY FINAL", "NOTHING TO DO")
