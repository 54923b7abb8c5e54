"""BAPLIE, COPRAR, COARRI, CODECO, CUSRES: round trips, the sample files, legacy and SMDG 3
forms, and refusals that name the segment."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from portops.formats.edifact import EdifactError, Slot
from portops.formats.edifact import samples as s
from portops.formats.edifact.baplie import read_baplie, write_baplie
from portops.formats.edifact.coarri import read_coarri, write_coarri
from portops.formats.edifact.codeco import read_codeco, write_codeco
from portops.formats.edifact.coprar import read_coprar
from portops.formats.edifact.cusres import read_cusres
from tests.test_edifact_syntax import ours, pydifact_segments

DATA = Path(__file__).parent / "data"
HEADER_FIELDS = ("sender", "recipient", "message_ref", "prepared", "voyage", "carrier",
                 "vessel_name", "call_sign", "port", "next_port", "arrival")


def same_header(a, b):
    assert {k: getattr(a, k) for k in HEADER_FIELDS} == {k: getattr(b, k) for k in HEADER_FIELDS}


def test_baplie_round_trip():
    plan = s.bay_plan(300, seed=3)
    plan.boxes[5].extra.append("HAN+ZZZ:STOW AWAY FROM HEAT")
    plan.boxes[6].remarks.append("fragile: handle with care + 'love'")
    text = write_baplie(plan, control_ref="R1", prepared=s.T0)
    back = read_baplie(text)
    same_header(back.header, plan.header)
    assert back.header.version == "D:95B:UN:SMDG22"
    assert back.boxes == plan.boxes
    assert any(b.reefer_temp_c is not None for b in back.boxes)
    assert any(b.dangerous for b in back.boxes)


def test_coarri_round_trip():
    plan = s.bay_plan(80, seed=4)
    report = s.discharge_report(plan)
    back = read_coarri(write_coarri(report, control_ref="C1", prepared=s.T0))
    assert back.kind == "discharge"
    assert back.moves == report.moves
    conditions = {m.condition for m in back.moves}
    assert conditions == {"as ordered", "over-landed", "short-landed"}
    assert back.moves[0].damage[0].code == "DT"
    load = replace(report, kind="load")
    assert read_coarri(write_coarri(load, control_ref="C2", prepared=s.T0)).kind == "load"


def test_codeco_round_trip_with_chinese_plate():
    report = s.gate_out_report(s.bay_plan(80, seed=5))
    text = write_codeco(report, control_ref="G1", prepared=s.T0)
    assert "UNOW:4" in text  # UTF-8, since the plate is not Latin-1
    back = read_codeco(text)
    assert back.direction == "gate-out"
    assert back.moves == report.moves
    assert back.moves[0].truck_plate.startswith("沪A")
    gate_in = replace(report, direction="gate-in")
    assert read_codeco(write_codeco(gate_in, control_ref="G2", prepared=s.T0)).direction == "gate-in"


def test_sample_files_read_and_agree_with_pydifact():
    for name in ("bayplan.edi", "discharge-list.edi", "discharge-report.edi", "gate-out.edi",
                 "customs.edi"):
        text = (DATA / name).read_text(encoding="utf-8")
        assert ours(text) == pydifact_segments(text), name
    plan = read_baplie((DATA / "bayplan.edi").read_text(), "bayplan.edi")
    assert len(plan.boxes) == 60
    coprar = read_coprar((DATA / "discharge-list.edi").read_text())
    assert coprar.kind == "discharge"
    assert {b.number for b in coprar.boxes} == {b.number for b in plan.boxes if b.pod == "CNSHA"}
    customs = read_cusres((DATA / "customs.edi").read_text())
    assert {d.decision for d in customs.decisions} == {"release", "hold"}
    assert customs.decisions[-1].bl_number and not customs.decisions[-1].container


def test_samples_are_reproducible(tmp_path):
    s.write_samples(tmp_path)
    for p in tmp_path.iterdir():
        assert p.read_bytes() == (DATA / p.name).read_bytes(), p.name


LEGACY = """UNB+UNOA:2+MSC+CNSHA+061201:1200+77'
UNH+1+BAPLIE:D:95B:UN:SMDG15'
BGM++77+9'
DTM+137:0612011200:201'
TDT+20+612W+++MSC:172:20+++3FZO7:103::MSC OLD LADY'
LOC+5+NLRTM:139:6'
LOC+61+CNSHA:139:6'
DTM+178:0612031200:201'
LOC+147+010282::5'
MEA+WT++KGM:22000'
TMP+2+-18.5:CEL'
RNG+5+CEL:-20:-17'
LOC+9+NLRTM'
LOC+11+CNSHA'
RFF+BM:MSCU123'
EQD+CN+CSQU3054383+4532+++5'
NAD+CA+MSC:172:20'
LOC+147+0040682::5'
MEA+WT++LBR:22046'
LOC+9+NLRTM'
LOC+11+DEHAM'
EQD+CN+MSCU 123456-6+2200+++4'
NAD+CA+MSC:172:20'
DGS+IMD+3+1263+23:CEL+2'
CNT+8:2'
UNT+25+1'
UNZ+1+77'
"""

SMDG3 = """UNA:+.? '
UNB+UNOC:3+COSU+CNSHA+261127:0600+3'
UNH+1+BAPLIE:D:13B:UN:SMDG31'
BGM+659+3+9'
DTM+137:202611270600:203'
TDT+20+045E+++COSU:172:306+++9074729:146:11:COSCO NEW'
LOC+5+SGSIN:139:6'
LOC+61+CNSHA:139:6'
LOC+147+0120486::5'
FTX+AAA+++TOP STOW'
EQD+CN+CSQU3054383:6346:5+45R1:6346:5+++5'
NAD+CF+COSU:LINES:306'
MEA+AAE+VGM+KGM:28750.000'
RFF+BM:COSU999'
LOC+9+SGSIN:139:6'
LOC+11+CNSHA:139:6'
TMP+2+5:CEL'
DGS+IMD+9+3082'
UNT+17+1'
UNZ+1+3'
"""


def test_legacy_smdg15_forms():
    plan = read_baplie(LEGACY)
    a, b = plan.boxes
    assert a.slot == Slot(1, 2, 82) and a.size_type == "45R1" and a.reefer_temp_c == -18.5
    assert a.extra == ["RNG+5+CEL:-20:-17"]
    assert b.slot == Slot(4, 6, 82) and b.size_type == "22G0" and not b.full
    assert b.number == "MSCU1234566" and b.gross_kg == 10000  # lb converted
    assert b.dangerous[0].un_number == "1263" and b.dangerous[0].flashpoint_c == 23
    assert plan.header.call_sign == "3FZO7" and plan.header.voyage == "612W"
    assert plan.header.prepared.year == 2006


def test_smdg3_forms():
    plan = read_baplie(SMDG3)
    (box,) = plan.boxes
    assert box.number == "CSQU3054383" and box.size_type == "45R1" and box.vgm_kg == 28750
    assert box.operator == "COSU" and box.pod == "CNSHA" and box.remarks == ["TOP STOW"]
    assert plan.header.imo == "9074729" and plan.header.vessel_name == "COSCO NEW"


def _broken(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize("old, new, expected", [
    ("CSQU3054383+4532", "CSQU3054384+4532", "segment 16 (EQD): container number 'CSQU3054384' "
     "has a wrong check digit (expected 3)"),
    ("LOC+147+0040682", "LOC+147+010282", "segment 18 (LOC): stowage position 0010282 is given "
     "twice (first at segment 9)"),
    ("MSCU 123456-6", "CSQU3054383", "segment 22 (EQD): container CSQU3054383 is given twice"),
    ("+4532+", "+9999+", "segment 16 (EQD): size/type '9999' is not a known ISO 6346 code"),
    ("LOC+11+CNSHA'", "LOC+11+XX'", "segment 14 (LOC): 'XX' is not a UN/LOCODE"),
    ("MEA+WT++KGM:22000", "MEA+WT++KGM:heavy", "segment 10 (MEA): weight 'heavy' is not a number"),
    ("EQD+CN+CSQU3054383+4532+++5'\n", "", "segment 9 (LOC): stowage position 0010282 has no "
     "container (EQD+CN)"),
    ("LOC+11+DEHAM'\n", "", "segment 18 (LOC): container MSCU1234566 at 0040682 has no port "
     "of discharge (LOC+11)"),
])
def test_refusals_name_file_segment_and_reason(old, new, expected):
    text = _broken(LEGACY, old, new)
    if not new:  # one segment fewer: keep UNT honest so the box error is what is reported
        text = text.replace("UNT+25+1", "UNT+24+1")
    with pytest.raises(EdifactError) as err:
        read_baplie(text, "bayplan.edi")
    assert str(err.value).startswith("bayplan.edi: " + expected)


def test_wrong_message_type_is_refused():
    with pytest.raises(EdifactError, match="not a BAPLIE message \\(UNH says CODECO\\)"):
        read_baplie((DATA / "gate-out.edi").read_text())
    with pytest.raises(EdifactError, match="COARRI document code 99 is not a discharge report"):
        read_coarri(write_coarri(s.discharge_report(s.bay_plan(5)), control_ref="1",
                                 prepared=s.T0).replace("BGM+44", "BGM+99"))


def test_coarri_messages_of_one_interchange_are_read_each_on_its_own():
    """A stevedore's interchange with a discharge and a load report: two reports of their own
    kinds (they were merged into one 'discharge' report, the second message's header read as
    segments of the first's last box)."""
    from portops.formats.edifact.coarri import IDENTIFIER, coarri_segments, read_coarri_reports
    from portops.formats.edifact.envelope import join
    from portops.formats.edifact.syntax import EdifactError, interchange_text

    discharge = s.discharge_report(s.bay_plan(30, seed=4))
    load = s.discharge_report(s.bay_plan(20, seed=5))
    load = replace(load, kind="load")
    text = interchange_text([(IDENTIFIER, coarri_segments(discharge)),
                             (IDENTIFIER, coarri_segments(load))], sender="STEV",
                            recipient="COSU", control_ref="CX", prepared=s.T0)
    a, b = read_coarri_reports(text)
    assert (a.kind, b.kind) == ("discharge", "load")
    assert a.moves == discharge.moves and b.moves == load.moves
    with pytest.raises(EdifactError, match="holds discharge and load reports"):
        read_coarri(text)
    twice = join([write_coarri(discharge, control_ref="1", prepared=s.T0)] * 1
                 + [write_coarri(replace(discharge, moves=discharge.moves[:2]),
                                 control_ref="2", prepared=s.T0)], control_ref="J",
                 prepared=s.T0)
    assert read_coarri(twice).kind == "discharge"
