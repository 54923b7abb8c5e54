"""Bay plan, discharge list and manifest onto a vessel visit: one operation, one event, all or
nothing; the CLI refuses a broken message and leaves the database as it was."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlmodel import Session, func, select

from portops.cli import main
from portops.formats.edifact import samples
from portops.formats.edifact.baplie import write_baplie
from portops.formats.manifest import read_manifest
from portops.model import Category, Container, EdiImport, Event, OnBoard, Role, VesselVisit, Where
from portops.ops import Refused
from portops.ops.bayplan import import_bayplan, import_discharge_list
from portops.ops.manifest import import_manifest
from tests.conftest import as_role

PLANNER = as_role(Role.YARD_PLANNER)


def plan_for_test_visit(count: int = 120, seed: int = 9):
    plan = samples.bay_plan(count, seed=seed)
    plan.header = replace(plan.header, voyage="001W", vessel_name="TEST STAR", call_sign="VRAB1")
    return plan


def counts(engine):
    with Session(engine) as s:
        return (s.exec(select(func.count()).select_from(Container)).one(),
                s.exec(select(func.count()).select_from(OnBoard)).one(),
                s.exec(select(func.count()).select_from(Event)).one())


def test_bayplan_puts_discharge_boxes_on_the_vessel_and_keeps_the_rest_on_board(
        core, engine, small_terminal):
    plan = plan_for_test_visit()
    plan.boxes[0].extra.append("HAN+ZZZ:KEEP DRY")
    ours = [b for b in plan.boxes if b.pod == "CNSHA"]
    before = counts(engine)[2]
    result = core.run(PLANNER, import_bayplan, plan=plan, source="bayplan.edi")
    assert result.visit == "TST-001"
    assert result.counts["discharge"] == len(ours)
    assert result.counts["remain on board"] == len(plan.boxes) - len(ours)
    with Session(engine) as s:
        boxes = s.exec(select(Container)).all()
        assert {b.number for b in boxes} == {b.number for b in ours}
        assert all(b.location == Where.VESSEL and b.visit_id == small_terminal["visit"]
                   and b.in_visit_id == small_terminal["visit"] for b in boxes)
        first = next(b for b in boxes if b.number == ours[0].number)
        assert (first.vessel_bay, first.vessel_row, first.vessel_tier) == (
            ours[0].slot.bay, ours[0].slot.row, ours[0].slot.tier)
        assert first.category == Category.IMPORT
        assert s.exec(select(func.count()).select_from(OnBoard)).one() == len(plan.boxes) - len(ours)
        record = s.exec(select(EdiImport)).one()
        assert record.counts["discharge"] == len(ours)
        if plan.boxes[0].pod == "CNSHA":
            assert record.extra["boxes"][plan.boxes[0].number] == ["HAN+ZZZ:KEEP DRY"]
        else:
            rob = s.exec(select(OnBoard).where(OnBoard.number == plan.boxes[0].number)).one()
            assert rob.extra == ["HAN+ZZZ:KEEP DRY"]
        events = s.exec(select(Event).where(Event.operation == "cargo.import_bayplan")).all()
        assert len(events) == 1 and events[0].data["counts"]["discharge"] == len(ours)
        assert "plan" not in events[0].data  # the boxes are not copied into the log
        assert s.get(VesselVisit, small_terminal["visit"]).moves_discharge == len(ours)
    assert counts(engine)[2] == before + 1


def test_reimport_replaces_the_bay_plan(core, engine, small_terminal):
    plan = plan_for_test_visit()
    core.run(PLANNER, import_bayplan, plan=plan)
    ours = [b for b in plan.boxes if b.pod == "CNSHA"]
    # the line moves two boxes into each other's slots and drops one
    a, b = ours[0], ours[1]
    a.slot, b.slot = b.slot, a.slot
    plan.boxes.remove(ours[2])
    again = core.run(PLANNER, import_bayplan, plan=plan)
    assert again.counts["updated"] == len(ours) - 1 and again.counts["removed"] == 1
    with Session(engine) as s:
        got = s.exec(select(Container).where(Container.number == a.number)).one()
        assert (got.vessel_bay, got.vessel_row, got.vessel_tier) == (a.slot.bay, a.slot.row,
                                                                      a.slot.tier)
        assert s.exec(select(func.count()).select_from(Container)).one() == len(ours) - 1


def test_visit_is_found_by_voyage_and_vessel_or_given(core, small_terminal):
    plan = plan_for_test_visit()
    plan.header = replace(plan.header, voyage="999X")
    with pytest.raises(Refused) as err:
        core.run(PLANNER, import_bayplan, plan=plan)
    assert err.value.rules == ["edi.visit.not_found"]
    assert "--visit" in str(err.value)
    with pytest.raises(Refused) as err:  # the visit's voyages are 001W / 001E
        core.run(PLANNER, import_bayplan, plan=plan, visit_key="TST-001")
    assert err.value.rules == ["edi.visit.mismatch"]
    assert "voyage 999X in the file, 001W / 001E for the visit" in str(err.value)
    assert core.run(PLANNER, import_bayplan, plan=plan, visit_key="TST-001",
                    force=True).visit == "TST-001"


def test_box_already_at_the_terminal_refuses_everything(core, engine, small_terminal):
    plan = plan_for_test_visit()
    ours = [b for b in plan.boxes if b.pod == "CNSHA"]
    ours[3].segment = 77
    with Session(engine) as s, s.begin():  # set-up: the box already stands in the yard
        s.add(Container(number=ours[3].number, size_type="22G1", location=Where.YARD))
    before = counts(engine)
    with pytest.raises(Refused) as err:
        core.run(PLANNER, import_bayplan, plan=plan, source="bayplan.edi")
    assert err.value.rules == ["bayplan.container.active"]
    assert f"bayplan.edi: segment 77: container {ours[3].number} is already at the terminal " \
           "(yard)" in str(err.value)
    assert counts(engine) == before


def test_gate_clerk_may_not_import_a_bay_plan(core, small_terminal):
    with pytest.raises(Refused) as err:
        core.run(as_role(Role.GATE_CLERK), import_bayplan, plan=plan_for_test_visit())
    assert "role.not_permitted" in err.value.rules


def test_discharge_list_confirms_and_takes_boxes_off_remain_on_board(core, engine,
                                                                       small_terminal):
    plan = plan_for_test_visit()
    core.run(PLANNER, import_bayplan, plan=plan)
    orders = samples.discharge_list(plan)
    orders.header = plan.header
    rob = next(b for b in plan.boxes if b.pod != "CNSHA")
    orders.boxes.append(replace(rob, pod="CNSHA"))
    result = core.run(PLANNER, import_discharge_list, orders=orders)
    assert result.counts["confirmed"] == len(orders.boxes) - 1
    assert result.counts["from remain-on-board"] == 1
    with Session(engine) as s:
        moved = s.exec(select(Container).where(Container.number == rob.number)).one()
        assert moved.location == Where.VESSEL and moved.vessel_bay == rob.slot.bay
        assert s.exec(select(OnBoard).where(OnBoard.number == rob.number)).first() is None


def test_manifest_completes_the_boxes(core, engine, small_terminal):
    plan = plan_for_test_visit()
    core.run(PLANNER, import_bayplan, plan=plan)
    lines = read_manifest(samples.manifest_csv(plan))
    result = core.run(PLANNER, import_manifest, lines=lines, source="manifest.csv")
    assert result.counts["boxes updated"] == len(lines)
    with Session(engine) as s:
        box = s.exec(select(Container).where(Container.number == lines[0].container)).one()
        assert (box.bl_number, box.consignee, box.goods) == (
            lines[0].bl_number, lines[0].consignee, lines[0].goods)
    stranger = replace(lines[0], container="CSQU3054383", line=9)
    with pytest.raises(Refused) as err:
        core.run(PLANNER, import_manifest, lines=[stranger], source="m.csv")
    assert "m.csv:9: container CSQU3054383 is not at the terminal" in str(err.value)


def _db(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_cli_import_of_a_broken_bay_plan_changes_nothing(core, engine, small_terminal,
                                                         tmp_path, capsys):
    plan = plan_for_test_visit()
    text = write_baplie(plan, control_ref="X1", prepared=samples.T0)
    good = tmp_path / "bayplan.edi"
    good.write_text(text)
    broken = tmp_path / "broken.edi"
    broken.write_text(text.replace("LOC+11+CNSHA", "LOC+11+CN-SHA", 1))  # not a LOCODE
    before = counts(engine)
    assert main(["--db", _db(engine), "--user", PLANNER, "import", str(broken)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{broken}: segment ") and "(LOC): 'CN-SHA' is not a UN/LOCODE" in err
    assert "Traceback" not in err
    assert counts(engine) == before
    # the good file together with the broken one: still nothing written
    assert main(["--db", _db(engine), "--user", PLANNER, "import", str(good), str(broken)]) == 1
    assert counts(engine) == before
    assert main(["--db", _db(engine), "--user", PLANNER, "import", str(good)]) == 0
    out = capsys.readouterr().out
    assert "bay plan for TST-001" in out
    assert counts(engine)[0] > before[0]


def test_cli_import_with_visit_key_and_manifest(core, engine, small_terminal, tmp_path, capsys):
    plan = samples.bay_plan(80, seed=11)  # voyage 045E: no such visit, so --visit names it
    (tmp_path / "bp.edi").write_text(write_baplie(plan, control_ref="X", prepared=samples.T0))
    (tmp_path / "manifest.csv").write_text(samples.manifest_csv(plan))
    args = ["--db", _db(engine), "--user", PLANNER, "import"]
    assert main(args + [str(tmp_path / "bp.edi")]) == 1
    assert "--visit KEY" in capsys.readouterr().err
    assert main(args + ["--visit", "TST-001", str(tmp_path / "bp.edi"),
                        str(tmp_path / "manifest.csv")]) == 1  # another vessel's voyage
    assert "voyage 045E in the file, 001W / 001E for the visit" in capsys.readouterr().err
    assert main(args + ["--visit", "TST-001", "--force", str(tmp_path / "bp.edi"),
                        str(tmp_path / "manifest.csv")]) == 0
    out = capsys.readouterr().out
    assert "bay plan for TST-001" in out and "manifest for TST-001" in out


def test_exported_bay_plan_reads_back_with_the_same_boxes_in_the_same_slots(
        core, engine, small_terminal, tmp_path, capsys):
    from portops.formats.edifact.baplie import read_baplie

    plan = plan_for_test_visit(150, seed=12)
    plan.boxes[1].extra.append("HAN+ZZZ:KEEP DRY")
    plan.boxes[2].remarks.append("FRAGILE")
    core.run(PLANNER, import_bayplan, plan=plan)
    out = tmp_path / "departure.edi"
    assert main(["--db", _db(engine), "export", "bay-plan", "--visit", "TST-001",
                 "-o", str(out)]) == 0
    back = read_baplie(out.read_text(encoding="utf-8"))
    key = lambda b: (b.slot, b.number, b.size_type, b.pod, b.gross_kg, b.vgm_kg,  # noqa: E731
                     b.reefer_temp_c, b.imdg_class, b.full)
    assert sorted(map(key, back.boxes)) == sorted(map(key, plan.boxes))
    got = {b.number: b for b in back.boxes}
    assert "HAN+ZZZ:KEEP DRY" in got[plan.boxes[1].number].extra
    assert "FRAGILE" in got[plan.boxes[2].number].remarks
    assert back.header.voyage == "001E" and back.header.imo == "9074729"


def test_a_slot_taken_by_another_box_of_the_visit_refuses(core, engine, small_terminal):
    plan = plan_for_test_visit()
    ours = [b for b in plan.boxes if b.pod == "CNSHA"]
    slot = ours[0].slot
    with Session(engine) as s, s.begin():  # set-up: an export box already loaded there
        s.add(Container(number="CSQU3054383", size_type="22G1", category=Category.EXPORT,
                        location=Where.VESSEL, visit_id=small_terminal["visit"],
                        vessel_bay=slot.bay, vessel_row=slot.row, vessel_tier=slot.tier))
    with pytest.raises(Refused) as err:
        core.run(PLANNER, import_bayplan, plan=plan, source="bp.edi")
    assert err.value.rules == ["bayplan.slot.taken"]
    assert f"slot {slot} of {ours[0].number} is taken by CSQU3054383" in str(err.value)
