"""End to end on real messages: BAPLIE in, plans, tally, COARRI out and read back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from portops.cli import main
from portops.formats.edifact.baplie import read_baplie, write_baplie
from portops.formats.edifact.coarri import read_coarri
from portops.formats.edifact.records import AS_ORDERED, OVER_LANDED, SHORT_LANDED
from portops.formats.edifact.samples import bay_plan
from portops.formats.tally import coarri_text
from portops.model import DischargeItem, Role
from portops.ops.bayplan import import_bayplan
from portops.ops.discharge import make_plan
from portops.ops.tally import complete, confirm, short_land
from portops.ops.yard import plan as yard_plan
from portops.queries.tally import handling_report
from tests.conftest import as_role
from tests.discharge_fixtures import number, yard
from tests.test_tally_ops import ready

PLANNER, CLERK = as_role(Role.YARD_PLANNER), as_role(Role.TALLY_CLERK)


@pytest.fixture
def discharged(core, engine, small_terminal):
    yard(engine, A={"bays": 10, "rows": 6}, B={"bays": 10, "rows": 6}, D={"bays": 6})
    text = write_baplie(bay_plan(60, seed=3), control_ref="1",
                        prepared=datetime(2026, 11, 27, tzinfo=UTC))
    core.run(PLANNER, import_bayplan, plan=read_baplie(text), visit_key="TST-001", force=True)
    visit = small_terminal["visit"]
    out = core.run(PLANNER, make_plan, visit_id=visit)
    core.run(PLANNER, yard_plan, visit_id=visit)
    ready(core, visit)
    with Session(engine) as s:
        numbers = [i.number for i in s.exec(select(DischargeItem).order_by(
            DischargeItem.crane, DischargeItem.seq))]
    assert len(numbers) == out["boxes"] > 10
    damaged, short, rest = numbers[0], numbers[1], numbers[2:]
    core.run(CLERK, confirm, visit_id=visit, number=damaged, damage="DT", damage_note="door")
    core.run(CLERK, short_land, visit_id=visit, number=short, note="not in slot")
    for n in rest:
        core.run(CLERK, confirm, visit_id=visit, number=n)
    core.run(CLERK, confirm, visit_id=visit, number=number("OVR", 5), over_landed=True,
             size_type="22G1")
    core.run(CLERK, complete, visit_id=visit)
    return {"visit": visit, "damaged": damaged, "short": short, "rest": rest}


def test_exported_coarri_reads_back_as_discharged(engine, clock, discharged):
    with Session(engine) as s:
        text = coarri_text(handling_report(s, discharged["visit"]), clock.now())
    back = read_coarri(text)
    assert back.kind == "discharge"
    got = {m.box.number: m for m in back.moves}
    assert got[discharged["short"]].condition == SHORT_LANDED
    assert got[number("OVR", 5)].condition == OVER_LANDED
    assert all(got[n].condition == AS_ORDERED for n in discharged["rest"])
    assert [d.code for d in got[discharged["damaged"]].damage] == ["DT"]
    assert got[discharged["rest"][0]].at == clock.now()
    assert len(got) == len(discharged["rest"]) + 3


def test_cli_exports_the_tally_report(engine, discharged, capsys, tmp_path):
    db = engine.url.render_as_string(hide_password=False)
    assert main(["--db", db, "export", "tally-report", "--visit", "TST-001"]) == 0
    out = capsys.readouterr().out
    assert "TALLY REPORT" in out and discharged["short"] in out and "DT dented" in out
    assert out.rstrip().splitlines()[-1].startswith("audit head: event ")  # issue 16
    target = tmp_path / "tally.edi"
    assert main(["--db", db, "--user", CLERK, "export", "tally-report", "--visit", "TST-001",
                 "--format", "edi", "--issued", "-o", str(target)]) == 0
    assert read_coarri(target.read_text()).kind == "discharge"
    assert main(["--db", db, "export", "tally-report", "--visit", "NOPE"]) == 1
    assert "--visit NOPE: no such visit" in capsys.readouterr().err
