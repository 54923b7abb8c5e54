"""VERMAS through ``portops import`` (issue 15): each declared VGM goes onto its export box,
or onto the box's receiving appointment when it is not here yet; a box declared without a
value is a problem of that box; a box the terminal does not know refuses, naming its segment."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from portops.cli import main
from portops.formats import registry
from portops.formats.edifact.problems import BOX
from portops.formats.edifact.vermas import read_vermas
from portops.model import Container, Receival
from portops.ops.receiving import receive
from portops.ops.vermas import import_vgm
from tests.test_export import BOX1, BOX2, G, _book
from tests.test_export import export_terminal as export_terminal  # the fixture

DATA = Path(__file__).resolve().parent / "data" / "edi"


def test_the_declarations_are_read_and_a_box_without_a_value_is_its_problem():
    prepared = registry.prepare_one(DATA / "vermas.edi")
    assert prepared.importer.operation is import_vgm
    [problem] = prepared.problems
    assert problem.kind == BOX and problem.segment == 22
    assert "TGHU0984187 is declared without a VGM value; the box is skipped" in str(problem)
    first, second = prepared.kwargs["declarations"].declarations
    assert (first.number, first.vgm_kg, first.method, first.responsible) == (
        BOX1, 24100, "SM1", "SHANGHAI EXPORT CO")
    assert first.booking_ref == "BK1" and first.determined_at.hour == 22
    assert (second.number, second.vgm_kg, second.method) == (BOX2, 23500, "SM2")


def test_a_vgm_goes_onto_the_box_here_or_its_appointment(core, engine, export_terminal, clock,
                                                         capsys):
    appt = _book(core, clock, BOX1)
    _book(core, clock, BOX2, plate="沪B22222", vgm_kg=None)
    clock.advance(minutes=20)
    core.run(G, receive, lookup=appt["ref"], container=BOX1, size_type="45G1", seal="SL1")
    db = engine.url.render_as_string(hide_password=False)
    assert main(["--db", db, "--user", G, "import", str(DATA / "vermas.edi")]) == 0
    out = capsys.readouterr().out
    assert "VGM declarations: 1 on boxes here, 1 on appointments" in out
    assert "1 box problem(s)" in out
    with Session(engine) as s:
        assert s.exec(select(Container.vgm_kg).where(Container.number == BOX1)).one() == 24100
        assert s.exec(select(Receival.vgm_kg).where(
            Receival.container_number == BOX2)).one() == 23500
    # the same file again changes nothing
    assert main(["--db", db, "--user", G, "import", str(DATA / "vermas.edi")]) == 0
    assert "2 unchanged" in capsys.readouterr().out


def test_a_box_the_terminal_does_not_know_refuses_with_its_segment(core, engine,
                                                                   export_terminal, capsys):
    db = engine.url.render_as_string(hide_password=False)
    assert main(["--db", db, "--user", G, "import", str(DATA / "vermas.edi")]) == 1
    err = capsys.readouterr().err
    assert f"vermas.edi: segment 6: container {BOX1} is neither at the terminal nor booked in" \
        in err and "[vgm.box.unknown]" in err and "segment 14" in err


def test_read_on_its_own_a_box_without_a_value_refuses():
    with pytest.raises(Exception, match="declared without a VGM value"):
        read_vermas((DATA / "vermas.edi").read_text())
