"""The out-gate EIR carries the damage recorded on the box, and is saved where it can be.

The EIR hands over liability for a box: one tallied dented at discharge once left on an EIR
reading "intact" because the gate-out form started empty. And printing it once failed with
"No such file or directory" when ~/Documents did not exist.
"""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

from portops.damage import describe_damage, localize_damage
from portops.i18n import _, as_is, set_language
from portops.model import Container, Eir, Event
from portops.ops.appointments import book
from portops.ops.gate import admit, gate_out, hand_over
from portops.queries.gate import eir, eir_markdown, gate_queue
from portops.ui.printing import print_folders, save_for_printing
from portops.ui.settings import Settings
from tests.gate_world import CLERK, DISPATCHER, booking, build, release

ARRIVING = {"plate": "沪A 12345", "haulier": "HAUL1", "driver_id": "d-310001"}
TALLIED = describe_damage(["DT"], "箱门凹陷")  # as the tally stores it on the box


@pytest.fixture
def loaded(core, engine, small_terminal):
    """Box 0 tallied dented at discharge, released, booked, admitted and on the truck."""
    w = build(core, engine, small_terminal)
    with Session(engine) as s, s.begin():  # set-up: what tally.confirm writes on the box
        s.exec(select(Container).where(Container.number == w["boxes"][0])).one().damage = \
            TALLIED
    release(core, w["boxes"][0])
    ref = core.run(CLERK, book, **booking(w["boxes"][0]))["ref"]
    w["tv"] = core.run(CLERK, admit, lookup=ref, **ARRIVING)["truck_visit_id"]
    core.run(DISPATCHER, hand_over, truck_visit_id=w["tv"])
    return w


def _out(core, w, damage: str = "") -> int:
    return core.run(CLERK, gate_out, truck_visit_id=w["tv"], container=w["boxes"][0],
                    seal="SL0000", damage=damage)["eir_id"]


def test_the_gate_queue_shows_the_boxs_recorded_damage(core, engine, clock, loaded):
    with Session(engine) as s:
        row = next(r for r in gate_queue(s, clock.now()) if r.container == loaded["boxes"][0])
    assert row.damage == TALLIED


def test_an_eir_of_a_box_tallied_damaged_shows_its_damage_not_intact(core, engine, loaded):
    eir_id = _out(core, loaded)  # the gate clerk found nothing more
    with Session(engine) as s:
        view = eir(s, eir_id=eir_id)
        assert view is not None and view.damage == "DT dented: 箱门凹陷"
        english = eir_markdown(view, "Test terminal", as_is)
        try:
            set_language("zh_CN")
            chinese = eir_markdown(view, "Test terminal", _)
        finally:
            set_language("en")
        event = s.exec(select(Event).where(Event.operation == "gate.out")).one()
    assert "| Condition at the gate 验箱 | DT dented: 箱门凹陷 |" in english
    assert "intact" not in english
    assert "| 验箱 | DT 凹陷: 箱门凹陷 |" in chinese and "完好" not in chinese
    assert (event.data["damage"], event.data["found"]) == (TALLIED, "")  # clerk found none


def test_what_the_gate_clerk_finds_is_added_once_to_the_recorded_damage(core, engine, loaded):
    eir_id = _out(core, loaded, damage="scratch on the roof")
    with Session(engine) as s:
        row = s.get(Eir, eir_id)
        box = s.exec(select(Container).where(Container.number == loaded["boxes"][0])).one()
        assert row.damage == "DT dented: 箱门凹陷; scratch on the roof"
        assert box.damage == row.damage  # the box carries what was found too
        assert read_codeco_note(row.codeco).startswith("DT dented")


def test_the_recorded_damage_typed_again_is_not_doubled(core, engine, loaded):
    eir_id = _out(core, loaded, damage="箱门凹陷")
    with Session(engine) as s:
        assert s.get(Eir, eir_id).damage == TALLIED


def read_codeco_note(text: str) -> str:
    from portops.formats.edifact.codeco import read_codeco

    return read_codeco(text, "codeco").moves[0].damage[0].note


def test_localized_damage_keeps_codes_and_notes() -> None:
    assert localize_damage("DT dented, HO holed: note", str.upper) == "DT DENTED, HO HOLED: note"
    assert localize_damage("dent left side", str.upper) == "dent left side"  # free text


def test_printing_makes_a_missing_folder(tmp_path) -> None:
    folder = tmp_path / "no" / "such" / "Documents"
    path, why = save_for_printing([folder], "EIR1.md", "# EIR")
    assert why is None and (folder / "EIR1.md").read_text(encoding="utf-8") == "# EIR"
    assert path == str((folder / "EIR1.md").resolve())


def test_printing_falls_back_to_the_next_folder_then_says_why(tmp_path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    path, why = save_for_printing([blocker / "eir", tmp_path / "ok"], "E.md", "x")
    assert why is None and path.endswith("ok/E.md")
    path, why = save_for_printing([blocker / "eir", blocker / "other"], "E.md", "x")
    assert path == str(blocker / "eir" / "E.md") and why  # the first folder, and the reason


def test_the_site_print_folder_comes_first(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PORTOPS_PRINT_DIR", str(tmp_path / "eirs"))
    folders = print_folders(Settings.from_env())
    assert folders[0] == tmp_path / "eirs" and len(folders) == 3


def test_out_and_in_eir_numbers_share_one_format(core, engine, loaded) -> None:
    from datetime import UTC, datetime

    from portops.ops.eir_numbers import eir_number

    eir_id = _out(core, loaded)
    with Session(engine) as s:
        row = s.get(Eir, eir_id)
        assert row.number == eir_number("out", row.issued_at, eir_id)
    assert re.fullmatch(r"EIRO\d{12}", row.number)  # was EIR + date + 7 digits
    at = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
    assert eir_number("in", at, 2) == "EIRI261207000002"  # as the in-gate's were
    assert eir_number("out", at, 1234567) == "EIRO2612071234567"  # grows, never wraps
