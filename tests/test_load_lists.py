"""The line's stowage instructions (issue 6): a COPRAR load list or a planned BAPLIE, read
through ``portops import``, stored for the visit and followed by the load plan; every bad box
refused with its segment, nothing written."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from portops.formats import registry
from portops.formats.edifact.baplie import write_baplie
from portops.formats.edifact.records import BayPlan, ContainerList, Header, Slot, StowedBox
from portops.formats.edifact.samples import write_coprar
from portops.formats.yamlsrc import SourceErrors
from portops.model import Container, Event, LoadItem, OnBoard, Role, StowInstruction, Where
from portops.ops import Refused
from portops.ops.flags import grant_permission
from portops.ops.loading import make_plan
from portops.ops.receiving import receive
from tests.conftest import as_role
from tests.test_export import (
    BOX1,
    BOX2,
    D,
    G,
    _book,
    export_terminal,  # noqa: F401  (a fixture)
)

P = as_role(Role.YARD_PLANNER)
STRANGER = "TGHU1234567"  # a valid number the terminal has never seen


def _header(kind: str = "COPRAR", port: str = "") -> Header:
    return Header(sender="COSU", message_ref="LL1", message_type=kind, voyage="001E",
                  vessel_name="TEST STAR", imo="9074729", port=port)


def _box(number: str, slot: str | None = None, pod: str = "NLRTM") -> StowedBox:
    s = Slot(int(slot[:3]), int(slot[3:5]), int(slot[5:])) if slot else None
    return StowedBox(number, "45G1", s, pol="CNSHA", pod=pod, vgm_kg=21000)


def _write(tmp_path, text: str, name: str):
    path = tmp_path / name
    path.write_text(text)
    return path


def _coprar(tmp_path, boxes, clock, name="load.edi"):
    text = write_coprar(ContainerList(_header(), "load", boxes), control_ref="7",
                        prepared=clock.now())
    return _write(tmp_path, text, name)


def _import(core, user, path):
    return registry.apply(core, user, registry.prepare([path]))


@pytest.fixture
def two_in_yard(core, export_terminal, clock):  # noqa: F811 (the imported fixture)
    """BOX1 and BOX2 received for TST-001 and released by customs."""
    for number in (BOX1, BOX2):
        appt = _book(core, clock, number, plate=f"沪A{number[-5:]}")
        core.run(G, receive, lookup=appt["ref"], container=number, size_type="45G1", seal="SL1")
        core.run(D, grant_permission, code="CUSTOMS_EXPORT", reference=f"CN-{number}",
                 container=number)
    return export_terminal


def test_coprar_load_list_is_stored_and_the_load_plan_follows_it(core, engine, two_in_yard,
                                                                 clock, tmp_path):
    path = _coprar(tmp_path, [_box(BOX1, "0100204"), _box(BOX2)], clock)
    [result] = _import(core, P, path)
    assert result.counts == {"boxes": 2, "with slot": 1, "replaced": 0}
    with Session(engine) as s:
        rows = s.exec(select(StowInstruction).order_by(StowInstruction.number)).all()
        assert [(r.number, r.bay, r.row, r.tier, r.format) for r in rows] == [
            (BOX1, 10, 2, 4, "coprar"), (BOX2, None, None, None, "coprar")]
        event = s.exec(select(Event).where(Event.operation == "load.import_instructions")).one()
        assert event.data["counts"]["boxes"] == 2
    planned = core.run(P, make_plan, visit_id=two_in_yard["visit"])
    assert planned["planned"] == 2
    with Session(engine) as s:
        items = {i.number: i for i in s.exec(select(LoadItem))}
    assert (items[BOX1].bay, items[BOX1].row, items[BOX1].tier) == (10, 2, 4)
    assert items[BOX1].why == "line's stowage instruction"
    assert "stowage instruction" not in items[BOX2].why  # the planner placed the other one


def test_planned_baplie_gives_the_slots_and_replaces_the_load_list(core, engine, two_in_yard,
                                                                   clock, tmp_path):
    _import(core, P, _coprar(tmp_path, [_box(BOX1, "0100204")], clock))
    rob = StowedBox("CMAU1234564", "22G1", Slot(1, 1, 82), pol="KRPUS", pod="NLRTM")
    plan = BayPlan(_header("BAPLIE", port="CNSHA"),
                   [_box(BOX1, "0140286"), _box(BOX2, "0140288"), rob])
    path = _write(tmp_path, write_baplie(plan, control_ref="8", prepared=clock.now()),
                  "planned.edi")
    [result] = _import(core, P, path)
    assert result.counts == {"boxes": 2, "with slot": 2, "replaced": 1, "not loaded here": 1}
    with Session(engine) as s:
        assert not s.exec(select(OnBoard)).all()  # not taken for an arrival bay plan
        slots = {r.number: (r.bay, r.row, r.tier, r.format) for r in s.exec(select(StowInstruction))}
    assert slots == {BOX1: (14, 2, 86, "baplie"), BOX2: (14, 2, 88, "baplie")}


def test_every_bad_box_is_refused_with_its_segment_and_nothing_is_written(
        core, engine, two_in_yard, clock, tmp_path):
    with Session(engine) as s, s.begin():
        s.add(OnBoard(visit_id=two_in_yard["visit"], import_id=None, number="CMAU1234564",
                      size_type="42G1", full=True, pod="NLRTM", bay=18, row=2, tier=82))
        s.add(Container(number="OOLU1234567", size_type="45G1", category="export",
                        location=Where.YARD))  # in the yard, but for no visit
    other = "OOLU1234567"
    path = _coprar(tmp_path, [_box(STRANGER, "0100204"), _box(other), _box(BOX1, "0110204"),
                              _box(BOX2, "0180282", pod="DEHAM")], clock)
    with pytest.raises(Refused) as exc:
        _import(core, P, path)
    assert exc.value.rules == ["stowage.box.unknown", "stowage.box.not_here",
                               "stowage.slot.bad", "stowage.box.pod", "stowage.slot.taken"]
    wheres = [u.where for u in exc.value.unmet]
    assert all(w.startswith(f"{path}: segment ") for w in wheres)
    assert len(set(wheres)) == 4  # each names the segment its box starts at
    assert "taken by CMAU1234564" in exc.value.unmet[-1].message
    with Session(engine) as s:
        assert not s.exec(select(StowInstruction)).all()
        assert not s.exec(select(Event).where(
            Event.operation == "load.import_instructions")).all()


def test_a_slot_given_twice_is_refused_when_the_file_is_read(core, two_in_yard, clock, tmp_path):
    path = _coprar(tmp_path, [_box(BOX1, "0100204"), _box(BOX2, "0100204")], clock)
    with pytest.raises(SourceErrors) as exc:
        registry.prepare([path])
    text = str(exc.value)
    assert str(path) in text and "segment" in text and "0100204" in text


def test_loading_started_refuses_a_new_list(core, engine, two_in_yard, clock, tmp_path):
    core.run(P, make_plan, visit_id=two_in_yard["visit"])
    with Session(engine) as s, s.begin():
        s.exec(select(LoadItem)).first().state = "loaded"
    with pytest.raises(Refused) as exc:
        _import(core, P, _coprar(tmp_path, [_box(BOX1, "0100204")], clock))
    assert exc.value.rules == ["stowage.loading_started"]


def test_a_clerk_may_not_import_instructions(core, two_in_yard, clock, tmp_path):
    with pytest.raises(Refused) as exc:
        _import(core, G, _coprar(tmp_path, [_box(BOX1, "0100204")], clock))
    assert exc.value.rules == ["role.not_permitted"]


def test_discharge_list_still_goes_to_discharge(core, two_in_yard, clock, tmp_path):
    text = write_coprar(ContainerList(_header(), "discharge", [_box(STRANGER, pod="CNSHA")]),
                        control_ref="9", prepared=clock.now())
    [prepared] = registry.prepare([_write(tmp_path, text, "dis.edi")])
    assert prepared.step.op.name == "cargo.import_discharge_list"


def test_movins_load_section_gives_the_slots(core, engine, two_in_yard, clock, capsys):
    """MOVINS (the line planner's stowage instructions, issue 15): the boxes of its load
    section go in as instructions with their slots; an open load slot and the discharge
    section are one warning."""
    from pathlib import Path

    from portops.formats.edifact.problems import WARNING

    path = Path(__file__).resolve().parent / "data" / "edi" / "movins.edi"
    [prepared] = registry.prepare([path])
    assert [p.kind for p in prepared.problems] == [WARNING]
    assert "1 load slot(s) name no container and 1 slot(s) are for discharge" in str(
        prepared.problems[0])
    [result] = registry.apply(core, P, [prepared])
    assert result.counts == {"boxes": 2, "with slot": 2, "replaced": 0}
    assert "stowage instructions (MOVINS) for TST-001" in result.summary()
    with Session(engine) as s:
        slots = {r.number: (r.bay, r.row, r.tier, r.format) for r in s.exec(select(StowInstruction))}
    assert slots == {BOX1: (10, 2, 4, "movins"), BOX2: (14, 2, 88, "movins")}
