"""``portops hold`` and ``portops permission`` from a shell: the same operations and refusals
as the console, a bad number said in one line, nothing written when refused."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from portops.cli import main
from portops.model import Flag, Role
from tests.conftest import as_role
from tests.gate_world import build


@pytest.fixture
def world(core, engine, small_terminal):
    return build(core, engine, small_terminal)


def _cli(db_url, role: Role, *args: str) -> int:
    return main(["--db", db_url, "--user", as_role(role), *args])


def test_hold_applied_listed_and_released_by_its_roles(db_url, engine, world, capsys):
    box = world["boxes"][0]
    assert _cli(db_url, Role.TALLY_CLERK, "hold", "apply", "--type", "damage", "--container",
                box, "--reason", "hole in roof", "--reference", "TL-1") == 0
    assert _cli(db_url, Role.TALLY_CLERK, "hold", "list", box) == 0
    out = capsys.readouterr().out
    assert "DAMAGE" in out and "hole in roof" in out and "set by tally-clerk" in out
    assert "hold.damage" in out  # what the booking would refuse
    # a gate clerk may clear a damage hold, not an X-ray hold
    assert _cli(db_url, Role.DISPATCHER, "hold", "apply", "--type", "XRAY", "--container", box,
                "--reason", "scan") == 0
    assert _cli(db_url, Role.GATE_CLERK, "hold", "release", "--type", "XRAY", "--container",
                box, "--reference", "S-1") == 1
    assert "hold.xray.role" in capsys.readouterr().err
    assert _cli(db_url, Role.GATE_CLERK, "hold", "release", "--type", "DAMAGE", "--container",
                box, "--reference", "SURVEY-3", "--reason", "repaired") == 0
    with Session(engine) as s:
        states = {f.type_code: f.state for f in s.exec(select(Flag))}
    assert states == {"DAMAGE": "released", "XRAY": "active"}


def test_customs_and_line_release_granted_and_revoked(db_url, engine, world, capsys):
    box = world["boxes"][0]
    assert _cli(db_url, Role.DISPATCHER, "permission", "grant", "--type", "CUSTOMS_IMPORT",
                "--container", box, "--reference", "2231000001") == 0
    assert _cli(db_url, Role.DISPATCHER, "permission", "grant", "--type", "LINE_RELEASE",
                "--container", box, "--reference", "DO-1") == 2  # who may collect?
    assert "--party" in capsys.readouterr().err
    assert _cli(db_url, Role.DISPATCHER, "permission", "grant", "--type", "LINE_RELEASE",
                "--container", box, "--reference", "DO-1", "--line", "COSU",
                "--party", "FWD1") == 0
    assert _cli(db_url, Role.DISPATCHER, "hold", "list", box) == 0
    assert "nothing stands in the way" in capsys.readouterr().out
    assert _cli(db_url, Role.DISPATCHER, "permission", "revoke", "--type", "CUSTOMS_IMPORT",
                "--container", box, "--reason", "re-examination") == 0
    with Session(engine) as s:
        f = s.exec(select(Flag).where(Flag.type_code == "CUSTOMS_IMPORT")).one()
    assert f.state == "revoked" and f.reason == "re-examination"


def test_bad_container_number_is_one_line_and_changes_nothing(db_url, engine, world, capsys):
    box = world["boxes"][0]
    wrong = box[:-1] + str((int(box[-1]) + 1) % 10)
    assert _cli(db_url, Role.DISPATCHER, "hold", "list", wrong) == 2
    err = capsys.readouterr().err
    assert "check digit" in err and len(err.strip().splitlines()) == 1
    assert _cli(db_url, Role.DISPATCHER, "hold", "apply", "--type", "XRAY", "--container",
                wrong, "--reason", "scan") == 1
    assert "container.number" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:  # argparse: one usage line, exit 2
        _cli(db_url, Role.DISPATCHER, "hold", "apply", "--type", "NOPE", "--container", box,
             "--reason", "scan")
    assert exc.value.code == 2 and "is not one of XRAY" in capsys.readouterr().err
    with Session(engine) as s:
        assert s.exec(select(Flag)).all() == []
