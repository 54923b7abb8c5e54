"""Out, and back in (issue 15): what portops writes, portops and pydifact read back; the
arrival report is ONE interchange of many messages; the departure bay plan imports again as a
departure plan; a UNB under syntax version 4 carries an 8-digit date."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydifact.segmentcollection import Interchange as PydifactInterchange
from sqlmodel import Session, func, select

from portops.cli import main
from portops.formats.edifact import samples
from portops.formats.edifact.baplie import read_baplie, write_baplie, write_baplie31
from portops.formats.edifact.codeco import read_codeco
from portops.formats.edifact.envelope import join
from portops.formats.edifact.interchange import parse
from portops.formats.edifact.problems import collecting
from portops.formats.edifact.records import Header, StowedBox
from portops.formats.edifact.syntax import interchange_text
from portops.model import Container, EdiImport, Event, OnBoard, Role
from portops.ops.bayplan import import_bayplan
from tests.conftest import as_role
from tests.test_cargo_import import plan_for_test_visit
from tests.test_export import (
    BOX1,
    BOX2,
    G,
    _book,
    export_terminal,  # noqa: F401  (the fixture)
    receive,
)

PLANNER = as_role(Role.YARD_PLANNER)
DATA = Path(__file__).resolve().parent / "data" / "edi"
T0 = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)


def pydifact_reads(text: str) -> PydifactInterchange:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        inter = PydifactInterchange.from_str(text)
    inter.validate()
    return inter


def _db(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_join_makes_one_interchange_with_counts_and_references_right():
    one = samples.bay_plan(3, seed=1)
    texts = [write_baplie(one, control_ref=f"R{i}", prepared=T0) for i in range(3)]
    text = join(texts, control_ref="ALL1", prepared=T0)
    assert text.count("UNB+") == 1 and text.count("UNZ+") == 1 and text.count("UNA") == 1
    inter = parse(text)  # checks every UNT count and reference, and UNZ
    assert [m.ref for m in inter.messages] == ["1", "2", "3"]
    assert inter.control_ref == "ALL1" and "UNZ+3+ALL1'" in text
    assert all(m.type == "BAPLIE" and m.association == "SMDG22" for m in inter.messages)
    assert len(list(pydifact_reads(text).get_messages())) == 3


def test_syntax_version_4_dates_the_interchange_with_the_century():
    header = Header(sender="沪港", recipient="COSU")  # not Latin-1: UNOW, syntax 4
    text = interchange_text([(("CODECO", "D", "95B", "UN"), [("BGM", "34", header.sender)])],
                            sender=header.sender, recipient="COSU", control_ref="1",
                            prepared=T0)
    assert text.startswith("UNA:+.? '\nUNB+UNOW:4+沪港+COSU+20261127:0600+1'")
    latin = interchange_text([(("CODECO", "D", "95B", "UN"), [("BGM", "34", "X")])],
                             sender="TERM", recipient="COSU", control_ref="1", prepared=T0)
    assert latin.startswith("UNA:+.? '\nUNB+UNOC:3+TERM+COSU+261127:0600+1'")


@pytest.mark.usefixtures("export_terminal")
def test_arrival_report_is_one_interchange_of_every_gate_in(core, engine, clock, tmp_path,
                                                             capsys):
    args = ["--db", _db(engine), "export", "arrival-report", "--visit", "TST-001",
            "--format", "edi"]
    out = tmp_path / "arrival.edi"
    assert main(args + ["-o", str(out)]) == 1  # nothing has come in yet
    assert "has no box yet" in capsys.readouterr().err and not out.exists()
    for number, plate in ((BOX1, "沪A12345"), (BOX2, "沪B54321")):
        appt = _book(core, clock, number, plate=plate)
        clock.advance(minutes=20)
        core.run(G, receive, lookup=appt["ref"], container=number, size_type="45G1",
                 seal="SL1")
    assert main(args + ["-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.count("UNB+") == 1 and text.count("UNZ+2+") == 1
    inter = parse(text)
    assert [m.type for m in inter.messages] == ["CODECO", "CODECO"]
    assert len(list(pydifact_reads(text).get_messages())) == 2
    assert sorted(m.box.number for m in read_codeco(text).moves) == sorted([BOX1, BOX2])


def test_exported_bay_plan_imports_again_as_the_departure_plan(core, engine, small_terminal,
                                                              tmp_path, capsys):
    plan = plan_for_test_visit(60, seed=21)
    core.run(PLANNER, import_bayplan, plan=plan)
    out = tmp_path / "departure.edi"
    assert main(["--db", _db(engine), "export", "bay-plan", "--visit", "TST-001",
                 "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    pydifact_reads(text)
    back = read_baplie(text)
    key = lambda b: (b.number, b.slot, b.size_type, b.pod)  # noqa: E731
    assert sorted(map(key, back.boxes)) == sorted(map(key, plan.boxes))
    with Session(engine) as s:
        before = (s.exec(select(func.count()).select_from(Container)).one(),
                  s.exec(select(func.count()).select_from(OnBoard)).one())
    capsys.readouterr()
    assert main(["--db", _db(engine), "--user", PLANNER, "import", str(out)]) == 0
    said = capsys.readouterr().out
    assert f"departure bay plan for TST-001: {len(plan.boxes)} boxes" in said
    assert f"{len(plan.boxes)} as on board, 0 in another slot" in said
    with Session(engine) as s:  # read back and recorded; no box changed
        assert (s.exec(select(func.count()).select_from(Container)).one(),
                s.exec(select(func.count()).select_from(OnBoard)).one()) == before
        record = s.exec(select(EdiImport).where(EdiImport.format == "baplie-departure")).one()
        assert record.counts["in another slot"] == 0
        assert s.exec(select(Event).where(Event.data["departure"].as_boolean())).first()


def test_a_departure_plan_with_a_box_in_another_slot_says_which(core, engine, small_terminal):
    plan = plan_for_test_visit(40, seed=22)
    core.run(PLANNER, import_bayplan, plan=plan)
    with Session(engine) as s:
        from portops.queries.bayplan import on_board
        departure = on_board(s, small_terminal["visit"])
    moved: StowedBox = departure.boxes[0]
    free = max(b.slot for b in departure.boxes)
    moved.slot = type(free)(free.bay + 4, free.row, free.tier)
    result = core.run(PLANNER, import_bayplan, plan=departure, source="dep.edi")
    assert result.what == "departure bay plan" and result.counts["in another slot"] == 1
    assert moved.number in result.details()[0]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 6), min_size=1, max_size=5), st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=14))
def test_joined_interchanges_read_back_with_every_message(sizes, ref):
    texts = [write_baplie(samples.bay_plan(n, seed=i), control_ref=f"R{i}", prepared=T0)
             for i, n in enumerate(sizes)]
    joined = join(texts, control_ref=ref, prepared=T0)
    inter = parse(joined)  # strict: any count or reference off would raise
    assert len(inter.messages) == len(sizes) and inter.control_ref == ref
    assert [len(m.body) for m in inter.messages] == [len(parse(t).messages[0].body)
                                                    for t in texts]
    assert len(list(pydifact_reads(joined).get_messages())) == len(sizes)


def test_what_portops_does_not_interpret_goes_back_out_as_it_came(core, engine, small_terminal,
                                                                  tmp_path):
    """A remain-on-board box's final destination, B/L and remarks (FTX+CLR, FTX+AAA) are
    written in the departure plan as the line sent them (they were dropped, or became
    FTX+AAI)."""
    text = (DATA / "smdg15.edi").read_text()
    text = text.replace("EQD+CN+TGHU7654320+4310+++5'\n",
                        "EQD+CN+TGHU7654320+4310+++5'\nLOC+83+DEHAM:139:6'\nRFF+BM:COSU777'\n"
                        "FTX+CLR+++SEALED ?+ CHECKED'\nFTX+AAA+++MACHINERY:PARTS'\n")
    with collecting():
        plan = read_baplie(text)
    core.run(PLANNER, import_bayplan, plan=plan, visit_key="TST-001")
    out = tmp_path / "dep.edi"
    assert main(["--db", _db(engine), "export", "bay-plan", "--visit", "TST-001",
                 "-o", str(out)]) == 0
    written = out.read_text(encoding="utf-8")
    for segment in ("LOC+83+DEHAM:139:6'", "RFF+BM:COSU777'", "FTX+CLR+++SEALED ?+ CHECKED'",
                    "FTX+AAA+++MACHINERY:PARTS'"):
        assert segment in written, segment
    assert "FTX+AAI" not in written
    back = {b.number: b for b in read_baplie(written).boxes}["TGHU7654320"]
    assert back.remarks == ["SEALED + CHECKED", "MACHINERY:PARTS"]
    assert back.bl_number == "COSU777" and back.final_destination == "DEHAM"


def test_bay_plan_as_baplie_31_reads_back_the_same(core, engine, small_terminal, tmp_path,
                                                    capsys):
    plan = plan_for_test_visit(80, seed=23)
    plan.boxes[3].remarks.append("KEEP DRY")
    core.run(PLANNER, import_bayplan, plan=plan)
    out = tmp_path / "dep31.edi"
    assert main(["--db", _db(engine), "export", "bay-plan", "--visit", "TST-001",
                 "--format", "edi31", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "UNH+1+BAPLIE:D:13B:UN:SMDG31'" in text and "UNS+D'" in text
    pydifact_reads(text)
    back = read_baplie(text)
    key = lambda b: (b.number, b.slot, b.size_type, b.pod, b.pol, b.vgm_kg,  # noqa: E731
                     b.gross_kg, b.reefer_temp_c, b.imdg_class, b.full, b.operator)
    assert sorted(map(key, back.boxes)) == sorted(map(key, plan.boxes))
    assert back.header.imo == "9074729" and back.header.voyage == "001E"
    assert {b.number: b.remarks for b in back.boxes}[plan.boxes[3].number] == ["KEEP DRY"]
    capsys.readouterr()
    assert main(["--db", _db(engine), "--user", PLANNER, "import", str(out)]) == 0
    assert "departure bay plan for TST-001: 80 boxes, 80 as on board" in capsys.readouterr().out


def test_every_written_message_keeps_the_syntax_it_declares(tmp_path):
    from portops.formats.edifact.envelope import check_declared

    samples.write_samples(tmp_path)
    written = [p.read_text(encoding="utf-8") for p in sorted(tmp_path.glob("*.edi"))]
    plan = samples.bay_plan(20, seed=4)
    written += [write_baplie31(plan, control_ref="31", prepared=T0),
                join(written[:2], control_ref="J", prepared=T0)]
    assert len(written) >= 6
    for text in written:
        assert check_declared(text) == [], text[:80]
    bad = written[0].replace("+261127:", "+20261127:", 1)
    assert check_declared(bad) == ["UNB date '20261127' under syntax version 3 must have 6 "
                                   "digits"]
    assert "UNOC is Latin-1" in check_declared(written[0].replace("COSU", "中远", 1))[0]
