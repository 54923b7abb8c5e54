"""The admin manages accounts: role changes, disable and enable, password resets; never the
last admin away, never their own account disabled, never a password for the system account."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from portops.auth import verify_password
from portops.model import Event, Role, User
from portops.ops import Refused
from portops.ops.users import add_user, disable_user, enable_user, set_password, set_role
from portops.queries.accounts import users
from tests.conftest import as_role

ADMIN = as_role(Role.ADMIN)


def _user(engine, name: str) -> User:
    with Session(engine) as s:
        return s.exec(select(User).where(User.name == name)).one()


def test_change_role_disable_enable_and_reset(core, engine):
    core.run(ADMIN, add_user, name="li.wei", role="gate_clerk", password="first-pass")
    core.run(ADMIN, set_role, name="Li.Wei", role="dispatcher")
    assert _user(engine, "li.wei").role == "dispatcher"
    core.run(ADMIN, disable_user, name="li.wei")
    assert not _user(engine, "li.wei").active
    core.run(ADMIN, enable_user, name="li.wei")
    core.run(ADMIN, set_password, name="li.wei", password="second-pass")
    u = _user(engine, "li.wei")
    assert u.active and verify_password("second-pass", u.password_hash)
    with Session(engine) as s:
        roles = s.exec(select(Event.data).where(Event.operation == "user.set_role")).all()
    assert [(r["old"], r["role"]) for r in roles] == [("gate_clerk", "dispatcher")]
    row = next(r for r in users(engine) if r.name == "li.wei")
    assert (row.role, row.active, row.has_password) == (Role.DISPATCHER, True, True)
    assert "system" not in {r.name for r in users(engine)}


def test_refusals_name_every_rule(core):
    with pytest.raises(Refused) as exc:
        core.run(as_role(Role.DISPATCHER), set_role, name="gate-clerk", role="gate_clerk")
    assert exc.value.rules == ["role.not_permitted", "user.role.same"]
    with pytest.raises(Refused) as exc:
        core.run(ADMIN, set_role, name="gate-clerk", role="captain")
    assert exc.value.rules == ["user.role"]
    with pytest.raises(Refused) as exc:
        core.run(ADMIN, enable_user, name="gate-clerk")
    assert exc.value.rules == ["user.active"]
    with pytest.raises(Refused) as exc:
        core.run(ADMIN, set_password, name="system", password="long enough")
    assert exc.value.rules == ["user.system.password"]
    with pytest.raises(Refused) as exc:
        core.run(ADMIN, disable_user, name=ADMIN)
    assert exc.value.rules == ["user.self"]


def test_the_last_admin_keeps_the_role(core):
    with pytest.raises(Refused) as exc:
        core.run("system", set_role, name=ADMIN, role="dispatcher")
    assert exc.value.rules == ["user.last_admin"]
    core.run("system", add_user, name="second", role="admin")
    core.run("system", set_role, name=ADMIN, role="dispatcher")
